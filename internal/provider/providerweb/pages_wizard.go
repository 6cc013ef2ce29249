package providerweb

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
	"github.com/beian/beian/internal/web"
	"github.com/beian/beian/internal/web/filingview"
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

func stepBar(v *web.View, current string, orderID int64) []stepLink {
	keys := []string{"check", "resource", "subject", "services", "materials", "verification", "review"}
	cur := slices.Index(keys, current)
	var out []stepLink
	for i, k := range keys {
		l := stepLink{No: i + 1, Key: k, Label: v.T("web.step." + k), State: "todo"}
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
	Form      *web.Form
	Check     provider.CheckInput
	Result    *provider.CheckResult
	Resources *web.Form
	Idem      string
}

func (s *Server) checkForm(v *web.View, in provider.CheckInput) *web.Form {
	if in.ServiceKind == "" {
		in.ServiceKind = filing.Website
	}
	cred := v.Select("credential_type", in.CredentialType, filingview.SubjectCredentialOptions(v.Lang), true).Req().
		Hinted(v.T("web.hint.credential_type"))
	cred.Class = "js-credential-type"
	nature := v.Select("nature", in.Nature, filingview.NatureOptions(v.Lang), true).Req().Hinted(v.T("web.hint.nature"))
	nature.Class = "js-nature"
	kind := v.Field("radios", "service_kind", string(in.ServiceKind)).Req()
	kind.Class = "choices-inline"
	for _, k := range []filing.ServiceKind{filing.Website, filing.App, filing.MiniProgram, filing.QuickApp} {
		kind.Options = append(kind.Options, web.Option{Value: string(k), Label: v.T("web.kind." + string(k)),
			Selected: k == in.ServiceKind})
	}
	domain := v.Text("domain", in.Domain).Req().Hinted(v.T("web.hint.check_domain")).Placed("example.cn").Auto("off")
	domain.ShowWhen = "service_kind=website"
	domain.InputMode = "url"
	app := v.Text("app_name", in.AppName).Req().Hinted(v.T("web.hint.app_name"))
	app.ShowWhen = "service_kind=app,mini_program,quick_app"
	return &web.Form{Sections: []*web.Section{
		{ID: "sec-subject", Title: v.T("web.check.subject"), Fields: []*web.Field{
			v.Select("province", in.Province, filingview.ProvinceOptions(v.Lang), true).Req().Hinted(v.T("web.hint.province")),
			nature, cred,
			v.Text("credential_number", in.CredentialNumber).Req().Hinted(v.T("web.hint.credential_number")).Auto("off"),
		}},
		{ID: "sec-service", Title: v.T("web.check.service"), Fields: []*web.Field{kind, domain, app}},
	}}
}

func (s *Server) checkPage(w http.ResponseWriter, r *http.Request, v *web.View) {
	v.Area, v.Current, v.InlineErrors = "portal", "new", true
	v.D = &checkData{Steps: stepBar(v, "check", 0), Form: s.checkForm(v, provider.CheckInput{})}
	s.Render(w, v, http.StatusOK, "check")
}

func checkInputOf(r *http.Request) provider.CheckInput {
	return provider.CheckInput{Province: r.PostFormValue("province"), Nature: r.PostFormValue("nature"),
		CredentialType: r.PostFormValue("credential_type"), CredentialNumber: strings.TrimSpace(r.PostFormValue("credential_number")),
		ServiceKind: filing.ServiceKind(r.PostFormValue("service_kind")), Domain: strings.TrimSpace(r.PostFormValue("domain")),
		AppName: strings.TrimSpace(r.PostFormValue("app_name")), Channel: channelOf(r)}
}

// checkSubmit runs step 1 (action=check) or opens the draft with the chosen resource (action=create).
func (s *Server) checkSubmit(w http.ResponseWriter, r *http.Request, v *web.View) {
	v.Area, v.Current, v.InlineErrors = "portal", "new", true
	in := checkInputOf(r)
	if in.ServiceKind == filing.Website {
		in.AppName = ""
	} else {
		in.Domain = ""
	}
	d := &checkData{Steps: stepBar(v, "check", 0), Check: in}
	v.D = d
	if r.PostFormValue("action") == "back" {
		d.Form = s.checkForm(v, in)
		s.Render(w, v, http.StatusOK, "check")
		return
	}
	res, err := s.svc.CheckFilingType(v.Ctx(), v.Actor, in)
	if err != nil {
		d.Form = s.checkForm(v, in)
		d.Form.Place(s.PageErrors(r, err))
		v.Errors = d.Form.Summary
		for i := range v.Errors {
			if v.Errors[i].Target != "" {
				v.Errors[i].Target = "#" + v.Errors[i].Target
			}
		}
		s.Render(w, v, http.StatusUnprocessableEntity, "check")
		return
	}
	d.Result, d.Check = res, res.Input
	d.Steps = stepBar(v, "resource", 0)
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
			o, err := s.svc.CreateOrder(v.Ctx(), v.Actor, provider.CreateInput{Check: in, Resource: ref}, d.Idem)
			if err == nil {
				web.Redirect(w, r, "/orders/"+strconv.FormatInt(o.ID, 10)+"/subject", "created")
				return
			}
			createErr = err // nothing was created: the same key may be used again
		}
	}
	d.Resources, err = s.resourceForm(v, res, choice, code)
	if err != nil {
		s.Fail(w, r, v, err)
		return
	}
	status := http.StatusOK
	if createErr != nil {
		d.Resources.Place(s.PageErrors(r, createErr))
		v.Errors = d.Resources.Summary
		for i := range v.Errors {
			if v.Errors[i].Target != "" {
				v.Errors[i].Target = "#" + v.Errors[i].Target
			}
		}
		status = http.StatusUnprocessableEntity
	}
	s.Render(w, v, status, "check")
}

// resourceForm lists the applicant's instances (usable ones selectable, the others with the reason) and the
// authorization code alternative (seeds 000-002).
func (s *Server) resourceForm(v *web.View, res *provider.CheckResult, choice, code string) (*web.Form, error) {
	list, err := s.svc.Resources(v.Ctx(), v.Actor)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	radio := v.Field("radios", "resource.instance_id", choice).Req()
	radio.Label = v.T("web.resource.choose")
	for _, r := range list {
		why := resourceUnusable(r, now)
		o := web.Option{Value: strconv.FormatInt(r.ID, 10), Label: r.Name, Disabled: why != "",
			Selected: choice == strconv.FormatInt(r.ID, 10)}
		o.Hint = v.Tf("web.resource.line", "ips", strings.Join(r.IPs, ", "), "left", strconv.Itoa(max(r.QuotaTotal-r.QuotaUsed, 0)),
			"total", strconv.Itoa(r.QuotaTotal), "expires", r.ExpiresAt.In(web.Shanghai).Format(time.DateOnly),
			"billing", v.T("web.billing."+r.Billing))
		if why != "" {
			o.Hint += " — " + v.T(why)
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
	radio.Options = append(radio.Options, web.Option{Value: "code", Label: v.T("web.resource.use_code"),
		Hint: v.T("web.resource.use_code_hint"), Selected: choice == "code"})
	codeField := v.Text("resource.authorization_code", code).Hinted(v.T("web.hint.authorization_code")).Auto("off")
	codeField.ShowWhen = "resource.instance_id=code"
	return &web.Form{Sections: []*web.Section{{ID: "sec-resource", Path: "resource", Title: v.T("web.step.resource"),
		Intro: v.T("web.resource.intro"), Fields: []*web.Field{radio, codeField}}}}, nil
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
	Form       *web.Form
	Fixed      []*web.Field // what the check decided (read-only here)
	Reason     string       // the reviewer's or administration's reason, when the order came back
	Notes      []noteView
	Notices    []web.FieldError
	Resubmit   bool
	AllowMore  bool
	Materials  []filingview.MaterialRow
	Review     *filingview.Summary
	NextURL    string
	PrevURL    string
	Individual bool
	// Orders about a filed record: which parts are steps, what changes, what an irreversible one does, a claim.
	EditSubject, EditServices, EditMaterials bool
	Changes                                  []changeRow
	Confirm                                  *confirmView
	Claim                                    *claimView
}

type noteView struct {
	Field, Label, Message, Link string
}

func (s *Server) orderID(r *http.Request) (int64, error) { return web.PathID(r) }

// stepPage shows one step of an editable order; orders under review show their progress instead.
func (s *Server) stepPage(w http.ResponseWriter, r *http.Request, v *web.View) {
	step := r.PathValue("step")
	if !slices.Contains(allSteps, step) {
		s.Fail(w, r, v, problem.New(problem.NotFound, "common.not_found", ""))
		return
	}
	tl, err := s.timeline(v, r)
	if err != nil {
		s.Fail(w, r, v, err)
		return
	}
	if steps := stepsOf(tl.Order); !slices.Contains(steps, step) {
		http.Redirect(w, r, "/orders/"+strconv.FormatInt(tl.Order.ID, 10)+"/"+steps[0], http.StatusSeeOther)
		return
	}
	if !tl.Order.State.Editable() {
		http.Redirect(w, r, "/orders/"+strconv.FormatInt(tl.Order.ID, 10), http.StatusSeeOther)
		return
	}
	var errs []web.FieldError
	if r.URL.Query().Get("check") != "" || step == "review" {
		errs, err = s.stepErrors(v, r, tl.Order.ID, step)
		if err != nil {
			s.Fail(w, r, v, err)
			return
		}
	}
	s.showStep(w, r, v, tl, step, errs, http.StatusOK)
}

func (s *Server) timeline(v *web.View, r *http.Request) (*provider.Timeline, error) {
	id, err := web.PathID(r)
	if err != nil {
		return nil, err
	}
	return s.svc.OrderTimeline(v.Ctx(), v.Actor, id)
}

// stepErrors evaluates the order and keeps the violations that belong to step (all of them on the review).
func (s *Server) stepErrors(v *web.View, r *http.Request, id int64, step string) ([]web.FieldError, error) {
	_, rep, err := s.svc.Evaluate(v.Ctx(), v.Actor, id)
	if err != nil {
		return nil, err
	}
	var out []web.FieldError
	for _, e := range s.PageErrors(r, problem.List(rep.Violations).Err()) {
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

func (s *Server) showStep(w http.ResponseWriter, r *http.Request, v *web.View, tl *provider.Timeline, step string, errs []web.FieldError, status int) {
	o := tl.Order
	v.Area, v.Current = "portal", "orders"
	id := strconv.FormatInt(o.ID, 10)
	steps := stepsOf(o)
	d := &wizardData{Order: o, Step: step, Steps: stepBarFor(v, step, o), Resubmit: o.State != filing.Draft,
		Individual: o.Subject.IsIndividual(), EditSubject: slices.Contains(steps, "subject"),
		EditServices: slices.Contains(steps, "services"), EditMaterials: slices.Contains(steps, "materials")}
	i := slices.Index(steps, step)
	if i > 0 {
		d.PrevURL = "/orders/" + id + "/" + steps[i-1]
	}
	if i+1 < len(steps) {
		d.NextURL = "/orders/" + id + "/" + steps[i+1]
	}
	// Between the materials and the review, the principals' real-person verification (its own pages).
	switch {
	case step == "materials" && d.NextURL == "/orders/"+id+"/review":
		d.NextURL = "/orders/" + id + "/verification"
	case step == "review" && slices.Contains(steps, "materials"):
		d.PrevURL = "/orders/" + id + "/verification"
	}
	reason, notes := reviewNotes(tl)
	d.Reason = reason
	var required []provider.Material
	if step == "materials" || step == "review" {
		var err error
		if required, err = s.requiredMaterials(v, o); err != nil {
			s.Fail(w, r, v, err)
			return
		}
	}
	switch step {
	case "subject":
		d.Fixed = s.fixedFields(v, o)
		d.Form = s.subjectForm(v, o)
	case "services":
		d.Form = s.servicesForm(v, o)
		d.AllowMore = allowsMoreServices(o)
	case "access":
		d.Form = s.accessForm(v, o)
	case "claim":
		st, err := s.svc.ClaimCodeStatus(v.Ctx(), v.Actor, o.ID)
		if err != nil {
			s.Fail(w, r, v, err)
			return
		}
		d.Claim = s.claimOf(v, o, st)
		d.Form = d.Claim.Code
	case "materials":
		d.Form = &web.Form{}
		d.Materials = s.materialRows(v, o, required)
		for i := range d.Materials {
			d.Form.Sections = append(d.Form.Sections, &web.Section{ID: d.Materials[i].ID, Path: d.Materials[i].Path})
		}
	case "review":
		d.Form = s.agreementsForm(v, o)
		d.Review = filingview.Summarize(v, o)
		if res := s.resourceLabel(v, o); res != "" {
			d.Review.Resource = v.T("web.field.resource") + v.T("web.colon") + res
		}
		d.Materials = s.materialRows(v, o, required)
		d.Changes = changeRows(v, o, o.Changes())
		var err error
		if d.Confirm, err = s.confirmOf(v, r, o); err != nil {
			s.Fail(w, r, v, err)
			return
		}
	}
	d.Form.Place(errs)
	rest := d.Form.Notes(notes)
	if step == "materials" {
		for i := range d.Materials {
			sec := d.Form.Sections[i]
			d.Materials[i].Notes, d.Materials[i].Errors = sec.Notes, sec.Errors
		}
	}
	for _, n := range rest {
		st := stepOfField(n.Field)
		if step == "review" || st != step {
			d.Notes = append(d.Notes, noteView{Field: n.Field, Label: filingview.QualifiedLabel(v.Lang, n.Field, o), Message: n.Message,
				Link: s.fieldLink(v, o, n.Field, false)})
		} else {
			d.Notes = append(d.Notes, noteView{Field: n.Field, Label: filingview.QualifiedLabel(v.Lang, n.Field, o), Message: n.Message})
		}
	}
	if step == "review" {
		for i := range d.Form.Summary {
			e := &d.Form.Summary[i]
			if e.Target == "" {
				e.Label = filingview.QualifiedLabel(v.Lang, e.Field, o)
				e.Target = s.fieldLink(v, o, e.Field, true)
			}
		}
	} else {
		for i := range d.Form.Summary {
			d.Form.Summary[i].Label = filingview.QualifiedLabel(v.Lang, d.Form.Summary[i].Field, o)
			if d.Form.Summary[i].Target != "" {
				d.Form.Summary[i].Target = "#" + d.Form.Summary[i].Target
			}
		}
	}
	v.Errors, v.InlineErrors = d.Form.Summary, true
	v.Title = v.T("web.step."+step) + " · " + v.Tf("web.order.title", "id", id)
	v.D = d
	s.Render(w, v, status, "wizard")
}

// fieldLink is where the applicant changes field p: its step, scrolled to the field; check asks that step to
// show its errors.
func (s *Server) fieldLink(v *web.View, o *filing.Order, p string, check bool) string {
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
func (s *Server) anchor(v *web.View, o *filing.Order, p string) string {
	var f *web.Form
	switch stepOfField(p) {
	case "subject":
		f = s.subjectForm(v, o)
	case "services":
		f = s.servicesForm(v, o)
	case "materials":
		required, err := s.requiredMaterials(v, o)
		if err != nil {
			return "main"
		}
		f = &web.Form{}
		for _, m := range s.materialRows(v, o, required) {
			f.Sections = append(f.Sections, &web.Section{ID: m.ID, Path: m.Path})
		}
	default:
		return "agreements"
	}
	if fl, sec := f.Locate(p); fl != nil {
		return fl.ID
	} else if sec != nil {
		return sec.ID
	}
	return "main"
}

// stepSubmit saves a step (action=save | next | autosave | add:<kind> | remove:<n> | upload | submit).
func (s *Server) stepSubmit(w http.ResponseWriter, r *http.Request, v *web.View) {
	step := r.PathValue("step")
	if !slices.Contains(allSteps, step) {
		s.Fail(w, r, v, problem.New(problem.NotFound, "common.not_found", ""))
		return
	}
	if step == "materials" {
		s.uploadSubmit(w, r, v)
		return
	}
	tl, err := s.timeline(v, r)
	if err != nil {
		s.Fail(w, r, v, err)
		return
	}
	o := tl.Order
	id := strconv.FormatInt(o.ID, 10)
	if !slices.Contains(stepsOf(o), step) {
		s.Fail(w, r, v, problem.New(problem.NotFound, "common.not_found", ""))
		return
	}
	if step == "claim" {
		s.claimSubmit(w, r, v, tl)
		return
	}
	action := r.PostFormValue("action")
	c := contentOf(o)
	switch step {
	case "access":
		parseAccess(r, &c)
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
	updated, err := s.svc.UpdateOrder(v.Ctx(), v.Actor, o.ID, c)
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
			s.Fail(w, r, v, err)
			return
		}
		s.showStep(w, r, v, tl, step, s.PageErrors(r, err), http.StatusUnprocessableEntity)
		return
	}
	tl.Order = updated
	switch {
	case strings.HasPrefix(action, "add:"):
		web.Redirect(w, r, "/orders/"+id+"/services#"+web.FieldID("services["+strconv.Itoa(len(c.Services)-1)+"]"), "saved")
		return
	case strings.HasPrefix(action, "remove:"), action == "save":
		web.Redirect(w, r, "/orders/"+id+"/"+step, "saved")
		return
	case step == "review":
		s.submitFromReview(w, r, v, tl)
		return
	}
	// next: move on unless this step still has problems.
	errs, err := s.stepErrors(v, r, o.ID, step)
	if err != nil {
		s.Fail(w, r, v, err)
		return
	}
	if len(errs) > 0 {
		s.showStep(w, r, v, tl, step, errs, http.StatusUnprocessableEntity)
		return
	}
	steps := stepsOf(o)
	next := steps[slices.Index(steps, step)+1]
	web.Redirect(w, r, "/orders/"+id+"/"+next, "saved")
}

func (s *Server) submitFromReview(w http.ResponseWriter, r *http.Request, v *web.View, tl *provider.Timeline) {
	o := tl.Order
	var err error
	if !o.AgreementsAccepted {
		err = problem.Invalidf("order.agreements_required", "agreements_accepted")
	} else {
		_, err = s.svc.SubmitConfirmed(v.Ctx(), v.Actor, o.ID, r.PostFormValue("confirm"))
	}
	if err != nil {
		if k := problem.KindOf(err); k != problem.Invalid && k != problem.Conflict {
			s.Fail(w, r, v, err)
			return
		}
		s.showStep(w, r, v, tl, "review", s.PageErrors(r, err), http.StatusUnprocessableEntity)
		return
	}
	web.Redirect(w, r, "/orders/"+strconv.FormatInt(o.ID, 10), "submitted")
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

func (s *Server) fixedFields(v *web.View, o *filing.Order) []*web.Field {
	return []*web.Field{
		v.Static("province", web.ProvinceName(v.Lang, o.Province)),
		v.Static("subject.nature", web.NatureName(v.Lang, o.Subject.Nature)),
		v.Static("subject.credential_type", web.CredentialName(v.Lang, o.Subject.CredentialType)),
		v.Static("subject.credential_number", o.Subject.CredentialNumber),
		v.Static("type", v.T("rules.order_type."+string(o.Type))),
	}
}

func (s *Server) subjectForm(v *web.View, o *filing.Order) *web.Form {
	subj := o.Subject
	individual := subj.IsIndividual()
	unit := &web.Section{ID: "sec-subject", Path: "subject", Title: v.T("web.group.subject")}
	name := v.Text("subject.name", subj.Name).Req().Widen()
	if individual {
		name.Label = v.T("web.field.subject.name_individual")
		name.Hint = v.T("web.hint.subject_name_individual")
	} else {
		name.Hint = v.T("web.hint.subject_name")
	}
	unit.Fields = append(unit.Fields, name,
		v.Text("subject.credential_address", subj.CredentialAddress).Req().Widen().Hinted(v.T("web.hint.credential_address")),
		v.Text("subject.communication_address", subj.CommunicationAddress).Req().Widen().Auto("street-address").
			Hinted(v.Tf("web.hint.communication_address", "province", web.ProvinceName(v.Lang, o.Province))),
	)
	if !individual {
		lr := subj.LegalRepresentative
		if lr == nil {
			lr = &filing.LegalRepresentative{}
		}
		unit.Fields = append(unit.Fields,
			v.Text("subject.investor", subj.Investor).Hinted(v.T("web.hint.investor")),
			v.Text("subject.legal_representative.name", lr.Name).Req(),
			v.Text("subject.legal_representative.id_number", lr.IDNumber).Req().Hinted(v.T("web.hint.legal_id")).Auto("off"),
		)
	}
	principal := &web.Section{ID: "sec-subject-principal", Path: "subject.principal", Title: v.T("web.group.subject_principal"),
		Intro: v.T("web.intro.subject_principal")}
	if individual {
		principal.Intro = v.T("web.intro.subject_principal_individual")
	}
	principal.Fields = principalFields(v, "subject.principal", subj.Principal, individual, o)
	return &web.Form{Sections: []*web.Section{unit, principal}}
}

// principalFields are the fields of a responsible person (seed 000 §4, seed 002 table 2).
func principalFields(v *web.View, prefix string, p filing.Principal, individual bool, o *filing.Order) []*web.Field {
	var out []*web.Field
	if individual && prefix == "subject.principal" {
		// seed 002: 个人备案必须为备案主体本人 — the person and their ID card come from the subject.
		out = append(out,
			v.Static(prefix+".name", orDash(o.Subject.Name, v)),
			v.Static(prefix+".credential_type", web.CredentialName(v.Lang, o.Subject.CredentialType)),
			v.Static(prefix+".credential_number", o.Subject.CredentialNumber))
	} else {
		ct := p.CredentialType
		if ct == "" {
			ct = "resident_id"
		}
		out = append(out,
			v.Text(prefix+".name", p.Name).Req().Auto("off"),
			v.Select(prefix+".credential_type", ct, filingview.PersonCredentialOptions(v.Lang), false).Req(),
			v.Text(prefix+".credential_number", p.CredentialNumber).Req().Auto("off").Hinted(v.T("web.hint.credential_number")))
	}
	lt := v.Checkbox(prefix+".credential_long_term", p.CredentialLongTerm)
	from := v.Field("date", prefix+".credential_valid_from", p.CredentialValidFrom)
	to := v.Field("date", prefix+".credential_valid_to", p.CredentialValidTo)
	to.ShowWhen = prefix + ".credential_long_term="
	office := v.Field("tel", prefix+".office_phone", p.OfficePhone).Req().Hinted(v.T("web.hint.office_phone")).Placed("020-83920147")
	if individual {
		office.Hint = v.T("web.hint.office_phone_individual")
	}
	out = append(out, lt, from, to, office,
		v.Field("tel", prefix+".mobile", p.Mobile).Req().Mode("numeric").Auto("off").Hinted(v.T("web.hint.mobile")),
		v.Field("tel", prefix+".emergency_mobile", p.EmergencyMobile).Req().Mode("numeric").Auto("off").Hinted(v.T("web.hint.emergency_mobile")),
		v.Field("email", prefix+".email", p.Email).Req().Auto("off").Hinted(v.T("web.hint.principal_email")),
	)
	return out
}

func orDash(s string, v *web.View) string {
	if strings.TrimSpace(s) == "" {
		return v.T("web.subject_name_pending")
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

// appSections are the APP data of seed 002: platforms with package, public key and signature; SDKs.
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

// ---- step 5: materials ----------------------------------------------------------------------------------

// requiredMaterials is what the rules ask of o, through the same use case as the evaluation API.
func (s *Server) requiredMaterials(v *web.View, o *filing.Order) ([]provider.Material, error) {
	_, rep, err := s.svc.Evaluate(v.Ctx(), v.Actor, o.ID)
	return rep.Materials, err
}

// materialRows lists the materials the rules ask for (in the page's language), then each APP's icon.
func (s *Server) materialRows(v *web.View, o *filing.Order, required []provider.Material) []filingview.MaterialRow {
	var out []filingview.MaterialRow
	for _, m := range required {
		m = m.Localized(string(v.Lang))
		row := filingview.MaterialRow{Code: m.Code, Name: web.MaterialName(v.Lang, m.Code), Reason: m.Reason, Service: m.Service,
			Accept: "image/png,image/jpeg,application/pdf"}
		row.Path = "materials." + m.Code
		if m.Service != nil {
			row.Path += "[" + strconv.Itoa(*m.Service) + "]"
			row.ServiceTitle = filingview.ServiceTitle(v.Lang, o, *m.Service)
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
		row := filingview.MaterialRow{Code: "app_icon", Name: web.MaterialName(v.Lang, "app_icon"), Reason: v.T("web.hint.app_icon"),
			Service: &n, ServiceTitle: filingview.ServiceTitle(v.Lang, o, i), Accept: "image/png,image/jpeg",
			Path: "services[" + strconv.Itoa(i) + "].app.icon_material_id"}
		if svc.App != nil {
			row.UploadedID = svc.App.IconMaterialID
		}
		out = append(out, row)
	}
	for i := range out {
		out[i].ID = web.FieldID(out[i].Path)
		if out[i].UploadedID != 0 {
			out[i].URL = "/api/v1/materials/" + strconv.FormatInt(out[i].UploadedID, 10)
			out[i].IsImage = true
			if m, err := s.svc.MaterialInfo(v.Ctx(), v.Actor, out[i].UploadedID); err == nil {
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
func (s *Server) uploadSubmit(w http.ResponseWriter, r *http.Request, v *web.View) {
	tl, err := s.timeline(v, r)
	if err != nil {
		s.Fail(w, r, v, err)
		return
	}
	o := tl.Order
	id := strconv.FormatInt(o.ID, 10)
	if !o.State.Editable() {
		s.Fail(w, r, v, problem.New(problem.Conflict, "order.not_editable", "state", "state", i18n.T(v.Lang, "state."+string(o.State), nil)))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, web.MaxUpload+1<<20)
	if err := r.ParseMultipartForm(8 << 20); err != nil {
		s.showStep(w, r, v, tl, "materials", s.PageErrors(r, problem.Invalidf("material.too_large", "materials")), http.StatusUnprocessableEntity)
		return
	}
	if r.FormValue("action") == "next" {
		web.Redirect(w, r, "/orders/"+id+"/review", "")
		return
	}
	code := r.FormValue("code")
	path := "materials." + code
	var idx *int
	if sv := r.FormValue("service"); sv != "" {
		n, err := strconv.Atoi(sv)
		if err != nil || n < 0 || n >= len(o.Services) {
			s.Fail(w, r, v, problem.New(problem.NotFound, "common.not_found", "service"))
			return
		}
		idx = &n
		path += "[" + sv + "]"
	}
	if code == "app_icon" && idx != nil {
		path = "services[" + strconv.Itoa(*idx) + "].app.icon_material_id"
	}
	fail := func(err error) {
		errs := s.PageErrors(r, err)
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
	data, err := io.ReadAll(io.LimitReader(file, web.MaxUpload+1))
	if err != nil || len(data) > web.MaxUpload {
		fail(problem.Invalidf("material.too_large", "file"))
		return
	}
	m, err := s.svc.Upload(v.Ctx(), v.Actor, code, data)
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
	if _, err := s.svc.UpdateOrder(v.Ctx(), v.Actor, o.ID, c); err != nil {
		fail(err)
		return
	}
	web.Redirect(w, r, "/orders/"+id+"/materials#"+web.FieldID(path), "saved")
}

// ---- step 6: review and submit --------------------------------------------------------------------------

func (s *Server) agreementsForm(v *web.View, o *filing.Order) *web.Form {
	sec := &web.Section{ID: "agreements", Path: "agreements_accepted", Title: v.T("web.review.agreements")}
	for _, a := range []string{"commitment", "security", "terms"} {
		f := v.Field("agreement", "agree_"+a, "yes").Labelled(v.T("web.agreement." + a + ".accept")).Req()
		f.Checked = o.AgreementsAccepted
		f.Hint = v.T("web.agreement." + a + ".text")
		f.Placeholder = v.T("web.agreement." + a + ".title")
		sec.Fields = append(sec.Fields, f)
	}
	return &web.Form{Sections: []*web.Section{sec}}
}
