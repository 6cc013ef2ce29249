package ident

import (
	"reflect"
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

// CredentialErrors finds what Credential finds, the same codes with the same parameters in the same order, for
// valid numbers (with warnings or without) and for every kind of error of every validator it selects; it does
// not allocate for a valid number in its normal form.
func TestCredentialErrors(t *testing.T) {
	cases := []struct{ ctype, number string }{
		{CredResidentID, "11010519491231002x"},
		{CredResidentID, "110105194912310029"},
		{CredResidentID, withCheck("11019919900101123")}, // unknown county: a warning
		{CredResidentID, ""},
		{CredResidentID, "110105491231002"},
		{CredResidentID, "1101051949123100X9"},
		{CredResidentID, "1101051949123100"},
		{CredResidentID, withCheck("81000019900101123")},
		{CredResidentID, withCheck("99010519900101123")},
		{CredResidentID, withCheck("11010519900230123")},
		{CredResidentID, withCheck("11010518990101123")},
		{CredResidentID, withCheck("11010520990101123")},
		{CredResidentID, badCheck("11010519491231002X")},
		{CredResidentID, badCheck(withCheck("99010518990101123"))}, // three errors
		{CredResidencePermit, withCheck("81000019900101123")},
		{CredResidencePermit, withCheck("11010519900101123")},
		{CredResidencePermit, withCheck("99000019900101123")},
		{CredForeignPermanentID, withCheck("93184019900101123")},
		{CredForeignPermanentID, "USA123456789012"},
		{CredForeignPermanentID, withCheck("13184019900101123")},
		{CredPassport, "E37158926"},
		{CredPassport, "E12345678"},
		{CredPassport, "ABCDEFG"},
		{CredHKMacaoPermit, "H12345678"},
		{CredHKMacaoPermit, "M1234567801"},
		{CredHKMacaoPermit, "X12345678"},
		{CredTaiwanPermit, "12345678(B)"},
		{CredTaiwanPermit, "1234"},
		{CredBusinessLicense, "91350100M000100Y43"},
		{CredBusinessLicense, "91440101MA5D00100U"},
		{CredBusinessLicense, "9135 0100 m000 100y43"},
		{CredBusinessLicense, withUSCCCheck("91990000M000100Y4")}, // unknown division: a warning
		{CredBusinessLicense, withUSCCCheck("98350100M000100Y4")}, // unknown type: a warning
		{CredBusinessLicense, "440101000123456"},
		{CredBusinessLicense, "M000100Y4"},
		{CredBusinessLicense, "91350100M000100YO3"},
		{CredBusinessLicense, "91350100M000100Y4"},
		{CredBusinessLicense, withUSCCCheck("Z1350100M000100Y4")},
		{CredBusinessLicense, withUSCCCheck("9A350100M000100Y4")},
		{CredBusinessLicense, withUSCCCheck("91A50100M000100Y4")},
		{CredUSCCCertificate, "91350100M000100Y44"},
		{CredOrgCodeCertificate, "M000100Y-4"},
		{CredOrgCodeCertificate, "M000100Y5"},
		{CredOrgCodeCertificate, "91350100M000100Y43"},
		{CredOrgCodeCertificate, "M00"},
		{"public_institution_certificate", "事证第123456789012号"},
		{"public_institution_certificate", "12345"},
		{"public_institution_certificate", "  "},
	}
	for _, c := range cases {
		r := Credential(c.ctype, c.number, now)
		got := CredentialErrors(c.ctype, c.number, now)
		if len(got) != len(r.Errors) || len(got) > 0 && !reflect.DeepEqual(got, r.Errors) {
			t.Errorf("CredentialErrors(%s, %q) = %+v; Credential's errors are %+v", c.ctype, c.number, got, r.Errors)
		}
		if r.Valid() && r.Normalized == c.number && !raceDetector { // a valid number in its normal form
			if n := testing.AllocsPerRun(10, func() { CredentialErrors(c.ctype, c.number, now) }); n != 0 {
				t.Errorf("CredentialErrors(%s, %q) of a valid number: %v allocations", c.ctype, c.number, n)
			}
		}
	}
}

// withUSCCCheck appends the GB 32100 check character to a 17-character body.
func withUSCCCheck(body string) string { return body + string(usccCheck(body)) }

func FuzzCredentialErrors(f *testing.F) {
	f.Add(CredBusinessLicense, "91350100M000100Y43")
	f.Add(CredResidentID, "11010519491231002x")
	f.Fuzz(func(t *testing.T, ctype, s string) {
		want := Credential(ctype, s, now).Errors
		if got := CredentialErrors(ctype, s, now); len(got) != len(want) || len(got) > 0 && !reflect.DeepEqual(got, want) {
			t.Fatalf("CredentialErrors(%s, %q) = %+v; Credential's errors are %+v", ctype, s, got, want)
		}
	})
}

// compact's quick path for plain ASCII gives what folding and dropping spaces give.
func TestCompactQuickPath(t *testing.T) {
	for _, s := range []string{"", "91440101MA5D00100U", "M000100Y-4", "12345678(B)", "a b", "a\tb", "a\x00b", "a\x7fb",
		"ａ１", "1\u200b2", "H\u00a012345678", "E—1", "~!@#$%^&*()_+{}|:\"<>?`-=[]\\;',./"} {
		if got, want := compact(s), dropSpaces(fold(s)); got != want {
			t.Errorf("compact(%q) = %q, want %q", s, got, want)
		}
	}
}
