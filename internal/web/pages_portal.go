package web

import (
	"net/http"
	"strconv"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/provider/store"
)

// homeData is the applicant's start page: their orders, filed subjects and a button for a new filing.
type homeData struct {
	Orders   []orderRow
	Filed    []store.FiledSubject
	Login    *form
	Next     string
	DemoHint bool
}

// orderRow is an order in a list, with where "continue" leads.
type orderRow struct {
	store.OrderSummary
	Link     string
	Editable bool
	Title    string
}

func (s *Server) homePage(w http.ResponseWriter, r *http.Request, v *view) {
	if v.User == nil {
		v.Area, v.Current = "portal", "home"
		s.render(w, v, http.StatusOK, "home")
		return
	}
	switch v.Actor.Role {
	case provider.RoleReviewer, provider.RoleOperator:
		http.Redirect(w, r, "/console", http.StatusSeeOther)
		return
	case provider.RoleOfficer:
		http.Redirect(w, r, "/miit/console", http.StatusSeeOther)
		return
	}
	v.Area, v.Current = "portal", "home"
	d := &homeData{}
	list, _, err := s.svc.ListOrders(v.ctx(), v.Actor, store.OrderFilter{Limit: 50})
	if err != nil {
		s.fail(w, r, v, err)
		return
	}
	d.Orders = orderRows(v, list)
	if filed, err := s.svc.Store().FiledSubjects(v.ctx(), v.User.ID); err == nil {
		d.Filed = filed
	}
	v.D = d
	s.render(w, v, http.StatusOK, "dashboard")
}

func orderRows(v *view, list []store.OrderSummary) []orderRow {
	out := make([]orderRow, 0, len(list))
	for _, o := range list {
		row := orderRow{OrderSummary: o, Editable: o.State.Editable(), Link: "/orders/" + strconv.FormatInt(o.ID, 10)}
		row.Title = o.SubjectName
		if row.Title == "" {
			row.Title = v.tf("web.orders.untitled", "id", strconv.FormatInt(o.ID, 10))
		}
		out = append(out, row)
	}
	return out
}

func (s *Server) ordersPage(w http.ResponseWriter, r *http.Request, v *view) {
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// ---- login and registration -----------------------------------------------------------------------------

func (s *Server) loginForm(v *view, email, next string) *form {
	f := &form{Sections: []*Section{{ID: "login", Fields: []*Field{
		v.field("email", "email", email).req().auto("username").labelled(v.t("web.account.email")),
		v.field("password", "password", "").req().auto("current-password").labelled(v.t("web.account.password")),
	}}}}
	return f
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request, v *view) {
	v.Area, v.Current = "portal", "login"
	next := localPath(r.URL.Query().Get("next"), "/")
	v.D = &homeData{Login: s.loginForm(v, "", ""), Next: next, DemoHint: s.Demo}
	s.render(w, v, http.StatusOK, "login")
}

func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request, v *view) {
	v.Area, v.Current = "portal", "login"
	email, pw := r.PostFormValue("email"), r.PostFormValue("password")
	next := localPath(r.PostFormValue("next"), "/")
	token, _, err := s.svc.Login(v.ctx(), email, pw)
	if err != nil {
		f := s.loginForm(v, email, next)
		f.place(s.pageErrors(r, err))
		v.setErrors(f)
		v.D = &homeData{Login: f, Next: next, DemoHint: s.Demo}
		s.render(w, v, http.StatusUnauthorized, "login")
		return
	}
	setSession(w, r, token)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func setSession(w http.ResponseWriter, r *http.Request, token string) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: token, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
}

func (s *Server) logoutSubmit(w http.ResponseWriter, r *http.Request, v *view) {
	if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
		s.svc.Logout(v.ctx(), c.Value)
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true})
	redirect(w, r, "/", "logged_out")
}

func (s *Server) registerForm(v *view, in provider.Registration) *form {
	return &form{Sections: []*Section{{ID: "register", Fields: []*Field{
		v.field("email", "email", in.Email).req().auto("email").labelled(v.t("web.account.email")).
			hint(v.t("web.account.email_hint")),
		v.text("name", in.Name).req().auto("name").labelled(v.t("web.account.name")),
		v.field("tel", "mobile", in.Mobile).auto("tel").mode("numeric").labelled(v.t("web.account.mobile")).
			hint(v.t("web.account.mobile_hint")),
		v.field("password", "password", "").req().auto("new-password").labelled(v.t("web.account.password")).
			hint(v.t("web.account.password_hint")),
		v.field("password", "password2", "").req().auto("new-password").labelled(v.t("web.account.password2")),
	}}}}
}

func (s *Server) registerPage(w http.ResponseWriter, r *http.Request, v *view) {
	v.Area, v.Current = "portal", "register"
	v.D = s.registerForm(v, provider.Registration{})
	s.render(w, v, http.StatusOK, "register")
}

func (s *Server) registerSubmit(w http.ResponseWriter, r *http.Request, v *view) {
	v.Area, v.Current = "portal", "register"
	in := provider.Registration{Email: r.PostFormValue("email"), Name: r.PostFormValue("name"),
		Mobile: r.PostFormValue("mobile"), Password: r.PostFormValue("password"), Lang: string(v.Lang)}
	var err error
	if in.Password != r.PostFormValue("password2") {
		err = problem.Invalidf("web.error.password_mismatch", "password2")
	} else {
		_, err = s.svc.Register(v.ctx(), in)
	}
	if err != nil {
		f := s.registerForm(v, in)
		f.place(s.pageErrors(r, err))
		v.setErrors(f)
		v.D = f
		s.render(w, v, http.StatusUnprocessableEntity, "register")
		return
	}
	token, _, err := s.svc.Login(v.ctx(), in.Email, in.Password)
	if err != nil {
		s.fail(w, r, v, err)
		return
	}
	setSession(w, r, token)
	redirect(w, r, "/", "registered")
}

// ---- inbox ----------------------------------------------------------------------------------------------

func (s *Server) inboxPage(w http.ResponseWriter, r *http.Request, v *view) {
	v.Area, v.Current = "portal", "inbox"
	msgs, err := s.svc.Store().Inbox(v.ctx(), v.User.ID, 100)
	if err != nil {
		s.fail(w, r, v, err)
		return
	}
	v.D = msgs
	s.render(w, v, http.StatusOK, "inbox")
}

func (s *Server) inboxRead(w http.ResponseWriter, r *http.Request, v *view) {
	id, err := pathID(r)
	if err == nil {
		var ok bool
		ok, err = s.svc.Store().MarkInboxRead(v.ctx(), v.User.ID, id, s.clock.Now())
		if err == nil && !ok {
			err = problem.New(problem.NotFound, "common.not_found", "id")
		}
	}
	if err != nil {
		s.fail(w, r, v, err)
		return
	}
	to := "/inbox"
	if o := r.PostFormValue("order"); o != "" {
		if _, err := strconv.ParseInt(o, 10, 64); err == nil {
			to = "/orders/" + o
		}
	}
	redirect(w, r, to, "")
}

// stateClass is the CSS class of a state badge.
func stateClass(st filing.State) string {
	switch st {
	case filing.Approved:
		return "ok"
	case filing.NeedsChanges, filing.ProviderRejected, filing.AdministrationRejected, filing.Returned:
		return "warn"
	case filing.Withdrawn:
		return "off"
	case filing.Draft:
		return "draft"
	}
	return "busy"
}
