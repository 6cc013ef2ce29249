package codes

import (
	"errors"
	"slices"
)

// CredentialType is a credential type (证件类型), docs/design.md §3.
type CredentialType struct {
	Name string `json:"name"`
	// Person is true for personal credentials (any principal may use them); false for organisation credentials.
	Person bool `json:"person"`
	// Mainland is true only for the mainland resident ID card: it carries an ID-card province and a birth date,
	// and its holder does not need the extra face check that non-mainland principals do (Alibaba Cloud's filing notes).
	Mainland bool `json:"mainland"`
	// Natures are the subject natures that may use this type as the subject credential.
	Natures []string `json:"natures"`
	Names   Names    `json:"names"`
}

func (c CredentialType) key() string { return c.Name }

func (c CredentialType) check() error {
	if c.Name == "" {
		return errors.New("name is required")
	}
	if c.Mainland && !c.Person {
		return errors.New("only a personal credential can be mainland")
	}
	return namesErr(c.Names)
}

// Credential returns the credential type with that name.
func Credential(name string) (CredentialType, bool) { return find(tab().credentials, name) }

// CredentialTypes returns every credential type: persons first, then organisations.
func CredentialTypes() []CredentialType { return slices.Clone(tab().credentials) }

// CredentialTypesFor returns the types a subject of that nature may file with (docs/design.md §3).
func CredentialTypesFor(nature string) []CredentialType {
	var out []CredentialType
	for _, c := range tab().credentials {
		if slices.Contains(c.Natures, nature) {
			out = append(out, c)
		}
	}
	return out
}

// CredentialAllowed reports whether a subject of that nature may file with that credential type (docs/design.md §3:
// WeChat queryIcpCertificateTypes links each type to natures).
func CredentialAllowed(nature, credentialType string) bool {
	c, ok := Credential(credentialType)
	return ok && slices.Contains(c.Natures, nature)
}

// PersonCredentialTypes returns the types a principal (a person) may use.
func PersonCredentialTypes() []CredentialType {
	var out []CredentialType
	for _, c := range tab().credentials {
		if c.Person {
			out = append(out, c)
		}
	}
	return out
}

// IsPersonCredential reports whether t is a known personal credential type.
func IsPersonCredential(t string) bool {
	c, ok := Credential(t)
	return ok && c.Person
}

// IsMainland reports whether t is the mainland resident ID card (resident_id): only its holders skip the extra
// face check of non-mainland principals (Alibaba Cloud's filing notes), and only it names an ID-card province.
func IsMainland(t string) bool {
	c, ok := Credential(t)
	return ok && c.Mainland
}
