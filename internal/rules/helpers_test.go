package rules

import (
	"fmt"
	"slices"
	"time"

	"github.com/beian/beian/internal/filing"
)

// day is the default evaluation day of the tests: every attested rule is in force.
var day = at("2026-11-20")

func at(d string) time.Time {
	t, err := time.ParseInLocation(time.DateOnly, d, chinaTime)
	if err != nil {
		panic(err)
	}
	return t.Add(12 * time.Hour)
}

// idFor builds a resident ID number of a province with a birth date YYYYMMDD and a valid check digit.
func idFor(prov, birth string) string {
	s := prov + "0102" + birth + "123"
	w := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, c := range s {
		sum += int(c-'0') * w[i]
	}
	return s + string("10X98765432"[sum%11])
}

func person(name, id, mobile, email string) filing.Principal {
	return filing.Principal{Name: name, CredentialType: "resident_id", CredentialNumber: id, CredentialLongTerm: true,
		OfficePhone: "", Mobile: mobile, EmergencyMobile: "139" + mobile[3:], Email: email}
}

func website(name, domain string, content ...string) filing.Service {
	return filing.Service{Kind: filing.Website, Name: name, Domains: []string{domain}, IPs: []string{"203.0.113.1"},
		Content: content, Languages: []string{"zh-Hans"}, PrincipalSameAsSubject: true}
}

// individualOrder is a personal new filing in prov by a person whose ID card is from idProv.
func individualOrder(prov, idProv string) *filing.Order {
	id := idFor(idProv, "19900307")
	p := person("李明", id, "13800000001", "liming@example.cn")
	return &filing.Order{Type: filing.NewFiling, Province: prov, Subject: filing.Subject{
		Nature: "individual", Name: "李明", CredentialType: "resident_id", CredentialNumber: id, Principal: p,
		CommunicationAddress: placeOf(prov) + "某路1号"},
		Services: []filing.Service{website("李明的摄影日记", "liming.cn", "blog")}}
}

// enterpriseOrder is an enterprise's new filing in prov whose legal representative is the subject principal.
func enterpriseOrder(prov string) *filing.Order {
	id := idFor(prov, "19800101")
	p := person("王强", id, "13800000002", "wq@example.com")
	return &filing.Order{Type: filing.NewFiling, Province: prov, Subject: filing.Subject{
		Nature: "enterprise", Name: "示例科技有限公司", CredentialType: "business_license",
		CredentialNumber: "91440300MA5EXAMPLE", CommunicationAddress: placeOf(prov) + "某路1号",
		LegalRepresentative: &filing.LegalRepresentative{Name: "王强", IDNumber: id}, Principal: p},
		Services: []filing.Service{website("示例科技官网", "example-tech.cn", "unit_portal")}}
}

func placeOf(prov string) string {
	f, ok := Province(prov)
	if !ok {
		return ""
	}
	return f.Names.ZhCN
}

func domains(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("d%d.example.cn", i)
	}
	return out
}

type found struct{ violations, materials, notices []string }

func codesIn(r Report) found {
	var f found
	for _, v := range r.Violations {
		f.violations = append(f.violations, v.Code)
	}
	for _, m := range r.Materials {
		f.materials = append(f.materials, m.Code)
	}
	for _, n := range r.Notices {
		f.notices = append(f.notices, n.Code)
	}
	return f
}

func (f found) has(code string) bool {
	return slices.Contains(f.violations, code) || slices.Contains(f.materials, code) || slices.Contains(f.notices, code)
}
