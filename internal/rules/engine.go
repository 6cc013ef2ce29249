package rules

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/beian/beian/internal/codes"
	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/i18n"
)

// Evaluate applies the national rules and the rules of the order's province that are in force on the day of
// `on` in China time, and returns what the order needs and what blocks it, rendered in zh-CN (Report.Localize
// renders another language).
func Evaluate(o *filing.Order, on time.Time) Report {
	e := &eval{o: o, date: DateOf(on), seen: map[string]bool{},
		rep: Report{Materials: []Material{}, Violations: []Violation{}, Notices: []Violation{}}}
	if o == nil {
		return e.rep
	}
	e.prov, _ = Province(o.Province)
	e.run(National())
	if e.prov != nil {
		e.run(e.prov)
	}
	return e.rep
}

// EvaluateIn is Evaluate rendered in lang.
func EvaluateIn(o *filing.Order, on time.Time, lang i18n.Lang) Report {
	return Evaluate(o, on).Localize(lang)
}

// eval is one evaluation: the order, the day, the province's rules and the report being built.
type eval struct {
	o    *filing.Order
	date Date
	prov *RuleFile
	rep  Report
	seen map[string]bool // materials already asked for
}

func (e *eval) run(f *RuleFile) {
	for i := range f.Rules {
		r := &f.Rules[i]
		if r.ActiveOn(e.date) && r.When.matches(e) {
			checks[r.Check].run(e, r)
		}
	}
}

func (e *eval) violate(r *Rule, field string, a args) { e.violateAs(r, r.Code, field, a) }

func (e *eval) violateAs(r *Rule, code, field string, a args) {
	v := Violation{Code: code, Field: field, Source: r.Source, args: a}
	e.rep.Violations = append(e.rep.Violations, v.Localize(i18n.ZhCN))
}

func (e *eval) notice(r *Rule, code, field string, a args) {
	v := Violation{Code: code, Field: field, Source: r.Source, args: a}
	e.rep.Notices = append(e.rep.Notices, v.Localize(i18n.ZhCN))
}

// require asks for a material once per (material, service, reason).
func (e *eval) require(r *Rule, material, key string, service *int, a args) {
	m := Material{Code: material, Source: r.Source, Service: service, key: key, args: a}.Localize(i18n.ZhCN)
	k := fmt.Sprint(material, "|", service != nil, "|", deref(service), "|", m.Reason)
	if e.seen[k] {
		return
	}
	e.seen[k] = true
	e.rep.Materials = append(e.rep.Materials, m)
}

// provinceName is the filing province's name in every language.
func (e *eval) provinceName() codes.Names {
	if e.prov != nil {
		return e.prov.Names
	}
	return lit(e.o.Province)
}

func (c Condition) matches(e *eval) bool {
	o := e.o
	nature, known := codes.Nature(o.Subject.Nature)
	switch {
	case c.Subject == "individual" && !(known && !nature.Unit),
		c.Subject == "unit" && !(known && nature.Unit),
		len(c.Natures) > 0 && !slices.Contains(c.Natures, o.Subject.Nature),
		len(c.OrderTypes) > 0 && !slices.Contains(c.OrderTypes, string(o.Type)),
		len(c.ServiceKinds) > 0 && len(e.servicesOf(c.ServiceKinds)) == 0,
		c.MinDomains > 0 && len(e.domains()) < c.MinDomains,
		c.Finance && !e.involvesFinance():
		return false
	}
	return true
}

// principalRef is a responsible person of the order with the JSON path where it is entered.
type principalRef struct {
	field   string
	p       filing.Principal
	service *int // nil for the subject principal
}

// principals returns the subject principal and every service principal entered separately (a service that
// copies the subject principal adds nobody).
func (e *eval) principals() []principalRef {
	out := []principalRef{{field: "subject.principal", p: e.o.Subject.Principal}}
	for i, s := range e.o.Services {
		if !s.PrincipalSameAsSubject {
			out = append(out, principalRef{field: fmt.Sprintf("services[%d].principal", i), p: s.Principal, service: ptr(i)})
		}
	}
	return out
}

// separateServicePrincipals returns the service principals who are not the subject principal.
func (e *eval) separateServicePrincipals() []principalRef {
	var out []principalRef
	for _, p := range e.principals()[1:] {
		if !samePerson(p.p, e.o.Subject.Principal) {
			out = append(out, p)
		}
	}
	return out
}

// servicesOf returns the indexes of the services of the given kinds.
func (e *eval) servicesOf(kinds []string) []int {
	var out []int
	for i, s := range e.o.Services {
		if slices.Contains(kinds, string(s.Kind)) {
			out = append(out, i)
		}
	}
	return out
}

// domains returns the distinct domains of all services of the order.
func (e *eval) domains() []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range e.o.Services {
		for _, d := range s.Domains {
			d = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(d)), ".")
			if d != "" && !seen[d] {
				seen[d] = true
				out = append(out, d)
			}
		}
	}
	return out
}

// involvesFinance reports whether any service declares a finance pre-approval or finance content, or names a
// financial trigger word in its name or remark (docs/design.md §3).
func (e *eval) involvesFinance() bool {
	for i := range e.o.Services {
		if e.hasFinanceApproval(i) || len(e.financeContent(i)) > 0 {
			return true
		}
		s := e.o.Services[i]
		if _, ok := codes.FindFinanceWord(s.Name + " " + s.Remark); ok {
			return true
		}
	}
	return false
}

func (e *eval) hasFinanceApproval(i int) bool {
	for _, p := range e.o.Services[i].PreApprovals {
		if p.Type == "finance" {
			return true
		}
	}
	return false
}

// contentItem looks a content code up in the list of the service's kind.
func contentItem(kind filing.ServiceKind, code string) (codes.ContentItem, bool) {
	if kind == filing.Website {
		return codes.ServiceContent(code)
	}
	return codes.AppServiceContent(code)
}

func (e *eval) financeContent(i int) []codes.ContentItem {
	var out []codes.ContentItem
	s := e.o.Services[i]
	for _, c := range s.Content {
		if it, ok := contentItem(s.Kind, c); ok && it.Finance {
			out = append(out, it)
		}
	}
	return out
}

// samePerson reports whether two principals are the same person: same credential number, or, without numbers,
// the same name.
func samePerson(a, b filing.Principal) bool {
	an, bn := normID(a.CredentialNumber), normID(b.CredentialNumber)
	if an != "" && bn != "" {
		return an == bn
	}
	return sameName(a.Name, b.Name)
}

func normID(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// sameName compares person names ignoring spaces and the middle dots of minority and foreign names.
func sameName(a, b string) bool {
	norm := strings.NewReplacer(" ", "", "\u3000", "", "·", "", "•", "", ".", "").Replace
	na, nb := strings.ToUpper(norm(a)), strings.ToUpper(norm(b))
	return na != "" && na == nb
}

func ptr(i int) *int { return &i }

func deref(p *int) int {
	if p == nil {
		return -1
	}
	return *p
}
