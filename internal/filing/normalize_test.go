package filing

import (
	"reflect"
	"testing"
)

// Normalize gives every well-formed identifier the form `beian check` prints, and leaves malformed ones as typed.
func TestNormalize(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(o *Order)
		field func(o *Order) string
		want  string
	}{
		{"resident ID check letter", func(o *Order) { o.Subject.Principal.CredentialNumber = "11010519491231002x" },
			func(o *Order) string { return o.Subject.Principal.CredentialNumber }, "11010519491231002X"},
		{"legal representative ID", func(o *Order) { o.Subject.LegalRepresentative.IDNumber = " 11010519491231002x " },
			func(o *Order) string { return o.Subject.LegalRepresentative.IDNumber }, "11010519491231002X"},
		{"USCC lower case", func(o *Order) { o.Subject.CredentialNumber = "91350100m000100y43" },
			func(o *Order) string { return o.Subject.CredentialNumber }, "91350100M000100Y43"},
		{"mobile with country code and spaces", func(o *Order) { o.Subject.Principal.Mobile = "+86 139 1234 5679" },
			func(o *Order) string { return o.Subject.Principal.Mobile }, "13912345679"},
		{"service principal mobile", func(o *Order) { o.Services[1].Principal.Mobile = "136-1234-5671" },
			func(o *Order) string { return o.Services[1].Principal.Mobile }, "13612345671"},
		{"APP signature", func(o *Order) { o.Services[1].App.Platforms[0].Signature = "9e107d9d372bb6826bd81d3542a419d6" },
			func(o *Order) string { return o.Services[1].App.Platforms[0].Signature }, "9E107D9D372BB6826BD81D3542A419D6"},
		{"domain upper case", func(o *Order) { o.Services[0].Domains[0] = "Example.COM" },
			func(o *Order) string { return o.Services[0].Domains[0] }, "example.com"},
		{"malformed ID stays as typed", func(o *Order) { o.Subject.Principal.CredentialNumber = "11010519491231002y" },
			func(o *Order) string { return o.Subject.Principal.CredentialNumber }, "11010519491231002y"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := validOrder()
			tt.edit(o)
			Normalize(o, validateNow)
			if got := tt.field(o); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
	// Normalising twice changes nothing more.
	once := validOrder()
	Normalize(once, validateNow)
	twice := validOrder()
	Normalize(twice, validateNow)
	Normalize(twice, validateNow)
	if !reflect.DeepEqual(once, twice) {
		t.Fatalf("not idempotent: %+v", twice)
	}
}
