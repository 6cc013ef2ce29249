package rules

import (
	"github.com/beian/beian/internal/codes"
	"github.com/beian/beian/internal/i18n"
)

// Material is a document the order needs (docs/rules.md material codes), with why and on what authority.
type Material struct {
	Code    string `json:"code"`
	Reason  string `json:"reason"`
	Source  string `json:"source"`
	Service *int   `json:"service,omitempty"` // index in Order.Services when the material belongs to one service

	key  string // catalog key of the reason
	args args
}

// Violation is a rule the order breaks; it blocks submission. Notices have the same shape and do not block.
type Violation struct {
	Code    string `json:"code"`
	Field   string `json:"field"`
	Message string `json:"message"`
	Source  string `json:"source"`

	args args
}

// Report is what Evaluate finds. Slices are never nil, so the JSON form always has arrays.
type Report struct {
	Materials  []Material  `json:"materials"`
	Violations []Violation `json:"violations"`
	// Notices are findings that do not block submission but that the applicant or reviewer must act on (for
	// example: a province wants local mobile numbers, which cannot be checked offline).
	Notices []Violation `json:"notices"`
}

// OK reports whether nothing blocks the order.
func (r Report) OK() bool { return len(r.Violations) == 0 }

// Localize renders every reason and message in lang.
func (r Report) Localize(lang i18n.Lang) Report {
	out := Report{
		Materials:  make([]Material, len(r.Materials)),
		Violations: LocalizeAll(r.Violations, lang),
		Notices:    LocalizeAll(r.Notices, lang),
	}
	for i, m := range r.Materials {
		out.Materials[i] = m.Localize(lang)
	}
	return out
}

// Localize renders the reason in lang.
func (m Material) Localize(lang i18n.Lang) Material {
	m.Reason = m.args.render(lang, m.key)
	return m
}

// Localize renders the message in lang.
func (v Violation) Localize(lang i18n.Lang) Violation {
	v.Message = v.args.render(lang, v.Code)
	return v
}

// LocalizeAll renders every message in lang; the result is never nil.
func LocalizeAll(vs []Violation, lang i18n.Lang) []Violation {
	out := make([]Violation, len(vs))
	for i, v := range vs {
		out[i] = v.Localize(lang)
	}
	return out
}

// args are the parameters of a message; each value is given in every language so a report can be rendered
// again in another language.
type args map[string]codes.Names

func (a args) render(lang i18n.Lang, key string) string {
	params := make(map[string]string, len(a))
	for k, v := range a {
		params[k] = v.In(lang)
	}
	return i18n.T(lang, key, params)
}

// lit is a parameter value that reads the same in every language (a number, a name, a domain).
func lit(s string) codes.Names { return codes.Names{ZhCN: s, ZhTW: s, En: s} }

// msg is a parameter value taken from the message catalog.
func msg(key string) codes.Names {
	return codes.Names{ZhCN: i18n.T(i18n.ZhCN, key, nil), ZhTW: i18n.T(i18n.ZhTW, key, nil), En: i18n.T(i18n.En, key, nil)}
}

// join joins names with the separator of each language.
func join(ns []codes.Names) codes.Names {
	var out codes.Names
	for i, n := range ns {
		if i > 0 {
			out.ZhCN += "、"
			out.ZhTW += "、"
			out.En += ", "
		}
		out.ZhCN += n.ZhCN
		out.ZhTW += n.ZhTW
		out.En += n.En
	}
	return out
}
