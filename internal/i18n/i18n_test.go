package i18n

import (
	"regexp"
	"sort"
	"testing"
)

// Every key must exist in every language with the same placeholders, so no user ever sees a raw key.
func TestCatalogsComplete(t *testing.T) {
	ref := Keys(ZhCN)
	if len(ref) == 0 {
		t.Fatal("zh-CN catalog is empty")
	}
	ph := regexp.MustCompile(`\{[a-z_]+\}`)
	for _, l := range Langs[1:] {
		got := map[string]bool{}
		for _, k := range Keys(l) {
			got[k] = true
		}
		for _, k := range ref {
			if !got[k] {
				t.Errorf("%s: missing key %q", l, k)
				continue
			}
			want := ph.FindAllString(T(ZhCN, k, nil), -1)
			have := ph.FindAllString(T(l, k, nil), -1)
			sort.Strings(want)
			sort.Strings(have)
			if len(want) != len(have) {
				t.Errorf("%s: key %q has placeholders %v, zh-CN has %v", l, k, have, want)
			}
			delete(got, k)
		}
		for k := range got {
			t.Errorf("%s: key %q is not in zh-CN", l, k)
		}
	}
}

func TestParse(t *testing.T) {
	cases := map[string]Lang{
		"":                        ZhCN,
		"zh-CN,zh;q=0.9":          ZhCN,
		"zh-TW":                   ZhTW,
		"zh-HK,en;q=0.5":          ZhTW,
		"en-US,en;q=0.9":          En,
		"fr-FR":                   ZhCN,
		"en_US.UTF-8":             En,
		"zh_TW.UTF-8":             ZhTW,
		"C":                       ZhCN,
		"de-DE,en;q=0.8,zh;q=0.5": En,
		"garbage;;;":              ZhCN,
	}
	for in, want := range cases {
		if got := Parse(in); got != want {
			t.Errorf("Parse(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestTFillsParamsAndFallsBack(t *testing.T) {
	if got := T(En, "common.internal", nil); got == "common.internal" {
		t.Fatal("known key not translated")
	}
	if got := T(En, "no.such.key", nil); got != "no.such.key" {
		t.Fatalf("unknown key = %q", got)
	}
	if got := T(En, "common.required", map[string]string{"field": "X"}); got == T(En, "common.required", nil) {
		t.Fatalf("params not filled: %q", got)
	}
}
