package provider

import (
	"context"
	"time"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider/store"
	"github.com/beian/beian/internal/rules"
)

// NewChecker returns the Checker beian runs: every rule on an order, that is field formats
// (filing.ValidateFields), code lists and province rules (rules.Evaluate), and the rules across subjects
// (rules.CrossCheck over the provider's contact index in st).
func NewChecker(st *store.Store) Checker { return checker{st} }

type checker struct{ st *store.Store }

func (c checker) Check(ctx context.Context, o *filing.Order, at time.Time) (Report, error) {
	var rep Report
	rep.Violations = append(rep.Violations, filing.ValidateFields(o, at)...)
	ev := rules.Evaluate(o, at)
	for _, m := range ev.Materials {
		pm := Material{Code: m.Code, Source: m.Source, Service: m.Service,
			Text: i18n.Texts(func(l i18n.Lang) string { return m.Localize(l).Reason })}
		pm.Reason = pm.Text[string(i18n.ZhCN)]
		rep.Materials = append(rep.Materials, pm)
	}
	rep.Violations = append(rep.Violations, asProblems(ev.Violations)...)
	rep.Notices = asProblems(ev.Notices)
	cross, err := rules.CrossCheck(ctx, o, directory{c.st, c.st.SubjectHash(o.Subject.CredentialType, o.Subject.CredentialNumber)})
	if err != nil {
		return rep, err
	}
	rep.Violations = append(rep.Violations, asProblems(cross)...)
	return rep, nil
}

// asProblems turns rule violations into problems carrying their message in every language.
func asProblems(vs []rules.Violation) []*problem.Error {
	out := make([]*problem.Error, 0, len(vs))
	for _, v := range vs {
		e := problem.Invalidf(v.Code, v.Field)
		e.Text = i18n.Texts(func(l i18n.Lang) string { return v.Localize(l).Message })
		out = append(out, e)
	}
	return out
}

// directory answers the rules across subjects from the keyed-hash contact index.
type directory struct {
	st          *store.Store
	subjectHash []byte
}

func (d directory) OtherSubjectsWithEmergencyMobile(ctx context.Context, mobile, _ string) (int, error) {
	return d.st.OtherSubjectsWithContact(ctx, store.ContactEmergencyMobile, mobile, d.subjectHash)
}

func (d directory) OtherSubjectsWithEmail(ctx context.Context, email, _ string) (int, error) {
	return d.st.OtherSubjectsWithContact(ctx, store.ContactEmail, email, d.subjectHash)
}

func (d directory) LegalRepresentativeContacts(ctx context.Context, idNumber, _ string) (string, string, bool, error) {
	return d.st.LegalRepresentativeContacts(ctx, idNumber, d.subjectHash)
}
