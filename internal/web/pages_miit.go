package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/beian/beian/internal/miit"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider/store"
)

// The MIIT simulator's own pages (SPEC §4.7): the public SMS verification page of beian.miit.gov.cn, the
// administration officer's queue and decision page; then the public query (SPEC §6) and the demo tools.

type verifyData struct {
	Form    *form
	Outcome *miit.VerifyOutcome
}

func (s *Server) verifyForm(v *view, phone, last6 string) *form {
	code := v.text("code", "").req().mode("numeric").auto("one-time-code").hint(v.t("web.verify.code_hint"))
	code.Label = v.t("web.verify.code")
	return &form{Sections: []*Section{{ID: "verify", Fields: []*Field{
		v.field("tel", "phone", phone).req().mode("numeric").auto("tel").labelled(v.t("web.verify.phone")).
			hint(v.t("web.verify.phone_hint")),
		code,
		v.text("id_last6", last6).req().auto("off").labelled(v.t("web.verify.last6")).hint(v.t("web.verify.last6_hint")),
	}}}}
}

func (s *Server) verifyPage(w http.ResponseWriter, r *http.Request, v *view) {
	v.Area, v.Current = "miit", "verify"
	v.D = &verifyData{Form: s.verifyForm(v, r.URL.Query().Get("phone"), "")}
	s.render(w, v, http.StatusOK, "verify")
}

func (s *Server) verifySubmit(w http.ResponseWriter, r *http.Request, v *view) {
	v.Area, v.Current = "miit", "verify"
	phone, code, last6 := r.PostFormValue("phone"), r.PostFormValue("code"), r.PostFormValue("id_last6")
	out, err := s.miit.VerifySMS(v.ctx(), phone, code, last6)
	d := &verifyData{Form: s.verifyForm(v, phone, last6)}
	v.D = d
	if err != nil {
		d.Form.place(s.pageErrors(r, err))
		v.setErrors(d.Form)
		s.render(w, v, statusFor(err), "verify")
		return
	}
	d.Outcome = &out
	d.Form = s.verifyForm(v, "", "")
	s.render(w, v, http.StatusOK, "verify")
}

// ---- officer console ------------------------------------------------------------------------------------

var miitStates = []string{"administration_review", "sms_pending", "approved", "rejected", "returned", "withdrawn", "all"}

type officerQueueData struct {
	State  string
	States []countChip2
	Rows   []officerRow
	Total  int
}

type countChip2 struct {
	Value, Label, Link string
	Active             bool
}

type officerRow struct {
	miit.Review
	Link     string
	Deadline string
	Overdue  bool
}

func (s *Server) officerQueuePage(w http.ResponseWriter, r *http.Request, v *view) {
	v.Area, v.Current = "miit", "officer"
	state := r.URL.Query().Get("state")
	if state == "" {
		state = "administration_review"
	}
	list, total, err := s.miit.Reviews(v.ctx(), miit.ReviewFilter{Provinces: v.Actor.Provinces, State: state,
		Limit: 100, Offset: queryInt(r, "offset", 0)})
	if err != nil {
		s.fail(w, r, v, err)
		return
	}
	d := &officerQueueData{State: state, Total: total}
	for _, st := range miitStates {
		d.States = append(d.States, countChip2{Value: st, Label: v.t("web.miit.state." + st),
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
			row.Deadline = fmtTime(*dl)
			row.Overdue = !now.Before(*dl)
		}
		d.Rows = append(d.Rows, row)
	}
	v.D = d
	s.render(w, v, http.StatusOK, "officer_queue")
}

type officerReviewData struct {
	Review    *miit.Review
	Blocks    []reviewBlock
	CanDecide bool
	Reason    string
}

func (s *Server) officerReviewPage(w http.ResponseWriter, r *http.Request, v *view) {
	s.showOfficerReview(w, r, v, "", nil)
}

func (s *Server) showOfficerReview(w http.ResponseWriter, r *http.Request, v *view, reason string, derr error) {
	v.Area, v.Current = "miit", "officer"
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v, err)
		return
	}
	rv, err := s.miit.Review(v.ctx(), id, v.Actor.Provinces)
	if err != nil {
		s.fail(w, r, v, err)
		return
	}
	d := &officerReviewData{Review: rv, CanDecide: rv.State == "administration_review", Reason: reason}
	if rv.Order != nil {
		d.Blocks = consoleBlocks(v, rv.Order, nil, "")
		d.Blocks = d.Blocks[:len(d.Blocks)-1] // the provider's resource is none of the administration's business
	}
	status := http.StatusOK
	if derr != nil {
		v.Errors = s.pageErrors(r, derr)
		for i := range v.Errors {
			v.Errors[i].Target = "#decision"
		}
		status = statusFor(derr)
	}
	v.Title = v.tf("web.miit.review_title", "id", strconv.FormatInt(id, 10))
	v.D = d
	s.render(w, v, status, "officer_review")
}

func (s *Server) officerDecide(w http.ResponseWriter, r *http.Request, v *view) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, v, err)
		return
	}
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	approve := r.PostFormValue("decision") == "approve"
	if err := s.miit.Decide(v.ctx(), v.Actor.ID, v.Actor.Provinces, id, approve, reason); err != nil {
		s.showOfficerReview(w, r, v, reason, err)
		return
	}
	redirect(w, r, "/miit/console/reviews/"+strconv.FormatInt(id, 10), "decided")
}

// ---- public query ---------------------------------------------------------------------------------------

type queryData struct {
	Kind    string
	Q       string
	Kinds   []Option
	Records []miit.Record
	Asked   bool
}

func (s *Server) queryPage(w http.ResponseWriter, r *http.Request, v *view) {
	v.Area, v.Current = "query", "query"
	q := r.URL.Query()
	kind := q.Get("kind")
	if kind != "number" && kind != "subject_name" {
		kind = "domain"
	}
	d := &queryData{Kind: kind, Q: strings.TrimSpace(q.Get("q"))}
	for _, k := range []string{"domain", "number", "subject_name"} {
		d.Kinds = append(d.Kinds, Option{Value: k, Label: v.t("web.query.kind." + k), Selected: k == kind})
	}
	v.D = d
	status := http.StatusOK
	if _, asked := q["q"]; asked {
		d.Asked = true
		in := miit.Query{}
		switch kind {
		case "number":
			in.Number = d.Q
		case "subject_name":
			in.SubjectName = d.Q
		default:
			in.Domain = d.Q
		}
		var err error
		if d.Q == "" {
			err = problem.Invalidf("query.empty", "q")
		} else {
			d.Records, err = s.miit.Query(v.ctx(), in)
		}
		if err != nil {
			v.Errors = s.pageErrors(r, err)
			for i := range v.Errors {
				v.Errors[i].Target = "#q"
			}
			status = statusFor(err)
		}
	}
	s.render(w, v, status, "query")
}

// ---- demo tools -----------------------------------------------------------------------------------------

type demoData struct {
	To       string
	Messages []store.DevMessage
	Clock    clockBody
	Advances []Option
}

func (s *Server) demoPage(w http.ResponseWriter, r *http.Request, v *view) {
	v.Area, v.Current = "demo", "demo"
	if !s.Demo {
		s.fail(w, r, v, problem.New(problem.NotFound, "common.not_found", ""))
		return
	}
	to := strings.TrimSpace(r.URL.Query().Get("to"))
	msgs, err := s.svc.Store().DevMessages(v.ctx(), to, 100)
	if err != nil {
		s.fail(w, r, v, err)
		return
	}
	d := &demoData{To: to, Messages: msgs, Clock: s.clockState()}
	for _, a := range []string{"1h", "25h", "72h", "168h", "720h"} {
		d.Advances = append(d.Advances, Option{Value: a, Label: v.t("web.demo.advance." + a)})
	}
	v.D = d
	s.render(w, v, http.StatusOK, "demo")
}

func (s *Server) demoClock(w http.ResponseWriter, r *http.Request, v *view) {
	if !s.Demo || s.Adjust == nil {
		s.fail(w, r, v, problem.New(problem.Forbidden, "dev.clock_fixed", ""))
		return
	}
	d, err := time.ParseDuration(r.PostFormValue("advance"))
	if err != nil || d <= 0 || d > 366*24*time.Hour {
		s.fail(w, r, v, problem.Invalidf("dev.bad_duration", "advance"))
		return
	}
	if _, err := s.Adjust.Advance(d); err != nil {
		s.fail(w, r, v, err)
		return
	}
	if s.AfterAdvance != nil {
		s.AfterAdvance()
	}
	redirect(w, r, "/demo", "clock")
}
