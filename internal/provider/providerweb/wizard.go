package providerweb

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/web"
	"github.com/beian/beian/internal/web/filingview"
)

// The filing wizard of docs/design.md §4.3: 1 check filing type → 2 resource → 3 subject and subject principal →
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

// ---- the steps after the draft exists -------------------------------------------------------------------

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
	NoMore     string // the key of the message saying why no service can be added
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
	Autofill                                 []autofillCard // the credential photos the subject step asks for first
}

type noteView struct {
	Field, Label, Message, Link string
}

// stepPrelude reads the path's step and order for the step pages; it fails the page and returns false when
// either is unknown (an unknown step before the order is read).
func (s *Server) stepPrelude(w http.ResponseWriter, r *http.Request, v *web.View) (string, *provider.Timeline, bool) {
	step := r.PathValue("step")
	if !slices.Contains(allSteps, step) {
		s.Fail(w, r, v, problem.New(problem.NotFound, "common.not_found", ""))
		return "", nil, false
	}
	tl, err := s.timeline(v, r)
	if err != nil {
		s.Fail(w, r, v, err)
		return "", nil, false
	}
	return step, tl, true
}

// stepPage shows one step of an editable order; orders under review show their progress instead.
func (s *Server) stepPage(w http.ResponseWriter, r *http.Request, v *web.View) {
	step, tl, ok := s.stepPrelude(w, r, v)
	if !ok {
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
		var err error
		errs, err = s.stepErrors(v, r, tl.Order.ID, step)
		if err != nil {
			s.Fail(w, r, v, err)
			return
		}
	}
	s.showStep(w, r, v, tl, step, errs, http.StatusOK)
}

// The order page prelude: the order the path names ({id}), read through the use case that checks who may see it.

// orderPage is an applicant's order page that starts from the path's order, its history and next step.
type orderPage func(w http.ResponseWriter, r *http.Request, v *web.View, tl *provider.Timeline)

// applicantOrder adapts such a page for the route table: it runs the prelude (the portal's orders area, the
// path's order read through the use case) and fails the page when the order cannot be read.
func (s *Server) applicantOrder(h orderPage) web.PageHandler {
	return func(w http.ResponseWriter, r *http.Request, v *web.View) {
		v.Area, v.Current = "portal", "orders"
		tl, err := s.timeline(v, r)
		if err != nil {
			s.Fail(w, r, v, err)
			return
		}
		h(w, r, v, tl)
	}
}

// timeline reads the path's order with its history and next step.
func (s *Server) timeline(v *web.View, r *http.Request) (*provider.Timeline, error) {
	id, err := web.PathID(r)
	if err != nil {
		return nil, err
	}
	return s.svc.OrderTimeline(v.Ctx(), v.Actor, id)
}

// order reads the path's order (audited when staff read it).
func (s *Server) order(v *web.View, r *http.Request) (*filing.Order, error) {
	id, err := web.PathID(r)
	if err != nil {
		return nil, err
	}
	return s.svc.GetOrder(v.Ctx(), v.Actor, id)
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

// reviewNotes returns the reason and field notes of the event that sent the order back to the applicant (none
// when the applicant withdrew it).
func reviewNotes(tl *provider.Timeline) (string, []filing.Note) {
	st := tl.Order.State
	if st == filing.Draft {
		return "", nil
	}
	for i := len(tl.Events) - 1; i >= 0; i-- {
		e := tl.Events[i]
		if e.To == st && e.From != st {
			if e.Action == filing.ActWithdraw {
				return "", nil // the applicant's own reason is no review note
			}
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
		d.Autofill = s.autofillCards(v, o)
		s.markRecognised(v, o, d.Form, d.Fixed)
	case "services":
		d.Form = s.servicesForm(v, o)
		d.AllowMore, d.NoMore = allowsMoreServices(o), moreServicesRefusal(o)
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
	placeAutofillErrors(d)
	tieAgreementError(d.Form)
	if err := s.placeNotices(v, r, d); err != nil {
		s.Fail(w, r, v, err)
		return
	}
	rest := d.Form.Remark(web.Note, web.NoteRemarks(notes))
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
			switch {
			case e.Field == "confirm" && d.Confirm != nil: // the checkbox of an irreversible order, on this page
				e.Target = "#" + confirmBoxID
				d.Confirm.Errors = append(d.Confirm.Errors, e.Message)
			case e.Target == "":
				e.Label = filingview.QualifiedLabel(v.Lang, e.Field, o)
				e.Target = s.fieldLink(v, o, e.Field, true)
			default: // placed on a field or section of this page
				e.Target = "#" + e.Target
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

// anchor is the id of the element that shows field p on its step (the field with its label and notes).
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
		return fl.ID + "-wrap" // the whole field: its label, the reviewer's note and the error stay in view
	} else if sec != nil {
		return sec.ID
	}
	return "main"
}
