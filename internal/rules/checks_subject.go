package rules

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/beian/beian/internal/codes"
	"github.com/beian/beian/internal/filing"
)

// checkNameNature: a unit name ending in a legal form must have the matching nature (the police platform's filing procedure: 某某公司 → 企业).
func checkNameNature(e *eval, r *Rule) {
	s := e.o.Subject
	n, ok := codes.Nature(s.Nature)
	if !ok || !n.Unit {
		return
	}
	name := strings.TrimSpace(s.Name)
	best := -1
	for i, ns := range aux().markers.NatureSuffixes {
		if strings.HasSuffix(name, ns.Suffix) && (best < 0 || len(ns.Suffix) > len(aux().markers.NatureSuffixes[best].Suffix)) {
			best = i
		}
	}
	if best < 0 || slices.Contains(aux().markers.NatureSuffixes[best].Natures, s.Nature) {
		return
	}
	ns := aux().markers.NatureSuffixes[best]
	var want []codes.Names
	for _, w := range ns.Natures {
		nat, _ := codes.Nature(w)
		want = append(want, nat.Names)
	}
	e.violate(r, "subject.nature", args{"suffix": lit(ns.Suffix), "nature": n.Names, "expected": join(want)})
}

// checkIndividualName: an individual files under the name on their credential, not a unit's name (Huawei Cloud's first-filing guide
// table 2, the police platform's filing procedure).
func checkIndividualName(e *eval, r *Rule) {
	if word, ok := unitWord(e.o.Subject.Name); ok {
		e.violate(r, "subject.name", args{"name": lit(e.o.Subject.Name), "word": lit(word)})
	}
}

// unitWord returns the word that makes name look like a unit's name (data/name_markers.json).
func unitWord(name string) (string, bool) {
	up := strings.ToUpper(strings.TrimSpace(name))
	m := aux().markers
	for _, w := range m.UnitWords {
		if strings.Contains(up, strings.ToUpper(w)) {
			return w, true
		}
	}
	for _, w := range m.UnitSuffixes {
		// a one-character name is no name; the suffix must follow at least two characters of a name
		if strings.HasSuffix(up, w) && utf8.RuneCountInString(up) > utf8.RuneCountInString(w)+1 {
			return w, true
		}
	}
	return "", false
}

// checkIndividualSelf: in a personal filing the principals are the subject in person (Huawei Cloud's first-filing guide: 个人备案必须为
// 备案主体本人).
func checkIndividualSelf(e *eval, r *Rule) {
	s := e.o.Subject
	self := filing.Principal{Name: s.Name, CredentialNumber: s.CredentialNumber}
	for _, p := range e.principals() {
		if p.p.Name == "" && p.p.CredentialNumber == "" {
			continue
		}
		if !samePerson(p.p, self) {
			e.violate(r, p.field, args{"name": lit(p.p.Name), "subject": lit(s.Name)})
		}
	}
}

// checkContentUnitsOnly: personal sites carry personal content only (docs/design.md §4.5; Huawei Cloud's first-filing guide: 网站内容必须与主办单位
// 性质相符); items marked units_only in the code lists are refused.
func checkContentUnitsOnly(e *eval, r *Rule) {
	for i, s := range e.o.Services {
		for j, c := range s.Content {
			if it, ok := contentItem(s.Kind, c); ok && it.UnitsOnly {
				e.violate(r, fmt.Sprintf("services[%d].content[%d]", i, j), args{"content": it.Names})
			}
		}
	}
}

// checkAddressProvince: the communication address is in the filing province (Huawei Cloud's first-filing guide table 2). The address's
// first place name decides; an address that starts with no known place name gets a notice, not a refusal.
func checkAddressProvince(e *eval, r *Rule) {
	addr := e.o.Subject.CommunicationAddress
	if strings.TrimSpace(addr) == "" || e.prov == nil {
		return
	}
	const field = "subject.communication_address"
	prov, ok := aux().places.province(addr)
	if !ok {
		e.notice(r, "rules.address_province_unknown", field, args{"province": e.provinceName()})
		return
	}
	if prov != e.o.Province {
		found := lit(prov)
		if f, ok := Province(prov); ok {
			found = f.Names
		}
		e.violate(r, field, args{"province": e.provinceName(), "found": found})
	}
}

// checkContactsDistinct: a service principal who is not the subject principal has their own phones and e-mail
// (Huawei Cloud's first-filing guide: 此时互联网信息服务负责人和主体负责人的电话、邮箱不能相同).
func checkContactsDistinct(e *eval, r *Rule) {
	sp := e.o.Subject.Principal
	for _, p := range e.separateServicePrincipals() {
		pairs := []struct{ field, a, b string }{
			{"mobile", phoneDigits(p.p.Mobile), phoneDigits(sp.Mobile)},
			{"emergency_mobile", phoneDigits(p.p.EmergencyMobile), phoneDigits(sp.EmergencyMobile)},
			{"email", strings.ToLower(strings.TrimSpace(p.p.Email)), strings.ToLower(strings.TrimSpace(sp.Email))},
		}
		for _, x := range pairs {
			if x.a != "" && x.a == x.b {
				e.violate(r, p.field+"."+x.field, nil)
			}
		}
	}
}

// checkNonMainland: a subject principal who is not a mainland resident means both principals may each have to
// pass a face check (Alibaba Cloud's filing notes).
func checkNonMainland(e *eval, r *Rule) {
	t := e.o.Subject.Principal.CredentialType
	if codes.IsPersonCredential(t) && !codes.IsMainland(t) {
		c, _ := codes.Credential(t)
		e.notice(r, r.Code, "subject.principal.credential_type", args{"credential": c.Names})
	}
}
