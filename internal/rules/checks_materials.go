package rules

import (
	"strconv"
	"strings"

	"github.com/beian/beian/internal/codes"
	"github.com/beian/beian/internal/filing"
)

// checkMaterial asks for params.material; the rule's conditions say when.
func checkMaterial(e *eval, r *Rule) {
	e.require(r, r.Params.Material, r.Code, nil, args{
		"province": e.provinceName(),
		"domains":  lit(strconv.Itoa(len(e.domains()))),
	})
}

// checkServicePrincipalCredentials asks for the credential of each service principal who is not the subject
// principal (Alibaba Cloud's materials guide: 网站负责人证件).
func checkServicePrincipalCredentials(e *eval, r *Rule) {
	for _, p := range e.separateServicePrincipals() {
		e.require(r, "service_principal_credential", r.Code, p.service, args{"name": lit(p.p.Name)})
	}
}

// checkAuthorizationLetter asks for an authorization letter for each principal who is not the legal
// representative (Alibaba Cloud's materials guide: 当主体负责人或网站负责人不是法人时; docs/rules.md: nearly all provinces). Credential
// numbers decide when both are known, else the names.
func checkAuthorizationLetter(e *eval, r *Rule) {
	lr := e.o.Subject.LegalRepresentative
	if lr == nil || strings.TrimSpace(lr.Name) == "" {
		return
	}
	legal := filing.Principal{Name: lr.Name, CredentialNumber: lr.IDNumber}
	for _, p := range e.principals() {
		if strings.TrimSpace(p.p.Name) != "" && !samePerson(p.p, legal) {
			e.require(r, "authorization_letter", r.Code, p.service, args{"name": lit(p.p.Name), "legal": lit(lr.Name)})
		}
	}
}

// checkPreApprovalPermits asks for one permit per declared pre-approval item (Huawei Cloud's first-filing guide: 若包含…请上传相关许可
// 证件; docs/design.md §3 permits and issuers).
func checkPreApprovalPermits(e *eval, r *Rule) {
	for i, s := range e.o.Services {
		for _, p := range s.PreApprovals {
			pt, ok := codes.PreApproval(p.Type)
			if !ok {
				continue // reported by the "known" check
			}
			e.require(r, "pre_approval_permit", r.Code, ptr(i), args{
				"type": pt.Names, "permit": pt.Permit, "issuer": pt.Issuer, "service": lit(s.Name)})
		}
	}
}

// checkFinanceRemark: a remark that names finance, in a service that neither declares a finance pre-approval
// nor names finance in its name, needs the pledge that no financial business is involved (docs/design.md §3: UC
// problem/problem9, 不涉及…承诺书).
func checkFinanceRemark(e *eval, r *Rule) {
	for i, s := range e.o.Services {
		if e.hasFinanceApproval(i) {
			continue
		}
		if _, inName := codes.FindFinanceWord(s.Name); inName {
			continue // refused by finance_name
		}
		if w, ok := codes.FindFinanceWord(s.Remark); ok {
			e.require(r, "no_pre_approval_pledge", r.Code, ptr(i), args{"word": lit(w), "service": lit(s.Name)})
		}
	}
}
