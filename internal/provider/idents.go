package provider

import (
	"time"

	"github.com/beian/beian/internal/codes"
	"github.com/beian/beian/internal/divisions"
	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/ident"
	"github.com/beian/beian/internal/problem"
)

func knownProvince(code string) bool {
	_, ok := divisions.ProvinceByCode(code)
	return ok
}

func knownNature(name string) bool {
	_, ok := codes.Nature(name)
	return ok
}

func credentialAllowed(nature, credentialType string) bool {
	return codes.CredentialAllowed(nature, credentialType)
}

// resultErr turns an ident result into problems, or nil when it is valid.
func resultErr(r ident.Result, field string) error {
	var l problem.List
	for _, f := range r.Errors {
		l = append(l, f.Problem(field))
	}
	return l.Err()
}

// normaliseCredential validates a credential number by its type and returns its normal form.
func normaliseCredential(credentialType, number string, now time.Time) (string, error) {
	r := ident.Credential(credentialType, number, now)
	return r.Normalized, resultErr(r, "credential_number")
}

// normaliseWebsiteDomain returns the registrable ASCII domain a website files (docs/design.md §4.6).
func normaliseWebsiteDomain(d string) (string, error) {
	r := ident.Domain(d, ident.ForWebsite)
	return r.Normalized, resultErr(r, "domain")
}

// normaliseContent puts the identifiers of an order's content in their normal form (filing.Normalize), the same
// on every path that saves it, so that the order, its review and its submission all read one form.
func normaliseContent(c *Content, now time.Time) {
	o := filing.Order{Subject: c.Subject, Services: c.Services}
	filing.Normalize(&o, now)
	c.Subject, c.Services = o.Subject, o.Services
}
