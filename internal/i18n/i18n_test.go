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

// Texts renders one message per language, keyed by the language's code.
func TestTexts(t *testing.T) {
	got := Texts(func(l Lang) string { return T(l, "common.internal", nil) })
	if len(got) != len(Langs) {
		t.Fatalf("Texts = %v", got)
	}
	for _, l := range Langs {
		if got[string(l)] == "" || got[string(l)] != T(l, "common.internal", nil) {
			t.Errorf("%s: %q", l, got[string(l)])
		}
	}
	if got["zh-CN"] == got["en"] {
		t.Errorf("zh-CN and en render the same: %q", got["en"])
	}
}
