package miitweb

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/beian/beian/internal/miit"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/web"
	"github.com/beian/beian/internal/web/filingview"
)

// The MIIT simulator's own pages (docs/design.md §4.10): the public SMS verification page of beian.miit.gov.cn, the
// administration officer's queue and decision page; then the public query (docs/design.md §7) and the demo tools.

type verifyData struct {
	Form    *web.Form
	Outcome *miit.VerifyOutcome
	// CaptchaID and CaptchaImage are the challenge of the next attempt.
	CaptchaID    string
	CaptchaImage template.URL
}

// verifyData is the page with form and a fresh challenge.
func (s *Server) verifyData(form *web.Form) *verifyData {
	c := newCaptcha(s.human)
	return &verifyData{Form: form, CaptchaID: c.ID, CaptchaImage: c.imageURL()}
}

func (s *Server) verifyForm(v *web.View, phone, last6 string) *web.Form {
	code := v.Text("code", "").Req().Mode("numeric").Auto("one-time-code").Hinted(v.T("web.verify.code_hint"))
	code.Label = v.T("web.verify.code")
	return &web.Form{Sections: []*web.Section{{ID: "verify", Fields: []*web.Field{
		v.Field("tel", "phone", phone).Req().Mode("numeric").Auto("tel").Labelled(v.T("web.verify.phone")).
			Hinted(v.T("web.verify.phone_hint")),
		code,
		v.Text("id_last6", last6).Req().Auto("off").Labelled(v.T("web.verify.last6")).Hinted(v.T("web.verify.last6_hint")),
		v.Text("captcha", "").Req().Mode("numeric").Auto("off").Labelled(v.T("web.verify.captcha")).
			Hinted(v.T("web.verify.captcha_hint")),
	}}}}
}

func (s *Server) verifyPage(w http.ResponseWriter, r *http.Request, v *web.View) {
	v.Area, v.Current = "miit", "verify"
	v.D = s.verifyData(s.verifyForm(v, r.URL.Query().Get("phone"), ""))
	s.Render(w, v, http.StatusOK, "verify")
}

func (s *Server) verifySubmit(w http.ResponseWriter, r *http.Request, v *web.View) {
	v.Area, v.Current = "miit", "verify"
	phone, code, last6 := r.PostFormValue("phone"), r.PostFormValue("code"), r.PostFormValue("id_last6")
	var out miit.VerifyOutcome
	err := v.Refused()
	if err == nil {
		err = s.human.check(r, r.PostFormValue("captcha_id"), r.PostFormValue("captcha"))
	}
	if err == nil {
		out, err = s.miit.VerifySMS(v.Ctx(), phone, code, last6)
	}
	d := s.verifyData(s.verifyForm(v, phone, last6))
	v.D = d
	if err != nil {
		d.Form.Place(s.PageErrors(r, err))
		v.SetErrors(d.Form)
		web.SetRetryAfter(w, err)
		s.Render(w, v, web.StatusFor(err), "verify")
		return
	}
	d.Outcome = &out
	d.Form = s.verifyForm(v, "", "")
	s.Render(w, v, http.StatusOK, "verify")
}

// ---- officer console ------------------------------------------------------------------------------------

var miitStates = []string{"administration_review", "sms_pending", "approved", "rejected", "returned", "withdrawn", "all"}

type officerQueueData struct {
	State  string
	States []stateChip
	Rows   []officerRow
	Total  int
}

// stateChip is one state filter of the officer's queue.
type stateChip struct {
	Value, Label, Link string
	Active             bool
}

type officerRow struct {
	miit.Review
	Link     string
	Deadline string
	Overdue  bool
}

func (s *Server) officerQueuePage(w http.ResponseWriter, r *http.Request, v *web.View) {
	v.Area, v.Current = "miit", "officer"
	state := r.URL.Query().Get("state")
	if state == "" {
		state = "administration_review"
	}
	list, total, err := s.miit.Reviews(v.Ctx(), miit.ReviewFilter{Provinces: v.Actor.Provinces, State: state,
		Limit: 100, Offset: web.QueryInt(r, "offset", 0)})
	if err != nil {
		s.Fail(w, r, v, err)
		return
	}
	d := &officerQueueData{State: state, Total: total}
	for _, st := range miitStates {
		d.States = append(d.States, stateChip{Value: st, Label: v.T("web.miit.state." + st),
			Link: "/miit/console?state=" + url.QueryEscape(st), Active: st == state})
	}
	now := s.clock.Now()
	for _, rv := range list {
		row := officerRow{Review: rv, Link: "/miit/console/reviews/" + strconv.FormatInt(rv.ID, 10)}
		dl := rv.ReviewDeadline
		if rv.State == "sms_pending" {
			dl = rv.SMSDeadline
		}
		if dl != nil {
			row.Deadline = web.FormatTime(*dl)
			row.Overdue = !now.Before(*dl)
		}
		d.Rows = append(d.Rows, row)
	}
	v.D = d
	s.Render(w, v, http.StatusOK, "officer_queue")
}

type officerReviewData struct {
	Review      *miit.Review
	Blocks      []filingview.Block
	Attachments []attachmentView
	CanDecide   bool
	Reason      string
}

func (s *Server) officerReviewPage(w http.ResponseWriter, r *http.Request, v *web.View) {
	s.showOfficerReview(w, r, v, "", nil)
}

func (s *Server) showOfficerReview(w http.ResponseWriter, r *http.Request, v *web.View, reason string, derr error) {
	v.Area, v.Current = "miit", "officer"
	id, err := web.PathID(r)
	if err != nil {
		s.Fail(w, r, v, err)
		return
	}
	rv, err := s.miit.Review(v.Ctx(), id, v.Actor.Provinces)
	if err != nil {
		s.Fail(w, r, v, err)
		return
	}
	d := &officerReviewData{Review: rv, CanDecide: rv.State == "administration_review", Reason: reason}
	if rv.Order != nil {
		d.Blocks = filingview.Blocks(v, rv.Order, nil, "")
		d.Blocks = d.Blocks[:len(d.Blocks)-1] // the provider's resource is none of the administration's business
		if d.Attachments, err = s.attachmentViews(v, id, rv.Order); err != nil {
			s.Fail(w, r, v, err)
			return
		}
	}
	status := http.StatusOK
	if derr != nil {
		v.Errors = s.PageErrors(r, derr)
		v.AimErrors("decision", map[string]web.Input{"reason": {ID: "reason", Label: v.T("web.miit.reason")}})
		status = web.StatusFor(derr)
	}
	v.Title = v.Tf("web.miit.review_title", "id", strconv.FormatInt(id, 10))
	v.D = d
	s.Render(w, v, status, "officer_review")
}

func (s *Server) officerDecide(w http.ResponseWriter, r *http.Request, v *web.View) {
	id, err := web.PathID(r)
	if err != nil {
		s.Fail(w, r, v, err)
		return
	}
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	decision := r.PostFormValue("decision")
	if err = v.Refused(); err == nil && decision != "approve" && decision != "reject" {
		err = problem.Invalidf("miit.decision_unknown", "decision", "decision", decision)
	}
	if err == nil {
		err = s.miit.Decide(v.Ctx(), v.Actor.ID, v.Actor.Provinces, id, decision == "approve", reason)
	}
	if err != nil {
		s.showOfficerReview(w, r, v, reason, err)
		return
	}
	web.Redirect(w, r, "/miit/console/reviews/"+strconv.FormatInt(id, 10), "decided")
}
