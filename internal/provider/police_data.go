package provider

import (
	"strings"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/police"
)

// The ICP data pushed to the police platform: the filed subject and one website, in the platform's terms.

// policeNatures maps the ICP filing's subject natures (docs/design.md §3) to the police platform's six. Natures
// without a counterpart (law firms, foundations, medical institutions, …) are decided by the credit code's
// registration authority (policeNatureOf); the applicant can still change the nature on the platform.
var policeNatures = map[string]string{
	"enterprise":          "enterprise",
	"national_defense":    "military_academy",
	"government":          "government",
	"public_institution":  "public_institution",
	"social_organization": "social_organization",
	"mass_organization":   "social_organization",
	"foundation":          "social_organization",
	"individual":          "individual",
}

// usccNatures is the nature a unified social credit code's first two characters name (GB 32100-2015).
var usccNatures = map[string]string{
	"91": "enterprise", "92": "enterprise", "93": "enterprise", "11": "government", "12": "public_institution",
	"13": "social_organization", "51": "social_organization", "52": "social_organization",
	"53": "social_organization", "59": "social_organization", "A1": "military_academy", "A9": "military_academy",
}

func policeNatureOf(s filing.Subject) string {
	if n, ok := policeNatures[s.Nature]; ok {
		return n
	}
	if num := strings.ToUpper(strings.TrimSpace(s.CredentialNumber)); len(num) == 18 {
		if n, ok := usccNatures[num[:2]]; ok {
			return n
		}
	}
	return "social_organization"
}

// policeCredentialType is the subject credential as the platform names it: a unit's credit code is its
// unified social credit code certificate (an enterprise's is its business licence).
func policeCredentialType(s filing.Subject, nature string) string {
	switch {
	case nature == "individual", s.CredentialType == "business_license" && nature == "enterprise":
		return s.CredentialType
	case len(strings.TrimSpace(s.CredentialNumber)) == 18:
		return "uscc_certificate"
	}
	return s.CredentialType
}

func policePrincipal(p filing.Principal) police.Principal {
	return police.Principal{Name: p.Name, CredentialType: p.CredentialType, CredentialNumber: p.CredentialNumber,
		Mobile: p.Mobile, Email: p.Email, OfficePhone: p.OfficePhone}
}

func policeSubject(o *filing.Order) police.Subject {
	s := o.Subject
	nature := policeNatureOf(s)
	return police.Subject{Name: s.Name, Nature: nature, CredentialType: policeCredentialType(s, nature),
		CredentialNumber: s.CredentialNumber, ICPNumber: s.Number, Address: s.CommunicationAddress,
		Principal: policePrincipal(s.Principal)}
}

func policeWebsiteData(o *filing.Order, index int, providerName string) police.Website {
	svc := o.Services[index]
	p := svc.Principal
	if svc.PrincipalSameAsSubject {
		p = o.Subject.Principal
	}
	return police.Website{Name: svc.Name, Domains: svc.Domains, ICPNumber: svc.Number, Provider: providerName,
		Principal: policePrincipal(p)}
}
