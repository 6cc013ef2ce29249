package rules

import (
	"slices"
	"time"

	"github.com/beian/beian/internal/filing"
)

// Rules about filed records: which order types a province takes online, whether an empty subject may file
// new services, and the change certificate of a changed credential (docs/after-filing.md).

// OnlineRefusal returns the violation of the province rule that refuses order type t online on the day of
// `on` (Jiangsu: no online 变更主体, 变更网站, 注销网站), and whether there is one. My filings uses it to say why
// an action is not offered before any order is opened.
func OnlineRefusal(province string, t filing.OrderType, on time.Time) (Violation, bool) {
	f, ok := Province(province)
	if !ok {
		return Violation{}, false
	}
	e := &eval{o: &filing.Order{Type: t, Province: province}, date: DateOf(on), prov: f, seen: map[string]bool{}}
	for i := range f.Rules {
		r := &f.Rules[i]
		if r.Check == "order_type_refused" && r.ActiveOn(e.date) && r.When.matches(e) {
			checkOrderTypeRefused(e, r)
		}
	}
	if len(e.rep.Violations) == 0 {
		return Violation{}, false
	}
	return e.rep.Violations[0], true
}

// EmptySubjectTakesServices reports whether the province lets a subject without services (空壳主体) file new
// services on the day of `on`; elsewhere the subject must be cancelled and filed again.
func EmptySubjectTakesServices(province string, on time.Time) bool {
	es := aux().after.EmptySubject
	return DateOf(on) >= es.EffectiveFrom && slices.Contains(es.Provinces, province)
}

// EmptySubjectProvinces returns the provinces that let an empty subject file new services on the day of `on`.
func EmptySubjectProvinces(on time.Time) []string {
	es := aux().after.EmptySubject
	if DateOf(on) < es.EffectiveFrom {
		return nil
	}
	return append([]string(nil), es.Provinces...)
}

// afterData is data/after_filing.json.
type afterData struct {
	Version      string `json:"version"`
	Source       string `json:"source"`
	Notes        string `json:"notes"`
	EmptySubject struct {
		Provinces     []string `json:"provinces"`
		EffectiveFrom Date     `json:"effective_from"`
		DateBasis     string   `json:"date_basis"`
	} `json:"empty_subject"`
}

func (a *afterData) check() error {
	if a.Source == "" || !a.EmptySubject.EffectiveFrom.valid() || len(a.EmptySubject.Provinces) == 0 {
		return errBadAfterData
	}
	for _, p := range a.EmptySubject.Provinces {
		if _, ok := Province(p); !ok {
			return errBadAfterData
		}
	}
	return nil
}

// checkCredentialChanged asks for params.material when a change replaces the subject's credential number (an
// old business licence replaced by the unified one).
func checkCredentialChanged(e *eval, r *Rule) {
	f := e.o.Filed
	if f == nil || f.Subject.CredentialNumber == "" || normID(f.Subject.CredentialNumber) == normID(e.o.Subject.CredentialNumber) {
		return
	}
	e.require(r, r.Params.Material, r.Code, nil, args{"old": lit(f.Subject.CredentialNumber),
		"new": lit(e.o.Subject.CredentialNumber)})
}
