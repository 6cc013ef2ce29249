package providerweb

import (
	"testing"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/recognise"
)

// fillSubject fills what is empty or still holds the previous reading, and never what the applicant typed.
func TestFillSubject(t *testing.T) {
	read := func(name, addr string) *recognise.Result {
		return &recognise.Result{Kind: recognise.BusinessLicence, Fields: map[string]recognise.Field{
			recognise.FieldName: {Value: name}, recognise.FieldAddress: {Value: addr}, recognise.FieldLegalRep: {Check: "recognise.not_found"}}}
	}
	idFront := &recognise.Result{Kind: recognise.IDFront, Fields: map[string]recognise.Field{
		recognise.FieldName: {Value: "李芳"}, recognise.FieldIDNumber: {Read: "110101199001011231", Check: "resident_id.checksum"}}}
	cases := []struct {
		name       string
		code       string
		subj       filing.Subject
		res, prev  *recognise.Result
		wantName   string
		wantAddr   string
		wantPrName string
		wantPrNo   string
	}{
		{"empty fields are filled", "subject_credential", filing.Subject{}, read("甲公司", "北京市东城区1号"), nil, "甲公司", "北京市东城区1号", "", ""},
		{"a typed value stays", "subject_credential", filing.Subject{Name: "乙公司"}, read("甲公司", "北京市东城区1号"), nil, "乙公司", "北京市东城区1号", "", ""},
		{"the previous reading is replaced", "subject_credential", filing.Subject{Name: "甲公甸", CredentialAddress: "手写地址"},
			read("甲公司", "北京市东城区1号"), read("甲公甸", "北京市东城区2号"), "甲公司", "手写地址", "", ""},
		{"nothing read fills nothing", "subject_credential", filing.Subject{Name: "乙公司"}, read("", ""), nil, "乙公司", "", "", ""},
		{"a number failing its check is not filled", "subject_principal_credential", filing.Subject{}, idFront, nil, "", "", "李芳", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := c.subj
			fillSubject(&s, c.code, c.res, c.prev)
			if s.Name != c.wantName || s.CredentialAddress != c.wantAddr || s.Principal.Name != c.wantPrName ||
				s.Principal.CredentialNumber != c.wantPrNo {
				t.Fatalf("got name %q address %q principal %q %q", s.Name, s.CredentialAddress, s.Principal.Name, s.Principal.CredentialNumber)
			}
			if s.LegalRepresentative != nil && s.LegalRepresentative.Name != "" {
				t.Fatalf("the legal representative was filled with %q though nothing was read", s.LegalRepresentative.Name)
			}
		})
	}
}
