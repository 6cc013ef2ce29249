package rules

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/beian/beian/internal/i18n"
)

func runCLI(t *testing.T, stdin string, lang i18n.Lang, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := RunEvaluate(args, strings.NewReader(stdin), &out, &errb, lang)
	return code, out.String(), errb.String()
}

type cliReport struct {
	Materials  []map[string]any `json:"materials"`
	Violations []map[string]any `json:"violations"`
	Notices    []map[string]any `json:"notices"`
}

func TestCLIExamples(t *testing.T) {
	cases := []struct {
		file      string
		code      int
		violation string
		material  string
	}{
		{"testdata/personal-hunan-two-sites.json", 1, "rules.one_service_per_order", "subject_credential"},
		{"testdata/enterprise-guangdong.json", 0, "", "guangdong_commitment_letter"},
		{"testdata/personal-shanxi-cross-province.json", 1, "rules.cross_province_refused", "subject_credential"},
	}
	for _, c := range cases {
		code, out, stderr := runCLI(t, "", i18n.ZhCN, c.file, "--date", "2026-11-20")
		if code != c.code || stderr != "" {
			t.Errorf("%s: exit %d (stderr %q), want %d", c.file, code, stderr, c.code)
		}
		if strings.Contains(out, "null") {
			t.Errorf("%s: arrays must never be null: %s", c.file, out)
		}
		var rep cliReport
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatalf("%s: output is not JSON: %v", c.file, err)
		}
		if c.violation != "" && (len(rep.Violations) == 0 || rep.Violations[0]["code"] != c.violation) {
			t.Errorf("%s: violations = %v", c.file, rep.Violations)
		}
		if !slicesHasCode(rep.Materials, c.material) {
			t.Errorf("%s: materials = %v", c.file, rep.Materials)
		}
		for _, v := range rep.Violations {
			for _, k := range []string{"code", "field", "message", "source"} {
				if _, ok := v[k]; !ok {
					t.Errorf("violation without %s: %v", k, v)
				}
			}
		}
	}
}

func slicesHasCode(xs []map[string]any, code string) bool {
	for _, x := range xs {
		if x["code"] == code {
			return true
		}
	}
	return false
}

func TestCLIStdinDateAndLanguage(t *testing.T) {
	raw, _ := os.ReadFile("testdata/enterprise-guangdong.json")
	// before 2021-06-21 Guangdong asked for no commitment letter (Huawei Cloud's first-filing guide)
	code, out, _ := runCLI(t, string(raw), i18n.En, "--date=2021-06-20", "-")
	if code != 0 || strings.Contains(out, "guangdong_commitment_letter") {
		t.Errorf("exit %d, out %s", code, out)
	}
	_, out, _ = runCLI(t, string(raw), i18n.En, "-", "--date", "2021-06-21")
	if !strings.Contains(out, "guangdong_commitment_letter") || !strings.Contains(out, "Commitment Letter") {
		t.Errorf("English output lacks the letter: %s", out)
	}
	// default date: today, when every attested rule is in force
	if code, _, _ := runCLI(t, "", i18n.ZhCN, "testdata/personal-shanxi-cross-province.json"); code != 1 {
		t.Errorf("default date exit %d", code)
	}
}

func TestCLIErrors(t *testing.T) {
	cases := []struct {
		name, stdin string
		args        []string
		want        string // part of stderr
	}{
		{"no args", "", nil, "ORDER.json"},
		{"two files", "", []string{"a.json", "b.json"}, "ORDER.json"},
		{"unknown flag", "", []string{"--when", "x", "-"}, "-when"},
		{"bad date", "{}", []string{"-", "--date", "2026-02-30"}, "2026-02-30"},
		{"missing file", "", []string{"testdata/nope.json"}, "nope.json"},
		{"unknown field", `{"provinc":"44"}`, []string{"-"}, `"provinc"`},
		{"bad json", `{"province":`, []string{"-"}, "JSON"},
		{"wrong type", `{"province":44}`, []string{"-"}, "JSON"},
		{"trailing", `{} {}`, []string{"-"}, "one order"},
	}
	for _, c := range cases {
		code, out, stderr := runCLI(t, c.stdin, i18n.En, c.args...)
		if code != 2 || out != "" || !strings.Contains(stderr, c.want) {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want 2 and %q", c.name, code, out, stderr, c.want)
		}
	}
	if code, out, _ := runCLI(t, "", i18n.ZhCN, "-h"); code != 0 || !strings.Contains(out, "beian rules evaluate") {
		t.Errorf("help: %d %q", code, out)
	}
	if _, _, stderr := runCLI(t, `{"x":1}`, i18n.ZhCN, "-"); !strings.Contains(stderr, "未知字段") {
		t.Errorf("zh-CN error = %q", stderr)
	}
}

func FuzzDecodeOrder(f *testing.F) {
	for _, name := range []string{"personal-hunan-two-sites.json", "enterprise-guangdong.json", "personal-shanxi-cross-province.json"} {
		raw, _ := os.ReadFile("testdata/" + name)
		f.Add(raw)
	}
	f.Add([]byte(`{"province":"32","type":"change_subject","subject":{"nature":"individual"},"services":[{"kind":"app"}]}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		o, err := DecodeOrder(raw)
		if err != nil {
			return
		}
		rep := Evaluate(o, day)
		if rep.Materials == nil || rep.Violations == nil || rep.Notices == nil {
			t.Fatal("nil slice in report")
		}
		rep.Localize(i18n.En)
	})
}
