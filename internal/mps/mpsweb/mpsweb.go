// Package mpsweb is the police filing platform simulator's HTTP adapter: its JSON API under /mps/api/v1 and its
// server-rendered pages under /mps (PC and phone, zh-CN / zh-TW / en). The platform has its own accounts, so it
// has its own session cookie (mps_session, path /mps) and does not know the provider's users. Handlers decode,
// authorise and call the simulator's use cases; they hold no rules.
//
// Wiring: Register(h, handle) adds the API routes through the server's route table (so the OpenAPI test sees
// them) and Pages(h, mux) the pages; h may be nil when only the route table is wanted.
package mpsweb

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/mps"
	"github.com/beian/beian/internal/problem"
)

// Handler serves the platform.
type Handler struct {
	Sim *mps.Simulator
	// Demo exposes the captcha answers (GET /mps/api/v1/dev/captchas/{id}); never in production.
	Demo bool
	// Asset returns the versioned URL of a shared static file (app.css); the pages use the portal's styles.
	Asset func(name string) string
}

// SessionCookie is the platform's session cookie.
const SessionCookie = "mps_session"

type ctxKey int

const keyUser ctxKey = 0

// statusOf maps a problem kind to its HTTP status.
var statusOf = map[problem.Kind]int{
	problem.Internal:        http.StatusInternalServerError,
	problem.Invalid:         http.StatusUnprocessableEntity,
	problem.NotFound:        http.StatusNotFound,
	problem.Conflict:        http.StatusConflict,
	problem.Unauthenticated: http.StatusUnauthorized,
	problem.Forbidden:       http.StatusForbidden,
	problem.TooMany:         http.StatusTooManyRequests,
}

// langOf picks the language: ?lang=, then the lang cookie, then Accept-Language (zh-CN by default).
func langOf(r *http.Request) i18n.Lang {
	if l := i18n.Lang(r.URL.Query().Get("lang")); i18n.Valid(l) {
		return l
	}
	if c, err := r.Cookie("lang"); err == nil && i18n.Valid(i18n.Lang(c.Value)) {
		return i18n.Lang(c.Value)
	}
	return i18n.Parse(r.Header.Get("Accept-Language"))
}

// apiError is one error in a response.
type apiError struct {
	Code    string `json:"code"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// messages renders err's problems in lang; internal errors are logged and shown as one generic message.
func messages(r *http.Request, err error) (int, []apiError) {
	list := problem.As(err)
	lang := langOf(r)
	for _, e := range list {
		if e.Kind == problem.Internal {
			slog.Error("mps: internal error", "method", r.Method, "path", r.URL.Path, "err", e)
			return 500, []apiError{{Code: "internal", Message: i18n.T(lang, "mps.internal", nil)}}
		}
	}
	out := make([]apiError, 0, len(list))
	for _, e := range list {
		out = append(out, apiError{Code: e.Code, Field: e.Field, Message: i18n.T(lang, e.Code, e.Params)})
	}
	return statusOf[list[0].Kind], out
}

func writeError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, context.Canceled) && r.Context().Err() != nil {
		return
	}
	status, errs := messages(r, err)
	writeJSON(w, status, map[string]any{"error": errs[0], "errors": errs})
}

func respond(w http.ResponseWriter, r *http.Request, status int, v any, err error) {
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, status, v)
}

const maxBody = 1 << 20

// decode reads a JSON body, refusing unknown fields and trailing data.
func decode(r *http.Request, v any) error {
	dec := json.NewDecoder(io.LimitReader(r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			return problem.Invalidf("common.unknown_field", strings.Trim(f, `"`), "field", strings.Trim(f, `"`))
		}
		return problem.Invalidf("common.invalid_json", "", "detail", err.Error())
	}
	if dec.More() {
		return problem.Invalidf("common.invalid_json", "", "detail", "trailing data")
	}
	return nil
}

func token(r *http.Request) string {
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

// authed wraps an API handler that needs a platform user of one of roles (any role when none given).
func (h *Handler) authed(fn func(w http.ResponseWriter, r *http.Request, u *mps.User), roles ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		u, err := h.Sim.Authenticate(r.Context(), token(r))
		if err != nil {
			writeError(w, r, err)
			return
		}
		if len(roles) > 0 && !contains(roles, u.Role) {
			writeError(w, r, problem.New(problem.Forbidden, "mps.forbidden", ""))
			return
		}
		fn(w, r, u)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, problem.New(problem.NotFound, "mps.not_found", "")
	}
	return id, nil
}

func setSession(w http.ResponseWriter, r *http.Request, tok string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: tok, Path: "/mps", MaxAge: maxAge, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
}
