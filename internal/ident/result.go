// Package ident validates and normalises the identifiers an ICP or police filing carries: resident ID cards
// and other personal credentials, unified social credit and organisation codes, mobile and landline numbers,
// e-mail addresses, domains, ICP and police numbers, website names, IP addresses and APP signing data.
//
// Every validator is pure (no storage, no network, the clock passed in) and returns a Result: the normalised
// value, errors that make the value unacceptable, warnings worth showing but not blocking, and facts read
// from the value (Info). Finding codes are stable and are the keys of the messages in
// internal/i18n/catalog/ident.*.json, prefixed by the kind, e.g. "resident_id.checksum".
package ident

import (
	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/problem"
)

// Kinds of identifier; each is the prefix of its finding codes.
const (
	KindResidentID         = "resident_id"
	KindResidencePermit    = "residence_permit"
	KindForeignPermanentID = "foreign_permanent_id"
	KindHKMacaoPermit      = "hk_macao_permit"
	KindTaiwanPermit       = "taiwan_permit"
	KindPassport           = "passport"
	KindCredential         = "credential"
	KindUSCC               = "uscc"
	KindOrgCode            = "org_code"
	KindMobile             = "mobile"
	KindLandline           = "landline"
	KindEmail              = "email"
	KindDomain             = "domain"
	KindICPNumber          = "icp_number"
	KindPoliceNumber       = "police_number"
	KindWebsiteName        = "website_name"
	KindIP                 = "ip"
	KindAppSignature       = "app_signature"
	KindAppPackage         = "app_package"
	KindHomeURL            = "home_url"
)

// Finding is one error or warning. Code is the i18n key; Params fill its placeholders.
type Finding struct {
	Code   string            `json:"code"`
	Params map[string]string `json:"-"`
}

// Message returns the finding's text in lang.
func (f Finding) Message(lang i18n.Lang) string { return i18n.T(lang, f.Code, f.Params) }

// Result is what a validator found out about one input.
type Result struct {
	Kind  string `json:"kind"`
	Input string `json:"input"`
	// Normalized is the canonical form to store and compare (e.g. uppercase X, "010-12345678-123",
	// the Unicode form of a domain). For unacceptable input it is the input cleaned as far as possible.
	// Validating Normalized again yields the same Normalized.
	Normalized string         `json:"normalized"`
	Errors     []Finding      `json:"errors"`
	Warnings   []Finding      `json:"warnings"`
	Info       map[string]any `json:"info"`

	errorsOnly bool // see detail
}

// Valid reports whether the input is acceptable: no errors (warnings do not count).
func (r Result) Valid() bool { return len(r.Errors) == 0 }

// Has reports whether the result carries the finding code, as an error or a warning.
func (r Result) Has(code string) bool {
	for _, fs := range [][]Finding{r.Errors, r.Warnings} {
		for _, f := range fs {
			if f.Code == code {
				return true
			}
		}
	}
	return false
}

func newResult(kind, input string) Result { return start(kind, input, full) }

// detail is how much a validator records. The rules are the same either way, and so are the errors; with
// errorsOnly the result has no warnings and no Info (nil), and a valid input costs no allocation: for checking
// many values where only the errors matter (CredentialErrors).
type detail bool

const (
	full       detail = false
	errorsOnly detail = true
)

// start returns the empty result of a validator recording d.
func start(kind, input string, d detail) Result {
	if d == errorsOnly {
		return Result{Kind: kind, Input: input, errorsOnly: true}
	}
	return Result{Kind: kind, Input: input, Errors: []Finding{}, Warnings: []Finding{}, Info: map[string]any{}}
}

// noting reports whether the result records warnings and Info: a rule computes what it would note only then.
func (r *Result) noting() bool { return !r.errorsOnly }

// fail adds the error kind.suffix; params alternate key, value.
func (r *Result) fail(suffix string, params ...string) {
	r.Errors = append(r.Errors, finding(r.Kind+"."+suffix, params))
}

// warn adds the warning kind.suffix; params alternate key, value.
func (r *Result) warn(suffix string, params ...string) {
	if !r.noting() {
		return
	}
	r.Warnings = append(r.Warnings, finding(r.Kind+"."+suffix, params))
}

func finding(code string, params []string) Finding {
	f := Finding{Code: code}
	if len(params) > 0 {
		f.Params = pairs(params)
	}
	return f
}

// pairs turns alternating keys and values into a map.
func pairs(kv []string) map[string]string {
	m := make(map[string]string, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

// Problem is the finding as the problem of field: its code, its parameters, Kind Invalid.
func (f Finding) Problem(field string) *problem.Error {
	return &problem.Error{Kind: problem.Invalid, Code: f.Code, Field: field, Params: f.Params}
}
