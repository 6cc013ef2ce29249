package mps

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/beian/beian/internal/ident"
)

// checkWebsite validates the form against its subject, MIIT's public record and the registrar look-up. It
// returns the data to keep and the opening date.
func (s *Simulator) checkWebsite(ctx context.Context, in WebsiteInput, subj *Subject) (WebsiteData, time.Time, error) {
	var f form
	now := s.now()
	out := WebsiteData{WebsiteInput: WebsiteInput{SubjectID: in.SubjectID, Materials: in.Materials,
		Interactive: in.Interactive, PrincipalSameAsSubject: in.PrincipalSameAsSubject, NoticeRead: in.NoticeRead}}
	out.Name, _ = f.text("name", in.Name, 50)
	out.Domains = checkDomains(&f, in.Domains)
	var opened time.Time
	if v, ok := f.text("opened_on", in.OpenedOn, 10); ok {
		d, err := time.ParseInLocation(time.DateOnly, v, cst)
		switch {
		case err != nil:
			f.fail("opened_on", "mps.date_invalid")
		case d.After(now):
			f.fail("opened_on", "mps.opened_future")
		default:
			out.OpenedOn, opened = v, d
		}
	}
	out.AccessProvider, _ = f.text("access_provider", in.AccessProvider, 100)
	for i, ip := range in.IPs {
		n, _ := f.ident("ips["+strconv.Itoa(i)+"]", ident.IP(ip))
		out.IPs = append(out.IPs, n)
	}
	if len(in.IPs) == 0 {
		f.fail("ips", "mps.required")
	} else if len(in.IPs) > 20 {
		f.fail("ips", "mps.too_many", "max", "20")
	}
	interactiveType := checkServiceTypes(&f, &out, in)
	if in.Interactive {
		for _, k := range in.InteractiveKinds {
			if _, ok := findOption(InteractiveKinds(), k); !ok {
				f.fail("interactive_kinds", "mps.option_unknown", "value", k)
			}
		}
		if len(in.InteractiveKinds) == 0 {
			f.fail("interactive_kinds", "mps.interactive_kinds_required")
		}
		out.InteractiveKinds = in.InteractiveKinds
	} else if len(in.InteractiveKinds) > 0 {
		f.fail("interactive", "mps.interactive_kinds_unexpected")
	} else if interactiveType != "" {
		f.fail("interactive", "mps.interactive_expected", "type", interactiveType)
	}
	if in.PrincipalSameAsSubject {
		out.Principal = subj.Data.Principal
	} else {
		out.Principal = checkPerson(&f, "principal", in.Principal, now)
	}
	if !in.NoticeRead {
		f.fail("notice_read", "mps.notice_unread")
	}
	if len(out.Domains) > 0 {
		s.checkICP(ctx, &f, &out, in.ICPNumber, subj)
		s.checkRegistrar(ctx, &f, &out, in.Registrar)
	} else if _, ok := f.text("icp_number", in.ICPNumber, 40); ok {
		out.ICPNumber = in.ICPNumber
	}
	return out, opened, f.err()
}

func checkDomains(f *form, in []string) []string {
	if len(in) == 0 {
		f.fail("domains", "mps.required")
		return nil
	}
	if len(in) > 10 {
		f.fail("domains", "mps.too_many", "max", "10")
		return nil
	}
	var out []string
	for i, d := range in {
		field := "domains[" + strconv.Itoa(i) + "]"
		n, ok := f.ident(field, ident.Domain(d, ident.ForWebsite))
		if !ok {
			continue
		}
		if slices.Contains(out, n) {
			f.fail(field, "mps.domain_repeated")
			continue
		}
		out = append(out, n)
	}
	if len(out) != len(in) {
		return nil
	}
	return out
}

// checkServiceTypes checks the service types and returns the name of one that is interactive by nature, if any.
func checkServiceTypes(f *form, out *WebsiteData, in WebsiteInput) string {
	if len(in.ServiceTypes) == 0 {
		f.fail("service_types", "mps.required")
	}
	interactive := ""
	for _, t := range in.ServiceTypes {
		o, ok := findOption(ServiceTypes(), t)
		if !ok {
			f.fail("service_types", "mps.option_unknown", "value", t)
			continue
		}
		if slices.Contains(out.ServiceTypes, t) {
			continue
		}
		out.ServiceTypes = append(out.ServiceTypes, t)
		if o.Interactive && interactive == "" {
			interactive = o.Names["zh-CN"]
		}
	}
	return interactive
}

// checkICP: the number is a website's service number, and MIIT's public record of the main domain shows that
// very number, for this subject's name, under this website's name.
func (s *Simulator) checkICP(ctx context.Context, f *form, out *WebsiteData, number string, subj *Subject) {
	n, ok := f.ident("icp_number", ident.ICPNumber(number))
	if !ok {
		return
	}
	r := ident.ICPNumber(n)
	if idx, _ := r.Info["service_index"].(int); idx == 0 {
		f.fail("icp_number", "mps.icp_number_subject")
		return
	}
	out.ICPNumber = n
	if s.cfg.ICP == nil {
		f.fail("icp_number", "mps.icp_unavailable")
		return
	}
	rec, err := s.cfg.ICP.LookupICP(ctx, out.Domains[0])
	switch {
	case err != nil:
		s.log.Warn("ICP look-up failed", "err", err)
		f.fail("icp_number", "mps.icp_unavailable")
	case !rec.Filed:
		f.fail("domains[0]", "mps.icp_not_filed")
	case foldICP(rec.ServiceNumber) != foldICP(n):
		f.fail("icp_number", "mps.icp_number_mismatch")
	case rec.SubjectName != subj.Data.Name:
		f.fail("icp_number", "mps.icp_subject_mismatch", "name", rec.SubjectName)
	case rec.ServiceName != "" && out.Name != "" && rec.ServiceName != out.Name:
		f.fail("name", "mps.website_name_icp", "name", rec.ServiceName)
	}
}

// foldICP compares ICP numbers across the province variants (川/蜀, 甘/陇).
func foldICP(n string) string {
	n = ident.ICPNumber(n).Normalized
	for _, p := range [][2]string{{"川", "蜀"}, {"甘", "陇"}} {
		if rest, ok := strings.CutPrefix(n, p[0]); ok {
			n = p[1] + rest
		}
	}
	return n
}

// checkRegistrar takes the registrar from the look-up; a typed one must agree with it. Without an answer the
// typed one is required.
func (s *Simulator) checkRegistrar(ctx context.Context, f *form, out *WebsiteData, typed string) {
	name, found, err := s.cfg.Registrars.Registrar(ctx, out.Domains[0])
	if err != nil {
		s.log.Warn("registrar look-up failed", "err", err)
		found = false
	}
	typed = strings.TrimSpace(typed)
	if found {
		if typed != "" && typed != name {
			f.fail("registrar", "mps.registrar_mismatch", "registrar", name)
		}
		out.Registrar, out.RegistrarSource = name, "lookup"
		return
	}
	if typed == "" {
		f.fail("registrar", "mps.registrar_required")
	} else if v, ok := f.text("registrar", typed, 100); ok {
		out.Registrar, out.RegistrarSource = v, "manual"
	}
}
