package rules

import (
	"context"
	"strings"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/mask"
)

// Directory answers questions about other subjects in the registry. The storage layer implements it with
// keyed-hash lookups; rulestest.Directory is an in-memory one for tests.
//
// Values arrive normalised: phone numbers as digits without a country code, e-mail addresses trimmed and
// lower-cased, ID and credential numbers trimmed and upper-cased. subjectCredential identifies the subject of
// the order being checked, which the answers must leave out.
type Directory interface {
	// OtherSubjectsWithEmergencyMobile counts the other subjects whose principals use this emergency mobile.
	OtherSubjectsWithEmergencyMobile(ctx context.Context, mobile, subjectCredential string) (int, error)
	// OtherSubjectsWithEmail counts the other subjects whose principals use this e-mail address.
	OtherSubjectsWithEmail(ctx context.Context, email, subjectCredential string) (int, error)
	// LegalRepresentativeContacts returns the mobile and e-mail this legal representative (resident ID number)
	// last used as subject principal of another subject.
	LegalRepresentativeContacts(ctx context.Context, idNumber, subjectCredential string) (mobile, email string, found bool, err error)
}

// CrossCheck applies the rules across subjects (Huawei Cloud's first-filing guide, docs/design.md §4.3): the emergency mobile and the e-mail of
// each principal are used by no other subject, and a legal representative who is subject principal uses the
// same contacts as in his other companies. Messages are in zh-CN; Violation.Localize renders another language.
// The returned slice is never nil.
func CrossCheck(ctx context.Context, o *filing.Order, d Directory) ([]Violation, error) {
	out := []Violation{}
	if o == nil || d == nil {
		return out, nil
	}
	c := crossCheck{ctx: ctx, o: o, d: d, subject: normID(o.Subject.CredentialNumber), out: &out}
	if err := c.unique(); err != nil {
		return nil, err
	}
	if err := c.legalRepresentative(); err != nil {
		return nil, err
	}
	return out, nil
}

type crossCheck struct {
	ctx     context.Context
	o       *filing.Order
	d       Directory
	subject string
	out     *[]Violation
}

// crossRule returns the national rule with that code, for its source.
func crossRule(code string) *Rule {
	for i, r := range National().Rules {
		if r.Code == code {
			return &National().Rules[i]
		}
	}
	return &Rule{Code: code}
}

func (c crossCheck) add(code, field string, a args) {
	v := Violation{Code: code, Field: field, Source: crossRule(code).Source, args: a}
	*c.out = append(*c.out, v.Localize(i18n.ZhCN))
}

func (c crossCheck) unique() error {
	seen := map[string]bool{}
	e := eval{o: c.o}
	for _, p := range e.principals() {
		mobile := phoneDigits(p.p.EmergencyMobile)
		if mobile != "" && !seen["m"+mobile] {
			seen["m"+mobile] = true
			n, err := c.d.OtherSubjectsWithEmergencyMobile(c.ctx, mobile, c.subject)
			if err != nil {
				return err
			}
			if n > 0 {
				c.add("rules.emergency_mobile_not_unique", p.field+".emergency_mobile", args{"phone": lit(p.p.EmergencyMobile)})
			}
		}
		email := strings.ToLower(strings.TrimSpace(p.p.Email))
		if email != "" && !seen["e"+email] {
			seen["e"+email] = true
			n, err := c.d.OtherSubjectsWithEmail(c.ctx, email, c.subject)
			if err != nil {
				return err
			}
			if n > 0 {
				c.add("rules.email_not_unique", p.field+".email", args{"email": lit(p.p.Email)})
			}
		}
	}
	return nil
}

// legalRepresentative: Huawei Cloud's first-filing guide (同一个法定代表人有多家公司需要备案时，法定代表人的联系方式需保持一致). It
// applies when the subject principal is the legal representative, the usual case (Huawei Cloud's first-filing guide).
func (c crossCheck) legalRepresentative() error {
	lr := c.o.Subject.LegalRepresentative
	sp := c.o.Subject.Principal
	if lr == nil || normID(lr.IDNumber) == "" || !samePerson(sp, filing.Principal{Name: lr.Name, CredentialNumber: lr.IDNumber}) {
		return nil
	}
	mobile, email, found, err := c.d.LegalRepresentativeContacts(c.ctx, normID(lr.IDNumber), c.subject)
	if err != nil || !found {
		return err
	}
	a := args{"mobile": lit(mask.Mobile(phoneDigits(mobile))), "email": lit(mask.Email(email))}
	if mobile != "" && phoneDigits(sp.Mobile) != phoneDigits(mobile) {
		c.add("rules.legal_rep_contacts_inconsistent", "subject.principal.mobile", a)
	}
	if email != "" && !strings.EqualFold(strings.TrimSpace(sp.Email), email) {
		c.add("rules.legal_rep_contacts_inconsistent", "subject.principal.email", a)
	}
	return nil
}
