package ident

import (
	"regexp"
	"strings"
	"testing"

	"github.com/beian/beian/internal/i18n"
)

// Every finding code the validators produce has a message in every language, and every placeholder of the
// message is filled by the finding's parameters.
func TestFindingsHaveMessages(t *testing.T) {
	placeholder := regexp.MustCompile(`\{[a-z_]+\}`)
	seen := map[string]bool{}
	for _, r := range sampleResults() {
		for _, f := range append(r.Errors, r.Warnings...) {
			seen[f.Code] = true
			if !i18n.Has(f.Code) {
				t.Errorf("%s(%q): code %s has no message", r.Kind, r.Input, f.Code)
				continue
			}
			for _, lang := range i18n.Langs {
				if msg := f.Message(lang); placeholder.MatchString(msg) {
					t.Errorf("%s(%q): %s in %s leaves a placeholder: %s", r.Kind, r.Input, f.Code, lang, msg)
				}
			}
		}
	}
	// The catalog holds no ident code that no sample produces (dead keys hide renamed codes).
	for _, k := range i18n.Keys(i18n.ZhCN) {
		if strings.HasPrefix(k, "field.") || strings.HasPrefix(k, "check.") || !isIdentKey(k) {
			continue
		}
		if !seen[k] {
			t.Errorf("catalog key %s is produced by no sample input", k)
		}
	}
}

func isIdentKey(k string) bool {
	kind, _, _ := strings.Cut(k, ".")
	for _, known := range []string{KindResidentID, KindResidencePermit, KindForeignPermanentID, KindHKMacaoPermit,
		KindTaiwanPermit, KindPassport, KindCredential, KindUSCC, KindOrgCode, KindMobile, KindLandline, KindEmail,
		KindDomain, KindICPNumber, KindPoliceNumber, KindWebsiteName, KindIP, KindAppSignature, KindAppPackage, KindHomeURL} {
		if kind == known {
			return true
		}
	}
	return false
}

// sampleResults runs every validator over the inputs of the table tests and a few more.
func sampleResults() []Result {
	inputs := []string{
		"", " ", "11010519491231002X", "110105194912310021", "110105491231002", "11010519491231002",
		"1101051949123X002X", "440524188001010014", withCheck("11010520991231002"), withCheck("11010519490230002"),
		withCheck("99010519491231002"), withCheck("81000019900101123"), withCheck("11019919491231002"),
		withCheck("81010019900101123"), withCheck("13184019900101123"), "H1234567", "E00000000", "ABCDEFGH",
		"91350100M000100Y43", "91350100M000100Y44", "91350100M000100O43", "110108000000016", "M000100Y-4",
		"M000100Y-5", usccWithCheck("B1350100M000100Y4"), usccWithCheck("9A350100M000100Y4"), usccWithCheck("94350100M000100Y4"),
		usccWithCheck("913501A0M000100Y4"), usccWithCheck("91990100M000100Y4"), usccWithCheck("91350100M000100Y5"),
		"+852 91234567", "139123456a9", "010-62345678", "1391234567", "12912345679", "13800000000",
		"13912345679", "400-123-4567", "62345678", "030-62345678", "010-00000000", "010-6234567",
		"010-02345678", "010-62345678-1234567", "a@b@c", ".a@example.com", "a@b", strings.Repeat("a", 64) + "@" + strings.Repeat(strings.Repeat("b", 60)+".", 4) + "com",
		"https://www.example.com/", "203.0.113.10", "*.example.com", "bad_domain.com", strings.Repeat("a", 64) + ".com",
		strings.Repeat(strings.Repeat("a", 60)+".", 5) + "com", "localhost", "example.notatld", "a.github.io",
		"com.cn", "example.io", "c.b.a.example.com",
		"港ICP备12345678号", "京ICP证030173号", "京ICP12345678号", "川ICP备12345678-1", "京ICP备1234567号", "京ICP备12345678号-0",
		"港公网安备 81000002000001号", "京公网安备 1100000200000A", "1100000200000", "99000002000001", "110000020001",
		"京公网安备 44030002017573号", "浙公网安备 33020902000368号",
		"某某", "12345", "Example", "某某公司！官网", "中华美食分享", "中国移动官网", "张三的个人博客", "小明科技有限公司",
		"深圳在线交流", "张三的学习笔记", "203.0.113", "203.0.113.1-2001:db8::1", "203.0.113.20-203.0.113.1", "10.0.0.1",
		"9E107D9D372BB6826BD81D3542A419DG", "9E107D9D372BB6826BD81D3542A419", strings.Repeat("AB", 32), "1com.example",
		"javascript:alert(1)", "https://user:pass@www.example.com/", "https://www.example.com/\u202e", "https://evil.example.org/",
		"www.example.com/a b", "www.example.com/" + strings.Repeat("a", MaxHomeURLRunes),
	}
	var out []Result
	for _, s := range inputs {
		out = append(out,
			ResidentID(s, now), ResidencePermit(s, now), ForeignPermanentID(s, now), HKMacaoPermit(s), TaiwanPermit(s),
			Passport(s), Credential("other", s, now), USCC(s), OrgCode(s), Mobile(s), Landline(s), Email(s),
			Domain(s, ForWebsite), Domain(s, ForApp), ICPNumber(s), PoliceNumber(s), IP(s), AppSignature(s), AppPackage(s),
			WebsiteName(s, "individual", "44"), WebsiteName(s, "individual", "32"), WebsiteName(s, "enterprise", "44"),
			WebsiteName(s, "nonsense", "44"), HomeURL(s, []string{"example.com"}))
	}
	return out
}
