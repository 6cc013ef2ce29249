// Package rulestest provides an in-memory rules.Directory for tests.
package rulestest

import (
	"context"
	"strings"

	"github.com/beian/beian/internal/rules"
)

// Subject is what the registry knows of one filed subject, in the normalised form rules.Directory receives.
type Subject struct {
	Credential       string   // the subject's credential number
	EmergencyMobiles []string // its principals' emergency mobiles
	Emails           []string // its principals' e-mail addresses
	// LegalRepID, Mobile and Email: the legal representative and the contacts he used as subject principal.
	LegalRepID string
	Mobile     string
	Email      string
}

// Directory is an in-memory registry of subjects. Err, when set, is returned by every method.
type Directory struct {
	Subjects []Subject
	Err      error
}

var _ rules.Directory = (*Directory)(nil)

// Add records a subject.
func (d *Directory) Add(s Subject) { d.Subjects = append(d.Subjects, s) }

func (d *Directory) count(subject string, has func(Subject) bool) (int, error) {
	if d.Err != nil {
		return 0, d.Err
	}
	n := 0
	for _, s := range d.Subjects {
		if !strings.EqualFold(s.Credential, subject) && has(s) {
			n++
		}
	}
	return n, nil
}

// OtherSubjectsWithEmergencyMobile implements rules.Directory.
func (d *Directory) OtherSubjectsWithEmergencyMobile(_ context.Context, mobile, subject string) (int, error) {
	return d.count(subject, func(s Subject) bool { return contains(s.EmergencyMobiles, mobile) })
}

// OtherSubjectsWithEmail implements rules.Directory.
func (d *Directory) OtherSubjectsWithEmail(_ context.Context, email, subject string) (int, error) {
	return d.count(subject, func(s Subject) bool { return contains(s.Emails, email) })
}

// LegalRepresentativeContacts implements rules.Directory: the last subject recorded for that legal
// representative other than the one asking.
func (d *Directory) LegalRepresentativeContacts(_ context.Context, id, subject string) (string, string, bool, error) {
	if d.Err != nil {
		return "", "", false, d.Err
	}
	for i := len(d.Subjects) - 1; i >= 0; i-- {
		s := d.Subjects[i]
		if strings.EqualFold(s.LegalRepID, id) && !strings.EqualFold(s.Credential, subject) {
			return s.Mobile, s.Email, true, nil
		}
	}
	return "", "", false, nil
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if strings.EqualFold(y, x) {
			return true
		}
	}
	return false
}
