package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/beian/beian/internal/access"
	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/problem"
)

type ctxKey int

const (
	keyLang ctxKey = iota
	keyRequestID
	keyOrigin // the scheme and client address (proxy.go)
)

// SessionCookie is the name of the browser session cookie.
const SessionCookie = "beian_session"

// RequestID is the id the request was logged under.
func RequestID(r *http.Request) string {
	id, _ := r.Context().Value(keyRequestID).(string)
	return id
}

// LangOf is the request's language (negotiated by the site for every request).
func LangOf(r *http.Request) i18n.Lang {
	if l, ok := r.Context().Value(keyLang).(i18n.Lang); ok {
		return l
	}
	return i18n.ZhCN
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

// base adds the request id and language to every request and logs it (without query strings, which may hold
// personal data such as a phone number being verified).
func (s *Site) base(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, 8)
		rand.Read(b)
		id := hex.EncodeToString(b)
		w.Header().Set("X-Request-Id", id)
		ctx := context.WithValue(r.Context(), keyRequestID, id)
		ctx = context.WithValue(ctx, keyLang, negotiate(r))
		ctx = context.WithValue(ctx, keyOrigin, s.Proxy.originOf(r))
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: 200}
		r2 := r.WithContext(ctx)
		next.ServeHTTP(rec, r2) // the mux sets r2.Pattern
		if s.Observe != nil {
			s.Observe(r2, rec.status, time.Since(start))
		}
		if s.AccessLog {
			slog.Info("http", "method", r.Method, "path", r.URL.Path, "status", rec.status,
				"ms", time.Since(start).Milliseconds(), "request_id", id)
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
