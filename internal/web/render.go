package web

// Rendering: the pages are server-rendered with html/template. The layout, the partials (form fields, step bar,
// timeline, error summary) and the error page are this package's; each context adds its page templates
// (Site.AddTemplates). Pages work as plain HTML forms; a little vanilla JS only enhances them.

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"maps"
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/beian/beian/internal/codes"
	"github.com/beian/beian/internal/divisions"
	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/mask"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/workday"
)

//go:embed templates/*.html
var frameFS embed.FS

// templateSet holds every page parsed once per language.
type templateSet map[i18n.Lang]map[string]*template.Template

// pageNames lists the page templates of one set; each defines "title" and "content" and is rendered in
// layout.html.
func pageNames(set fs.FS) []string {
	entries, _ := fs.ReadDir(set, ".")
	var out []string
	for _, e := range entries {
		n := strings.TrimSuffix(e.Name(), ".html")
		if n != "layout" && n != "partials" && n != "frame" && strings.HasSuffix(e.Name(), ".html") {
			out = append(out, n)
		}
	}
	return out
}

// templates parses every page of the frame and of each context once per language, with t/tf bound to that
// language.
func (s *Site) templates() (templateSet, error) {
	s.tmplOnce.Do(func() { s.tmpls, s.tmplErr = parseTemplates(s.pageSets()) })
	return s.tmpls, s.tmplErr
}

// pageSets is the frame's own pages (the error page) and the contexts' pages.
func (s *Site) pageSets() []fs.FS {
	frame, _ := fs.Sub(frameFS, "templates")
	return append([]fs.FS{frame}, s.sets...)
}

func parseTemplates(sets []fs.FS) (templateSet, error) {
	out := templateSet{}
	for _, lang := range i18n.Langs {
		base, err := template.New("layout.html").Funcs(funcsFor(lang)).ParseFS(frameFS, "templates/layout.html", "templates/frame.html", "templates/partials.html")
		if err != nil {
			return nil, err
		}
		out[lang] = map[string]*template.Template{}
		for _, set := range sets {
			for _, name := range pageNames(set) {
				if _, dup := out[lang][name]; dup {
					return nil, fmt.Errorf("page template %s defined twice", name)
				}
				t, err := template.Must(base.Clone()).ParseFS(set, name+".html")
				if err != nil {
					return nil, fmt.Errorf("%s: %w", name, err)
				}
				out[lang][name] = t
			}
		}
	}
	return out, nil
}

// ParseFrame adds the page frame the whole site shares (head, header, language switch, footer:
// templates/frame.html) to t, for a part of the site that renders its pages itself (the police platform). t
// defines the frame's blocks and has the functions t and asset.
func ParseFrame(t *template.Template) (*template.Template, error) {
	return t.ParseFS(frameFS, "templates/frame.html")
}

// Shanghai is the time zone pages show times in.
var Shanghai = workday.Location()

// TextFuncs are the template functions every context's pages share: t and tf (translations in lang), time and
// date (in Shanghai time), join.
func TextFuncs(lang i18n.Lang) template.FuncMap {
	return template.FuncMap{
		"t": func(key string) string { return i18n.T(lang, key, nil) },
		"tf": func(key string, kv ...any) string {
			p := map[string]string{}
			for i := 0; i+1 < len(kv); i += 2 {
				p[fmt.Sprint(kv[i])] = fmt.Sprint(kv[i+1])
			}
			return i18n.T(lang, key, p)
		},
		"time": FormatTime,
		"date": func(t time.Time) string { return t.In(Shanghai).Format(time.DateOnly) },
		"join": strings.Join,
	}
}

func funcsFor(lang i18n.Lang) template.FuncMap {
	f := TextFuncs(lang)
	maps.Copy(f, template.FuncMap{
		"asset":      assetURL,
		"ptime":      func(t *time.Time) string { return FormatPtrTime(t) },
		"state":      func(s filing.State) string { return i18n.T(lang, "state."+string(s), nil) },
		"ostate":     func(t filing.OrderType, s filing.State) string { return OrderStateName(lang, t, s) },
		"otype":      func(t filing.OrderType) string { return OrderTypeName(lang, t) },
		"province":   func(code string) string { return ProvinceName(lang, code) },
		"nature":     func(n string) string { return NatureName(lang, n) },
		"cred":       func(c string) string { return CredentialName(lang, c) },
		"kind":       func(k filing.ServiceKind) string { return i18n.T(lang, "web.kind."+string(k), nil) },
		"material":   func(code string) string { return MaterialName(lang, code) },
		"label":      func(p string) string { return FieldLabel(lang, p) },
		"add":        func(a, b int) int { return a + b },
		"masked":     mask.Mobile,
		"hasPrefix":  strings.HasPrefix,
		"stateClass": StateClass,
		"deref": func(p *int) int {
			if p == nil {
				return 0
			}
			return *p
		},
	})
	return f
}

func FormatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(Shanghai).Format("2006-01-02 15:04")
}

func FormatPtrTime(t *time.Time) string {
	if t == nil {
		return ""
	}
	return FormatTime(*t)
}

func ProvinceName(lang i18n.Lang, code string) string {
	if p, ok := divisions.ProvinceByCode(code); ok {
		return p.LocalName(lang)
	}
	return code
}

func NatureName(lang i18n.Lang, n string) string {
	for _, x := range codes.Natures() {
		if x.Name == n {
			return x.Names.In(lang)
		}
	}
	return n
}

func CredentialName(lang i18n.Lang, c string) string {
	if x, ok := codes.Credential(c); ok {
		return x.Names.In(lang)
	}
	return c
}

func MaterialName(lang i18n.Lang, code string) string {
	if i18n.Has("web.material." + code) {
		return i18n.T(lang, "web.material."+code, nil)
	}
	return code
}

// Render executes a page template into a buffer first, so that a template error never sends half a page.
func (s *Site) Render(w http.ResponseWriter, v *View, status int, name string) {
	ts, err := s.templates()
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
		v.Title = v.T("web.title." + name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", v); err != nil {
		slog.Error("render page", "page", name, "err", err, "request_id", RequestID(v.r))
		http.Error(w, i18n.T(v.Lang, "common.internal", nil), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// Fail renders an error page for err (not found, forbidden, conflict, …); internal errors are logged only.
func (s *Site) Fail(w http.ResponseWriter, r *http.Request, v *View, err error) {
	status := http.StatusInternalServerError
	list := problem.As(err)
	if len(list) > 0 {
		status = StatusOf[list[0].Kind]
	}
	v.Errors = s.PageErrors(r, err)
	v.D = struct{ Status int }{status}
	v.Title = v.T("web.title.error")
	s.Render(w, v, status, "error")
}

// PageErrors renders err as messages in the request's language. Internal errors are logged and shown as the
// generic message; codes without a catalog entry fall back to the web catalog (web.error.<code>).
func (s *Site) PageErrors(r *http.Request, err error) []FieldError {
	if err == nil {
		return nil
	}
	lang := LangOf(r)
	var out []FieldError
	for _, e := range problem.As(err) {
		if e.Kind == problem.Internal {
			slog.Error("internal error", "method", r.Method, "path", r.URL.Path, "request_id", RequestID(r), "err", e)
			return []FieldError{{Message: i18n.T(lang, "common.internal", nil)}}
		}
	}
	for _, e := range problem.As(err) {
		label := problemLabel(lang, e)
		fe := FieldError{Field: e.Field, Message: problemText(lang, e, label), Label: label}
		if e.Field != "" { // the form that shows the field names it as it labels it
			fe.relabel = func(label string) string { return problemText(lang, e, label) }
		}
		out = append(out, fe)
	}
	return out
}

// ProblemText renders one problem in lang: a message the rules already rendered, the code's catalog entry, or
// the web catalog's wording for codes whose area has no catalog yet (web.error.<code>).
//
// The label is the field's usual one (FieldLabel), unless the problem names its own catalog key in a "label"
// parameter: a short name such as code or name means different things in different requests (a material's
// type, an instance's name, a token's name), and only the code raising the problem knows which.
func ProblemText(lang i18n.Lang, e *problem.Error) string {
	return problemText(lang, e, problemLabel(lang, e))
}

// problemLabel is the label of a problem's field: the one it names, or the field's usual one.
func problemLabel(lang i18n.Lang, e *problem.Error) string {
	if k := e.Params["label"]; k != "" && i18n.Has(k) {
		return i18n.T(lang, k, nil)
	}
	return FieldLabel(lang, e.Field)
}

// problemText is ProblemText naming the field label.
func problemText(lang i18n.Lang, e *problem.Error, label string) string {
	if text, ok := e.Text[string(lang)]; ok {
		return text
	}
	params := map[string]string{}
	for k, v := range e.Params {
		params[k] = v
	}
	if f, ok := params["field"]; !ok || f == e.Field { // a problem naming its own field by its form name
		params["field"] = label
	}
	key := e.Code
	if !i18n.Has(key) && i18n.Has("web.error."+key) {
		key = "web.error." + key
	}
	return i18n.T(lang, key, params)
}

// StateClass is the CSS class of an order state's badge.
func StateClass(st filing.State) string {
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

// CheckTemplates parses every page of the site in every language and returns how many pages there are.
func (s *Site) CheckTemplates() (int, error) {
	ts, err := s.templates()
	if err != nil {
		return 0, err
	}
	return len(ts[i18n.ZhCN]), nil
}

// OrderStateName names the state of an order of type t as the applicant reads it. The API keeps an approved
// cancellation or withdrawal in the state approved (the administration approved the order); its outcome is a
// cancelled filing (已注销) or a withdrawn access, never a filing to display (docs/after-filing.md).
func OrderStateName(lang i18n.Lang, t filing.OrderType, st filing.State) string {
	if st == filing.Approved {
		switch t {
		case filing.CancelSubject, filing.CancelService:
			return i18n.T(lang, "outcome.cancelled", nil)
		case filing.WithdrawAccess:
			return i18n.T(lang, "outcome.access_withdrawn", nil)
		}
	}
	return i18n.T(lang, "state."+string(st), nil)
}

// OrderTypeName is an order type's name as a page shows it on its own: "New filing" (the rules' messages use
// the same names inside sentences, in lower case).
func OrderTypeName(lang i18n.Lang, t filing.OrderType) string {
	name := i18n.T(lang, "rules.order_type."+string(t), nil)
	if r, size := utf8.DecodeRuneInString(name); unicode.IsLower(r) {
		return string(unicode.ToUpper(r)) + name[size:]
	}
	return name
}
