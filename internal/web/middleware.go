package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/provider/store"
)

type ctxKey int

const (
	keyActor ctxKey = iota
	keyAccount
	keyLang
	keyRequestID
)

// SessionCookie is the name of the browser session cookie.
const SessionCookie = "beian_session"

func requestID(r *http.Request) string {
	id, _ := r.Context().Value(keyRequestID).(string)
	return id
}

func langOf(r *http.Request) i18n.Lang {
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
func (s *Server) base(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, 8)
		rand.Read(b)
		id := hex.EncodeToString(b)
		w.Header().Set("X-Request-Id", id)
		ctx := context.WithValue(r.Context(), keyRequestID, id)
		ctx = context.WithValue(ctx, keyLang, negotiate(r))
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: 200}
		next.ServeHTTP(rec, r.WithContext(ctx))
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

func bearer(r *http.Request) string {
	if h := r.Header.Get("Authorization"); h != "" {
		if t, ok := strings.CutPrefix(h, "Bearer "); ok {
			return strings.TrimSpace(t)
		}
	}
	if c, err := r.Cookie(SessionCookie); err == nil {
		return c.Value
	}
	return ""
}

// authed wraps a handler that needs a logged-in actor, optionally of given roles.
func (s *Server) authed(h func(w http.ResponseWriter, r *http.Request, a provider.Actor), roles ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token := bearer(r)
		if token == "" {
			writeError(w, r, problem.New(problem.Unauthenticated, "common.unauthenticated", ""))
			return
		}
		actor, account, err := s.svc.Authenticate(r.Context(), token)
		if err != nil {
			writeError(w, r, err)
			return
		}
		if len(roles) > 0 && !contains(roles, actor.Role) {
			writeError(w, r, problem.New(problem.Forbidden, "common.forbidden", ""))
			return
		}
		ctx := context.WithValue(r.Context(), keyActor, actor)
		ctx = context.WithValue(ctx, keyAccount, account)
		h(w, r.WithContext(ctx), actor)
	}
}

func accountOf(r *http.Request) *store.Account {
	a, _ := r.Context().Value(keyAccount).(*store.Account)
	return a
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
