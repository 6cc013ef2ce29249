// Package rules is the province rules engine of ICP filing (docs/rules.md): from an order and a date it lists the
// materials the order needs, the violations that block its submission and the notices an applicant should read.
//
// Rules are data, not code: data/national.json holds the rules that apply everywhere and provinces/NN-name.json
// one file per province (all 31), each rule with the check that evaluates it, its conditions, its parameters,
// its source and the dates it applies (effective_from, optional effective_until). The Go side is a small set of
// parameterised checks (checks*.go); a new province rule is a new entry in a data file.
//
// The engine is pure: it reads nothing but the order and its embedded data. Rules across subjects (unique
// emergency mobile, unique e-mail, a legal representative's contacts) need the registry and are in CrossCheck
// behind the Directory interface. Per-field formats (ID checksums, phone formats, domain syntax, website-name
// wording) belong to the field validator (internal/filing/validate.go, internal/ident), not here.
package rules
