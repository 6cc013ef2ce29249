package mps

import (
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/beian/beian/internal/problem"
)

func TestNameRules(t *testing.T) {
	for _, c := range []struct{ nature, name, code string }{
		{NatureEnterprise, "深圳市示例网络科技有限公司", ""},
		{NatureIndividual, "张三", ""},
		{NatureIndividual, "阿卜杜·热合曼", ""},
		{NatureIndividual, "John Smith", ""},
		{NatureGovernment, "北京市朝阳区市场监督管理局", ""},
		{NatureSocialOrganization, "中国计算机学会", ""},
		{NatureMilitaryAcademy, "国防科技大学（军队院校）", ""},
		{NatureEnterprise, "www.example.cn", "mps.name_domain"},
		{NatureEnterprise, "123-456", "mps.name_symbols"},
		{NatureEnterprise, "示例论坛", "mps.name_website"},
		{NatureIndividual, "某某有限公司", "mps.nature_mismatch_enterprise"},
		{NatureIndividual, "朝阳区统计局", "mps.nature_mismatch_unit"},
		{NatureGovernment, "李四", "mps.nature_mismatch_individual"},
		{NatureIndividual, "李四个人小天地", "mps.name_person"},
	} {
		var f form
		checkName(&f, c.nature, c.name)
		err := f.err()
		if c.code == "" && err != nil || c.code != "" && !problem.Is(err, c.code) {
			t.Errorf("%s %q: %v, want %q", c.nature, c.name, codesOf(err), c.code)
		}
	}
}

func TestPoliceAbbr(t *testing.T) {
	for code, want := range map[string]string{"11": "京", "44": "粤", "62": "甘", "51": "川", "99": ""} {
		if got := PoliceAbbr(code); got != want {
			t.Errorf("PoliceAbbr(%s) = %q, want %q", code, got, want)
		}
	}
}

// Whatever is typed, a subject is either refused with field problems or accepted with clean text.
func FuzzValidateSubject(f *testing.F) {
	f.Add("enterprise", "北京示例科技有限公司", "business_license", "91110105MA01234567", "李四", "110105", "北京市朝阳区建国路88号", "010-65001234")
	f.Add("individual", "张三", "resident_id", "11010519491231002X", "", "110105", "某某村", "13800138000")
	f.Fuzz(func(t *testing.T, nature, name, ctype, cnum, investor, area, address, phone string) {
		in := SubjectInput{Nature: nature, Name: name, CredentialType: ctype, CredentialNumber: cnum, Investor: investor,
			AreaCode: area, Address: address, OfficePhone: phone}
		out, err := validateSubject(in, time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC))
		for _, e := range problem.As(err) {
			if e.Kind != problem.Invalid || e.Field == "" {
				t.Fatalf("problem without a field or not invalid: %+v", e)
			}
		}
		for _, v := range []string{out.Name, out.Address, out.Investor} {
			if !utf8.ValidString(v) || strings.IndexFunc(v, unicode.IsControl) >= 0 {
				t.Fatalf("kept unclean text %q", v)
			}
		}
	})
}
