package rules

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/beian/beian/internal/codes"
	"github.com/beian/beian/internal/filing"
)

// Date is a calendar date, YYYY-MM-DD, in China time. ISO dates compare correctly as strings.
type Date string

// chinaTime is Asia/Shanghai without needing the tz database: UTC+8, no daylight saving since 1991.
var chinaTime = time.FixedZone("CST", 8*3600)

// DateOf returns the calendar date of t in China.
func DateOf(t time.Time) Date { return Date(t.In(chinaTime).Format(time.DateOnly)) }

func (d Date) valid() bool {
	t, err := time.Parse(time.DateOnly, string(d))
	return err == nil && t.Format(time.DateOnly) == string(d)
}

// Rule is one dated, sourced rule of the data files.
type Rule struct {
	// Province is the GB/T 2260 code of the file the rule comes from, "*" for national rules.
	Province string `json:"-"`
	// Code is stable: the code of the violations it reports, or the catalog key of the reason of the material
	// it asks for.
	Code   string    `json:"code"`
	Check  string    `json:"check"` // the check that evaluates it (checks.go)
	When   Condition `json:"when"`
	Params Params    `json:"params"`
	Source string    `json:"source"`
	// EffectiveFrom is the first day the rule applies; EffectiveUntil, if set, the first day it no longer does.
	EffectiveFrom  Date `json:"effective_from"`
	EffectiveUntil Date `json:"effective_until,omitempty"`
	// DateBasis is "enacted" when EffectiveFrom is the rule's own start date, "attested" when it is the date of
	// the earliest source found that states the rule (the rule may be older).
	DateBasis string `json:"date_basis"`
	Note      string `json:"note,omitempty"`
}

// ActiveOn reports whether the rule applies on day d.
func (r *Rule) ActiveOn(d Date) bool {
	return r.EffectiveFrom <= d && (r.EffectiveUntil == "" || d < r.EffectiveUntil)
}

// Condition narrows the orders a rule applies to; every set field must hold.
type Condition struct {
	Subject      string   `json:"subject,omitempty"` // "individual" or "unit"
	Natures      []string `json:"natures,omitempty"`
	OrderTypes   []string `json:"order_types,omitempty"`
	ServiceKinds []string `json:"service_kinds,omitempty"` // the order has a service of one of these kinds
	MinDomains   int      `json:"min_domains,omitempty"`   // the order lists at least this many distinct domains
	Finance      bool     `json:"finance,omitempty"`       // the order involves finance (see involvesFinance)
}

// Params are the parameters of a check; each check uses the ones it needs.
type Params struct {
	Material string   `json:"material,omitempty"` // material code to ask for
	Mode     string   `json:"mode,omitempty"`
	Phones   []string `json:"phones,omitempty"`  // office, mobile, emergency
	Content  []string `json:"content,omitempty"` // website service content codes
	List     string   `json:"list,omitempty"`    // code list for the "known" check
	Min      int      `json:"min,omitempty"`
	Max      int      `json:"max,omitempty"`
	Kinds    []string `json:"kinds,omitempty"` // service kinds
}

// RuleFile is one data file: the national rules or one province's.
type RuleFile struct {
	Province string      `json:"province"` // GB/T 2260 2-digit code, "*" for national rules
	Names    codes.Names `json:"names"`
	Version  string      `json:"version"`
	Source   string      `json:"source"`
	Notes    string      `json:"notes,omitempty"`
	Rules    []Rule      `json:"rules"`
}

// parseRuleFile decodes and checks one rule file strictly.
func parseRuleFile(raw []byte) (*RuleFile, error) {
	var f RuleFile
	d := json.NewDecoder(bytes.NewReader(raw))
	d.DisallowUnknownFields()
	if err := d.Decode(&f); err != nil {
		return nil, err
	}
	if err := d.Decode(&struct{}{}); !errors.Is(err, io.EOF) {
		return nil, errors.New("trailing data after the JSON object")
	}
	if err := f.check(); err != nil {
		return nil, err
	}
	for i := range f.Rules {
		f.Rules[i].Province = f.Province
	}
	return &f, nil
}

func (f *RuleFile) check() error {
	if f.Province != "*" && (len(f.Province) != 2 || strings.Trim(f.Province, "0123456789") != "") {
		return fmt.Errorf("province %q is not a 2-digit code or *", f.Province)
	}
	if f.Version == "" || f.Source == "" || f.Names.ZhCN == "" || f.Names.ZhTW == "" || f.Names.En == "" {
		return errors.New("version, source and names in three languages are required")
	}
	for i := range f.Rules {
		if err := f.Rules[i].check(); err != nil {
			return fmt.Errorf("rule %d (%s): %w", i, f.Rules[i].Code, err)
		}
	}
	return nil
}

func (r *Rule) check() error {
	def, ok := checks[r.Check]
	switch {
	case !strings.HasPrefix(r.Code, "rules."):
		return errors.New(`code must start with "rules."`)
	case !ok:
		return fmt.Errorf("unknown check %q", r.Check)
	case strings.TrimSpace(r.Source) == "":
		return errors.New("source is required")
	case !r.EffectiveFrom.valid():
		return fmt.Errorf("effective_from %q is not a date", r.EffectiveFrom)
	case r.EffectiveUntil != "" && (!r.EffectiveUntil.valid() || r.EffectiveUntil <= r.EffectiveFrom):
		return fmt.Errorf("effective_until %q is not a date after effective_from", r.EffectiveUntil)
	case r.DateBasis != "enacted" && r.DateBasis != "attested":
		return errors.New(`date_basis must be "enacted" or "attested"`)
	}
	if err := r.When.check(); err != nil {
		return err
	}
	if def.validate != nil {
		return def.validate(r.Params)
	}
	return nil
}

func (c Condition) check() error {
	if c.Subject != "" && c.Subject != "individual" && c.Subject != "unit" {
		return fmt.Errorf("when.subject %q must be individual or unit", c.Subject)
	}
	for _, n := range c.Natures {
		if _, ok := codes.Nature(n); !ok {
			return fmt.Errorf("when.natures: unknown nature %q", n)
		}
	}
	for _, t := range c.OrderTypes {
		if !filing.OrderType(t).Valid() {
			return fmt.Errorf("when.order_types: unknown order type %q", t)
		}
	}
	if err := checkKinds(c.ServiceKinds); err != nil {
		return err
	}
	if c.MinDomains < 0 {
		return errors.New("when.min_domains must not be negative")
	}
	return nil
}

var serviceKinds = []filing.ServiceKind{filing.Website, filing.App, filing.MiniProgram, filing.QuickApp}

func checkKinds(kinds []string) error {
	for _, k := range kinds {
		if !slices.Contains(serviceKinds, filing.ServiceKind(k)) {
			return fmt.Errorf("unknown service kind %q", k)
		}
	}
	return nil
}

// materialCodes are the material codes of docs/rules.md, plus employment_proof (a minor principal's proof of
// employment, UCloud docs rule/rule4/guangdong, docs/rules.md Jiangsu), which docs/design.md does not list.
var materialCodes = []string{"subject_credential", "subject_principal_credential", "service_principal_credential",
	"handheld_credential_photo", "handheld_unit_credential_photo", "authorization_letter", "domain_certificate",
	"domain_holder_proof", "residence_permit", "establishment_approval", "change_proof",
	"guangdong_commitment_letter", "guangdong_financial_commitment", "construction_plan", "beijing_confirmation",
	"jiangsu_responsibility_letters", "shanghai_commitment_letter", "verification_form", "pre_approval_permit",
	"no_pre_approval_pledge", "employment_proof"}

// MaterialCodes returns every material code the engine may ask for.
func MaterialCodes() []string { return slices.Clone(materialCodes) }

func needMaterial(p Params) error {
	if !slices.Contains(materialCodes, p.Material) {
		return fmt.Errorf("params.material %q is not a material code", p.Material)
	}
	return nil
}
