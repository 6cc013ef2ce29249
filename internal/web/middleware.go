package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/beian/beian/internal/access"
	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/problem"
)

type ctxKey int

const keyRequest ctxKey = iota // *request

// request is what the middleware knows of a request, in one context value: its id, and its language and
// origin, each worked out when first asked for (a public query that succeeds needs neither, and it is the
// hottest route).
type request struct {
	r          *http.Request // as it reached the middleware
	id         string
	proxy      Proxy
	langOnce   sync.Once
	lang       i18n.Lang
	originOnce sync.Once
	origin     origin
}

func requestOf(r *http.Request) *request {
	req, _ := r.Context().Value(keyRequest).(*request)
	return req
}

// SessionCookie is the name of the browser session cookie.
const SessionCookie = "beian_session"

// RequestID is the id the request was logged under.
func RequestID(r *http.Request) string {
	if req := requestOf(r); req != nil {
		return req.id
	}
	return ""
}

// LangOf is the request's language (negotiated by the site for every request).
func LangOf(r *http.Request) i18n.Lang {
	req := requestOf(r)
	if req == nil {
		return i18n.ZhCN
	}
	req.langOnce.Do(func() { req.lang = negotiate(req.r) })
	return req.lang
}

// negotiate picks the language: ?lang=, then the lang cookie, then Accept-Language (zh-CN by default).
func negotiate(r *http.Request) i18n.Lang {
	if l := i18n.Lang(r.URL.Query().Get("lang")); i18n.Valid(l) {
		return l
	}
	if c, err := r.Cookie("lang"); err == nil && i18n.Valid(i18n.Lang(c.Value)) {
		return i18n.Lang(c.Value)
	}
	return i18n.Parse(r.Header.Get("Accept-Language"))
}

// base adds the request id, language and origin to every request and logs it (without query strings, which
// may hold personal data such as a phone number being verified).
func (s *Site) base(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b [8]byte
		rand.Read(b[:])
		req := &request{r: r, id: hex.EncodeToString(b[:]), proxy: s.Proxy}
		w.Header().Set("X-Request-Id", req.id)
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: 200}
		r2 := r.WithContext(context.WithValue(r.Context(), keyRequest, req))
		next.ServeHTTP(rec, r2) // the mux sets r2.Pattern
		if s.Observe != nil {
			s.Observe(r2, rec.status, time.Since(start))
		}
		if s.AccessLog {
			slog.Info("http", "method", r.Method, "path", r.URL.Path, "status", rec.status,
				"ms", time.Since(start).Milliseconds(), "request_id", req.id)
		}
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Bearer is the request's session token: the Authorization header's, else the session cookie's.
func Bearer(r *http.Request) string { return BearerOr(r, SessionCookie) }

// BearerOr is the request's token: the Authorization header's, else the value of cookie (a part of the site with
// accounts of its own, such as the police platform, has its own session cookie).
func BearerOr(r *http.Request, cookie string) string {
	if h := r.Header.Get("Authorization"); h != "" {
		if t, ok := strings.CutPrefix(h, "Bearer "); ok {
			return strings.TrimSpace(t)
		}
	}
	if c, err := r.Cookie(cookie); err == nil {
		return c.Value
	}
	return ""
}

// ActorHandler is an endpoint that needs an authenticated actor.
type ActorHandler func(w http.ResponseWriter, r *http.Request, a access.Actor)

// Authed wraps a handler that needs a logged-in actor, optionally of given roles.
func (s *Site) Authed(h ActorHandler, roles ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token := Bearer(r)
		if token == "" {
			WriteError(w, r, problem.New(problem.Unauthenticated, "common.unauthenticated", ""))
			return
		}
		actor, _, err := s.sessions.Authenticate(r.Context(), token)
		if err != nil {
			WriteError(w, r, err)
			return
		}
		if len(roles) > 0 && !slices.Contains(roles, actor.Role) {
			WriteError(w, r, problem.New(problem.Forbidden, "common.forbidden", ""))
			return
		}
		h(w, r, actor)
	}
}
