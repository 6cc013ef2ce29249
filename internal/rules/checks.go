package rules

import (
	"errors"
	"fmt"
	"slices"

	"github.com/beian/beian/internal/codes"
)

// checkDef is one parameterised check that data rules name in their "check" field.
type checkDef struct {
	run      func(e *eval, r *Rule)
	validate func(Params) error // nil when the check takes no parameters
	// emits names the codes the check reports besides the rule's own (notices, material reasons), so the
	// catalogs and docs can be checked for them.
	emits []string
	// what the rule's own code is: a violation message, a material reason or a notice.
	outcome string
	doc     string // one line for docs/rules.md
}

const (
	outViolation = "violation"
	outMaterial  = "material"
	outNotice    = "notice"
)

var checks map[string]checkDef

func init() {
	checks = map[string]checkDef{
		// code lists and consistency (national)
		"known": {run: checkKnown, validate: needList, outcome: outViolation,
			doc: "the value is in its code list (params.list)"},
		"app_content_leaf": {run: checkAppContentLeaf, outcome: outViolation,
			doc: "APP service content is a second-level value, not a group"},
		"principal_person_credential": {run: checkPrincipalPersonCredential, outcome: outViolation,
			doc: "principals use a personal credential type"},
		"credential_allowed": {run: checkCredentialAllowed, outcome: outViolation,
			doc: "the subject credential type is allowed for the nature"},
		"name_nature": {run: checkNameNature, outcome: outViolation,
			doc: "a unit name's legal-form ending matches the nature (公司 → enterprise, …)"},
		"individual_name": {run: checkIndividualName, outcome: outViolation,
			doc: "an individual's subject name does not look like a unit name"},
		"individual_self": {run: checkIndividualSelf, outcome: outViolation,
			doc: "in a personal filing every principal is the subject in person"},
		"content_units_only": {run: checkContentUnitsOnly, outcome: outViolation,
			doc: "personal filings choose no content reserved to units"},
		"address_province": {run: checkAddressProvince, emits: []string{"rules.address_province_unknown"},
			outcome: outViolation, doc: "the communication address is in the filing province (prefix heuristic)"},
		"principal_contacts_distinct": {run: checkContactsDistinct, outcome: outViolation,
			doc: "a different service principal has a mobile and e-mail of their own"},
		"non_mainland_notice": {run: checkNonMainland, outcome: outNotice,
			doc: "a non-mainland subject principal: both principals may need a face check"},
		"cross_subject": {run: func(*eval, *Rule) {}, outcome: outViolation,
			doc: "across subjects: enforced by CrossCheck with the registry, not by Evaluate"},
		// materials
		"material": {run: checkMaterial, validate: needMaterial, outcome: outMaterial,
			doc: "asks for params.material when the conditions hold"},
		"service_principal_credentials": {run: checkServicePrincipalCredentials, outcome: outMaterial,
			doc: "one credential per service principal who is not the subject principal"},
		"authorization_letter": {run: checkAuthorizationLetter, outcome: outMaterial,
			doc: "a principal who is not the legal representative needs an authorization letter"},
		"credential_changed": {run: checkCredentialChanged, validate: needMaterial, outcome: outMaterial,
			doc: "a change that replaces the subject's credential number asks for params.material"},
		"pre_approval_permits": {run: checkPreApprovalPermits, outcome: outMaterial,
			doc: "one permit per declared pre-approval item"},
		"finance_remark": {run: checkFinanceRemark, outcome: outMaterial,
			doc: "a remark naming finance without a finance pre-approval needs a no-pre-approval pledge"},
		// services
		"finance_content": {run: checkFinanceContent, outcome: outViolation,
			doc: "finance content needs a finance pre-approval"},
		"finance_name": {run: checkFinanceName, outcome: outViolation,
			doc: "a service name with a financial trigger word needs a finance pre-approval"},
		"app_icon": {run: checkAppIcon, outcome: outViolation, doc: "an APP has its icon"},
		"max_domains_per_service": {run: checkMaxDomainsPerService, validate: needMaxKinds, outcome: outViolation,
			doc: "a service of params.kinds lists at most params.max domains"},
		"max_domains_per_order": {run: checkMaxDomainsPerOrder, validate: needMax, outcome: outViolation,
			doc: "an order lists at most params.max distinct domains"},
		"one_service_per_order": {run: checkOneService, outcome: outViolation,
			doc: "an order carries one service (one website or one APP)"},
		"content_only": {run: checkContentOnly, validate: needContent, outcome: outViolation,
			doc: "website content limited to params.content"},
		"content_forbidden": {run: checkContentForbidden, validate: needContent, outcome: outViolation,
			doc: "website content may not include params.content"},
		// people and province
		"order_type_refused": {run: checkOrderTypeRefused, outcome: outViolation,
			doc: "the province does not take this order type online (when.order_types)"},
		"cross_province_personal": {run: checkCrossProvince, validate: needMode, outcome: outViolation,
			doc: "personal filing with an ID card of another province: refused (mode refuse) or with a residence permit (mode residence_permit)"},
		"legal_rep_outside_province": {run: checkLegalRepOutside, validate: needMaterial, outcome: outMaterial,
			doc: "a legal representative with an ID card of another province needs params.material"},
		"local_phones": {run: checkLocalPhones, validate: needPhones, emits: []string{"rules.mobile_locality_unverified"},
			outcome: outViolation, doc: "principals' phones (params.phones) belong to the province: landlines checked by area code, mobiles flagged"},
		"min_age": {run: checkMinAge, validate: needMin, outcome: outViolation,
			doc: "principals with a resident ID are at least params.min years old on the evaluation day"},
		"age_material": {run: checkAgeMaterial, validate: needMaxMaterial, outcome: outMaterial,
			doc: "principals younger than params.max need params.material"},
		"subject_principal_is_legal_rep": {run: checkSubjectPrincipalIsLegalRep, outcome: outViolation,
			doc: "the subject principal is the legal representative"},
	}
}

func needList(p Params) error {
	if !slices.Contains([]string{"province", "nature", "credential_type", "service_kind", "content", "language",
		"pre_approval", "platform"}, p.List) {
		return fmt.Errorf("params.list %q is not a known list", p.List)
	}
	return nil
}

func needMax(p Params) error {
	if p.Max <= 0 {
		return errors.New("params.max must be positive")
	}
	return nil
}

func needMin(p Params) error {
	if p.Min <= 0 {
		return errors.New("params.min must be positive")
	}
	return nil
}

func needMaxKinds(p Params) error {
	if err := needMax(p); err != nil {
		return err
	}
	if len(p.Kinds) == 0 {
		return errors.New("params.kinds is required")
	}
	return checkKinds(p.Kinds)
}

func needMaxMaterial(p Params) error {
	if err := needMax(p); err != nil {
		return err
	}
	return needMaterial(p)
}

func needContent(p Params) error {
	if len(p.Content) == 0 {
		return errors.New("params.content is required")
	}
	for _, c := range p.Content {
		if _, ok := codes.ServiceContent(c); !ok {
			return fmt.Errorf("params.content: unknown website content %q", c)
		}
	}
	return nil
}

func needMode(p Params) error {
	if p.Mode != "refuse" && p.Mode != "residence_permit" {
		return errors.New(`params.mode must be "refuse" or "residence_permit"`)
	}
	return nil
}

func needPhones(p Params) error {
	if len(p.Phones) == 0 {
		return errors.New("params.phones is required")
	}
	for _, ph := range p.Phones {
		if !slices.Contains([]string{"office", "mobile", "emergency"}, ph) {
			return fmt.Errorf("params.phones: %q is not office, mobile or emergency", ph)
		}
	}
	return nil
}

// Outcome returns what a rule's own code is: "violation", "material" or "notice". A cross-province rule in
// residence_permit mode asks for a material.
func (r *Rule) Outcome() string {
	if r.Check == "cross_province_personal" && r.Params.Mode == "residence_permit" {
		return outMaterial
	}
	return checks[r.Check].outcome
}

// EmittedCodes returns every code a rule may report: its own and the check's extra ones.
func (r *Rule) EmittedCodes() []string {
	return append([]string{r.Code}, checks[r.Check].emits...)
}
