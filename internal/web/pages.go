package web

// The HTML pages (issue #4): the applicant's portal and filing wizard, the reviewer's console, the MIIT
// simulator's SMS verification page and officer console, the public query and the demo tools. They are
// server-rendered with html/template from embedded files, work as plain HTML forms (a little vanilla JS only
// enhances them), and call the same use cases as the JSON API.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/beian/beian/internal/codes"
	"github.com/beian/beian/internal/divisions"
	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/provider/store"
	"github.com/beian/beian/internal/workday"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// pageRoutes registers the HTML pages. They are kept out of s.routes, which lists the JSON API only (the
// OpenAPI test compares that table with the published document).
func (s *Server) pageRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /static/{hash}/{name}", serveStatic)
	mux.HandleFunc("GET /lang", s.switchLang)

	mux.HandleFunc("GET /{$}", s.pg(s.homePage))
	mux.HandleFunc("GET /login", s.pg(s.loginPage))
	mux.HandleFunc("POST /login", s.pg(s.loginSubmit))
	mux.HandleFunc("GET /register", s.pg(s.registerPage))
	mux.HandleFunc("POST /register", s.pg(s.registerSubmit))
	mux.HandleFunc("POST /logout", s.pg(s.logoutSubmit))

	const applicant = provider.RoleApplicant
	mux.HandleFunc("GET /orders", s.pg(s.ordersPage, applicant))
	mux.HandleFunc("GET /inbox", s.pg(s.inboxPage, applicant))
	mux.HandleFunc("POST /inbox/{id}/read", s.pg(s.inboxRead, applicant))
	mux.HandleFunc("GET /filings/new", s.pg(s.checkPage, applicant))
	mux.HandleFunc("POST /filings/new", s.pg(s.checkSubmit, applicant))
	mux.HandleFunc("GET /orders/{id}", s.pg(s.progressPage, applicant))
	mux.HandleFunc("GET /orders/{id}/{step}", s.pg(s.stepPage, applicant))
	mux.HandleFunc("POST /orders/{id}/{step}", s.pg(s.stepSubmit, applicant))
	mux.HandleFunc("GET /orders/{id}/withdraw", s.pg(s.withdrawPage, applicant))
	mux.HandleFunc("POST /orders/{id}/withdraw", s.pg(s.withdrawSubmit, applicant))

	const reviewer, operator = provider.RoleReviewer, provider.RoleOperator
	mux.HandleFunc("GET /console", s.pg(s.queuePage, reviewer, operator))
	mux.HandleFunc("GET /console/orders/{id}", s.pg(s.consoleOrderPage, reviewer, operator))
	mux.HandleFunc("POST /console/orders/{id}", s.pg(s.consoleDecide, reviewer))
	mux.HandleFunc("GET /console/resources", s.pg(s.resourcesPage, reviewer, operator))
	mux.HandleFunc("POST /console/resources", s.pg(s.resourceCreate, reviewer, operator))
	mux.HandleFunc("GET /console/codes", s.pg(s.codesPage, reviewer, operator))
	mux.HandleFunc("POST /console/codes", s.pg(s.codeIssue, reviewer, operator))
	mux.HandleFunc("GET /console/calendar", s.pg(s.calendarPage, reviewer, operator))
	mux.HandleFunc("POST /console/calendar", s.pg(s.calendarEnter, operator))

	mux.HandleFunc("GET /miit/verify", s.pg(s.verifyPage))
	mux.HandleFunc("POST /miit/verify", s.pg(s.verifySubmit))
	mux.HandleFunc("GET /miit/console", s.pg(s.officerQueuePage, provider.RoleOfficer))
	mux.HandleFunc("GET /miit/console/reviews/{id}", s.pg(s.officerReviewPage, provider.RoleOfficer))
	mux.HandleFunc("POST /miit/console/reviews/{id}", s.pg(s.officerDecide, provider.RoleOfficer))
	mux.HandleFunc("GET /query", s.pg(s.queryPage))

	mux.HandleFunc("GET /demo", s.pg(s.demoPage, operator))
	mux.HandleFunc("POST /demo/clock", s.pg(s.demoClock, operator))

	s.verifyPageRoutes(mux)

	mux.HandleFunc("GET /", s.notFound)
}

// notFound answers unknown paths: an HTML page for people, the JSON error under the API prefixes.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/api/") || strings.HasPrefix(r.URL.Path, "/miit/api/") {
		writeError(w, r, problem.New(problem.NotFound, "common.not_found", ""))
		return
	}
	s.pg(func(w http.ResponseWriter, r *http.Request, v *view) {
		s.fail(w, r, v, problem.New(problem.NotFound, "common.not_found", ""))
	})(w, r)
}

// ---- static files -------------------------------------------------------------------------------------

type asset struct {
	data  []byte
	hash  string
	ctype string
}

var (
	assetsOnce sync.Once
	assets     map[string]asset
)

func loadAssets() map[string]asset {
	assetsOnce.Do(func() {
		assets = map[string]asset{}
		fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := staticFS.ReadFile(p)
			if err != nil {
				return err
			}
			sum := sha256.Sum256(b)
			name := strings.TrimPrefix(p, "static/")
			assets[name] = asset{data: b, hash: hex.EncodeToString(sum[:])[:12], ctype: mime.TypeByExtension(path.Ext(name))}
			return nil
		})
	})
	return assets
}

// assetURL is the versioned URL of a static file: its content hash is part of the path, so it can be cached
// for ever and a new build is picked up at once.
func assetURL(name string) string {
	a, ok := loadAssets()[name]
	if !ok {
		panic("web: no static file " + name)
	}
	return "/static/" + a.hash + "/" + name
}

func serveStatic(w http.ResponseWriter, r *http.Request) {
	a, ok := loadAssets()[r.PathValue("name")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	if r.PathValue("hash") == a.hash {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "no-cache")
	}
	if a.ctype != "" {
		w.Header().Set("Content-Type", a.ctype)
	}
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write(a.data)
}

// ---- templates ----------------------------------------------------------------------------------------

var (
	tmplOnce sync.Once
	tmpls    map[i18n.Lang]map[string]*template.Template
	tmplErr  error
)

// pageNames lists the page templates; each defines "title" and "content" and is rendered in layout.html.
func pageNames() []string {
	entries, _ := templateFS.ReadDir("templates")
	var out []string
	for _, e := range entries {
		n := strings.TrimSuffix(e.Name(), ".html")
		if n != "layout" && n != "partials" {
			out = append(out, n)
		}
	}
	return out
}

// loadTemplates parses every page once per language, with t/tf bound to that language.
func loadTemplates() (map[i18n.Lang]map[string]*template.Template, error) {
	tmplOnce.Do(func() {
		tmpls = map[i18n.Lang]map[string]*template.Template{}
		for _, lang := range i18n.Langs {
			base, err := template.New("layout.html").Funcs(funcsFor(lang)).ParseFS(templateFS, "templates/layout.html", "templates/partials.html")
			if err != nil {
				tmplErr = err
				return
			}
			tmpls[lang] = map[string]*template.Template{}
			for _, name := range pageNames() {
				t, err := template.Must(base.Clone()).ParseFS(templateFS, "templates/"+name+".html")
				if err != nil {
					tmplErr = fmt.Errorf("%s: %w", name, err)
					return
				}
				tmpls[lang][name] = t
			}
		}
	})
	return tmpls, tmplErr
}

var shanghai = workday.Location()

func funcsFor(lang i18n.Lang) template.FuncMap {
	return template.FuncMap{
		"t": func(key string) string { return i18n.T(lang, key, nil) },
		"tf": func(key string, kv ...any) string {
			p := map[string]string{}
			for i := 0; i+1 < len(kv); i += 2 {
				p[fmt.Sprint(kv[i])] = fmt.Sprint(kv[i+1])
			}
			return i18n.T(lang, key, p)
		},
		"asset":      assetURL,
		"time":       func(t time.Time) string { return fmtTime(t) },
		"ptime":      func(t *time.Time) string { return fmtPtrTime(t) },
		"date":       func(t time.Time) string { return t.In(shanghai).Format(time.DateOnly) },
		"state":      func(s filing.State) string { return i18n.T(lang, "state."+string(s), nil) },
		"otype":      func(t filing.OrderType) string { return i18n.T(lang, "rules.order_type."+string(t), nil) },
		"province":   func(code string) string { return provinceName(lang, code) },
		"nature":     func(n string) string { return natureName(lang, n) },
		"cred":       func(c string) string { return credentialName(lang, c) },
		"kind":       func(k filing.ServiceKind) string { return i18n.T(lang, "web.kind."+string(k), nil) },
		"material":   func(code string) string { return materialName(lang, code) },
		"label":      func(p string) string { return fieldLabel(lang, p) },
		"join":       strings.Join,
		"add":        func(a, b int) int { return a + b },
		"masked":     maskPhone,
		"hasPrefix":  strings.HasPrefix,
		"stateClass": stateClass,
		"deref": func(p *int) int {
			if p == nil {
				return 0
			}
			return *p
		},
	}
}

func fmtTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(shanghai).Format("2006-01-02 15:04")
}

func fmtPtrTime(t *time.Time) string {
	if t == nil {
		return ""
	}
	return fmtTime(*t)
}

func provinceName(lang i18n.Lang, code string) string {
	if p, ok := divisions.ProvinceByCode(code); ok {
		return p.LocalName(lang)
	}
	return code
}

func natureName(lang i18n.Lang, n string) string {
	for _, x := range codes.Natures() {
		if x.Name == n {
			return x.Names.In(lang)
		}
	}
	return n
}

func credentialName(lang i18n.Lang, c string) string {
	if x, ok := codes.Credential(c); ok {
		return x.Names.In(lang)
	}
	return c
}

func materialName(lang i18n.Lang, code string) string {
	if i18n.Has("web.material." + code) {
		return i18n.T(lang, "web.material."+code, nil)
	}
	return code
}

func maskPhone(p string) string {
	r := []rune(p)
	if len(r) < 7 {
		return p
	}
	return string(r[:3]) + "****" + string(r[len(r)-4:])
}

// ---- page requests ------------------------------------------------------------------------------------

// view is what every page template receives: the frame (language, user, navigation) and the page's data D.
type view struct {
	Lang   i18n.Lang
	Path   string // the current path and query, for the language switch
	Area   string // portal | console | miit | query | demo: which header to show
	Title  string
	User   *store.Account
	Actor  provider.Actor
	Demo   bool
	Unread int
	Flash  string // a success message after a redirect
	Errors []fieldError
	// InlineErrors: the page shows the error summary itself (below its step bar), not the layout.
	InlineErrors bool
	Langs        []langLink
	Current      string // nav key of the current page
	D            any

	r *http.Request
}

type langLink struct {
	Code, Name, URL string
	Current         bool
}

// fieldError is one error as a page shows it: the message, and where it belongs.
type fieldError struct {
	Field   string // JSON path from the API error, e.g. subject.principal.mobile
	Target  string // the id of the input it was mapped to ("" when none)
	Label   string // what the summary calls the field
	Message string
}

func (v *view) t(key string) string { return i18n.T(v.Lang, key, nil) }

func (v *view) tf(key string, kv ...string) string {
	p := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		p[kv[i]] = kv[i+1]
	}
	return i18n.T(v.Lang, key, p)
}

type pageHandler func(w http.ResponseWriter, r *http.Request, v *view)

// pg wraps a page: it identifies the user from the session cookie and, when roles are given, sends visitors to
// the login page and refuses other roles.
func (s *Server) pg(h pageHandler, roles ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		setPageHeaders(w)
		v := &view{Lang: langOf(r), Path: r.URL.RequestURI(), Demo: s.Demo, r: r}
		for _, l := range i18n.Langs {
			v.Langs = append(v.Langs, langLink{Code: string(l), Name: i18n.T(l, "web.lang.self", nil),
				URL: "/lang?to=" + string(l) + "&next=" + url.QueryEscape(stripLang(r.URL)), Current: l == v.Lang})
		}
		if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
			if actor, acc, err := s.svc.Authenticate(r.Context(), c.Value); err == nil {
				v.User, v.Actor = acc, actor
			}
		}
		if len(roles) > 0 {
			if v.User == nil {
				http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			if !contains(roles, v.Actor.Role) {
				s.fail(w, r, v, problem.New(problem.Forbidden, "common.forbidden", ""))
				return
			}
		}
		if v.User != nil && v.Actor.Role == provider.RoleApplicant {
			if msgs, err := s.svc.Store().Inbox(r.Context(), v.User.ID, 100); err == nil {
				for _, m := range msgs {
					if !m.Read {
						v.Unread++
					}
				}
			}
		}
		if ok := r.URL.Query().Get("ok"); ok != "" && flashKeys[ok] {
			v.Flash = v.t("web.flash." + ok)
		}
		h(w, r, v)
	}
}

// flashKeys are the success messages a redirect may ask for (?ok=…).
var flashKeys = map[string]bool{"saved": true, "submitted": true, "withdrawn": true, "decided": true,
	"registered": true, "created": true, "resource": true, "issued": true, "read": true, "clock": true, "logged_out": true}

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

// localPath accepts only a path on this site as a redirect target.
func localPath(p, def string) string {
	if p == "" || !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") {
		return def
	}
	return p
}

// switchLang remembers the chosen language in the lang cookie and returns to the page.
func (s *Server) switchLang(w http.ResponseWriter, r *http.Request) {
	l := i18n.Lang(r.URL.Query().Get("to"))
	if i18n.Valid(l) {
		http.SetCookie(w, &http.Cookie{Name: "lang", Value: string(l), Path: "/", MaxAge: 365 * 24 * 3600,
			SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
	}
	http.Redirect(w, r, localPath(r.URL.Query().Get("next"), "/"), http.StatusSeeOther)
}

// render executes a page template into a buffer first, so that a template error never sends half a page.
func (s *Server) render(w http.ResponseWriter, v *view, status int, name string) {
	ts, err := loadTemplates()
	if err != nil {
		slog.Error("templates", "err", err)
		http.Error(w, "templates", http.StatusInternalServerError)
		return
	}
	t, ok := ts[v.Lang][name]
	if !ok {
		t = ts[i18n.ZhCN][name]
	}
	if v.Title == "" {
		v.Title = v.t("web.title." + name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", v); err != nil {
		slog.Error("render page", "page", name, "err", err, "request_id", requestID(v.r))
		http.Error(w, i18n.T(v.Lang, "common.internal", nil), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// fail renders an error page for err (not found, forbidden, conflict, …); internal errors are logged only.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, v *view, err error) {
	status := http.StatusInternalServerError
	list := problem.As(err)
	if len(list) > 0 {
		status = statusOf[list[0].Kind]
	}
	v.Errors = s.pageErrors(r, err)
	v.D = struct{ Status int }{status}
	v.Title = v.t("web.title.error")
	s.render(w, v, status, "error")
}

// pageErrors renders err as messages in the request's language. Internal errors are logged and shown as the
// generic message; codes without a catalog entry fall back to the web catalog (web.error.<code>).
func (s *Server) pageErrors(r *http.Request, err error) []fieldError {
	if err == nil {
		return nil
	}
	lang := langOf(r)
	var out []fieldError
	for _, e := range problem.As(err) {
		if e.Kind == problem.Internal {
			slog.Error("internal error", "method", r.Method, "path", r.URL.Path, "request_id", requestID(r), "err", e)
			return []fieldError{{Message: i18n.T(lang, "common.internal", nil)}}
		}
	}
	for _, e := range problem.As(err) {
		out = append(out, fieldError{Field: e.Field, Message: problemText(lang, e), Label: fieldLabel(lang, e.Field)})
	}
	return out
}

// problemText renders one problem in lang: a message the rules already rendered, the code's catalog entry, or
// the web catalog's wording for codes whose area has no catalog yet (web.error.<code>).
func problemText(lang i18n.Lang, e *problem.Error) string {
	if text, ok := e.Text[string(lang)]; ok {
		return text
	}
	params := map[string]string{"field": fieldLabel(lang, e.Field)}
	for k, v := range e.Params {
		params[k] = v
	}
	key := e.Code
	if !i18n.Has(key) && i18n.Has("web.error."+key) {
		key = "web.error." + key
	}
	return i18n.T(lang, key, params)
}

// redirect sends the browser on after a successful POST (post/redirect/get), with an optional flash key.
func redirect(w http.ResponseWriter, r *http.Request, to, ok string) {
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

// actorOf returns the actor of a page request (set by pg).
func (v *view) ctx() context.Context { return v.r.Context() }
