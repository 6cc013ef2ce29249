package providerweb

import (
	"net/http"

	"github.com/beian/beian/internal/clock"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/web"
	"github.com/beian/beian/internal/workday"
)

// NewSignIn registers sign-in only (the login page and the session API, /api/v1/me) and, in demo mode, the
// operator's development outbox. The MIIT simulator in its own process (`beian miit serve`) signs its officers
// in with accounts of this shape (the sign-in seam of docs/architecture.md) and shows no provider page.
func NewSignIn(site *web.Site, svc *provider.Service, clk clock.Clock) *Server {
	s := &Server{Site: site, svc: svc, clock: clk, Calendar: workday.Default}
	site.AddTemplates(templates)
	s.Handle("POST", "/api/v1/session", s.login)
	s.Handle("DELETE", "/api/v1/session", s.logout)
	s.Handle("GET", "/api/v1/me", s.Authed(s.me))
	s.Handle("GET", "/api/v1/dev/messages", s.Authed(s.devMessages, provider.RoleOperator))
	s.HandlePage("GET", "/{$}", s.Page(s.simulatorHome))
	s.HandlePage("GET", "/login", s.Page(s.loginPage))
	s.HandlePage("POST", "/login", s.FormPost(s.loginSubmit))
	s.HandlePage("POST", "/logout", s.Page(s.logoutSubmit))
	return s
}

// simulatorHome sends officers to their console and everyone else to sign in.
func (s *Server) simulatorHome(w http.ResponseWriter, r *http.Request, v *web.View) {
	if v.User == nil {
		http.Redirect(w, r, "/login?next=/miit/console", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/miit/console", http.StatusSeeOther)
}
