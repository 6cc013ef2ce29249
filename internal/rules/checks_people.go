package rules

import (
	"strconv"

	"github.com/beian/beian/internal/codes"
	"github.com/beian/beian/internal/filing"
)

// provinceNames returns a province's names, or its code when it has no file.
func provinceNames(code string) codes.Names {
	if f, ok := Province(code); ok {
		return f.Names
	}
	return lit(code)
}

// personalIDProvince returns the ID-card province of a personal filing's subject: from the subject's resident
// ID, else the subject principal's (docs/rules.md: personal cross-province filings).
func (e *eval) personalIDProvince() (prov, field string, ok bool) {
	s := e.o.Subject
	if s.CredentialType == "resident_id" {
		if p, ok := idProvince(s.CredentialNumber); ok {
			return p, "subject.credential_number", true
		}
	}
	if s.Principal.CredentialType == "resident_id" {
		if p, ok := idProvince(s.Principal.CredentialNumber); ok {
			return p, "subject.principal.credential_number", true
		}
	}
	return "", "", false
}

// checkCrossProvince: a personal filing with an ID card of another province is refused (mode refuse) or needs a
// residence permit of the filing province (mode residence_permit) - docs/rules.md, Alibaba Cloud's materials guide (Fujian).
func checkCrossProvince(e *eval, r *Rule) {
	prov, field, ok := e.personalIDProvince()
	if !ok || prov == e.o.Province {
		return
	}
	a := args{"province": e.provinceName(), "home": provinceNames(prov)}
	if r.Params.Mode == "refuse" {
		e.violate(r, field, a)
		return
	}
	e.require(r, "residence_permit", r.Code, nil, a)
}

// checkLegalRepOutside: a legal representative whose ID card is from another province needs params.material
// (docs/rules.md Inner Mongolia: 居住证 or a photo holding the licence).
func checkLegalRepOutside(e *eval, r *Rule) {
	lr := e.o.Subject.LegalRepresentative
	if lr == nil {
		return
	}
	if prov, ok := idProvince(lr.IDNumber); ok && prov != e.o.Province {
		e.require(r, r.Params.Material, r.Code, nil, args{"province": e.provinceName(), "home": provinceNames(prov)})
	}
}

// checkLocalPhones: principals' phones must belong to the province (docs/rules.md). Landlines are checked by area
// code; mobiles carry no location and attribution data is not available offline, so they get one notice.
func checkLocalPhones(e *eval, r *Rule) {
	mobiles := false
	for _, p := range e.principals() {
		for _, kind := range r.Params.Phones {
			field, number := phoneField(p.p, kind)
			d := phoneDigits(number)
			switch {
			case d == "":
			case isMobile(d):
				mobiles = true
			default:
				if prov, ok := landlineProvince(d); ok && prov != e.o.Province {
					e.violate(r, p.field+"."+field, args{"phone": lit(number), "province": e.provinceName(),
						"found": provinceNames(prov)})
				}
			}
		}
	}
	if mobiles {
		e.notice(r, "rules.mobile_locality_unverified", "", args{"province": e.provinceName()})
	}
}

func phoneField(p filing.Principal, kind string) (field, number string) {
	switch kind {
	case "office":
		return "office_phone", p.OfficePhone
	case "mobile":
		return "mobile", p.Mobile
	default:
		return "emergency_mobile", p.EmergencyMobile
	}
}

type principalAge struct {
	principalRef
	age int
}

// ages returns the principals whose age can be read from a resident ID, with their age on the evaluation day.
func (e *eval) ages() []principalAge {
	var out []principalAge
	for _, p := range e.principals() {
		if p.p.CredentialType != "resident_id" {
			continue
		}
		if birth, ok := idBirth(p.p.CredentialNumber); ok {
			out = append(out, principalAge{p, ageOn(birth, e.date)})
		}
	}
	return out
}

// checkMinAge: principals younger than params.min are refused (docs/rules.md: Tianjin, Jiangsu, Guangdong, Hunan).
func checkMinAge(e *eval, r *Rule) {
	for _, p := range e.ages() {
		if p.age < r.Params.Min {
			e.violate(r, p.field+".credential_number", args{"name": lit(p.p.Name), "age": lit(strconv.Itoa(p.age)),
				"min": lit(strconv.Itoa(r.Params.Min)), "province": e.provinceName()})
		}
	}
}

// checkAgeMaterial: principals at least params.min and younger than params.max need params.material (docs/rules.md
// Jiangsu 16-18: proof of employment; UCloud docs rule/rule4/guangdong: 不满18岁，需提供工作证明).
func checkAgeMaterial(e *eval, r *Rule) {
	for _, p := range e.ages() {
		if p.age >= r.Params.Min && p.age < r.Params.Max {
			e.require(r, r.Params.Material, r.Code, p.service, args{"name": lit(p.p.Name),
				"max": lit(strconv.Itoa(r.Params.Max)), "province": e.provinceName()})
		}
	}
}

// checkSubjectPrincipalIsLegalRep: the subject principal must be the legal representative (docs/rules.md; UC rule
// pages: 主体负责人需为法人).
func checkSubjectPrincipalIsLegalRep(e *eval, r *Rule) {
	lr := e.o.Subject.LegalRepresentative
	sp := e.o.Subject.Principal
	if lr == nil || lr.Name == "" || sp.Name == "" {
		return
	}
	if !samePerson(sp, filing.Principal{Name: lr.Name, CredentialNumber: lr.IDNumber}) {
		e.violate(r, "subject.principal", args{"name": lit(sp.Name), "legal": lit(lr.Name), "province": e.provinceName()})
	}
}
