package mpsweb

import (
	"bytes"
	"html/template"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/beian/beian/internal/web"

	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/mps"
	"github.com/beian/beian/internal/problem"
)

// The pages: the site's shared frame with the platform's brand and menu (templates/layout.html), and forms
// described as data (form, field) and rendered by one template, so that every field shows its label, hint, value
// and errors the same way. Inputs are named by the JSON path of the use case's field (principal.mobile,
// materials.id_front, …), so an error's field finds its input without a table.

// page is what every template receives.
type page struct {
	Lang   i18n.Lang
	Title  string
	User   *mps.User
	Langs  []langLink
	Flash  string
	Errors []pageError // the error summary: every refusal, a field's leading to its input
	Nav    string
	D      any
	Area   string // the body's class area-…: mps
}

// pageError is one refusal in the page's error summary: a field's names the field as its label does and leads
// to its input (Target, the input's id); one without a field has only the message.
type pageError struct {
	Target, Label, Message string
}

type langLink struct {
	Code, Name, URL string
	Current         bool
}

// form is a form as data: sections of fields.
type form struct {
	Action, Submit string
	Multipart      bool
	Sections       []*section
	Hidden         map[string]string
}

type section struct {
	Title, Intro string
	Notes        []string // the reviewer's notes on no field of the form
	Fields       []*field
}

type field struct {
	Name, Label, Kind, Value, Hint string
	Options                        []option
	Checked, Required, Wide        bool
	Errors                         []string
	Notes                          []string // the reviewer's notes on the field, when a record was returned
	Kept                           string   // a file input's: the image kept from before, need not be chosen again
}

type option struct {
	Value, Label string
	Selected     bool
}

func (f *form) all() []*field {
	var out []*field
	for _, s := range f.Sections {
		out = append(out, s.Fields...)
	}
	return out
}

var indexRE = regexp.MustCompile(`\[\d+\]`)

// place puts each problem beside its field (domains[2] goes to domains) and returns them all for the error
// summary, in the order given, those with a field leading to its input.
func (f *form) place(r *http.Request, err error) []pageError {
	if err == nil {
		return nil
	}
	status, msgs := problems(r, err)
	if status == 500 {
		return []pageError{{Message: msgs[0].Message}}
	}
	byName := map[string]*field{}
	for _, fl := range f.all() {
		byName[fl.Name] = fl
	}
	var out []pageError
	for _, m := range msgs {
		name := indexRE.ReplaceAllString(m.Field, "")
		if _, ok := byName[name]; !ok { // notes[2].field goes to notes when the form has no notes.field
			name, _, _ = strings.Cut(m.Field, "[")
		}
		if fl, ok := byName[name]; ok && name != "" {
			fl.Errors = append(fl.Errors, m.Message)
			out = append(out, pageError{Target: fl.inputID(), Label: fl.Label, Message: m.Message})
			continue
		}
		out = append(out, pageError{Message: m.Message})
	}
	var again []string // the file inputs refused: a browser never keeps a chosen file when the form comes back
	for _, fl := range f.all() {
		if fl.Kind == "file" && len(fl.Errors) > 0 {
			again = append(again, fl.Label)
		}
	}
	if len(again) > 0 {
		out = append(out, pageError{Message: i18n.T(web.LangOf(r), "mps.web.files_again",
			map[string]string{"files": strings.Join(again, "、")})})
	}
	return out
}

// annotate puts each of a returned record's notes beside the field it names; the notes on no field (or on a field
// the form lacks) go to the intro of the first section.
func (f *form) annotate(notes []mps.Note) {
	byName := map[string]*field{}
	for _, fl := range f.all() {
		byName[fl.Name] = fl
	}
	for _, n := range notes {
		if fl, ok := byName[n.Field]; ok {
			fl.Notes = append(fl.Notes, n.Text)
		} else if len(f.Sections) > 0 {
			f.Sections[0].Notes = append(f.Sections[0].Notes, n.Text)
		}
	}
}

// DescribedBy lists the ids of what describes the field's input, as its aria-describedby: the file kept from
// before, the reviewer's notes, the errors.
func (fl *field) DescribedBy() string {
	var ids []string
	for _, d := range []struct {
		suffix string
		shown  bool
	}{{"-kept", fl.Kept != ""}, {"-note", len(fl.Notes) > 0}, {"-err", len(fl.Errors) > 0}} {
		if d.shown {
			ids = append(ids, fl.Name+d.suffix)
		}
	}
	return strings.Join(ids, " ")
}

// inputID is the id of the field's input, the first box of a group of checkboxes.
func (fl *field) inputID() string {
	if fl.Kind == "checks" {
		return fl.Name + "-0"
	}
	return fl.Name
}

var (
	tmplOnce sync.Once
	tmpls    map[i18n.Lang]*template.Template
	tmplErr  error
)

func templates() (map[i18n.Lang]*template.Template, error) {
	tmplOnce.Do(func() {
		tmpls = map[i18n.Lang]*template.Template{}
		for _, lang := range i18n.Langs {
			t, err := template.New("").Funcs(funcs(lang)).ParseFS(templateFS, "templates/*.html")
			if err == nil {
				t, err = web.ParseFrame(t)
			}
			if err != nil {
				tmplErr = err
				return
			}
			tmpls[lang] = t
		}
	})
	return tmpls, tmplErr
}

func funcs(lang i18n.Lang) template.FuncMap {
	f := web.TextFuncs(lang)
	maps.Copy(f, template.FuncMap{
		"asset":     web.AssetURL,
		"state":     func(s mps.State) string { return i18n.T(lang, "mps.web.state."+string(s), nil) },
		"nature":    func(n string) string { return mps.NatureName(lang, n) },
		"label":     func(name string) string { return label(lang, name) },
		"noteLabel": func(kind, name string) string { return noteLabel(lang, kind, name) },
	})
	return f
}

// label names a field: mps.web.f.<name without indexes>.
func label(lang i18n.Lang, name string) string {
	return i18n.T(lang, "mps.web.f."+indexRE.ReplaceAllString(name, ""), nil)
}

// noteLabel names a field of a record of kind as its form labels it: a website's name is the website's
// (mps.web.f.website_name), not the subject's.
func noteLabel(lang i18n.Lang, kind, name string) string {
	if kind == mps.KindWebsite && name == "name" {
		return i18n.T(lang, "mps.web.f.website_name", nil)
	}
	return label(lang, name)
}

// newPage starts a page for a request: language, user (from the session cookie), language links.
func (s *Server) newPage(r *http.Request, title string) *page {
	lang := web.LangOf(r)
	p := &page{Lang: lang, Title: i18n.T(lang, title, nil), Area: "mps"}
	for _, l := range i18n.Langs {
		p.Langs = append(p.Langs, langLink{Code: string(l), Name: i18n.T(l, "web.lang.self", nil),
			URL: "/lang?to=" + string(l) + "&next=" + url.QueryEscape(r.URL.Path), Current: l == lang})
	}
	if c, err := r.Cookie(SessionCookie); err == nil && c.Value != "" {
		if u, err := s.Sim.Authenticate(r.Context(), c.Value); err == nil {
			p.User = u
		}
	}
	if ok := r.URL.Query().Get("ok"); ok != "" && okKeys[ok] {
		p.Flash = i18n.T(lang, "mps.web.ok."+ok, nil)
	}
	return p
}

var okKeys = map[string]bool{"registered": true, "sent": true, "verified": true, "submitted": true, "decided": true,
	"cancelled": true, "logged_out": true}

func (p *page) t(key string) string { return i18n.T(p.Lang, key, nil) }

func (s *Server) render(w http.ResponseWriter, p *page, status int, name string) {
	ts, err := templates()
	if err != nil {
		slog.Error("mps templates", "err", err)
		http.Error(w, "templates", http.StatusInternalServerError)
		return
	}
	var buf bytes.Buffer
	if err := ts[p.Lang].ExecuteTemplate(&buf, name, p); err != nil {
		slog.Error("mps render", "page", name, "err", err)
		http.Error(w, i18n.T(p.Lang, "mps.internal", nil), http.StatusInternalServerError)
		return
	}
	h2 := w.Header()
	h2.Set("Content-Type", "text/html; charset=utf-8")
	h2.Set("Cache-Control", "no-store")
	h2.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "+
		"form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h2.Set("X-Content-Type-Options", "nosniff")
	h2.Set("Referrer-Policy", "same-origin")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// fail renders the error page.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, p *page, err error) {
	status, msgs := problems(r, err)
	p.Errors = nil
	for _, m := range msgs {
		p.Errors = append(p.Errors, pageError{Message: m.Message})
	}
	p.Title = p.t("mps.web.title.error")
	s.render(w, p, status, "error")
}

// pg wraps a page that needs a user of one of roles: visitors go to the login page.
func (s *Server) pg(fn func(w http.ResponseWriter, r *http.Request, p *page), title string, roles ...string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p := s.newPage(r, title)
		if len(roles) > 0 {
			if p.User == nil {
				http.Redirect(w, r, "/mps/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			if !slices.Contains(roles, p.User.Role) {
				s.fail(w, r, p, problem.New(problem.Forbidden, "mps.forbidden", ""))
				return
			}
		}
		fn(w, r, p)
	}
}

// mpsPath accepts only a page of the platform as the target after login (the personal centre otherwise).
func mpsPath(p string) string {
	if p = web.LocalPath(p, ""); !strings.HasPrefix(p, "/mps/") {
		return "/mps/center"
	}
	return p
}
