package mpsweb

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/beian/beian/internal/web"

	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/mps"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/workday"
)

// The applicant's filing pages: a subject (开办主体), a new website application (新办网站申请) and their views.
// Files go through the same upload use case as the API; an image accepted once is kept (hidden kept.<purpose>)
// when the form comes back with errors, so that it need not be chosen again.

// retentionDays fills the materials' intros, which say how long an upload waits to be submitted.
var retentionDays = map[string]string{"days": strconv.Itoa(int(mps.UnattachedRetention.Hours() / 24))}

func subjectForm(lang i18n.Lang, in mps.SubjectInput) *form {
	f := &form{Action: "/mps/subjects/new", Submit: "mps.web.save", Multipart: true, Hidden: kept(in.Materials)}
	f.Sections = []*section{
		{Title: i18n.T(lang, "mps.web.sec.subject", nil), Intro: i18n.T(lang, "mps.web.intro.subject", nil), Fields: []*field{
			natureSelect(lang, in.Nature), text(lang, "name", in.Name, true),
			credentialSelect(lang, "credential_type", in.CredentialType), text(lang, "credential_number", in.CredentialNumber, true),
			text(lang, "investor", in.Investor, false), text(lang, "area_code", in.AreaCode, true),
			text(lang, "address", in.Address, true), typed(lang, "tel", "office_phone", in.OfficePhone)}},
		{Title: i18n.T(lang, "mps.web.sec.principal", nil), Fields: personFields(lang, in.Principal)},
		{Title: i18n.T(lang, "mps.web.sec.materials", nil), Intro: i18n.T(lang, "mps.web.intro.materials", retentionDays),
			Fields: fileFields(lang, mps.FormMaterials(mps.KindSubject), in.Materials)},
	}
	return f
}

// fileFields are the file inputs of purposes; one whose image the form keeps (an upload accepted before the form
// came back, or the record's own) says so, so that only the others are chosen again.
func fileFields(lang i18n.Lang, purposes []string, kept map[string]int64) []*field {
	var out []*field
	for _, p := range purposes {
		f := file(lang, "materials."+p)
		if kept[p] > 0 {
			f.Kept = i18n.T(lang, "mps.web.file_kept", nil)
		}
		out = append(out, f)
	}
	return out
}

func kept(m map[string]int64) map[string]string {
	out := map[string]string{}
	for p, id := range m {
		out["kept."+p] = strconv.FormatInt(id, 10)
	}
	return out
}

// uploads stores the chosen files (or keeps earlier ones) and returns the ids and the upload problems.
func (s *Server) uploads(r *http.Request, userID int64, purposes []string) (map[string]int64, problem.List) {
	ids := map[string]int64{}
	var errs problem.List
	for _, p := range purposes {
		if b := readFile(r, "materials."+p); len(b) > 0 {
			id, err := s.Sim.UploadMaterial(r.Context(), userID, p, b)
			if err != nil {
				errs = append(errs, problem.As(err)...)
				continue
			}
			ids[p] = id
		} else if id, err := strconv.ParseInt(r.FormValue("kept."+p), 10, 64); err == nil && id > 0 {
			ids[p] = id
		}
	}
	return ids, errs
}

// merged joins upload problems with the use case's, dropping "missing" where the upload itself failed.
func merged(uploadErrs problem.List, err error) error {
	if len(uploadErrs) == 0 {
		return err
	}
	failed := map[string]bool{}
	for _, e := range uploadErrs {
		failed[e.Field] = true
	}
	out := uploadErrs
	for _, e := range problem.As(err) {
		if !(e.Code == "mps.material_missing" && failed[e.Field]) {
			out = append(out, e)
		}
	}
	return out
}

func (s *Server) subjectPage(w http.ResponseWriter, r *http.Request, p *page) {
	p.Nav, p.D = "subject", subjectForm(p.Lang, mps.SubjectInput{Nature: mps.NatureEnterprise, CredentialType: "business_license"})
	s.render(w, p, http.StatusOK, "form")
}

func subjectInput(r *http.Request) mps.SubjectInput {
	return mps.SubjectInput{Nature: r.FormValue("nature"), Name: r.FormValue("name"),
		CredentialType: r.FormValue("credential_type"), CredentialNumber: r.FormValue("credential_number"),
		Investor: r.FormValue("investor"), AreaCode: strings.TrimSpace(r.FormValue("area_code")),
		Address: r.FormValue("address"), OfficePhone: r.FormValue("office_phone"), Principal: personInput(r)}
}

func personInput(r *http.Request) mps.Person {
	return mps.Person{Name: r.FormValue("principal.name"), CredentialType: r.FormValue("principal.credential_type"),
		CredentialNumber: r.FormValue("principal.credential_number"), Mobile: r.FormValue("principal.mobile"),
		Email: r.FormValue("principal.email"), Residence: r.FormValue("principal.residence")}
}

func (s *Server) subjectSubmit(w http.ResponseWriter, r *http.Request, p *page) {
	in := subjectInput(r)
	ids, upErrs := s.uploads(r, p.User.ID, mps.SubjectMaterials(in.Nature))
	in.Materials = ids
	out, err := s.Sim.SubmitSubject(r.Context(), p.User.ID, in)
	if err = merged(upErrs, err); err != nil {
		f := subjectForm(p.Lang, in)
		p.Nav, p.D, p.Errors = "subject", f, f.place(r, err)
		s.render(w, p, web.StatusFor(err), "form")
		return
	}
	web.Redirect(w, r, "/mps/subjects/"+strconv.FormatInt(out.ID, 10), "submitted")
}

func websiteForm(lang i18n.Lang, in mps.WebsiteInput, subjects []mps.SubjectSummary) *form {
	var subjOpts []option
	for _, s := range subjects {
		if s.State != mps.StateCancelled {
			subjOpts = append(subjOpts, option{Value: strconv.FormatInt(s.ID, 10), Label: s.Name})
		}
	}
	inter := "no"
	if in.Interactive {
		inter = "yes"
	}
	f := &form{Action: "/mps/websites/new", Submit: "mps.web.submit", Multipart: true, Hidden: kept(in.Materials)}
	f.Sections = []*section{
		{Title: i18n.T(lang, "mps.web.sec.website", nil), Intro: i18n.T(lang, "mps.web.intro.website", nil), Fields: []*field{
			selectField(lang, "subject_id", strconv.FormatInt(in.SubjectID, 10), subjOpts),
			text(lang, "name", in.Name, true), area(lang, "domains", strings.Join(in.Domains, "\n"), 2),
			text(lang, "icp_number", in.ICPNumber, true), typed(lang, "date", "opened_on", in.OpenedOn),
			text(lang, "access_provider", in.AccessProvider, true), text(lang, "registrar", in.Registrar, false),
			area(lang, "ips", strings.Join(in.IPs, "\n"), 2),
			checks(lang, "service_types", in.ServiceTypes, optionList(lang, mps.ServiceTypes())),
			selectField(lang, "interactive", inter, []option{{Value: "no", Label: i18n.T(lang, "mps.web.no", nil)},
				{Value: "yes", Label: i18n.T(lang, "mps.web.yes", nil)}}),
			checks(lang, "interactive_kinds", in.InteractiveKinds, optionList(lang, mps.InteractiveKinds()))}},
		{Title: i18n.T(lang, "mps.web.sec.website_principal", nil), Fields: append([]*field{
			checkbox(lang, "principal_same_as_subject", in.PrincipalSameAsSubject)}, personFields(lang, in.Principal)...)},
		{Title: i18n.T(lang, "mps.web.sec.materials", nil), Intro: i18n.T(lang, "mps.web.intro.website_materials", retentionDays),
			Fields: fileFields(lang, mps.FormMaterials(mps.KindWebsite), in.Materials)},
		{Title: i18n.T(lang, "mps.web.sec.notice", nil), Intro: i18n.T(lang, "mps.web.notice", nil), Fields: []*field{
			checkbox(lang, "notice_read", in.NoticeRead)}},
	}
	for _, fl := range f.Sections[1].Fields[1:] {
		fl.Required = false
	}
	for _, fl := range f.Sections[0].Fields {
		if fl.Name == "name" {
			fl.Label = noteLabel(lang, mps.KindWebsite, "name")
		}
	}
	return f
}

func (s *Server) websitePage(w http.ResponseWriter, r *http.Request, p *page) {
	s.showWebsiteForm(w, r, p, mps.WebsiteInput{PrincipalSameAsSubject: true}, http.StatusOK, nil)
}

func (s *Server) showWebsiteForm(w http.ResponseWriter, r *http.Request, p *page, in mps.WebsiteInput, status int, err error) {
	subjects, serr := s.Sim.Subjects(r.Context(), p.User.ID)
	if serr != nil {
		s.fail(w, r, p, serr)
		return
	}
	if in.OpenedOn == "" {
		in.OpenedOn = time.Now().In(workday.Location()).Format(time.DateOnly)
	}
	f := websiteForm(p.Lang, in, subjects)
	p.Nav, p.D, p.Errors = "website", f, f.place(r, err)
	s.render(w, p, status, "form")
}

func websiteInput(r *http.Request) mps.WebsiteInput {
	sid, _ := strconv.ParseInt(r.FormValue("subject_id"), 10, 64)
	in := mps.WebsiteInput{SubjectID: sid, Name: r.FormValue("name"), Domains: lines(r.FormValue("domains")),
		ICPNumber: r.FormValue("icp_number"), OpenedOn: r.FormValue("opened_on"),
		AccessProvider: r.FormValue("access_provider"), Registrar: r.FormValue("registrar"), IPs: lines(r.FormValue("ips")),
		ServiceTypes: r.Form["service_types"], Interactive: r.FormValue("interactive") == "yes",
		InteractiveKinds: r.Form["interactive_kinds"], PrincipalSameAsSubject: r.FormValue("principal_same_as_subject") == "yes",
		NoticeRead: r.FormValue("notice_read") == "yes"}
	if !in.PrincipalSameAsSubject {
		in.Principal = personInput(r)
	}
	return in
}

func (s *Server) websiteSubmit(w http.ResponseWriter, r *http.Request, p *page) {
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		s.fail(w, r, p, problem.Invalidf("imaging.too_large", "", "size", "", "max", "512000"))
		return
	}
	in := websiteInput(r)
	nature := mps.NatureEnterprise
	if subj, err := s.Sim.Subject(r.Context(), p.User.ID, in.SubjectID); err == nil {
		nature = subj.Data.Nature
	}
	ids, upErrs := s.uploads(r, p.User.ID, mps.WebsiteMaterials(nature))
	in.Materials = ids
	site, err := s.Sim.SubmitWebsite(r.Context(), p.User.ID, in)
	if err = merged(upErrs, err); err != nil {
		s.showWebsiteForm(w, r, p, in, web.StatusFor(err), err)
		return
	}
	web.Redirect(w, r, "/mps/websites/"+strconv.FormatInt(site.ID, 10), "submitted")
}

// recordData is a subject or an application as a page shows it.
type recordData struct {
	Kind     string
	Subject  *mps.Subject
	Website  *mps.Website
	Badge    *Badge
	Decision *form
	Staff    bool
	// the owner's actions: the page that corrects or changes the record, its button's label, the cancellation
	Edit, EditLabel string
	Cancel          *form
}

// dataCodeSubmit redeems a data code and opens the form it pre-fills: the subject's when the account has none
// for that credential, else the website's.
func (s *Server) dataCodeSubmit(w http.ResponseWriter, r *http.Request, p *page) {
	pre, err := s.Sim.RedeemDataCode(r.Context(), p.User.ID, r.PostFormValue("data_code"), r.PostFormValue("mobile"),
		r.PostFormValue("id_number"))
	if err != nil {
		s.showCenter(w, r, p, web.StatusFor(err), nil, err)
		return
	}
	if pre.SubjectID == 0 {
		f := subjectForm(p.Lang, pre.Subject)
		p.Nav, p.D, p.Flash = "subject", f, p.t("mps.web.ok.prefilled")
		s.render(w, p, http.StatusOK, "form")
		return
	}
	pre.Website.PrincipalSameAsSubject, p.Flash = true, p.t("mps.web.ok.prefilled")
	s.showWebsiteForm(w, r, p, pre.Website, http.StatusOK, nil)
}
