package provider

import (
	"slices"
	"strings"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/mask"
	"github.com/beian/beian/internal/provider/store"
)

// changedPersons is who verifies for a change: only a principal who is not one of the record's principals (a
// new person), besides whoever must verify anyway (a non-mainland subject principal, a reviewer's request). A
// principal whose phone or e-mail changed is the same person: the administration's SMS code to the new number
// verifies it (UCloud 《备案短信核验》: a changed number receives the code).
func (s *Service) changedPersons(o *filing.Order, requests []store.VerificationRequest) []Person {
	known := filedPersons(o.Filed)
	var out []Person
	for _, p := range s.allPersons(o, requests) {
		if !known[credKey(p.CredentialType, p.number)] || slices.Contains(p.Why, "non_mainland") || slices.Contains(p.Why, "requested") {
			out = append(out, p)
		}
	}
	sp := o.Subject.Principal
	if o.Type == filing.ChangeSubject && !known[credKey(sp.CredentialType, sp.CredentialNumber)] &&
		!slices.ContainsFunc(out, func(p Person) bool { return p.Key == PersonSubjectPrincipal }) {
		out = append(out, Person{Key: PersonSubjectPrincipal, Roles: []string{"subject_principal"}, Why: []string{"changed"},
			Name: mask.Name(sp.Name), CredentialType: sp.CredentialType, Method: s.method(o),
			fullName: strings.TrimSpace(sp.Name), number: strings.TrimSpace(sp.CredentialNumber)})
	}
	return out
}

// filedPersons are the principals of the record as filed, by credential.
func filedPersons(f *filing.Filed) map[string]bool {
	out := map[string]bool{credKey(f.Subject.Principal.CredentialType, f.Subject.Principal.CredentialNumber): true}
	for _, svc := range f.Services {
		out[credKey(svc.Principal.CredentialType, svc.Principal.CredentialNumber)] = true
	}
	return out
}

func credKey(ctype, number string) string {
	return ctype + "\x00" + strings.ToUpper(strings.TrimSpace(number))
}
