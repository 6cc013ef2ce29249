package rules

import (
	"strings"
	"testing"
	"time"

	"github.com/beian/beian/internal/i18n"
)

func TestRuleDataLoads(t *testing.T) {
	if _, err := loadRules(); err != nil {
		t.Fatal(err)
	}
	if _, err := loadAux(); err != nil {
		t.Fatal(err)
	}
	want := strings.Fields("11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65")
	got := Provinces()
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("province files = %v, want the 31 provinces (docs/design.md §3)", got)
	}
}

// Every code a rule can report has a message in every language (i18n's own test checks the languages agree).
func TestEveryCodeHasAMessage(t *testing.T) {
	for _, r := range All() {
		for _, code := range r.EmittedCodes() {
			if !i18n.Has(code) {
				t.Errorf("%s rule %s: no catalog entry for %s", r.Province, r.Code, code)
			}
		}
	}
	for _, typ := range []string{"new_filing", "new_service", "new_service_no_subject", "new_access", "change_subject",
		"change_service", "change_access", "cancel_subject", "cancel_service", "withdraw_access", "claim"} {
		if !i18n.Has("rules.order_type." + typ) {
			t.Errorf("no name for order type %s", typ)
		}
	}
}

// Every date rule applies from its first day and not the day before; until, if set, is the first day without.
func TestEffectiveDatesBothSides(t *testing.T) {
	for _, r := range All() {
		from, _ := time.Parse(time.DateOnly, string(r.EffectiveFrom))
		before := Date(from.AddDate(0, 0, -1).Format(time.DateOnly))
		if r.ActiveOn(before) || !r.ActiveOn(r.EffectiveFrom) {
			t.Errorf("%s %s: wrong around effective_from %s", r.Province, r.Code, r.EffectiveFrom)
		}
		if r.EffectiveUntil != "" {
			until, _ := time.Parse(time.DateOnly, string(r.EffectiveUntil))
			last := Date(until.AddDate(0, 0, -1).Format(time.DateOnly))
			if !r.ActiveOn(last) || r.ActiveOn(r.EffectiveUntil) {
				t.Errorf("%s %s: wrong around effective_until %s", r.Province, r.Code, r.EffectiveUntil)
			}
		}
	}
	r := Rule{EffectiveFrom: "2021-06-21", EffectiveUntil: "2022-01-01"}
	for d, want := range map[Date]bool{"2021-06-20": false, "2021-06-21": true, "2021-12-31": true, "2022-01-01": false} {
		if r.ActiveOn(d) != want {
			t.Errorf("ActiveOn(%s) = %v", d, !want)
		}
	}
}

func TestDateOfUsesChinaTime(t *testing.T) {
	// 2021-06-20 16:30 UTC is already 2021-06-21 in China: the Guangdong letter applies.
	utc := time.Date(2021, 6, 20, 16, 30, 0, 0, time.UTC)
	if DateOf(utc) != "2021-06-21" {
		t.Fatalf("DateOf = %s", DateOf(utc))
	}
	got := codesIn(Evaluate(enterpriseOrder("44"), utc))
	if !got.has("guangdong_commitment_letter") {
		t.Error("the date is China's date")
	}
}

func TestParseRuleFileRejects(t *testing.T) {
	rule := func(extra string) string {
		return `{"province":"44","names":{"zh-CN":"广东省","zh-TW":"廣東省","en":"Guangdong"},"version":"1","source":"s","rules":[` + extra + `]}`
	}
	ok := `{"code":"rules.x","check":"one_service_per_order","source":"Huawei Cloud's first-filing guide","effective_from":"2021-06-21","date_basis":"enacted"}`
	if _, err := parseRuleFile([]byte(rule(ok))); err != nil {
		t.Fatalf("good file refused: %v", err)
	}
	bad := map[string]string{
		"unknown field":   strings.Replace(ok, `"source"`, `"sauce":1,"source"`, 1),
		"unknown check":   strings.Replace(ok, "one_service_per_order", "no_such_check", 1),
		"no source":       strings.Replace(ok, `"Huawei Cloud's first-filing guide"`, `" "`, 1),
		"bad date":        strings.Replace(ok, "2021-06-21", "2021-02-30", 1),
		"until before":    strings.Replace(ok, `"date_basis"`, `"effective_until":"2020-01-01","date_basis"`, 1),
		"bad basis":       strings.Replace(ok, "enacted", "rumoured", 1),
		"bad code":        strings.Replace(ok, "rules.x", "x", 1),
		"bad nature":      strings.Replace(ok, `"source"`, `"when":{"natures":["company"]},"source"`, 1),
		"bad order type":  strings.Replace(ok, `"source"`, `"when":{"order_types":["renew"]},"source"`, 1),
		"bad subject":     strings.Replace(ok, `"source"`, `"when":{"subject":"robot"},"source"`, 1),
		"bad kind":        strings.Replace(ok, `"source"`, `"when":{"service_kinds":["blog"]},"source"`, 1),
		"bad material":    strings.Replace(strings.Replace(ok, "one_service_per_order", "material", 1), `"source"`, `"params":{"material":"cake"},"source"`, 1),
		"bad mode":        strings.Replace(strings.Replace(ok, "one_service_per_order", "cross_province_personal", 1), `"source"`, `"params":{"mode":"maybe"},"source"`, 1),
		"bad content":     strings.Replace(strings.Replace(ok, "one_service_per_order", "content_only", 1), `"source"`, `"params":{"content":["x"]},"source"`, 1),
		"bad phones":      strings.Replace(strings.Replace(ok, "one_service_per_order", "local_phones", 1), `"source"`, `"params":{"phones":["fax"]},"source"`, 1),
		"no max":          strings.Replace(ok, "one_service_per_order", "max_domains_per_order", 1),
		"bad list":        strings.Replace(strings.Replace(ok, "one_service_per_order", "known", 1), `"source"`, `"params":{"list":"colours"},"source"`, 1),
		"negative domain": strings.Replace(ok, `"source"`, `"when":{"min_domains":-1},"source"`, 1),
	}
	for name, r := range bad {
		if _, err := parseRuleFile([]byte(rule(r))); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	for name, raw := range map[string]string{
		"bad province": strings.Replace(rule(ok), `"44"`, `"4x"`, 1),
		"no names":     strings.Replace(rule(ok), `"en":"Guangdong"`, `"en":""`, 1),
		"trailing":     rule(ok) + "{}",
		"not json":     "[",
	} {
		if _, err := parseRuleFile([]byte(raw)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestPlaces(t *testing.T) {
	cases := map[string]string{
		"广东省深圳市南山区科技园":   "44",
		"中国广东省深圳市":       "44",
		"深圳市南山区":         "44",
		"北京市朝阳区建国路1号":    "11",
		"海淀区中关村":         "11",
		"海南藏族自治州共和县":     "63", // longest name wins over 海南
		"海南海口市":          "46",
		"内蒙古呼和浩特市":       "15",
		"延边朝鲜族自治州延吉市":    "22",
		"吉林市船营区":         "22",
		"  新疆乌鲁木齐市天山区  ": "65",
	}
	p := aux().places
	for addr, want := range cases {
		if got, ok := p.province(addr); !ok || got != want {
			t.Errorf("province(%q) = %s, %v; want %s", addr, got, ok, want)
		}
	}
	for _, addr := range []string{"", "朝阳区建国路", "鼓楼区", "某某路1号", "x"} {
		if got, ok := p.province(addr); ok {
			t.Errorf("province(%q) = %s, want unknown (ambiguous or no place)", addr, got)
		}
	}
}

func TestParsePlacesRejects(t *testing.T) {
	for name, raw := range map[string]string{
		"no header":  "北京,11\n",
		"bad code":   "name,province\n北京,1\n",
		"empty name": "name,province\n,11\n",
		"3 fields":   "name,province\n北京,11,x\n",
	} {
		if _, err := parsePlaces([]byte(raw)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func FuzzParseRuleFile(f *testing.F) {
	entries, _ := ruleFS.ReadDir("provinces")
	for _, e := range entries[:3] {
		raw, _ := ruleFS.ReadFile("provinces/" + e.Name())
		f.Add(raw)
	}
	raw, _ := ruleFS.ReadFile("data/national.json")
	f.Add(raw)
	f.Fuzz(func(t *testing.T, raw []byte) {
		rf, err := parseRuleFile(raw)
		if err == nil && rf == nil {
			t.Fatal("nil file without error")
		}
	})
}

func FuzzParsePlaces(f *testing.F) {
	raw, _ := auxFS.ReadFile("data/places.csv")
	f.Add(raw[:500])
	f.Add([]byte("name,province\n北京,11\n"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		if p, err := parsePlaces(raw); err == nil {
			p.province(string(raw))
		}
	})
}
