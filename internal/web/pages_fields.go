package web

import (
	"regexp"
	"strings"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/i18n"
)

// Field is one form control as the "field" template renders it: label, input, hint, reviewer notes and
// errors, wired together for assistive technology (label for, aria-describedby, aria-invalid).
type Field struct {
	Name         string // the form name: the JSON path of the order field, e.g. subject.principal.mobile
	ID           string
	Label        string
	Kind         string // text | email | tel | date | password | select | checkbox | checks | radios | textarea | static | file
	Value        string
	Values       []string // checks: the selected values
	Checked      bool
	Options      []Option
	Groups       []OptGroup // checks or select grouped by heading
	Hint         string
	Errors       []string
	Warnings     []string // findings that do not block but deserve a look
	ErrorOf      string   // the id of an error shown for a group this field belongs to (e.g. agreements not accepted)
	Notes        []string // reviewer notes on this field
	Recognised   string   // the mark of a value filled from a credential photo, shown while the field holds it
	Required     bool
	Autocomplete string
	InputMode    string
	Placeholder  string
	Wide         bool   // takes the whole row
	Hidden       bool   // shown only when the enhancing script reveals it (data-show-when)
	ShowWhen     string // "name=value": the script shows the field only then
	Accept       string // file inputs
	Rows         int
	Class        string
}

// Option is one choice of a select, radio group or checkbox group.
type Option struct {
	Value, Label string
	Selected     bool
	Disabled     bool
	Hint         string
	Data         string // data-natures for credential types
}

// OptGroup is a heading with its options.
type OptGroup struct {
	Label   string
	Options []Option
}

// DescribedBy lists the ids of the hint, note and error texts of the field.
func (f *Field) DescribedBy() string {
	var ids []string
	if f.Hint != "" {
		ids = append(ids, f.ID+"-hint")
	}
	if f.Recognised != "" {
		ids = append(ids, f.ID+"-rec")
	}
	if len(f.Notes) > 0 {
		ids = append(ids, f.ID+"-note")
	}
	if len(f.Warnings) > 0 {
		ids = append(ids, f.ID+"-warn")
	}
	if len(f.Errors) > 0 {
		ids = append(ids, f.ID+"-err")
	}
	return strings.Join(ids, " ")
}

// Section is a titled group of fields (a fieldset).
type Section struct {
	ID       string
	Path     string // the JSON path the section stands for (errors on it land here), e.g. services[1]
	Title    string
	Intro    string
	Fields   []*Field
	Errors   []string
	Warnings []string
	Notes    []string
	Remove   string // the action value of a "remove" button (services after the first)
}

var nonID = regexp.MustCompile(`[^A-Za-z0-9_]+`)

// FieldID turns a JSON path into an element id: services[0].domains[0] → f-services-0-domains-0.
func FieldID(path string) string {
	return "f-" + strings.Trim(nonID.ReplaceAllString(path, "-"), "-")
}

var indexRE = regexp.MustCompile(`\[\d+\]`)

// labelKey is the catalog key of a field's label: indexes are dropped and principals share their labels.
func labelKey(path string) string {
	q := indexRE.ReplaceAllString(path, "")
	switch {
	case strings.HasPrefix(q, "subject.principal."):
		return "web.field.principal." + strings.TrimPrefix(q, "subject.principal.")
	case strings.HasPrefix(q, "services.principal."):
		return "web.field.principal." + strings.TrimPrefix(q, "services.principal.")
	case strings.HasPrefix(q, "services."):
		return "web.field.service." + strings.TrimPrefix(q, "services.")
	}
	return "web.field." + q
}

// FieldLabel is the short label of a field in lang; an unknown path is shown as it is.
func FieldLabel(lang i18n.Lang, path string) string {
	if path == "" {
		return ""
	}
	for p := path; p != ""; p = parentPath(p) {
		if k := labelKey(p); i18n.Has(k) {
			return i18n.T(lang, k, nil)
		}
	}
	return path
}

// parentPath drops the last segment of a JSON path: a.b[2] → a.b, a.b → a, a → "".
func parentPath(p string) string {
	if strings.HasSuffix(p, "]") {
		if i := strings.LastIndexByte(p, '['); i > 0 {
			return p[:i]
		}
	}
	if i := strings.LastIndexByte(p, '.'); i > 0 {
		return p[:i]
	}
	return ""
}

// Form is the set of sections a page shows; it places errors and reviewer notes beside the fields they name.
type Form struct {
	Sections []*Section
	Summary  []FieldError // every error, with a link to its field when it has one
}

func (f *Form) byName() map[string]*Field {
	m := map[string]*Field{}
	for _, s := range f.Sections {
		for _, fl := range s.Fields {
			if _, dup := m[fl.Name]; !dup {
				m[fl.Name] = fl
			}
		}
	}
	return m
}

// Locate finds the field or section that the JSON path p names, walking up to its parents.
func (f *Form) Locate(p string) (*Field, *Section) {
	fields := f.byName()
	for q := p; q != ""; q = parentPath(q) {
		if fl, ok := fields[q]; ok {
			return fl, nil
		}
		for _, s := range f.Sections {
			if s.Path != "" && s.Path == q {
				return nil, s
			}
		}
	}
	return nil, nil
}

// Place attaches each error to its field (or section) and lists them all in the summary.
func (f *Form) Place(errs []FieldError) {
	for _, e := range errs {
		fl, sec := f.Locate(e.Field)
		switch {
		case fl != nil:
			e.labelled(fl.Label)
			fl.Errors = append(fl.Errors, e.Message)
			e.Target = fl.ID
		case sec != nil:
			sec.Errors = append(sec.Errors, e.Message)
			e.Target = sec.ID
		}
		f.Summary = append(f.Summary, e)
	}
}

// Remark is which list a remark that does not block goes to beside its field: a finding worth a look (Warning)
// or a reviewer's note (Note).
type Remark int

const (
	Warning Remark = iota
	Note
)

// list is the field's (or else the section's) list of remarks of kind k.
func (k Remark) list(fl *Field, sec *Section) *[]string {
	switch {
	case fl != nil && k == Warning:
		return &fl.Warnings
	case fl != nil:
		return &fl.Notes
	case k == Warning:
		return &sec.Warnings
	}
	return &sec.Notes
}

// Remark attaches each remark to its field (or section) as kind k; remarks on fields not shown here are returned.
func (f *Form) Remark(k Remark, remarks []FieldError) []FieldError {
	var rest []FieldError
	for _, m := range remarks {
		fl, sec := f.Locate(m.Field)
		if fl == nil && sec == nil {
			rest = append(rest, m)
			continue
		}
		l := k.list(fl, sec)
		*l = append(*l, m.Message)
	}
	return rest
}

// NoteRemarks are a reviewer's notes as remarks for Form.Remark.
func NoteRemarks(notes []filing.Note) []FieldError {
	out := make([]FieldError, len(notes))
	for i, n := range notes {
		out[i] = FieldError{Field: n.Field, Message: n.Message}
	}
	return out
}

// ---- field constructors ---------------------------------------------------------------------------------
// Field, Text, Static, Checkbox, Select and Checks make a control named by its JSON path, labelled from the
// catalog; Req, Hinted, Auto, Mode, Widen, Placed and Labelled set one attribute and return the field.

func (v *View) Field(kind, name, value string) *Field {
	return &Field{Kind: kind, Name: name, ID: FieldID(name), Label: FieldLabel(v.Lang, name), Value: value}
}

func (v *View) Text(name, value string) *Field { return v.Field("text", name, value) }

func (v *View) Static(name, value string) *Field { return v.Field("static", name, value) }

func (f *Field) Req() *Field              { f.Required = true; return f }
func (f *Field) Hinted(h string) *Field   { f.Hint = h; return f }
func (f *Field) Auto(a string) *Field     { f.Autocomplete = a; return f }
func (f *Field) Mode(m string) *Field     { f.InputMode = m; return f }
func (f *Field) Widen() *Field            { f.Wide = true; return f }
func (f *Field) Placed(p string) *Field   { f.Placeholder = p; return f }
func (f *Field) Labelled(l string) *Field { f.Label = l; return f }

func (v *View) Checkbox(name string, checked bool) *Field {
	f := v.Field("checkbox", name, "true")
	f.Checked = checked
	return f
}

func (v *View) Select(name, value string, opts []Option, placeholder bool) *Field {
	f := v.Field("select", name, value)
	if placeholder {
		f.Options = append(f.Options, Option{Value: "", Label: v.T("web.choose")})
	}
	for _, o := range opts {
		o.Selected = o.Value == value
		f.Options = append(f.Options, o)
	}
	return f
}

func (v *View) Checks(name string, selected []string, groups []OptGroup) *Field {
	f := v.Field("checks", name, "")
	f.Values = selected
	sel := map[string]bool{}
	for _, s := range selected {
		sel[s] = true
	}
	for _, g := range groups {
		for i := range g.Options {
			g.Options[i].Selected = sel[g.Options[i].Value]
		}
		f.Groups = append(f.Groups, g)
	}
	return f
}

// SetErrors copies a form's error summary to the page, with in-page links to the fields.
func (v *View) SetErrors(f *Form) {
	v.Errors = nil
	for _, e := range f.Summary {
		if e.Target != "" && !strings.HasPrefix(e.Target, "/") && !strings.HasPrefix(e.Target, "#") {
			e.Target = "#" + e.Target
		}
		v.Errors = append(v.Errors, e)
	}
}
