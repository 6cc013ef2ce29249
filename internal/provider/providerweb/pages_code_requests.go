package providerweb

// The pages of requests for an authorization code: the applicant asks for a code for a domain and sees the
// answer; the reviewer sees every request on the console and issues a code or declines with a reason.

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/provider/store"
	"github.com/beian/beian/internal/web"
)

func (s *Server) codeRequestPageRoutes() {
	const applicant, reviewer, operator = provider.RoleApplicant, provider.RoleReviewer, provider.RoleOperator
	s.HandlePage("GET", "/code-requests", s.Page(s.codeRequestsPage, applicant))
	s.HandlePage("POST", "/code-requests", s.FormPost(s.codeRequestSubmit, applicant))
	s.HandlePage("GET", "/console/code-requests", s.Page(s.consoleCodeRequestsPage, reviewer, operator))
	s.HandlePage("POST", "/console/code-requests/{id}/issue", s.FormPost(s.codeRequestIssue, reviewer, operator))
	s.HandlePage("POST", "/console/code-requests/{id}/decline", s.FormPost(s.codeRequestDecline, reviewer, operator))
}

type codeRequestsData struct {
	Rows []store.CodeRequest
	Form *web.Form
}

func (s *Server) codeRequestForm(v *web.View, domain, reason string) *web.Form {
	return &web.Form{Sections: []*web.Section{{ID: "new-request", Title: v.T("authreq.web.new"), Intro: v.T("authreq.web.intro"),
		Fields: []*web.Field{
			v.Text("domain", domain).Req().Placed("example.cn").Auto("off").Hinted(v.T("authreq.web.domain_hint")),
			v.Field("textarea", "reason", reason).Req().Labelled(v.T("authreq.web.reason")).Hinted(v.T("authreq.web.reason_hint")).Widen(),
		}}}}
}

func (s *Server) codeRequestsPage(w http.ResponseWriter, r *http.Request, v *web.View) {
	s.showCodeRequests(w, r, v, s.codeRequestForm(v, r.URL.Query().Get("domain"), ""), http.StatusOK)
}

func (s *Server) showCodeRequests(w http.ResponseWriter, r *http.Request, v *web.View, f *web.Form, status int) {
	v.Area, v.Current, v.Title = "portal", "code_requests", v.T("authreq.web.title")
	v.InlineErrors = true // the page lists its errors above the form, the layout not again
	list, err := s.svc.CodeRequests(v.Ctx(), v.Actor)
	if err != nil {
		s.Fail(w, r, v, err)
		return
	}
	v.D = &codeRequestsData{Rows: list, Form: f}
	s.Render(w, v, status, "code_requests")
}

func (s *Server) codeRequestSubmit(w http.ResponseWriter, r *http.Request, v *web.View) {
	domain, reason := r.PostFormValue("domain"), r.PostFormValue("reason")
	err := v.Refused()
	if err == nil {
		_, err = s.svc.RequestAuthorizationCode(v.Ctx(), v.Actor, domain, reason)
	}
	if err != nil {
		if k := problem.KindOf(err); k != problem.Invalid && k != problem.Conflict {
			s.Fail(w, r, v, err)
			return
		}
		f := s.codeRequestForm(v, domain, reason)
		f.Place(s.PageErrors(r, err))
		v.SetErrors(f)
		s.showCodeRequests(w, r, v, f, web.StatusFor(err))
		return
	}
	web.Redirect(w, r, "/code-requests", "code_requested")
}

// consoleCodeRequestsData is the reviewer's list; Typed keeps what was typed into the form of request Failed.
type consoleCodeRequestsData struct {
	Rows   []store.CodeRequest
	Owners map[int64]string
	Failed int64
	Typed  map[string]string
}

func (s *Server) consoleCodeRequestsPage(w http.ResponseWriter, r *http.Request, v *web.View) {
	s.showConsoleCodeRequests(w, r, v, 0, nil, http.StatusOK)
}

func (s *Server) showConsoleCodeRequests(w http.ResponseWriter, r *http.Request, v *web.View, failed int64, errs error, status int) {
	v.Area, v.Current, v.Title = "console", "code_requests", v.T("authreq.web.console_title")
	list, err := s.svc.CodeRequests(v.Ctx(), v.Actor)
	if err != nil {
		s.Fail(w, r, v, err)
		return
	}
	d := &consoleCodeRequestsData{Rows: list, Owners: map[int64]string{}, Failed: failed,
		Typed: map[string]string{"validity_days": "30"}}
	for _, q := range list {
		if _, ok := d.Owners[q.AccountID]; !ok {
			if label, err := s.svc.AccountLabel(v.Ctx(), v.Actor, q.AccountID); err == nil {
				d.Owners[q.AccountID] = label
			}
		}
	}
	if errs != nil {
		n := strconv.FormatInt(failed, 10)
		ids := map[string]web.Input{"ips": {ID: "ips-" + n, Label: v.T("web.resources.ips")},
			"validity_days": {ID: "validity_days-" + n, Label: v.T("web.codes.validity")},
			"reason":        {ID: "reason-" + n, Label: v.T("authreq.web.decline_reason")}}
		for k := range ids {
			if _, sent := r.PostForm[k]; sent { // the other form's fields keep their defaults
				d.Typed[k] = r.PostFormValue(k)
			}
		}
		v.Errors = s.PageErrors(r, errs)
		v.AimErrors("", ids)
	}
	v.D, v.InlineErrors = d, true // the page lists its errors itself, the layout not again
	s.Render(w, v, status, "console_code_requests")
}

// decided shows the list again after a decision: with the error beside the request's form, or with a flash.
func (s *Server) decided(w http.ResponseWriter, r *http.Request, v *web.View, id int64, err error, ok string) {
	if err == nil {
		web.Redirect(w, r, "/console/code-requests", ok)
		return
	}
	if k := problem.KindOf(err); k != problem.Invalid && k != problem.Conflict {
		s.Fail(w, r, v, err)
		return
	}
	s.showConsoleCodeRequests(w, r, v, id, err, web.StatusFor(err))
}

func (s *Server) codeRequestIssue(w http.ResponseWriter, r *http.Request, v *web.View) {
	id, err := web.PathID(r)
	if err != nil {
		s.Fail(w, r, v, err)
		return
	}
	if err := v.Refused(); err != nil {
		s.decided(w, r, v, id, err, "")
		return
	}
	days, derr := strconv.Atoi(strings.TrimSpace(r.PostFormValue("validity_days")))
	if derr != nil || days <= 0 || days > 366 {
		s.decided(w, r, v, id, problem.Invalidf("web.error.validity_days", "validity_days"), "")
		return
	}
	_, err = s.svc.IssueRequestedCode(v.Ctx(), v.Actor, id, lines(r.PostFormValue("ips")), time.Duration(days)*24*time.Hour)
	s.decided(w, r, v, id, err, "code_issued")
}

func (s *Server) codeRequestDecline(w http.ResponseWriter, r *http.Request, v *web.View) {
	id, err := web.PathID(r)
	if err != nil {
		s.Fail(w, r, v, err)
		return
	}
	if err = v.Refused(); err == nil {
		_, err = s.svc.DeclineCodeRequest(v.Ctx(), v.Actor, id, r.PostFormValue("reason"))
	}
	s.decided(w, r, v, id, err, "code_declined")
}
