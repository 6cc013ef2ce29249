package provider

import (
	"time"

	"github.com/beian/beian/internal/codes"
	"github.com/beian/beian/internal/divisions"
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
		e := problem.Invalidf(f.Code, field)
		e.Params = f.Params
		l = append(l, e)
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
