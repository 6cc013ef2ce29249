package providerweb

// Step 4 of the filing wizard: the services (websites, APPs, mini programs, quick apps).

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/web"
	"github.com/beian/beian/internal/web/filingview"
)

func (s *Server) servicesForm(v *web.View, o *filing.Order) *web.Form {
	f := &web.Form{}
	individual := o.Subject.IsIndividual()
	for i, svc := range o.Services {
		p := "services[" + strconv.Itoa(i) + "]"
		sec := &web.Section{ID: web.FieldID(p), Path: p, Title: filingview.ServiceTitle(v.Lang, o, i)}
		if i > 0 {
			sec.Remove = "remove:" + strconv.Itoa(i)
		}
		name := v.Text(p+".name", svc.Name).Req()
		if svc.Kind == filing.Website {
			name.Hint = v.T("web.hint.website_name")
			sec.Fields = append(sec.Fields, name)
			// The check fixed the first website's domain; a service change may replace it (docs/after-filing.md).
			if (i == 0 && len(svc.Domains) > 0 || o.Type == filing.NewAccess) && o.Type != filing.ChangeService {
				sec.Fields = append(sec.Fields, v.Static(p+".domains[0]", strings.Join(svc.Domains, ", ")).
					Hinted(v.T("web.hint.domain_fixed")))
			} else {
				dom := ""
				if len(svc.Domains) > 0 {
					dom = svc.Domains[0]
				}
				sec.Fields = append(sec.Fields, v.Text(p+".domains[0]", dom).Req().Mode("url").Auto("off").
					Placed("example.cn").Hinted(v.T("web.hint.website_domain")))
			}
			sec.Fields = append(sec.Fields, v.Text(p+".home_url", svc.HomeURL).Mode("url").Auto("off").Hinted(v.T("web.hint.home_url")))
		} else {
			name.Hint = v.T("web.hint.app_service_name")
			doms := v.Field("textarea", p+".domains", strings.Join(svc.Domains, "\n")).Hinted(v.T("web.hint.app_domains")).Widen()
			if svc.Kind == filing.App {
				doms.Required = true
			}
			doms.Rows = 3
			sec.Fields = append(sec.Fields, name, doms)
		}
		sec.Fields = append(sec.Fields,
			v.Static(p+".ips", strings.Join(svc.IPs, ", ")).Hinted(v.T("web.hint.ips")),
			v.Checks(p+".content", svc.Content, filingview.ContentGroups(v.Lang, svc.Kind, individual)).Req().Widen().
				Hinted(v.T("web.hint.content")),
			v.Checks(p+".languages", svc.Languages, filingview.LanguageGroups(v.Lang)).Req().Widen().Hinted(v.T("web.hint.languages")),
		)
		pre := &web.Section{ID: web.FieldID(p + ".pre_approvals"), Path: p + ".pre_approvals", Title: v.T("web.field.service.pre_approvals"),
			Intro: v.T("web.hint.pre_approvals")}
		rows := slices.Clone(svc.PreApprovals)
		rows = append(rows, filing.PreApproval{})
		for k, pa := range rows {
			q := p + ".pre_approvals[" + strconv.Itoa(k) + "]"
			pre.Fields = append(pre.Fields,
				v.Select(q+".type", pa.Type, filingview.PreApprovalOptions(v.Lang), true),
				v.Text(q+".permit_number", pa.PermitNumber).Auto("off"))
		}
		remark := v.Field("textarea", p+".remark", svc.Remark).Widen().Hinted(v.T("web.hint.service_remark"))
		remark.Rows = 2
		sec.Fields = append(sec.Fields, remark)
		f.Sections = append(f.Sections, sec, pre)
		if svc.Kind != filing.Website {
			f.Sections = append(f.Sections, appSections(v, p, svc)...)
		}
		same := svc.PrincipalSameAsSubject || svc.Principal.Name == ""
		ps := &web.Section{ID: web.FieldID(p + ".principal"), Path: p + ".principal", Title: v.T("web.group.service_principal"),
			Intro: v.T("web.intro.service_principal")}
		if individual {
			ps.Intro = v.T("web.intro.service_principal_individual")
		}
		ps.Fields = append(ps.Fields, v.Checkbox(p+".principal_same_as_subject", same).Widen().
			Hinted(v.T("web.hint.same_as_subject")))
		for _, fl := range principalFields(v, p+".principal", svc.Principal, false, o) {
			fl.ShowWhen = p + ".principal_same_as_subject="
			ps.Fields = append(ps.Fields, fl)
		}
		f.Sections = append(f.Sections, ps)
	}
	return f
}

// appSections are the APP data of Huawei Cloud's first-filing guide: platforms with package, public key and signature; SDKs.
func appSections(v *web.View, p string, svc filing.Service) []*web.Section {
	app := svc.App
	if app == nil {
		app = &filing.AppInfo{}
	}
	plat := &web.Section{ID: web.FieldID(p + ".app.platforms"), Path: p + ".app.platforms", Title: v.T("web.field.service.app.platforms"),
		Intro: v.T("web.hint.platforms")}
	rows := slices.Clone(app.Platforms)
	rows = append(rows, filing.Platform{})
	for k, pl := range rows {
		q := p + ".app.platforms[" + strconv.Itoa(k) + "]"
		sig := v.Text(q+".signature", pl.Signature).Auto("off").Hinted(v.T("web.hint.signature"))
		key := v.Field("textarea", q+".public_key", pl.PublicKey).Widen()
		key.Rows = 2
		plat.Fields = append(plat.Fields,
			v.Select(q+".platform", pl.Platform, filingview.PlatformOptions(v.Lang), true),
			v.Text(q+".package", pl.Package).Auto("off").Placed("com.example.app"), sig, key)
	}
	sdk := &web.Section{ID: web.FieldID(p + ".app.sdks"), Path: p + ".app.sdks", Title: v.T("web.field.service.app.sdks"),
		Intro: v.T("web.hint.sdks")}
	sdks := slices.Clone(app.SDKs)
	sdks = append(sdks, filing.SDK{})
	for k, x := range sdks {
		q := p + ".app.sdks[" + strconv.Itoa(k) + "]"
		sdk.Fields = append(sdk.Fields, v.Text(q+".vendor", x.Vendor), v.Text(q+".type", x.Type))
	}
	return []*web.Section{plat, sdk}
}

func lines(s string) []string {
	out := []string{}
	for _, l := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' || r == ',' || r == '，' || r == ' ' }) {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

func parseServices(r *http.Request, c *provider.Content, o *filing.Order) {
	for i := range c.Services {
		svc := &c.Services[i]
		p := "services[" + strconv.Itoa(i) + "]"
		if _, ok := r.PostForm[p+".name"]; !ok {
			continue // not on the page that was posted
		}
		svc.Name = formValue(r, p+".name")
		if svc.Kind == filing.Website {
			if _, ok := r.PostForm[p+".domains[0]"]; ok {
				if d := formValue(r, p+".domains[0]"); d != "" {
					svc.Domains = []string{d}
				} else {
					svc.Domains = []string{}
				}
			}
			svc.HomeURL = formValue(r, p+".home_url")
		} else {
			svc.Domains = lines(r.PostFormValue(p + ".domains"))
		}
		svc.Content = nonEmpty(r.PostForm[p+".content"])
		svc.Languages = nonEmpty(r.PostForm[p+".languages"])
		svc.Remark = formValue(r, p+".remark")
		svc.PreApprovals = nil
		for k := 0; ; k++ {
			q := p + ".pre_approvals[" + strconv.Itoa(k) + "]"
			if _, ok := r.PostForm[q+".type"]; !ok {
				break
			}
			pa := filing.PreApproval{Type: formValue(r, q+".type"), PermitNumber: formValue(r, q+".permit_number")}
			if pa.Type == "" && pa.PermitNumber == "" {
				continue
			}
			if k < len(o.Services[i].PreApprovals) {
				pa.MaterialID = o.Services[i].PreApprovals[k].MaterialID
			}
			svc.PreApprovals = append(svc.PreApprovals, pa)
		}
		svc.PrincipalSameAsSubject = r.PostFormValue(p+".principal_same_as_subject") == "true"
		svc.Principal = parsePrincipal(r, p+".principal", svc.Principal)
		if svc.Kind != filing.Website {
			if svc.App == nil {
				svc.App = &filing.AppInfo{}
			}
			svc.App.Platforms = []filing.Platform{}
			for k := 0; ; k++ {
				q := p + ".app.platforms[" + strconv.Itoa(k) + "]"
				if _, ok := r.PostForm[q+".platform"]; !ok {
					break
				}
				pl := filing.Platform{Platform: formValue(r, q+".platform"), Package: formValue(r, q+".package"),
					PublicKey: formValue(r, q+".public_key"), Signature: formValue(r, q+".signature")}
				if pl != (filing.Platform{}) {
					svc.App.Platforms = append(svc.App.Platforms, pl)
				}
			}
			svc.App.SDKs = nil
			for k := 0; ; k++ {
				q := p + ".app.sdks[" + strconv.Itoa(k) + "]"
				if _, ok := r.PostForm[q+".vendor"]; !ok {
					break
				}
				x := filing.SDK{Vendor: formValue(r, q+".vendor"), Type: formValue(r, q+".type")}
				if x != (filing.SDK{}) {
					svc.App.SDKs = append(svc.App.SDKs, x)
				}
			}
		}
	}
}

func nonEmpty(vals []string) []string {
	out := []string{}
	for _, v := range vals {
		if v = strings.TrimSpace(v); v != "" && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out
}
