// Package mpsweb is the police filing platform simulator's HTTP side: its JSON API under /mps/api/v1 and its
// server-rendered pages under /mps (PC and phone, zh-CN / zh-TW / en). The platform has its own accounts, so it
// has its own session cookie (mps_session, path /mps) and its own brand, menu and footer in the site's shared
// page frame (internal/web templates/frame.html); everything else is the shared plumbing of internal/web: the
// site's route table and middleware (request id, language, access log, cross-origin protection), JSON responses
// and problem errors.
// Handlers decode, authorise and call the simulator's use cases; they hold no rules.
package mpsweb

import (
	"context"
	"log/slog"
	"net/http"
	"slices"

	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/mps"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/web"
)

// Server is the platform's pages and API, mounted on a shared site.
type Server struct {
	site *web.Site
	Sim  *mps.Simulator
	// Demo exposes the captcha answers (GET /mps/api/v1/dev/captchas/{id}); never in production.
	Demo bool
}

// New registers the platform's API and pages on site. sim may be nil when only the route table is wanted (the
// OpenAPI test).
func New(site *web.Site, sim *mps.Simulator, demo bool) *Server {
	s := &Server{site: site, Sim: sim, Demo: demo}
	s.apiRoutes()
	s.pageRoutes()
	return s
}

// SessionCookie is the platform's session cookie.
const SessionCookie = "mps_session"

// problems renders err's problems in the request's language; an internal error is logged and becomes the one
// generic message with status 500.
func problems(r *http.Request, err error) (int, []web.APIError) {
	list := problem.As(err)
	for _, e := range list {
		if e.Kind == problem.Internal {
			slog.Error("mps: internal error", "method", r.Method, "path", r.URL.Path, "request_id", web.RequestID(r), "err", e)
			return http.StatusInternalServerError, []web.APIError{{Code: "internal",
				Message: i18n.T(web.LangOf(r), "common.internal", nil)}}
		}
	}
	return web.StatusFor(err), web.Translate(r, list)
}

func token(r *http.Request) string { return web.BearerOr(r, SessionCookie) }

// material is a stored material photo for u: any for staff, their own for an applicant.
func (s *Server) material(ctx context.Context, u *mps.User, id int64) ([]byte, error) {
	if u.Role == mps.RoleStaff {
		return s.Sim.StaffMaterial(ctx, u, id)
	}
	return s.Sim.OwnMaterial(ctx, u.ID, id)
}

// authed wraps an API handler that needs a platform user of one of roles (any role when none given).
func (s *Server) authed(fn func(w http.ResponseWriter, r *http.Request, u *mps.User), roles ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u, err := s.Sim.Authenticate(r.Context(), token(r))
		if err != nil {
			web.WriteError(w, r, err)
			return
		}
		if len(roles) > 0 && !slices.Contains(roles, u.Role) {
			web.WriteError(w, r, problem.New(problem.Forbidden, "mps.forbidden", ""))
			return
		}
		fn(w, r.WithContext(mps.WithUser(r.Context(), u)), u)
	}
}

func setSession(w http.ResponseWriter, r *http.Request, tok string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: tok, Path: "/mps", MaxAge: maxAge, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: web.SecureCookie(r)})
}
