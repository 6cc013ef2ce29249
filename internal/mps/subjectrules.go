package mps

import (
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/beian/beian/internal/codes"
	"github.com/beian/beian/internal/divisions"
	"github.com/beian/beian/internal/ident"
)

// The field rules of a filing subject (开办主体), after the platform's user guide §三 ①-⑦; docs/police.md lists
// them with their sources. Images (①) are checked on upload (materials.go).

// Police subject natures (开办主体性质).
const (
	NatureEnterprise         = "enterprise"
	NatureMilitaryAcademy    = "military_academy"
	NatureGovernment         = "government"
	NaturePublicInstitution  = "public_institution"
	NatureSocialOrganization = "social_organization"
	NatureIndividual         = "individual"
)

// unitCredentials are the credential types each unit nature may give (④): the enterprise's business licence
// or code certificates, the army's unit code, the other units' registration certificates.
var unitCredentials = map[string][]string{
	NatureEnterprise:         {ident.CredBusinessLicense, ident.CredUSCCCertificate, ident.CredOrgCodeCertificate},
	NatureMilitaryAcademy:    {"military_code", "military_paid_service_license", ident.CredUSCCCertificate, ident.CredOrgCodeCertificate},
	NatureGovernment:         {ident.CredUSCCCertificate, ident.CredOrgCodeCertificate},
	NaturePublicInstitution:  {ident.CredUSCCCertificate, ident.CredOrgCodeCertificate, "public_institution_certificate"},
	NatureSocialOrganization: {ident.CredUSCCCertificate, ident.CredOrgCodeCertificate, "social_organization_certificate"},
}

// usccAuthorities are the first two characters of a unified social credit code (GB 32100-2015: registration
// authority and organisation type) that fit each nature: 9x 工商 for enterprises, 11 机关, 12 事业单位 (and A1 军队
// 事业单位), 5x 民政 and 13 群众团体 for social organisations, A 军队 or 1x for military academies.
var usccAuthorities = map[string][]string{
	NatureEnterprise:         {"91", "92", "93"},
	NatureGovernment:         {"11"},
	NaturePublicInstitution:  {"12", "A1"},
	NatureSocialOrganization: {"51", "52", "53", "59", "13"},
	NatureMilitaryAcademy:    {"A1", "A9", "12", "11"},
}

// Name markers for the nature check (③). They decide only clear cases.
var (
	enterpriseMarkers = []string{"公司", "有限责任", "股份", "集团", "厂", "商行", "工作室", "合作社", "个体工商户"}
	unitMarkers       = append([]string{"局", "厅", "委员会", "政府", "办公室", "学校", "大学", "学院", "医院",
		"协会", "学会", "商会", "研究所", "研究院", "中心", "部队", "基金会", "联合会", "事务所", "站"}, enterpriseMarkers...)
	militaryMarkers = []string{"军", "部队", "武警"}
	// websiteMarkers end names that are a website's rather than its owner's (②).
	websiteMarkers = []string{"网站", "官网", "论坛", "博客", "商城", "社区", "主页"}
	// preciseMarkers show a residence precise to the village or to the street and number (⑥).
	preciseMarkers = []string{"号", "村", "组", "信箱", "室", "栋", "幢", "楼", "弄", "巷", "屯"}
)

// checkName applies ② and ③: the full legal name or the person's name, not a domain, digits or symbols, nor a
// website's name; consistent with the nature.
func checkName(f *form, nature, name string) {
	if r := ident.Domain(name, ident.ForWebsite); r.Valid() || strings.Contains(strings.ToLower(name), "www.") {
		f.fail("name", "mps.name_domain")
		return
	}
	if strings.IndexFunc(name, unicode.IsLetter) < 0 {
		f.fail("name", "mps.name_symbols")
		return
	}
	for _, m := range websiteMarkers {
		if strings.HasSuffix(name, m) {
			f.fail("name", "mps.name_website", "marker", m)
			return
		}
	}
	if nature == "" {
		return
	}
	switch {
	case nature != NatureEnterprise && containsAny(name, enterpriseMarkers):
		f.fail("nature", "mps.nature_mismatch_enterprise")
	case nature == NatureIndividual && containsAny(name, unitMarkers):
		f.fail("nature", "mps.nature_mismatch_unit")
	case nature != NatureIndividual && personName(name):
		f.fail("nature", "mps.nature_mismatch_individual")
	case nature == NatureEnterprise && !containsAny(name, enterpriseMarkers):
		f.fail("name", "mps.name_not_full")
	case nature == NatureMilitaryAcademy && !containsAny(name, militaryMarkers):
		f.fail("nature", "mps.nature_mismatch_military")
	case nature == NatureIndividual && !personName(name) && !latinName(name):
		f.fail("name", "mps.name_person")
	}
}

// personName: two to four Han characters (or a transliterated name with ·) with no unit marker.
func personName(s string) bool {
	n := 0
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Han, r):
			n++
		case r == '·' || r == '•':
		default:
			return false
		}
	}
	return n >= 2 && (n <= 4 || strings.ContainsAny(s, "·•") && n <= 15) && !containsAny(s, unitMarkers)
}

// latinName: a foreign person's name in Latin letters, spaces, hyphens and dots.
func latinName(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool {
		return !(r < unicode.MaxASCII && unicode.IsLetter(r)) && r != ' ' && r != '-' && r != '.'
	}) < 0 && len(s) >= 2
}

func containsAny(s string, subs []string) bool {
	return slices.ContainsFunc(subs, func(m string) bool { return strings.Contains(s, m) })
}

// checkCredential applies ④: the type allowed for the nature and the number valid for the type; a unified social
// credit code must carry an authority that fits the nature.
func checkCredential(f *form, nature, ctype, number string, now time.Time) string {
	if nature == NatureIndividual {
		if !personCredential(ctype) {
			f.fail("credential_type", "mps.credential_type_nature")
			return ""
		}
		n, _ := f.ident("credential_number", ident.Credential(ctype, number, now))
		return n
	}
	allowed, ok := unitCredentials[nature]
	if !ok {
		return ""
	}
	if !slices.Contains(allowed, ctype) {
		f.fail("credential_type", "mps.credential_type_nature")
		return ""
	}
	r := ident.Credential(ctype, number, now)
	n, valid := f.ident("credential_number", r)
	if valid && r.Kind == ident.KindUSCC {
		prefix := number2(n)
		if !slices.Contains(usccAuthorities[nature], prefix) {
			f.fail("credential_number", "mps.credential_nature_mismatch", "prefix", prefix)
		}
	}
	return n
}

func number2(n string) string {
	if len(n) < 2 {
		return n
	}
	return n[:2]
}

func personCredential(t string) bool { return codes.IsPersonCredential(t) }

// checkResidence applies ⑥: precise to the village, or to the street and number or PO box.
func checkResidence(f *form, field, v string) {
	if strings.ContainsAny(v, "0123456789０１２３４５６７８９") || containsAny(v, preciseMarkers) {
		return
	}
	f.fail(field, "mps.residence_imprecise")
}

// checkOfficePhone applies ⑦: required, in standard form and not an obviously false number such as
// 010-00000000. An individual may give a mobile.
func checkOfficePhone(f *form, field, v string, individual bool) string {
	r := ident.Landline(v)
	if individual && r.Has("landline.mobile_given") {
		r = ident.Mobile(v)
	}
	n, _ := f.ident(field, r)
	return n
}

// validArea: a known county-level division, or a province or city code (xx0000, xxxx00) for staff units.
func validArea(code string) bool {
	if len(code) != 6 || strings.Trim(code, "0123456789") != "" {
		return false
	}
	_, ok := divisions.Lookup(code)
	return ok
}

// areaPrefix is the part of a unit's area code that the areas it covers share: 2 digits for a province, 4 for a
// city, 6 for a county.
func areaPrefix(unit string) string {
	switch {
	case strings.HasSuffix(unit, "0000"):
		return unit[:2]
	case strings.HasSuffix(unit, "00"):
		return unit[:4]
	}
	return unit
}
