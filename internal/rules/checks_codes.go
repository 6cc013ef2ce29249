package rules

import (
	"fmt"

	"github.com/beian/beian/internal/codes"
	"github.com/beian/beian/internal/filing"
)

// Code-list membership and consistency (docs/design.md §3). Empty values are left to the field validator, which
// reports missing fields; these checks judge only what is filled in.

func checkKnown(e *eval, r *Rule) {
	o := e.o
	switch r.Params.List {
	case "province":
		if e.prov == nil {
			e.violate(r, "province", args{"province": lit(o.Province)})
		}
	case "nature":
		if _, ok := codes.Nature(o.Subject.Nature); !ok && o.Subject.Nature != "" {
			e.violate(r, "subject.nature", args{"value": lit(o.Subject.Nature)})
		}
	case "credential_type":
		e.knownCredentialTypes(r)
	case "service_kind":
		for i, s := range o.Services {
			if checkKinds([]string{string(s.Kind)}) != nil && s.Kind != "" {
				e.violate(r, fmt.Sprintf("services[%d].kind", i), args{"value": lit(string(s.Kind))})
			}
		}
	default:
		e.knownServiceCodes(r)
	}
}

func (e *eval) knownCredentialTypes(r *Rule) {
	if t := e.o.Subject.CredentialType; t != "" {
		if _, ok := codes.Credential(t); !ok {
			e.violate(r, "subject.credential_type", args{"value": lit(t)})
		}
	}
	for _, p := range e.principals() {
		if t := p.p.CredentialType; t != "" {
			if _, ok := codes.Credential(t); !ok {
				e.violate(r, p.field+".credential_type", args{"value": lit(t)})
			}
		}
	}
}

// knownServiceCodes checks one of the per-service lists: content, language, pre_approval, platform.
func (e *eval) knownServiceCodes(r *Rule) {
	for i, s := range e.o.Services {
		for _, fv := range serviceCodes(s, r.Params.List) {
			if !knownServiceCode(s.Kind, r.Params.List, fv.value) {
				e.violate(r, fmt.Sprintf("services[%d].%s", i, fv.field), args{"value": lit(fv.value)})
			}
		}
	}
}

type fieldValue struct{ field, value string }

// serviceCodes returns the filled-in values of one list in a service with their JSON paths, in order.
func serviceCodes(s filing.Service, list string) []fieldValue {
	var out []fieldValue
	add := func(field, value string) {
		if value != "" {
			out = append(out, fieldValue{field, value})
		}
	}
	switch list {
	case "content":
		for j, c := range s.Content {
			add(fmt.Sprintf("content[%d]", j), c)
		}
	case "language":
		for j, l := range s.Languages {
			add(fmt.Sprintf("languages[%d]", j), l)
		}
	case "pre_approval":
		for j, p := range s.PreApprovals {
			add(fmt.Sprintf("pre_approvals[%d].type", j), p.Type)
		}
	case "platform":
		if s.App != nil {
			for j, p := range s.App.Platforms {
				add(fmt.Sprintf("app.platforms[%d].platform", j), p.Platform)
			}
		}
	}
	return out
}

func knownServiceCode(kind filing.ServiceKind, list, value string) bool {
	var ok bool
	switch list {
	case "content":
		_, ok = contentItem(kind, value)
		ok = ok || (kind != filing.Website && codes.IsAppContentGroup(value)) // reported by app_content_leaf
	case "language":
		_, ok = codes.LanguageOf(value)
	case "pre_approval":
		_, ok = codes.PreApproval(value)
	case "platform":
		_, ok = codes.AppPlatform(value)
	}
	return ok
}

// checkAppContentLeaf: only second-level APP service content may be submitted (docs/design.md §3).
func checkAppContentLeaf(e *eval, r *Rule) {
	for i, s := range e.o.Services {
		if s.Kind == filing.Website {
			continue
		}
		for j, c := range s.Content {
			if codes.IsAppContentGroup(c) {
				e.violate(r, fmt.Sprintf("services[%d].content[%d]", i, j), args{"value": lit(c)})
			}
		}
	}
}

// checkPrincipalPersonCredential: principals are people, so they use personal credentials (Alibaba Cloud's materials guide).
func checkPrincipalPersonCredential(e *eval, r *Rule) {
	for _, p := range e.principals() {
		c, ok := codes.Credential(p.p.CredentialType)
		if ok && !c.Person {
			e.violate(r, p.field+".credential_type", args{"value": c.Names})
		}
	}
}

// checkCredentialAllowed: the subject credential type must fit the nature (docs/design.md §3, the police platform's filing procedure).
func checkCredentialAllowed(e *eval, r *Rule) {
	s := e.o.Subject
	n, okN := codes.Nature(s.Nature)
	c, okC := codes.Credential(s.CredentialType)
	if !okN || !okC || codes.CredentialAllowed(s.Nature, s.CredentialType) {
		return
	}
	var allowed []codes.Names
	for _, t := range codes.CredentialTypesFor(s.Nature) {
		allowed = append(allowed, t.Names)
	}
	e.violate(r, "subject.credential_type", args{"nature": n.Names, "credential": c.Names, "allowed": join(allowed)})
}
