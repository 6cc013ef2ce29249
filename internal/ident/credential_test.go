package ident

import (
	"testing"

	"github.com/beian/beian/internal/codes"
)

func TestCredential(t *testing.T) {
	cases := []struct {
		ctype, number, kind string
		valid               bool
	}{
		{CredResidentID, "11010519491231002x", KindResidentID, true},
		{CredResidentID, "91350100M000100Y43", KindResidentID, false},
		{CredPassport, "E37158926", KindPassport, true},
		{CredHKMacaoPermit, "H12345678", KindHKMacaoPermit, true},
		{CredTaiwanPermit, "12345678", KindTaiwanPermit, true},
		{CredResidencePermit, withCheck("81000019900101123"), KindResidencePermit, true},
		{CredForeignPermanentID, withCheck("93184019900101123"), KindForeignPermanentID, true},
		{CredBusinessLicense, "91350100M000100Y43", KindUSCC, true},
		{CredUSCCCertificate, "91350100M000100Y44", KindUSCC, false},
		{CredOrgCodeCertificate, "M000100Y4", KindOrgCode, true},
		{"public_institution_certificate", "事证第123456789012号", KindCredential, true},
		{"public_institution_certificate", "12345", KindCredential, false},
		{"public_institution_certificate", "  ", KindCredential, false},
	}
	for _, c := range cases {
		r := Credential(c.ctype, c.number, now)
		if r.Kind != c.kind || r.Valid() != c.valid {
			t.Errorf("Credential(%s, %q) = kind %s valid %v %v; want %s %v", c.ctype, c.number, r.Kind, r.Valid(), r.Errors, c.kind, c.valid)
		}
	}
}

// Every personal credential type of the code lists has a validator of its own, and so do the organisation
// types that carry a USCC or an organisation code.
func TestCredentialTypesOfCodeLists(t *testing.T) {
	for _, ct := range codes.PersonCredentialTypes() {
		if r := Credential(ct.Name, "x", now); r.Kind == KindCredential {
			t.Errorf("person credential type %s falls back to the generic check", ct.Name)
		}
	}
	for _, name := range []string{CredBusinessLicense, CredUSCCCertificate, CredOrgCodeCertificate} {
		if _, ok := codes.Credential(name); !ok {
			t.Errorf("%s is not a credential type of the code lists", name)
		}
	}
}

func FuzzCredential(f *testing.F) {
	f.Add("public_institution_certificate", "事证第123456789012号")
	f.Add(CredResidentID, "11010519491231002x")
	f.Fuzz(func(t *testing.T, ctype, s string) {
		fuzzIdempotent(t, func(v string) Result { return Credential(ctype, v, now) }, s)
	})
}
