package mpsweb

import (
	"strings"

	"github.com/beian/beian/internal/codes"
	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/mps"
)

// Field builders: the label of a field is mps.web.f.<name>, its hint mps.web.h.<name> when the catalog has one.

func typed(lang i18n.Lang, kind, name, value string) *field {
	f := &field{Name: name, Label: label(lang, name), Kind: kind, Value: value, Required: true}
	if k := "mps.web.h." + name; i18n.Has(k) {
		f.Hint = i18n.T(lang, k, nil)
	}
	return f
}

func text(lang i18n.Lang, name, value string, required bool) *field {
	f := typed(lang, "text", name, value)
	f.Required = required
	return f
}

func pass(lang i18n.Lang, name string) *field { return typed(lang, "password", name, "") }

func area(lang i18n.Lang, name, value string, rows int) *field {
	f := typed(lang, "textarea", name, value)
	f.Wide = true
	return f
}

func selectField(lang i18n.Lang, name, value string, opts []option) *field {
	f := typed(lang, "select", name, value)
	for i := range opts {
		opts[i].Selected = opts[i].Value == value
	}
	f.Options = opts
	return f
}

func checks(lang i18n.Lang, name string, selected []string, opts []option) *field {
	f := typed(lang, "checks", name, "")
	for i := range opts {
		opts[i].Selected = contains(selected, opts[i].Value)
	}
	f.Options, f.Wide = opts, true
	return f
}

func checkbox(lang i18n.Lang, name string, checked bool) *field {
	f := typed(lang, "checkbox", name, "yes")
	f.Checked, f.Required, f.Wide = checked, false, true
	return f
}

func file(lang i18n.Lang, name string) *field {
	f := typed(lang, "file", name, "")
	f.Required = false
	return f
}

func personCredentialSelect(lang i18n.Lang, name, value string) *field {
	var opts []option
	for _, c := range codes.PersonCredentialTypes() {
		opts = append(opts, option{Value: c.Name, Label: c.Names.In(lang)})
	}
	return selectField(lang, name, value, opts)
}

func credentialSelect(lang i18n.Lang, name, value string) *field {
	var opts []option
	for _, c := range codes.CredentialTypes() {
		if c.Person || strings.Contains("business_license uscc_certificate org_code_certificate public_institution_certificate "+
			"social_organization_certificate military_code military_paid_service_license", c.Name) {
			opts = append(opts, option{Value: c.Name, Label: c.Names.In(lang)})
		}
	}
	return selectField(lang, name, value, opts)
}

func natureSelect(lang i18n.Lang, value string) *field {
	var opts []option
	for _, n := range codes.PoliceNatures() {
		opts = append(opts, option{Value: n.Name, Label: n.Names.In(lang)})
	}
	return selectField(lang, "nature", value, opts)
}

func optionList(lang i18n.Lang, list []mps.Option) []option {
	var out []option
	for _, o := range list {
		out = append(out, option{Value: o.Code, Label: o.Name(lang)})
	}
	return out
}

func personFields(lang i18n.Lang, p mps.Person) []*field {
	return []*field{text(lang, "principal.name", p.Name, true),
		personCredentialSelect(lang, "principal.credential_type", defaultTo(p.CredentialType, "resident_id")),
		text(lang, "principal.credential_number", p.CredentialNumber, true),
		typed(lang, "tel", "principal.mobile", p.Mobile), typed(lang, "email", "principal.email", p.Email),
		text(lang, "principal.residence", p.Residence, true)}
}

func defaultTo(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func lines(s string) []string {
	var out []string
	for _, l := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' || r == ',' || r == '，' }) {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
