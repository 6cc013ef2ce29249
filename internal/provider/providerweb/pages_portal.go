package providerweb

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/provider/store"
	"github.com/beian/beian/internal/web"
)

// homeData is the applicant's start page: their orders, filed subjects and a button for a new filing.
type homeData struct {
	Orders []orderRow
	// Filed are the filed subjects with their services as the registry holds them now, as My filings lists them;
	// FiledNote says when the registry could not be read and only the subjects are listed.
	Filed     []filedRow
	FiledNote string
	Login     *web.Form
	Next      string
	DemoHint  bool
}

// filedRow is a filed subject on the dashboard, with its services.
type filedRow struct {
	Name, Number string
	Cancelled    bool
	Services     []filedServiceRow
}

type filedServiceRow struct{ Number, Name, Domain string }

// filedOnDashboard reads the applicant's filed subjects through the registry, like My filings (/filings), so that
// both list the same services: the provider's own tables hold the services filed through its orders only, not
// those of a claimed subject. A registry that does not answer leaves the subjects from the provider's tables.
func (s *Server) filedOnDashboard(v *web.View) ([]filedRow, string) {
	list, err := s.svc.MyFilings(v.Ctx(), v.Actor)
	if err != nil {
		subjects, err := s.svc.FiledSubjects(v.Ctx(), v.Actor)
		if err != nil || len(subjects) == 0 {
			return nil, ""
		}
		out := make([]filedRow, 0, len(subjects))
		for _, fs := range subjects {
			out = append(out, filedRow{Name: fs.Name, Number: fs.Number})
		}
		return out, v.T("web.dashboard.filed_unavailable")
	}
	out := make([]filedRow, 0, len(list))
	for _, f := range list {
		row := filedRow{Name: f.Name, Number: f.Number, Cancelled: f.Cancelled}
		for _, svc := range f.Services {
			sr := filedServiceRow{Number: svc.Number, Name: svc.Name}
			if len(svc.Domains) > 0 {
				sr.Domain = svc.Domains[0]
			}
			row.Services = append(row.Services, sr)
		}
		out = append(out, row)
	}
	return out, ""
}

// orderRow is an order in a list, with where "continue" leads.
type orderRow struct {
	store.OrderSummary
	Link     string
	Editable bool
	Title    string
}

// publicHome is the public start page: the steps of a filing, the verification step as this provider does it.
type publicHome struct {
	Curtain bool // principals verify by the curtain photo (else the white-background face photo)
}

func (s *Server) homePage(w http.ResponseWriter, r *http.Request, v *web.View) {
	if v.User == nil {
		v.Area, v.Current = "portal", "home"
		v.D = &publicHome{Curtain: s.svc.Method() == provider.MethodCurtain}
		s.Render(w, v, http.StatusOK, "home")
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
	list, _, err := s.svc.ListOrders(v.Ctx(), v.Actor, store.OrderFilter{Limit: 50})
	if err != nil {
		s.Fail(w, r, v, err)
		return
	}
	d.Orders = orderRows(v, list)
	d.Filed, d.FiledNote = s.filedOnDashboard(v)
	v.D = d
	s.Render(w, v, http.StatusOK, "dashboard")
}

func orderRows(v *web.View, list []store.OrderSummary) []orderRow {
	out := make([]orderRow, 0, len(list))
	for _, o := range list {
		row := orderRow{OrderSummary: o, Editable: o.State.Editable(), Link: "/orders/" + strconv.FormatInt(o.ID, 10)}
		row.Title = o.SubjectName
		if row.Title == "" {
			row.Title = v.Tf("web.orders.untitled", "id", strconv.FormatInt(o.ID, 10))
		}
		out = append(out, row)
	}
	return out
}

func (s *Server) ordersPage(w http.ResponseWriter, r *http.Request, v *web.View) {
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// ---- login and registration -----------------------------------------------------------------------------

func (s *Server) loginForm(v *web.View, email, next string) *web.Form {
	f := &web.Form{Sections: []*web.Section{{ID: "login", Fields: []*web.Field{
		v.Field("email", "email", email).Req().Auto("username").Labelled(v.T("web.account.email")),
		v.Field("password", "password", "").Req().Auto("current-password").Labelled(v.T("web.account.password")),
	}}}}
	return f
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request, v *web.View) {
	v.Area, v.Current = "portal", "login"
	next := web.LocalPath(r.URL.Query().Get("next"), "/")
	email := r.URL.Query().Get("email") // after registering
	v.D = &homeData{Login: s.loginForm(v, email, ""), Next: next, DemoHint: s.Demo}
	s.Render(w, v, http.StatusOK, "login")
}

func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request, v *web.View) {
	v.Area, v.Current = "portal", "login"
	email, pw := r.PostFormValue("email"), r.PostFormValue("password")
	next := web.LocalPath(r.PostFormValue("next"), "/")
	err := v.Refused()
	var token string
	if err == nil {
		token, _, err = s.svc.Login(v.Ctx(), email, pw, web.ClientAddr(r))
	}
	if err != nil {
		if k := problem.KindOf(err); k != problem.Unauthenticated && k != problem.TooMany && k != problem.Invalid {
			s.Fail(w, r, v, err)
			return
		}
		f := s.loginForm(v, email, next)
		f.Place(s.PageErrors(r, err))
		v.SetErrors(f)
		v.D = &homeData{Login: f, Next: next, DemoHint: s.Demo}
		web.SetRetryAfter(w, err)
		s.Render(w, v, web.StatusOf[problem.KindOf(err)], "login")
		return
	}
	setSession(w, r, token)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func setSession(w http.ResponseWriter, r *http.Request, token string) {
	http.SetCookie(w, &http.Cookie{Name: web.SessionCookie, Value: token, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: web.SecureCookie(r)})
}

func (s *Server) logoutSubmit(w http.ResponseWriter, r *http.Request, v *web.View) {
	if c, err := r.Cookie(web.SessionCookie); err == nil && c.Value != "" {
		s.svc.Logout(v.Ctx(), c.Value)
	}
	http.SetCookie(w, &http.Cookie{Name: web.SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true})
	web.Redirect(w, r, "/", "logged_out")
}

func (s *Server) registerForm(v *web.View, in provider.Registration) *web.Form {
	return &web.Form{Sections: []*web.Section{{ID: "register", Fields: []*web.Field{
		v.Field("email", "email", in.Email).Req().Auto("email").Labelled(v.T("web.account.email")).
			Hinted(v.T("web.account.email_hint")),
		v.Text("name", in.Name).Req().Auto("name").Labelled(v.T("web.account.name")),
		v.Field("tel", "mobile", in.Mobile).Auto("tel").Mode("numeric").Labelled(v.T("web.account.mobile")).
			Hinted(v.T("web.account.mobile_hint")),
		v.Field("password", "password", "").Req().Auto("new-password").Labelled(v.T("web.account.password")).
			Hinted(v.T("web.account.password_hint")),
		v.Field("password", "password2", "").Req().Auto("new-password").Labelled(v.T("web.account.password2")),
	}}}}
}

func (s *Server) registerPage(w http.ResponseWriter, r *http.Request, v *web.View) {
	v.Area, v.Current = "portal", "register"
	v.D = s.registerForm(v, provider.Registration{})
	s.Render(w, v, http.StatusOK, "register")
}

func (s *Server) registerSubmit(w http.ResponseWriter, r *http.Request, v *web.View) {
	v.Area, v.Current = "portal", "register"
	in := provider.Registration{Email: r.PostFormValue("email"), Name: r.PostFormValue("name"),
		Mobile: r.PostFormValue("mobile"), Password: r.PostFormValue("password"), Lang: string(v.Lang)}
	err := v.Refused()
	switch {
	case err != nil:
	case in.Password != r.PostFormValue("password2"): // every problem at once, the account not opened
		err = append(problem.As(s.svc.CheckRegistration(in)), problem.Invalidf("web.error.password_mismatch", "password2")).Err()
	default:
		_, err = s.svc.Register(v.Ctx(), in)
	}
	if err != nil {
		f := s.registerForm(v, in)
		f.Place(s.PageErrors(r, err))
		v.SetErrors(f)
		v.D = f
		s.Render(w, v, http.StatusUnprocessableEntity, "register")
		return
	}
	// No login here: a new account and an address that already had one are answered alike (provider.Register).
	web.Redirect(w, r, "/login?email="+url.QueryEscape(strings.TrimSpace(in.Email)), "registered")
}

// ---- inbox ----------------------------------------------------------------------------------------------

func (s *Server) inboxPage(w http.ResponseWriter, r *http.Request, v *web.View) {
	v.Area, v.Current = "portal", "inbox"
	msgs, err := s.svc.Inbox(v.Ctx(), v.Actor, 100)
	if err != nil {
		s.Fail(w, r, v, err)
		return
	}
	v.D = msgs
	s.Render(w, v, http.StatusOK, "inbox")
}

func (s *Server) inboxRead(w http.ResponseWriter, r *http.Request, v *web.View) {
	id, err := web.PathID(r)
	if err == nil {
		err = s.svc.MarkInboxRead(v.Ctx(), v.Actor, id)
	}
	if err != nil {
		s.Fail(w, r, v, err)
		return
	}
	to := "/inbox"
	if o := r.PostFormValue("order"); o != "" {
		if _, err := strconv.ParseInt(o, 10, 64); err == nil {
			to = "/orders/" + o
		}
	}
	web.Redirect(w, r, to, "")
}

// stateClass is the CSS class of a state badge.
