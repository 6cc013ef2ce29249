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
)

// stepSubmit saves a step (action=save | next | autosave | add:<kind> | remove:<n> | upload | submit).
func (s *Server) stepSubmit(w http.ResponseWriter, r *http.Request, v *web.View) {
	step, tl, ok := s.stepPrelude(w, r, v)
	if !ok {
		return
	}
	autofill := step == "subject" && r.URL.Query().Get("autofill") != ""
	if err := v.Refused(); err != nil && (step == "materials" || autofill) { // uploads: no typed text
		s.Fail(w, r, v, err)
		return
	}
	if step == "materials" {
		s.uploadSubmit(w, r, v, tl)
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
	if autofill {
		s.autofillSubmit(w, r, v, tl)
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
			if why := moreServicesRefusal(o); why != "" { // the page offers no button: nothing is saved
				s.Fail(w, r, v, problem.New(problem.Conflict, why, ""))
				return
			}
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
	var updated *filing.Order
	err := v.Refused()
	if err == nil {
		updated, err = s.svc.UpdateOrder(v.Ctx(), v.Actor, o.ID, c)
	}
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
		tl.Order = typed(o, c) // nothing was saved: the step shows again what was typed
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
	var missing problem.List
	if !o.AgreementsAccepted {
		missing = append(missing, problem.Invalidf("order.agreements_required", "agreements_accepted"))
	}
	// The page's checkbox carries the phrase the API asks for (docs/after-filing.md); the applicant is told to
	// tick it, not which phrase to type.
	if o.Type.Irreversible() && r.PostFormValue("confirm") == "" {
		missing = append(missing, problem.Invalidf("web.error.confirm_irreversible", "confirm"))
	}
	err := missing.Err()
	if err == nil {
		_, err = s.svc.SubmitConfirmed(v.Ctx(), v.Actor, o.ID, r.PostFormValue("confirm"))
		if problem.Is(err, "order.confirm_required") { // the consequences changed since the page was shown
			err = problem.Invalidf("web.error.confirm_irreversible", "confirm")
		}
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

// typed is order o as the refused content c would make it, for showing a step again with what was typed.
func typed(o *filing.Order, c provider.Content) *filing.Order {
	t := *o
	t.Subject, t.Services, t.AgreementsAccepted, t.Materials = c.Subject, c.Services, c.AgreementsAccepted, c.Materials
	return &t
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
// 002) and for the order types that add no service (filing.OrderType.Edits: a change, an access, a cancellation
// is about the filed services it names).
func allowsMoreServices(o *filing.Order) bool {
	return moreServicesRefusal(o) == ""
}

// moreServicesRefusal is the message key saying why the order takes no more services, "" when it does.
func moreServicesRefusal(o *filing.Order) string {
	switch {
	case !o.Type.Edits().AddServices:
		return "web.services.fixed_set"
	case o.Province == "43" || o.Province == "42":
		return "web.services.one_only"
	}
	return ""
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
