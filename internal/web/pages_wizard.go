package web

import (
	"crypto/rand"
	"encoding/hex"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/provider/store"
	"github.com/beian/beian/internal/rules"
)

// The filing wizard of SPEC §4.3: 1 check filing type → 2 resource → 3 subject and subject principal →
// 4 services → 5 materials → 6 review and submit, then the progress page. Steps 1 and 2 open the draft (the
// check decides what later steps may not change); steps 3 to 6 edit it and save as the applicant goes.

// wizard steps after the draft exists, in order.
var orderSteps = []string{"subject", "services", "materials", "review"}

type stepLink struct {
	No      int
	Key     string
	Label   string
	URL     string
	State   string // done | current | todo
	Current bool
}

func (v *view) stepBar(current string, orderID int64) []stepLink {
	keys := []string{"check", "resource", "subject", "services", "materials", "verification", "review"}
	cur := slices.Index(keys, current)
	var out []stepLink
	for i, k := range keys {
		l := stepLink{No: i + 1, Key: k, Label: v.t("web.step." + k), State: "todo"}
		switch {
		case i < cur:
			l.State = "done"
		case i == cur:
			l.State, l.Current = "current", true
		}
		if orderID != 0 && i >= 2 {
			l.URL = "/orders/" + strconv.FormatInt(orderID, 10) + "/" + k
		}
		out = append(out, l)
	}
	return out
}

// ---- steps 1 and 2: check the filing type, choose the resource ----------------------------------------

type checkData struct {
	Steps     []stepLink
	Form      *form
	Check     provider.CheckInput
	Result    *provider.CheckResult
	Resources *form
	Idem      string
}

func (s *Server) checkForm(v *view, in provider.CheckInput) *form {
	if in.ServiceKind == "" {
		in.ServiceKind = filing.Website
	}
	cred := v.selectField("credential_type", in.CredentialType, subjectCredentialOptions(v.Lang), true).req().
		hint(v.t("web.hint.credential_type"))
	cred.Class = "js-credential-type"
	nature := v.selectField("nature", in.Nature, natureOptions(v.Lang), true).req().hint(v.t("web.hint.nature"))
	nature.Class = "js-nature"
	kind := v.field("radios", "service_kind", string(in.ServiceKind)).req()
	kind.Class = "choices-inline"
	for _, k := range []filing.ServiceKind{filing.Website, filing.App, filing.MiniProgram, filing.QuickApp} {
		kind.Options = append(kind.Options, Option{Value: string(k), Label: v.t("web.kind." + string(k)),
			Selected: k == in.ServiceKind})
	}
	domain := v.text("domain", in.Domain).req().hint(v.t("web.hint.check_domain")).place("example.cn").auto("off")
	domain.ShowWhen = "service_kind=website"
	domain.InputMode = "url"
	app := v.text("app_name", in.AppName).req().hint(v.t("web.hint.app_name"))
	app.ShowWhen = "service_kind=app,mini_program,quick_app"
	return &form{Sections: []*Section{
		{ID: "sec-subject", Title: v.t("web.check.subject"), Fields: []*Field{
			v.selectField("province", in.Province, provinceOptions(v.Lang), true).req().hint(v.t("web.hint.province")),
			nature, cred,
			v.text("credential_number", in.CredentialNumber).req().hint(v.t("web.hint.credential_number")).auto("off"),
		}},
		{ID: "sec-service", Title: v.t("web.check.service"), Fields: []*Field{kind, domain, app}},
	}}
}

func (s *Server) checkPage(w http.ResponseWriter, r *http.Request, v *view) {
	v.Area, v.Current, v.InlineErrors = "portal", "new", true
	v.D = &checkData{Steps: v.stepBar("check", 0), Form: s.checkForm(v, provider.CheckInput{})}
	s.render(w, v, http.StatusOK, "check")
}

func checkInputOf(r *http.Request) provider.CheckInput {
	return provider.CheckInput{Province: r.PostFormValue("province"), Nature: r.PostFormValue("nature"),
		CredentialType: r.PostFormValue("credential_type"), CredentialNumber: strings.TrimSpace(r.PostFormValue("credential_number")),
		ServiceKind: filing.ServiceKind(r.PostFormValue("service_kind")), Domain: strings.TrimSpace(r.PostFormValue("domain")),
		AppName: strings.TrimSpace(r.PostFormValue("app_name"))}
}

// checkSubmit runs step 1 (action=check) or opens the draft with the chosen resource (action=create).
func (s *Server) checkSubmit(w http.ResponseWriter, r *http.Request, v *view) {
	v.Area, v.Current, v.InlineErrors = "portal", "new", true
	in := checkInputOf(r)
	if in.ServiceKind == filing.Website {
		in.AppName = ""
	} else {
		in.Domain = ""
	}
	d := &checkData{Steps: v.stepBar("check", 0), Check: in}
	v.D = d
	if r.PostFormValue("action") == "back" {
		d.Form = s.checkForm(v, in)
		s.render(w, v, http.StatusOK, "check")
		return
	}
	res, err := s.svc.CheckFilingType(v.ctx(), v.Actor, in)
	if err != nil {
		d.Form = s.checkForm(v, in)
		d.Form.place(s.pageErrors(r, err))
		v.Errors = d.Form.Summary
		for i := range v.Errors {
			if v.Errors[i].Target != "" {
				v.Errors[i].Target = "#" + v.Errors[i].Target
			}
		}
		s.render(w, v, http.StatusUnprocessableEntity, "check")
		return
	}
	d.Result, d.Check = res, res.Input
	d.Steps = v.stepBar("resource", 0)
	choice, code := r.PostFormValue("resource.instance_id"), r.PostFormValue("resource.authorization_code")
	d.Idem = r.PostFormValue("idem")
	if d.Idem == "" {
		d.Idem = newKey()
	}
	var createErr error
	if r.PostFormValue("action") == "create" {
		ref := filing.ResourceRef{}
		if choice == "code" {
			ref.AuthorizationCode = strings.TrimSpace(code)
			if ref.AuthorizationCode == "" {
				createErr = problem.Invalidf("resource.required", "resource.authorization_code")
			}
		} else if id, perr := strconv.ParseInt(choice, 10, 64); perr == nil {
			ref.InstanceID = id
		}
		if createErr == nil {
			o, err := s.svc.CreateOrder(v.ctx(), v.Actor, provider.CreateInput{Check: in, Resource: ref}, d.Idem)
			if err == nil {
				redirect(w, r, "/orders/"+strconv.FormatInt(o.ID, 10)+"/subject", "created")
				return
			}
			createErr = err // nothing was created: the same key may be used again
		}
	}
	d.Resources, err = s.resourceForm(v, res, choice, code)
	if err != nil {
		s.fail(w, r, v, err)
		return
	}
	status := http.StatusOK
	if createErr != nil {
		d.Resources.place(s.pageErrors(r, createErr))
		v.Errors = d.Resources.Summary
		for i := range v.Errors {
			if v.Errors[i].Target != "" {
				v.Errors[i].Target = "#" + v.Errors[i].Target
			}
		}
		status = http.StatusUnprocessableEntity
	}
	s.render(w, v, status, "check")
}

// resourceForm lists the applicant's instances (usable ones selectable, the others with the reason) and the
// authorization code alternative (seeds 000-002).
func (s *Server) resourceForm(v *view, res *provider.CheckResult, choice, code string) (*form, error) {
	list, err := s.svc.Resources(v.ctx(), v.Actor)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	radio := v.field("radios", "resource.instance_id", choice).req()
	radio.Label = v.t("web.resource.choose")
	for _, r := range list {
		why := resourceUnusable(r, now)
		o := Option{Value: strconv.FormatInt(r.ID, 10), Label: r.Name, Disabled: why != "",
			Selected: choice == strconv.FormatInt(r.ID, 10)}
		o.Hint = v.tf("web.resource.line", "ips", strings.Join(r.IPs, ", "), "left", strconv.Itoa(max(r.QuotaTotal-r.QuotaUsed, 0)),
			"total", strconv.Itoa(r.QuotaTotal), "expires", r.ExpiresAt.In(shanghai).Format(time.DateOnly),
			"billing", v.t("web.billing."+r.Billing))
		if why != "" {
			o.Hint += " — " + v.t(why)
		}
		radio.Options = append(radio.Options, o)
	}
	if choice == "" {
		for i, o := range radio.Options {
			if !o.Disabled {
				radio.Options[i].Selected = true
				radio.Value = o.Value
				break
			}
		}
	}
	radio.Options = append(radio.Options, Option{Value: "code", Label: v.t("web.resource.use_code"),
		Hint: v.t("web.resource.use_code_hint"), Selected: choice == "code"})
	codeField := v.text("resource.authorization_code", code).hint(v.t("web.hint.authorization_code")).auto("off")
	codeField.ShowWhen = "resource.instance_id=code"
	return &form{Sections: []*Section{{ID: "sec-resource", Path: "resource", Title: v.t("web.step.resource"),
		Intro: v.t("web.resource.intro"), Fields: []*Field{radio, codeField}}}}, nil
}

// resourceUnusable explains why an instance cannot carry a filing (the use case decides again on creation).
func resourceUnusable(r store.Resource, now time.Time) string {
	switch {
	case r.Billing != "prepaid":
		return "resource.pay_as_you_go"
	case r.ExpiresAt.Before(r.StartsAt.AddDate(0, 3, 0)):
		return "resource.too_short"
	case !now.Before(r.ExpiresAt):
		return "resource.expired"
	case r.QuotaUsed >= r.QuotaTotal:
		return "resource.quota_exhausted"
	}
	return ""
}

func newKey() string {
	b := make([]byte, 12)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// ---- steps 3 to 6 ---------------------------------------------------------------------------------------

// wizardData is what the order steps show.
type wizardData struct {
	Order      *filing.Order
	Step       string
	Steps      []stepLink
	Form       *form
	Fixed      []*Field // what the check decided (read-only here)
	Reason     string   // the reviewer's or administration's reason, when the order came back
	Notes      []noteView
	Notices    []fieldError
	Resubmit   bool
	AllowMore  bool
	Materials  []materialRow
	Review     *reviewData
	NextURL    string
	PrevURL    string
	Individual bool
}

type noteView struct {
	Field, Label, Message, Link string
}

func (s *Server) orderID(r *http.Request) (int64, error) { return pathID(r) }

// stepPage shows one step of an editable order; orders under review show their progress instead.
func (s *Server) stepPage(w http.ResponseWriter, r *http.Request, v *view) {
	step := r.PathValue("step")
	if !slices.Contains(orderSteps, step) {
		s.fail(w, r, v, problem.New(problem.NotFound, "common.not_found", ""))
		return
	}
	tl, err := s.timeline(v, r)
	if err != nil {
		s.fail(w, r, v, err)
		return
	}
	if !tl.Order.State.Editable() {
		http.Redirect(w, r, "/orders/"+strconv.FormatInt(tl.Order.ID, 10), http.StatusSeeOther)
		return
	}
	var errs []fieldError
	if r.URL.Query().Get("check") != "" || step == "review" {
		errs, err = s.stepErrors(v, r, tl.Order.ID, step)
		if err != nil {
			s.fail(w, r, v, err)
			return
		}
	}
	s.showStep(w, r, v, tl, step, errs, http.StatusOK)
}

func (s *Server) timeline(v *view, r *http.Request) (*provider.Timeline, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return s.svc.OrderTimeline(v.ctx(), v.Actor, id)
}

// stepErrors evaluates the order and keeps the violations that belong to step (all of them on the review).
func (s *Server) stepErrors(v *view, r *http.Request, id int64, step string) ([]fieldError, error) {
	_, rep, err := s.svc.Evaluate(v.ctx(), v.Actor, id)
	if err != nil {
		return nil, err
	}
	var out []fieldError
	for _, e := range s.pageErrors(r, problem.List(rep.Violations).Err()) {
		if step == "review" || stepOfField(e.Field) == step {
			out = append(out, e)
		}
	}
	return out, nil
}

// stepOfField says on which step a field is entered.
func stepOfField(p string) string {
	switch {
	case strings.HasPrefix(p, "subject"):
		return "subject"
	case strings.HasPrefix(p, "materials"), strings.Contains(p, ".app.icon_material_id"), strings.HasSuffix(p, ".material_id"):
		return "materials"
	case strings.HasPrefix(p, "services"):
		return "services"
	case strings.HasPrefix(p, "verification"):
		return "verification"
	}
	return "review"
}

// reviewNotes returns the reason and field notes of the event that sent the order back to the applicant.
func reviewNotes(tl *provider.Timeline) (string, []filing.Note) {
	st := tl.Order.State
	if st == filing.Draft {
		return "", nil
	}
	for i := len(tl.Events) - 1; i >= 0; i-- {
		e := tl.Events[i]
		if e.To == st && e.From != st {
			return e.Reason, e.Notes
		}
	}
	return "", nil
}

func (s *Server) showStep(w http.ResponseWriter, r *http.Request, v *view, tl *provider.Timeline, step string, errs []fieldError, status int) {
	o := tl.Order
	v.Area, v.Current = "portal", "orders"
	id := strconv.FormatInt(o.ID, 10)
	d := &wizardData{Order: o, Step: step, Steps: v.stepBar(step, o.ID), Resubmit: o.State != filing.Draft,
		Individual: o.Subject.IsIndividual()}
	i := slices.Index(orderSteps, step)
	if i > 0 {
		d.PrevURL = "/orders/" + id + "/" + orderSteps[i-1]
	}
	if i+1 < len(orderSteps) {
		d.NextURL = "/orders/" + id + "/" + orderSteps[i+1]
	}
	// Between the materials and the review, the principals' real-person verification (its own pages).
	switch step {
	case "materials":
		d.NextURL = "/orders/" + id + "/verification"
	case "review":
		d.PrevURL = "/orders/" + id + "/verification"
	}
	reason, notes := reviewNotes(tl)
	d.Reason = reason
	switch step {
	case "subject":
		d.Fixed = s.fixedFields(v, o)
		d.Form = s.subjectForm(v, o)
	case "services":
		d.Form = s.servicesForm(v, o)
		d.AllowMore = allowsMoreServices(o)
	case "materials":
		d.Form = &form{}
		d.Materials = s.materialRows(v, o)
		for i := range d.Materials {
			d.Form.Sections = append(d.Form.Sections, &Section{ID: d.Materials[i].ID, Path: d.Materials[i].Path})
		}
	case "review":
		d.Form = s.agreementsForm(v, o)
		d.Review = reviewSummary(v, o)
		if res := s.resourceLabel(v, o); res != "" {
			d.Review.Resource = v.t("web.field.resource") + v.t("web.colon") + res
		}
		d.Materials = s.materialRows(v, o)
	}
	d.Form.place(errs)
	rest := d.Form.notes(notes)
	if step == "materials" {
		for i := range d.Materials {
			sec := d.Form.Sections[i]
			d.Materials[i].Notes, d.Materials[i].Errors = sec.Notes, sec.Errors
		}
	}
	for _, n := range rest {
		st := stepOfField(n.Field)
		if step == "review" || st != step {
			d.Notes = append(d.Notes, noteView{Field: n.Field, Label: qualifiedLabel(v.Lang, n.Field, o), Message: n.Message,
				Link: s.fieldLink(v, o, n.Field, false)})
		} else {
			d.Notes = append(d.Notes, noteView{Field: n.Field, Label: qualifiedLabel(v.Lang, n.Field, o), Message: n.Message})
		}
	}
	if step == "review" {
		for i := range d.Form.Summary {
			e := &d.Form.Summary[i]
			if e.Target == "" {
				e.Label = qualifiedLabel(v.Lang, e.Field, o)
				e.Target = s.fieldLink(v, o, e.Field, true)
			}
		}
	} else {
		for i := range d.Form.Summary {
			d.Form.Summary[i].Label = qualifiedLabel(v.Lang, d.Form.Summary[i].Field, o)
			if d.Form.Summary[i].Target != "" {
				d.Form.Summary[i].Target = "#" + d.Form.Summary[i].Target
			}
		}
	}
	v.Errors, v.InlineErrors = d.Form.Summary, true
	v.Title = v.t("web.step."+step) + " · " + v.tf("web.order.title", "id", id)
	v.D = d
	s.render(w, v, status, "wizard")
}

// fieldLink is where the applicant changes field p: its step, scrolled to the field; check asks that step to
// show its errors.
func (s *Server) fieldLink(v *view, o *filing.Order, p string, check bool) string {
	base := "/orders/" + strconv.FormatInt(o.ID, 10) + "/"
	st := stepOfField(p)
	if st == "verification" {
		return base + "verification"
	}
	q := ""
	if check {
		q = "?check=1"
	}
	return base + st + q + "#" + s.anchor(v, o, p)
}

// anchor is the id of the element that shows field p on its step.
func (s *Server) anchor(v *view, o *filing.Order, p string) string {
	var f *form
	switch stepOfField(p) {
	case "subject":
		f = s.subjectForm(v, o)
	case "services":
		f = s.servicesForm(v, o)
	case "materials":
		f = &form{}
		for _, m := range s.materialRows(v, o) {
			f.Sections = append(f.Sections, &Section{ID: m.ID, Path: m.Path})
		}
	default:
		return "agreements"
	}
	if fl, sec := f.locate(p); fl != nil {
		return fl.ID
	} else if sec != nil {
		return sec.ID
	}
	return "main"
}

// stepSubmit saves a step (action=save | next | autosave | add:<kind> | remove:<n> | upload | submit).
func (s *Server) stepSubmit(w http.ResponseWriter, r *http.Request, v *view) {
	step := r.PathValue("step")
	if !slices.Contains(orderSteps, step) {
		s.fail(w, r, v, problem.New(problem.NotFound, "common.not_found", ""))
		return
	}
	if step == "materials" {
		s.uploadSubmit(w, r, v)
		return
	}
	tl, err := s.timeline(v, r)
	if err != nil {
		s.fail(w, r, v, err)
		return
	}
	o := tl.Order
	id := strconv.FormatInt(o.ID, 10)
	action := r.PostFormValue("action")
	c := contentOf(o)
	switch step {
	case "subject":
		parseSubject(r, &c.Subject)
	case "services":
		parseServices(r, &c, o)
		if kind, ok := strings.CutPrefix(action, "add:"); ok {
			c.Services = append(c.Services, newService(filing.ServiceKind(kind), o))
		}
		if n, ok := strings.CutPrefix(action, "remove:"); ok {
			if k, err := strconv.Atoi(n); err == nil && k > 0 && k < len(c.Services) {
				c.Services = slices.Delete(c.Services, k, k+1)
			}
		}
	case "review":
		c.AgreementsAccepted = r.PostFormValue("agree_commitment") == "yes" && r.PostFormValue("agree_security") == "yes" &&
			r.PostFormValue("agree_terms") == "yes"
	}
	updated, err := s.svc.UpdateOrder(v.ctx(), v.Actor, o.ID, c)
	if action == "autosave" {
		if err != nil {
			w.WriteHeader(http.StatusUnprocessableEntity)
			return
		}
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if err != nil {
		if problem.KindOf(err) != problem.Invalid {
			s.fail(w, r, v, err)
			return
		}
		s.showStep(w, r, v, tl, step, s.pageErrors(r, err), http.StatusUnprocessableEntity)
		return
	}
	tl.Order = updated
	switch {
	case strings.HasPrefix(action, "add:"):
		redirect(w, r, "/orders/"+id+"/services#"+fieldID("services["+strconv.Itoa(len(c.Services)-1)+"]"), "saved")
		return
	case strings.HasPrefix(action, "remove:"), action == "save":
		redirect(w, r, "/orders/"+id+"/"+step, "saved")
		return
	case step == "review":
		s.submitFromReview(w, r, v, tl)
		return
	}
	// next: move on unless this step still has problems.
	errs, err := s.stepErrors(v, r, o.ID, step)
	if err != nil {
		s.fail(w, r, v, err)
		return
	}
	if len(errs) > 0 {
		s.showStep(w, r, v, tl, step, errs, http.StatusUnprocessableEntity)
		return
	}
	next := orderSteps[slices.Index(orderSteps, step)+1]
	redirect(w, r, "/orders/"+id+"/"+next, "saved")
}

func (s *Server) submitFromReview(w http.ResponseWriter, r *http.Request, v *view, tl *provider.Timeline) {
	o := tl.Order
	var err error
	if !o.AgreementsAccepted {
		err = problem.Invalidf("order.agreements_required", "agreements_accepted")
	} else {
		_, err = s.svc.Submit(v.ctx(), v.Actor, o.ID)
	}
	if err != nil {
		if k := problem.KindOf(err); k != problem.Invalid && k != problem.Conflict {
			s.fail(w, r, v, err)
			return
		}
		s.showStep(w, r, v, tl, "review", s.pageErrors(r, err), http.StatusUnprocessableEntity)
		return
	}
	redirect(w, r, "/orders/"+strconv.FormatInt(o.ID, 10), "submitted")
}

// contentOf is the editable content of an order as it stands.
func contentOf(o *filing.Order) provider.Content {
	c := provider.Content{Subject: o.Subject, AgreementsAccepted: o.AgreementsAccepted,
		Materials: slices.Clone(o.Materials)}
	c.Services = make([]filing.Service, len(o.Services))
	for i, svc := range o.Services {
		if svc.App != nil {
			app := *svc.App
			svc.App = &app
		}
		c.Services[i] = svc
	}
	if o.Subject.LegalRepresentative != nil {
		l := *o.Subject.LegalRepresentative
		c.Subject.LegalRepresentative = &l
	}
	return c
}

// allowsMoreServices: several services per order, except where the province allows one (Hunan, Hubei: seed
// 002) and for new_access orders, which are about one filed service.
func allowsMoreServices(o *filing.Order) bool {
	if o.Type == filing.NewAccess {
		return false
	}
	return o.Province != "43" && o.Province != "42"
}

func newService(kind filing.ServiceKind, o *filing.Order) filing.Service {
	svc := filing.Service{Kind: kind, Domains: []string{}, Content: []string{}, Languages: []string{"zh-Hans"},
		PrincipalSameAsSubject: true, IPs: []string{}}
	if len(o.Services) > 0 {
		svc.IPs = slices.Clone(o.Services[0].IPs)
	}
	switch kind {
	case filing.App, filing.MiniProgram, filing.QuickApp:
		svc.App = &filing.AppInfo{Platforms: []filing.Platform{}}
	default:
		svc.Kind = filing.Website
	}
	return svc
}

// ---- step 3: subject and subject principal --------------------------------------------------------------

func (s *Server) fixedFields(v *view, o *filing.Order) []*Field {
	return []*Field{
		v.static("province", provinceName(v.Lang, o.Province)),
		v.static("subject.nature", natureName(v.Lang, o.Subject.Nature)),
		v.static("subject.credential_type", credentialName(v.Lang, o.Subject.CredentialType)),
		v.static("subject.credential_number", o.Subject.CredentialNumber),
		v.static("type", v.t("rules.order_type."+string(o.Type))),
	}
}

func (s *Server) subjectForm(v *view, o *filing.Order) *form {
	subj := o.Subject
	individual := subj.IsIndividual()
	unit := &Section{ID: "sec-subject", Path: "subject", Title: v.t("web.group.subject")}
	name := v.text("subject.name", subj.Name).req().wide()
	if individual {
		name.Label = v.t("web.field.subject.name_individual")
		name.Hint = v.t("web.hint.subject_name_individual")
	} else {
		name.Hint = v.t("web.hint.subject_name")
	}
	unit.Fields = append(unit.Fields, name,
		v.text("subject.credential_address", subj.CredentialAddress).req().wide().hint(v.t("web.hint.credential_address")),
		v.text("subject.communication_address", subj.CommunicationAddress).req().wide().auto("street-address").
			hint(v.tf("web.hint.communication_address", "province", provinceName(v.Lang, o.Province))),
	)
	if !individual {
		lr := subj.LegalRepresentative
		if lr == nil {
			lr = &filing.LegalRepresentative{}
		}
		unit.Fields = append(unit.Fields,
			v.text("subject.investor", subj.Investor).hint(v.t("web.hint.investor")),
			v.text("subject.legal_representative.name", lr.Name).req(),
			v.text("subject.legal_representative.id_number", lr.IDNumber).req().hint(v.t("web.hint.legal_id")).auto("off"),
		)
	}
	principal := &Section{ID: "sec-subject-principal", Path: "subject.principal", Title: v.t("web.group.subject_principal"),
		Intro: v.t("web.intro.subject_principal")}
	if individual {
		principal.Intro = v.t("web.intro.subject_principal_individual")
	}
	principal.Fields = principalFields(v, "subject.principal", subj.Principal, individual, o)
	return &form{Sections: []*Section{unit, principal}}
}

// principalFields are the fields of a responsible person (seed 000 §4, seed 002 table 2).
func principalFields(v *view, prefix string, p filing.Principal, individual bool, o *filing.Order) []*Field {
	var out []*Field
	if individual && prefix == "subject.principal" {
		// seed 002: 个人备案必须为备案主体本人 — the person and their ID card come from the subject.
		out = append(out,
			v.static(prefix+".name", orDash(o.Subject.Name, v)),
			v.static(prefix+".credential_type", credentialName(v.Lang, o.Subject.CredentialType)),
			v.static(prefix+".credential_number", o.Subject.CredentialNumber))
	} else {
		ct := p.CredentialType
		if ct == "" {
			ct = "resident_id"
		}
		out = append(out,
			v.text(prefix+".name", p.Name).req().auto("off"),
			v.selectField(prefix+".credential_type", ct, personCredentialOptions(v.Lang), false).req(),
			v.text(prefix+".credential_number", p.CredentialNumber).req().auto("off").hint(v.t("web.hint.credential_number")))
	}
	lt := v.checkbox(prefix+".credential_long_term", p.CredentialLongTerm)
	from := v.field("date", prefix+".credential_valid_from", p.CredentialValidFrom)
	to := v.field("date", prefix+".credential_valid_to", p.CredentialValidTo)
	to.ShowWhen = prefix + ".credential_long_term="
	office := v.field("tel", prefix+".office_phone", p.OfficePhone).req().hint(v.t("web.hint.office_phone")).place("020-83920147")
	if individual {
		office.Hint = v.t("web.hint.office_phone_individual")
	}
	out = append(out, lt, from, to, office,
		v.field("tel", prefix+".mobile", p.Mobile).req().mode("numeric").auto("off").hint(v.t("web.hint.mobile")),
		v.field("tel", prefix+".emergency_mobile", p.EmergencyMobile).req().mode("numeric").auto("off").hint(v.t("web.hint.emergency_mobile")),
		v.field("email", prefix+".email", p.Email).req().auto("off").hint(v.t("web.hint.principal_email")),
	)
	return out
}

func orDash(s string, v *view) string {
	if strings.TrimSpace(s) == "" {
		return v.t("web.subject_name_pending")
	}
	return s
}

func formValue(r *http.Request, name string) string { return strings.TrimSpace(r.PostFormValue(name)) }

func parseSubject(r *http.Request, s *filing.Subject) {
	s.Name = formValue(r, "subject.name")
	s.CredentialAddress = formValue(r, "subject.credential_address")
	s.CommunicationAddress = formValue(r, "subject.communication_address")
	if s.IsIndividual() {
		s.Investor, s.LegalRepresentative = "", nil
		p := parsePrincipal(r, "subject.principal", s.Principal)
		p.Name, p.CredentialType, p.CredentialNumber = s.Name, s.CredentialType, s.CredentialNumber
		s.Principal = p
		return
	}
	s.Investor = formValue(r, "subject.investor")
	s.LegalRepresentative = &filing.LegalRepresentative{Name: formValue(r, "subject.legal_representative.name"),
		IDNumber: formValue(r, "subject.legal_representative.id_number")}
	s.Principal = parsePrincipal(r, "subject.principal", s.Principal)
}

func parsePrincipal(r *http.Request, prefix string, p filing.Principal) filing.Principal {
	if _, ok := r.PostForm[prefix+".name"]; ok {
		p.Name = formValue(r, prefix+".name")
	}
	if _, ok := r.PostForm[prefix+".credential_type"]; ok {
		p.CredentialType = formValue(r, prefix+".credential_type")
	}
	if _, ok := r.PostForm[prefix+".credential_number"]; ok {
		p.CredentialNumber = formValue(r, prefix+".credential_number")
	}
	p.CredentialLongTerm = r.PostFormValue(prefix+".credential_long_term") == "true"
	p.CredentialValidFrom = formValue(r, prefix+".credential_valid_from")
	p.CredentialValidTo = formValue(r, prefix+".credential_valid_to")
	if p.CredentialLongTerm {
		p.CredentialValidTo = ""
	}
	p.OfficePhone = formValue(r, prefix+".office_phone")
	p.Mobile = formValue(r, prefix+".mobile")
	p.EmergencyMobile = formValue(r, prefix+".emergency_mobile")
	p.Email = formValue(r, prefix+".email")
	return p
}

// ---- step 4: services -----------------------------------------------------------------------------------

func (s *Server) servicesForm(v *view, o *filing.Order) *form {
	f := &form{}
	individual := o.Subject.IsIndividual()
	for i, svc := range o.Services {
		p := "services[" + strconv.Itoa(i) + "]"
		sec := &Section{ID: fieldID(p), Path: p, Title: serviceTitle(v.Lang, o, i)}
		if i > 0 {
			sec.Remove = "remove:" + strconv.Itoa(i)
		}
		name := v.text(p+".name", svc.Name).req()
		if svc.Kind == filing.Website {
			name.Hint = v.t("web.hint.website_name")
			sec.Fields = append(sec.Fields, name)
			if i == 0 && len(svc.Domains) > 0 || o.Type == filing.NewAccess {
				sec.Fields = append(sec.Fields, v.static(p+".domains[0]", strings.Join(svc.Domains, ", ")).
					hint(v.t("web.hint.domain_fixed")))
			} else {
				dom := ""
				if len(svc.Domains) > 0 {
					dom = svc.Domains[0]
				}
				sec.Fields = append(sec.Fields, v.text(p+".domains[0]", dom).req().mode("url").auto("off").
					place("example.cn").hint(v.t("web.hint.website_domain")))
			}
			sec.Fields = append(sec.Fields, v.text(p+".home_url", svc.HomeURL).mode("url").auto("off").hint(v.t("web.hint.home_url")))
		} else {
			name.Hint = v.t("web.hint.app_service_name")
			doms := v.field("textarea", p+".domains", strings.Join(svc.Domains, "\n")).hint(v.t("web.hint.app_domains")).wide()
			if svc.Kind == filing.App {
				doms.Required = true
			}
			doms.Rows = 3
			sec.Fields = append(sec.Fields, name, doms)
		}
		sec.Fields = append(sec.Fields,
			v.static(p+".ips", strings.Join(svc.IPs, ", ")).hint(v.t("web.hint.ips")),
			v.checks(p+".content", svc.Content, contentGroups(v.Lang, svc.Kind, individual)).req().wide().
				hint(v.t("web.hint.content")),
			v.checks(p+".languages", svc.Languages, languageGroups(v.Lang)).req().wide().hint(v.t("web.hint.languages")),
		)
		pre := &Section{ID: fieldID(p + ".pre_approvals"), Path: p + ".pre_approvals", Title: v.t("web.field.service.pre_approvals"),
			Intro: v.t("web.hint.pre_approvals")}
		rows := slices.Clone(svc.PreApprovals)
		rows = append(rows, filing.PreApproval{})
		for k, pa := range rows {
			q := p + ".pre_approvals[" + strconv.Itoa(k) + "]"
			pre.Fields = append(pre.Fields,
				v.selectField(q+".type", pa.Type, preApprovalOptions(v.Lang), true),
				v.text(q+".permit_number", pa.PermitNumber).auto("off"))
		}
		remark := v.field("textarea", p+".remark", svc.Remark).wide().hint(v.t("web.hint.service_remark"))
		remark.Rows = 2
		sec.Fields = append(sec.Fields, remark)
		f.Sections = append(f.Sections, sec, pre)
		if svc.Kind != filing.Website {
			f.Sections = append(f.Sections, appSections(v, p, svc)...)
		}
		same := svc.PrincipalSameAsSubject || svc.Principal.Name == ""
		ps := &Section{ID: fieldID(p + ".principal"), Path: p + ".principal", Title: v.t("web.group.service_principal"),
			Intro: v.t("web.intro.service_principal")}
		if individual {
			ps.Intro = v.t("web.intro.service_principal_individual")
		}
		ps.Fields = append(ps.Fields, v.checkbox(p+".principal_same_as_subject", same).wide().
			hint(v.t("web.hint.same_as_subject")))
		for _, fl := range principalFields(v, p+".principal", svc.Principal, false, o) {
			fl.ShowWhen = p + ".principal_same_as_subject="
			ps.Fields = append(ps.Fields, fl)
		}
		f.Sections = append(f.Sections, ps)
	}
	return f
}

// appSections are the APP data of seed 002: platforms with package, public key and signature; SDKs.
func appSections(v *view, p string, svc filing.Service) []*Section {
	app := svc.App
	if app == nil {
		app = &filing.AppInfo{}
	}
	plat := &Section{ID: fieldID(p + ".app.platforms"), Path: p + ".app.platforms", Title: v.t("web.field.service.app.platforms"),
		Intro: v.t("web.hint.platforms")}
	rows := slices.Clone(app.Platforms)
	rows = append(rows, filing.Platform{})
	for k, pl := range rows {
		q := p + ".app.platforms[" + strconv.Itoa(k) + "]"
		sig := v.text(q+".signature", pl.Signature).auto("off").hint(v.t("web.hint.signature"))
		key := v.field("textarea", q+".public_key", pl.PublicKey).wide()
		key.Rows = 2
		plat.Fields = append(plat.Fields,
			v.selectField(q+".platform", pl.Platform, platformOptions(v.Lang), true),
			v.text(q+".package", pl.Package).auto("off").place("com.example.app"), sig, key)
	}
	sdk := &Section{ID: fieldID(p + ".app.sdks"), Path: p + ".app.sdks", Title: v.t("web.field.service.app.sdks"),
		Intro: v.t("web.hint.sdks")}
	sdks := slices.Clone(app.SDKs)
	sdks = append(sdks, filing.SDK{})
	for k, x := range sdks {
		q := p + ".app.sdks[" + strconv.Itoa(k) + "]"
		sdk.Fields = append(sdk.Fields, v.text(q+".vendor", x.Vendor), v.text(q+".type", x.Type))
	}
	return []*Section{plat, sdk}
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

// ---- step 5: materials ----------------------------------------------------------------------------------

// materialRow is one document the order needs, with its upload state.
type materialRow struct {
	ID, Path     string
	Code         string
	Name         string
	Reason       string
	Service      *int
	ServiceTitle string
	UploadedID   int64
	URL          string
	IsImage      bool
	Accept       string
	Notes        []string
	Errors       []string
}

// materialRows lists what the rules engine asks for (localised), then each APP's icon.
func (s *Server) materialRows(v *view, o *filing.Order) []materialRow {
	rep := rules.EvaluateIn(o, s.clock.Now(), v.Lang)
	var out []materialRow
	for _, m := range rep.Materials {
		row := materialRow{Code: m.Code, Name: materialName(v.Lang, m.Code), Reason: m.Reason, Service: m.Service,
			Accept: "image/png,image/jpeg,application/pdf"}
		row.Path = "materials." + m.Code
		if m.Service != nil {
			row.Path += "[" + strconv.Itoa(*m.Service) + "]"
			row.ServiceTitle = serviceTitle(v.Lang, o, *m.Service)
		}
		for _, ref := range o.Materials {
			if ref.Code == m.Code && sameIdx(ref.ServiceIdx, m.Service) {
				row.UploadedID = ref.ID
			}
		}
		out = append(out, row)
	}
	for i, svc := range o.Services {
		if svc.Kind == filing.Website {
			continue
		}
		n := i
		row := materialRow{Code: "app_icon", Name: materialName(v.Lang, "app_icon"), Reason: v.t("web.hint.app_icon"),
			Service: &n, ServiceTitle: serviceTitle(v.Lang, o, i), Accept: "image/png,image/jpeg",
			Path: "services[" + strconv.Itoa(i) + "].app.icon_material_id"}
		if svc.App != nil {
			row.UploadedID = svc.App.IconMaterialID
		}
		out = append(out, row)
	}
	for i := range out {
		out[i].ID = fieldID(out[i].Path)
		if out[i].UploadedID != 0 {
			out[i].URL = "/api/v1/materials/" + strconv.FormatInt(out[i].UploadedID, 10)
			out[i].IsImage = true
			if m, err := s.svc.Store().Material(v.ctx(), out[i].UploadedID); err == nil {
				out[i].IsImage = strings.HasPrefix(m.Type, "image/")
			}
		}
	}
	return out
}

func sameIdx(a, b *int) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

// uploadSubmit stores an uploaded material (provider.Upload checks type, size and dimensions) and attaches it.
func (s *Server) uploadSubmit(w http.ResponseWriter, r *http.Request, v *view) {
	tl, err := s.timeline(v, r)
	if err != nil {
		s.fail(w, r, v, err)
		return
	}
	o := tl.Order
	id := strconv.FormatInt(o.ID, 10)
	if !o.State.Editable() {
		s.fail(w, r, v, problem.New(problem.Conflict, "order.not_editable", "state", "state", i18n.T(v.Lang, "state."+string(o.State), nil)))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxUpload+1<<20)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		s.showStep(w, r, v, tl, "materials", s.pageErrors(r, problem.Invalidf("material.too_large", "materials")), http.StatusUnprocessableEntity)
		return
	}
	if r.FormValue("action") == "next" {
		redirect(w, r, "/orders/"+id+"/review", "")
		return
	}
	code := r.FormValue("code")
	path := "materials." + code
	var idx *int
	if sv := r.FormValue("service"); sv != "" {
		n, err := strconv.Atoi(sv)
		if err != nil || n < 0 || n >= len(o.Services) {
			s.fail(w, r, v, problem.New(problem.NotFound, "common.not_found", "service"))
			return
		}
		idx = &n
		path += "[" + sv + "]"
	}
	if code == "app_icon" && idx != nil {
		path = "services[" + strconv.Itoa(*idx) + "].app.icon_material_id"
	}
	fail := func(err error) {
		errs := s.pageErrors(r, err)
		for i := range errs {
			errs[i].Field = path
		}
		s.showStep(w, r, v, tl, "materials", errs, http.StatusUnprocessableEntity)
	}
	file, _, err := r.FormFile("file")
	if err != nil {
		fail(problem.Invalidf("material.no_file", "file"))
		return
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, maxUpload+1))
	if err != nil || len(data) > maxUpload {
		fail(problem.Invalidf("material.too_large", "file"))
		return
	}
	m, err := s.svc.Upload(v.ctx(), v.Actor, code, data)
	if err != nil {
		fail(err)
		return
	}
	c := contentOf(o)
	if code == "app_icon" && idx != nil {
		if c.Services[*idx].App == nil {
			c.Services[*idx].App = &filing.AppInfo{Platforms: []filing.Platform{}}
		}
		c.Services[*idx].App.IconMaterialID = m.ID
	} else {
		c.Materials = slices.DeleteFunc(c.Materials, func(ref filing.MaterialRef) bool {
			return ref.Code == code && sameIdx(ref.ServiceIdx, idx)
		})
		c.Materials = append(c.Materials, filing.MaterialRef{Code: code, ID: m.ID, ServiceIdx: idx})
	}
	if _, err := s.svc.UpdateOrder(v.ctx(), v.Actor, o.ID, c); err != nil {
		fail(err)
		return
	}
	redirect(w, r, "/orders/"+id+"/materials#"+fieldID(path), "saved")
}

// ---- step 6: review and submit --------------------------------------------------------------------------

type reviewData struct {
	Subject    []kv
	Principal  []kv
	Services   []serviceSummary
	Resource   string
	Agreements []agreement
}

type kv struct {
	Label, Value, Field string
}

type serviceSummary struct {
	Title     string
	Rows      []kv
	Principal []kv
}

type agreement struct {
	Name, Title, Text string
}

func (s *Server) agreementsForm(v *view, o *filing.Order) *form {
	sec := &Section{ID: "agreements", Path: "agreements_accepted", Title: v.t("web.review.agreements")}
	for _, a := range []string{"commitment", "security", "terms"} {
		f := v.field("agreement", "agree_"+a, "yes").labelled(v.t("web.agreement." + a + ".accept")).req()
		f.Checked = o.AgreementsAccepted
		f.Hint = v.t("web.agreement." + a + ".text")
		f.Placeholder = v.t("web.agreement." + a + ".title")
		sec.Fields = append(sec.Fields, f)
	}
	return &form{Sections: []*Section{sec}}
}

func reviewSummary(v *view, o *filing.Order) *reviewData {
	subj := o.Subject
	d := &reviewData{}
	row := func(path, value string) kv {
		if value == "" {
			value = "—"
		}
		return kv{Label: fieldLabel(v.Lang, path), Value: value, Field: path}
	}
	d.Subject = []kv{
		row("province", provinceName(v.Lang, o.Province)),
		row("subject.nature", natureName(v.Lang, subj.Nature)),
		row("subject.name", subj.Name),
		row("subject.credential_type", credentialName(v.Lang, subj.CredentialType)),
		row("subject.credential_number", subj.CredentialNumber),
		row("subject.credential_address", subj.CredentialAddress),
		row("subject.communication_address", subj.CommunicationAddress),
	}
	if !subj.IsIndividual() {
		lr := subj.LegalRepresentative
		if lr == nil {
			lr = &filing.LegalRepresentative{}
		}
		d.Subject = append(d.Subject, row("subject.investor", subj.Investor),
			row("subject.legal_representative.name", lr.Name), row("subject.legal_representative.id_number", lr.IDNumber))
	}
	d.Principal = principalRows(v, "subject.principal", subj.Principal)
	for i, svc := range o.Services {
		p := "services[" + strconv.Itoa(i) + "]"
		ss := serviceSummary{Title: serviceTitle(v.Lang, o, i)}
		ss.Rows = append(ss.Rows, row(p+".name", svc.Name), row(p+".domains", strings.Join(svc.Domains, ", ")))
		if svc.Kind == filing.Website {
			ss.Rows = append(ss.Rows, row(p+".home_url", svc.HomeURL))
		}
		ss.Rows = append(ss.Rows, row(p+".ips", strings.Join(svc.IPs, ", ")),
			row(p+".content", names(v.Lang, svc.Content, contentName)),
			row(p+".languages", names(v.Lang, svc.Languages, languageName)))
		var pas []string
		for _, pa := range svc.PreApprovals {
			pas = append(pas, preApprovalName(v.Lang, pa.Type)+" "+pa.PermitNumber)
		}
		ss.Rows = append(ss.Rows, row(p+".pre_approvals", strings.Join(pas, "；")))
		if svc.App != nil {
			var pls []string
			for _, pl := range svc.App.Platforms {
				pls = append(pls, platformName(v.Lang, pl.Platform)+" "+pl.Package)
			}
			ss.Rows = append(ss.Rows, row(p+".app.platforms", strings.Join(pls, "；")))
		}
		if svc.Remark != "" {
			ss.Rows = append(ss.Rows, row(p+".remark", svc.Remark))
		}
		if svc.PrincipalSameAsSubject {
			ss.Principal = []kv{{Label: v.t("web.group.service_principal"), Value: v.t("web.same_as_subject_principal")}}
		} else {
			ss.Principal = principalRows(v, p+".principal", svc.Principal)
		}
		d.Services = append(d.Services, ss)
	}
	if o.Resource.AuthorizationCode != "" {
		d.Resource = v.tf("web.resource.by_code", "code", o.Resource.AuthorizationCode)
	} else {
		d.Resource = v.tf("web.resource.by_instance", "id", strconv.FormatInt(o.Resource.InstanceID, 10))
	}
	return d
}

func principalRows(v *view, prefix string, p filing.Principal) []kv {
	valid := p.CredentialValidFrom
	if p.CredentialLongTerm {
		valid += " — " + v.t("web.long_term")
	} else if p.CredentialValidTo != "" {
		valid += " — " + p.CredentialValidTo
	}
	rows := []kv{
		{Label: fieldLabel(v.Lang, prefix+".name"), Value: p.Name, Field: prefix + ".name"},
		{Label: fieldLabel(v.Lang, prefix+".credential_type"), Value: credentialName(v.Lang, p.CredentialType), Field: prefix + ".credential_type"},
		{Label: fieldLabel(v.Lang, prefix+".credential_number"), Value: p.CredentialNumber, Field: prefix + ".credential_number"},
		{Label: v.t("web.validity"), Value: strings.Trim(valid, " —"), Field: prefix + ".credential_valid_from"},
		{Label: fieldLabel(v.Lang, prefix+".office_phone"), Value: p.OfficePhone, Field: prefix + ".office_phone"},
		{Label: fieldLabel(v.Lang, prefix+".mobile"), Value: p.Mobile, Field: prefix + ".mobile"},
		{Label: fieldLabel(v.Lang, prefix+".emergency_mobile"), Value: p.EmergencyMobile, Field: prefix + ".emergency_mobile"},
		{Label: fieldLabel(v.Lang, prefix+".email"), Value: p.Email, Field: prefix + ".email"},
	}
	for i := range rows {
		if rows[i].Value == "" {
			rows[i].Value = "—"
		}
	}
	return rows
}
