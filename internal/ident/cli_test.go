package ident

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/beian/beian/internal/i18n"
)

// run calls RunCheck and returns the exit status, the decoded output lines, the raw stdout and stderr.
func run(t *testing.T, lang i18n.Lang, args ...string) (int, []map[string]any, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := RunCheck(args, &out, &errOut, lang, now)
	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimRight(out.String(), "\n"), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("line %q is not JSON: %v", l, err)
		}
		lines = append(lines, m)
	}
	return code, lines, out.String(), errOut.String()
}

func TestRunCheckValid(t *testing.T) {
	code, lines, raw, stderr := run(t, i18n.ZhCN, "resident-id", "11010519491231002x")
	if code != 0 || len(lines) != 1 || stderr != "" {
		t.Fatalf("code %d, %d lines, stderr %q", code, len(lines), stderr)
	}
	l := lines[0]
	if l["kind"] != "resident-id" || l["input"] != "11010519491231002x" || l["valid"] != true || l["normalized"] != "11010519491231002X" {
		t.Errorf("line = %v", l)
	}
	info := l["info"].(map[string]any)
	if info["birth_date"] != "1949-12-31" || info["sex"] != "female" || info["province"] != "11" {
		t.Errorf("info = %v", info)
	}
	if !strings.Contains(raw, `"errors":[]`) || !strings.Contains(raw, `"warnings":[]`) {
		t.Errorf("errors/warnings must be empty arrays: %s", raw)
	}
	wantOrder := []string{`"kind"`, `"input"`, `"valid"`, `"normalized"`, `"errors"`, `"warnings"`, `"info"`}
	last := -1
	for _, k := range wantOrder {
		i := strings.Index(raw, k)
		if i < last {
			t.Errorf("field %s out of order in %s", k, raw)
		}
		last = i
	}
}

func TestRunCheckSeveralValuesAndMessages(t *testing.T) {
	code, lines, _, _ := run(t, i18n.En, "mobile", "13912345679", "010-62345678")
	if code != 1 || len(lines) != 2 {
		t.Fatalf("code %d, %d lines", code, len(lines))
	}
	if lines[0]["valid"] != true || len(lines[0]["info"].(map[string]any)) != 0 {
		t.Errorf("first line = %v", lines[0])
	}
	errs := lines[1]["errors"].([]any)
	e := errs[0].(map[string]any)
	if lines[1]["valid"] != false || e["code"] != "mobile.landline_given" || !strings.Contains(e["message"].(string), "landline") {
		t.Errorf("second line = %v", lines[1])
	}
}

func TestRunCheckInfo(t *testing.T) {
	_, lines, raw, _ := run(t, i18n.ZhCN, "icp-number", "京ICP备11018762号-11")
	info := lines[0]["info"].(map[string]any)
	if info["province"] != "11" || info["subject_number"] != "京ICP备11018762号" || info["service_kind"] != "website" {
		t.Errorf("icp info = %v", info)
	}
	if !strings.Contains(raw, `"service_index":11`) {
		t.Errorf("service_index must be an integer: %s", raw)
	}
	_, lines, _, _ = run(t, i18n.ZhCN, "police-number", "11000002000001")
	if lines[0]["info"].(map[string]any)["province"] != "11" {
		t.Errorf("police info = %v", lines[0]["info"])
	}
	_, lines, _, _ = run(t, i18n.ZhCN, "domain", "例子.中国")
	if info := lines[0]["info"].(map[string]any); info["ascii"] != "xn--fsqu00a.xn--fiqs8s" || info["unicode"] != "例子.中国" {
		t.Errorf("domain info = %v", info)
	}
}

func TestRunCheckFlags(t *testing.T) {
	cases := []struct {
		args  []string
		code  int
		valid []bool
	}{
		{[]string{"domain", "www.example.com"}, 1, []bool{false}},
		{[]string{"domain", "--for", "app", "www.example.com"}, 0, []bool{true}},
		{[]string{"domain", "www.example.com", "--for=app", "api.example.com"}, 0, []bool{true, true}},
		{[]string{"domain", "-for", "website", "example.com"}, 0, []bool{true}},
		{[]string{"website-name", "--nature", "individual", "--province", "32", "张三的个人博客"}, 0, []bool{true}},
		{[]string{"website-name", "张三的个人博客", "--province", "44", "--nature", "individual"}, 1, []bool{false}},
		{[]string{"website-name", "--nature=enterprise", "--province=44", "--", "--某某科技官网"}, 1, []bool{false}},
	}
	for _, c := range cases {
		code, lines, _, stderr := run(t, i18n.ZhCN, c.args...)
		if code != c.code || len(lines) != len(c.valid) {
			t.Errorf("%v: code %d, %d lines, stderr %q", c.args, code, len(lines), stderr)
			continue
		}
		for i, v := range c.valid {
			if lines[i]["valid"] != v {
				t.Errorf("%v: line %d valid = %v", c.args, i, lines[i]["valid"])
			}
		}
	}
}

func TestRunCheckUsageErrors(t *testing.T) {
	cases := [][]string{
		{},
		{"no-such-kind", "x"},
		{"mobile"},
		{"mobile", "--for", "app", "13912345679"},
		{"domain", "--for", "mail", "example.com"},
		{"domain", "example.com", "--for"},
		{"website-name", "某某网站"},
		{"website-name", "--nature", "individual", "某某网站"},
		{"website-name", "--nature", "person", "--province", "44", "某某网站"},
		{"website-name", "--nature", "individual", "--province", "99", "某某网站"},
	}
	for _, args := range cases {
		code, lines, _, stderr := run(t, i18n.ZhCN, args...)
		if code != 2 || len(lines) != 0 || !strings.Contains(stderr, "beian check") || !strings.Contains(stderr, "用法") {
			t.Errorf("%v: code %d, %d lines, stderr %q", args, code, len(lines), stderr)
		}
	}
	var out bytes.Buffer
	if code := RunCheck([]string{"--help"}, &out, &out, i18n.En, now); code != 0 || !strings.Contains(out.String(), "Usage") {
		t.Errorf("--help: code %d, %q", code, out.String())
	}
}

func FuzzRunCheck(f *testing.F) {
	f.Add("domain\x00--for\x00app\x00api.example.com")
	f.Add("website-name\x00--nature=individual\x00--province\x0032\x00张三的个人博客")
	f.Add("mobile\x00--\x00-1")
	f.Fuzz(func(t *testing.T, joined string) {
		args := strings.Split(joined, "\x00")
		var out, errOut bytes.Buffer
		code := RunCheck(args, &out, &errOut, i18n.En, now)
		if code == 2 {
			if out.Len() != 0 && args[0] != "--help" && args[0] != "-h" && args[0] != "help" {
				t.Fatalf("usage error with output %q", out.String())
			}
			return
		}
		if code != 0 && code != 1 {
			t.Fatalf("exit %d", code)
		}
		if args[0] == "--help" || args[0] == "-h" || args[0] == "help" {
			return
		}
		for _, l := range strings.Split(strings.TrimRight(out.String(), "\n"), "\n") {
			var line checkLine
			if err := json.Unmarshal([]byte(l), &line); err != nil {
				t.Fatalf("not JSON: %q", l)
			}
			if line.Errors == nil || line.Warnings == nil || line.Info == nil || line.Valid != (len(line.Errors) == 0) {
				t.Fatalf("inconsistent line %q", l)
			}
			if line.Valid == (code == 1) && len(strings.Split(strings.TrimRight(out.String(), "\n"), "\n")) == 1 {
				t.Fatalf("exit %d for %q", code, l)
			}
		}
	})
}
