package web

// The page frame: what every page receives (View), the wrapper that identifies the user, checks roles and
// refuses control characters (Page, and FormPost for a form that shows such text again beside its field), the
// language switch, redirects after a POST and the not-found page.

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/beian/beian/internal/access"
	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/problem"
)

// View is what every page template receives: the frame (language, user, navigation) and the page's data D.
type View struct {
	Lang   i18n.Lang
	Path   string // the current path and query, for the language switch
	Area   string // portal | console | miit | query | demo: which header to show
	Title  string
	User   *User
	Actor  access.Actor
	Demo   bool
	Unread int
	Flash  string // a success message after a redirect
	Errors []FieldError
	// InlineErrors: the page shows the error summary itself (below its step bar), not the layout.
	InlineErrors bool
	Langs        []LangLink
	Current      string // nav key of the current page
	D            any

	r       *http.Request
	refused error // the text of a form's POST that package cleantext refuses (FormPost)
}

// LangLink is one entry of the language switch.
type LangLink struct {
	Code, Name, URL string
	Current         bool
}

// FieldError is one error as a page shows it: the message, and where it belongs.
type FieldError struct {
	Field   string // JSON path from the API error, e.g. subject.principal.mobile
	Target  string // the id of the input it was mapped to ("" when none)
	Label   string // what the summary calls the field
	Message string

	// relabel renders Message again naming the field as the form that shows it labels it. The catalog's label
	// is only a default: a short form name means different things on different forms ("name" is a person's
	// name on the registration, an instance's name on the console's resources), or has no label at all.
	relabel func(label string) string
}

// labelled names the error's field as the form that shows it does.
func (e *FieldError) labelled(label string) {
	if e.relabel != nil && label != "" && label != e.Label {
		e.Label, e.Message = label, e.relabel(label)
	}
}

// T is the catalog text of key in the page's language.
func (v *View) T(key string) string { return i18n.T(v.Lang, key, nil) }

// Tf is T with parameters given as name, value pairs.
func (v *View) Tf(key string, kv ...string) string {
	p := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		p[kv[i]] = kv[i+1]
	}
	return i18n.T(v.Lang, key, p)
}

// PageHandler is a page: it fills v.D and renders, or fails.
type PageHandler func(w http.ResponseWriter, r *http.Request, v *View)

// Page wraps a page: it identifies the user from the session cookie and, when roles are given, sends visitors
// to the login page and refuses other roles. Text that package cleantext refuses, in the query or the form,
// answers with the error page.
func (s *Site) Page(h PageHandler, roles ...string) http.HandlerFunc { return s.page(h, false, roles) }

// FormPost is Page for the POST of a form: text that package cleantext refuses does not end in the error page
// but reaches h as v.Refused(), and h shows its form again with those errors beside their fields and the rest
// of what was typed, having acted on nothing.
func (s *Site) FormPost(h PageHandler, roles ...string) http.HandlerFunc {
	return s.page(h, true, roles)
}

// Refused is the problem of the text a form's POST carried that package cleantext refuses, nil when it is clean
// (always nil outside FormPost). A handler acts only when it is nil.
func (v *View) Refused() error { return v.refused }

func (s *Site) page(h PageHandler, form bool, roles []string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		setPageHeaders(w)
		v := &View{Lang: LangOf(r), Path: r.URL.RequestURI(), Demo: s.Demo, r: r}
		for _, l := range i18n.Langs {
			v.Langs = append(v.Langs, LangLink{Code: string(l), Name: i18n.T(l, "web.lang.self", nil),
				URL: "/lang?to=" + string(l) + "&next=" + url.QueryEscape(stripLang(r.URL)), Current: l == v.Lang})
		}
		if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
			if actor, acc, err := s.sessions.Authenticate(r.Context(), c.Value); err == nil {
				v.User, v.Actor = acc, actor
			}
		}
		if len(roles) > 0 {
			if v.User == nil {
				http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			if !slices.Contains(roles, v.Actor.Role) {
				s.Fail(w, r, v, problem.New(problem.Forbidden, "common.forbidden", ""))
				return
			}
		}
		if err := formText(r); err != nil {
			if !form || !typedForm(r) {
				s.Fail(w, r, v, err)
				return
			}
			v.refused = err
		}
		if v.User != nil {
			v.Unread = s.sessions.Unread(r.Context(), v.Actor)
		}
		if ok := r.URL.Query().Get("ok"); ok != "" && flashKeys[ok] {
			v.Flash = v.T("web.flash." + ok)
		}
		h(w, r, v)
	}
}

// flashKeys are the success messages a redirect may ask for (?ok=…).
var flashKeys = map[string]bool{"saved": true, "recognised": true, "submitted": true, "withdrawn": true, "decided": true,
	"registered": true, "created": true, "resource": true, "issued": true, "read": true, "clock": true, "logged_out": true,
	"police_pushed": true,
	// after the number (docs/after-filing.md)
	"opened": true, "code_sent": true, "claimed": true, "curtain_requested": true, "call_logged": true,
	"claim_authorized": true, "curtain_dispatched": true,
	// requests for an authorization code
	"code_requested": true, "code_issued": true, "code_declined": true,
	// the homepage checker (docs/compliance.md)
	"sweep_started": true, "schedule_saved": true}

func setPageHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "+
		"form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
}

// stripLang drops ?lang= from a URL so that the switch does not fight an explicit parameter.
func stripLang(u *url.URL) string {
	q := u.Query()
	q.Del("lang")
	q.Del("ok")
	out := u.Path
	if e := q.Encode(); e != "" {
		out += "?" + e
	}
	return out
}

// LocalPath accepts only a path on this site as a redirect target.
func LocalPath(p, def string) string {
	if p == "" || !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") {
		return def
	}
	return p
}

// switchLang remembers the chosen language in the lang cookie and returns to the page.
func (s *Site) switchLang(w http.ResponseWriter, r *http.Request) {
	l := i18n.Lang(r.URL.Query().Get("to"))
	if i18n.Valid(l) {
		http.SetCookie(w, &http.Cookie{Name: "lang", Value: string(l), Path: "/", MaxAge: 365 * 24 * 3600,
			SameSite: http.SameSiteLaxMode, Secure: SecureCookie(r)})
		s.keepLang(r, l)
	}
	http.Redirect(w, r, LocalPath(r.URL.Query().Get("next"), "/"), http.StatusSeeOther)
}

// Redirect sends the browser on after a successful POST (post/redirect/get), with an optional flash key.
func Redirect(w http.ResponseWriter, r *http.Request, to, ok string) {
	if ok != "" {
		sep := "?"
		if strings.Contains(to, "?") {
			sep = "&"
		}
		frag := ""
		if i := strings.IndexByte(to, '#'); i >= 0 {
			to, frag = to[:i], to[i:]
		}
		to += sep + "ok=" + ok + frag
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

// Ctx is the page request's context.
func (v *View) Ctx() context.Context { return v.r.Context() }

// notFound answers unknown paths: an HTML page for people, the JSON error under the API prefixes.
func (s *Site) notFound(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/api/") || strings.HasPrefix(r.URL.Path, "/miit/api/") ||
		strings.HasPrefix(r.URL.Path, "/mps/api/") {
		WriteError(w, r, problem.New(problem.NotFound, "common.not_found", ""))
		return
	}
	s.Page(func(w http.ResponseWriter, r *http.Request, v *View) {
		s.Fail(w, r, v, problem.New(problem.NotFound, "common.not_found", ""))
	})(w, r)
}
