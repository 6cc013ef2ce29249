package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/beian/beian/internal/apptest"
	"github.com/beian/beian/internal/compliance"
	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/loadtest"
	"github.com/beian/beian/internal/miit"
)

// `beian compliance check` end to end: a real beian with a filed domain answers the registry questions (over
// its public query API, or from its database), two real homepages are checked over HTTP.
func TestComplianceCheckCommand(t *testing.T) {
	a := apptest.Start(t, "")
	subject := filing.Subject{Nature: "enterprise", Name: "广州示例科技有限公司", CredentialType: "business_license",
		CredentialNumber: loadtest.USCC(424242), Number: "粤ICP备2020123456号"}
	svc := filing.Service{Kind: filing.Website, Name: "示例科技官网", Domains: []string{"good-example.cn", "bad-example.cn"}}
	if err := a.Sim.LoadRegistry(context.Background(), []miit.SeedRecord{{Province: "44", Subject: subject,
		Services: []filing.Service{svc}, Providers: []string{"beian-demo"}}}); err != nil {
		t.Fatal(err)
	}
	footer := `<footer><a href="https://beian.miit.gov.cn/">粤ICP备2020123456号-1</a></footer>`
	sites := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body := "<title>示例科技官网</title><p>欢迎</p>"
		if strings.HasPrefix(r.Host, "good-example.cn") {
			body += footer
		}
		if r.URL.Path == "/police" { // a police number the police platform has no filing of this site under
			body += `<p><img src="/gongan.png"><a href="` + compliance.PoliceQueryURL("44010602000123") +
				`">粤公网安备 44010602000123号</a></p>`
		}
		w.Write([]byte(body))
	}))
	defer sites.Close()
	addr := sites.Listener.Addr().String()
	common := []string{"--allow-private", "--resolve", "good-example.cn:80=" + addr, "--resolve", "bad-example.cn:80=" + addr}
	args := func(extra ...string) []string {
		return append(append([]string{"compliance", "check"}, common...), extra...)
	}

	code, out, errOut := runArgs(t, nil, args("--registry-url", a.URL(), "--json", "http://good-example.cn/", "http://bad-example.cn/")...)
	if code != 1 {
		t.Fatalf("exit %d, want 1: %s", code, errOut)
	}
	var reports []compliance.Report
	if err := json.Unmarshal([]byte(out), &reports); err != nil || len(reports) != 2 {
		t.Fatalf("JSON %v: %s", err, out)
	}
	if !reports[0].Pass || reports[0].Filing == nil || reports[0].Filing.ServiceNumber != "粤ICP备2020123456号-1" {
		t.Errorf("good site: %+v", reports[0])
	}
	if reports[1].Pass || reports[1].Findings[0].Code != "icp.missing" || reports[1].Findings[0].Message == "" ||
		!strings.Contains(reports[1].Findings[0].Fix, "粤ICP备2020123456号-1") {
		t.Errorf("bad site: %+v", reports[1])
	}

	// The local database, a table in English; only the good site: exit 0.
	env := map[string]string{"DATABASE_URL": a.Cfg.DatabaseURL, "BEIAN_DATA_DIR": a.Cfg.DataDir, "LANG": "en_US.UTF-8"}
	code, out, errOut = runArgs(t, env, args("http://good-example.cn/")...)
	if code != 0 || !strings.Contains(out, "http://good-example.cn/  pass") || !strings.Contains(out, "1 site(s) checked: 1 passed") {
		t.Fatalf("exit %d: %s %s", code, out, errOut)
	}
	// … also found by its data directory alone, as `beian serve` left it (README's way).
	code, out, errOut = runArgs(t, map[string]string{"BEIAN_DATA_DIR": a.Cfg.DataDir, "LANG": "en_US.UTF-8"}, args("http://good-example.cn/")...)
	if code != 0 || !strings.Contains(out, "1 passed") {
		t.Fatalf("by the data directory: exit %d: %s %s", code, out, errOut)
	}
	// A directory without a database gets none created, and the check says where the data is looked for.
	empty := t.TempDir()
	code, _, errOut = runArgs(t, map[string]string{"BEIAN_DATA_DIR": empty, "LANG": "en_US.UTF-8"}, args("http://good-example.cn/")...)
	if entries, _ := os.ReadDir(empty); code != 2 || len(entries) != 0 || !strings.Contains(errOut, "BEIAN_DATA_DIR") {
		t.Errorf("no database: exit %d, %d files created: %s", code, len(entries), errOut)
	}

	for _, tc := range []struct {
		env  map[string]string
		args []string
	}{
		{nil, []string{"compliance"}},
		{nil, []string{"compliance", "check"}},
		{nil, []string{"compliance", "check", "good-example.cn"}}, // no registry
		{nil, []string{"compliance", "check", "--no-such-flag", "good-example.cn"}},
		{nil, []string{"compliance", "check", "--registry-url", a.URL(), "--file", "/no/such/file"}},
	} {
		if code, _, _ := runArgs(t, tc.env, tc.args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", tc.args, code)
		}
	}

	// The police number on the page is checked against the police platform's public query: the platform in
	// the process of the local database, or the one of BEIAN_MPS_URL with a remote registry.
	for _, tc := range []struct {
		env  map[string]string
		args []string
	}{
		{env, args("--json", "http://good-example.cn/police")},
		{map[string]string{"BEIAN_MPS_URL": a.URL()}, args("--registry-url", a.URL(), "--json", "http://good-example.cn/police")},
	} {
		code, out, errOut := runArgs(t, tc.env, tc.args...)
		var reports []compliance.Report
		if err := json.Unmarshal([]byte(out), &reports); err != nil || len(reports) != 1 || code != 1 {
			t.Fatalf("exit %d, %v: %s %s", code, err, out, errOut)
		}
		if f := reports[0].Findings; len(f) == 0 || f[0].Code != "police.not_filed" || !reports[0].Filing.PoliceChecked {
			t.Errorf("police number not checked against the platform: %+v", reports[0])
		}
	}
}

// wrongPage serves a homepage whose footer shows an ICP number that is not its own, and returns the flags that
// reach it as wrong-example.cn.
func wrongPage(t *testing.T) []string {
	t.Helper()
	sites := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`<title>示例科技官网</title><p>欢迎</p><footer><a href="https://beian.miit.gov.cn/">粤ICP备2099999999号-1</a></footer>`))
	}))
	t.Cleanup(sites.Close)
	return []string{"compliance", "check", "--allow-private", "--resolve", "wrong-example.cn:80=" + sites.Listener.Addr().String()}
}

// A registry that cannot be reached cannot verify the number the page shows: the site fails (exit 1), whatever
// the page shows; a --registry-url that is not an http(s) address is a usage error (exit 2).
func TestComplianceCheckRegistryUnreachable(t *testing.T) {
	base := wrongPage(t)
	env := map[string]string{"LANG": "en_US.UTF-8"}
	code, out, errOut := runArgs(t, env, append(base, "--registry-url", "http://127.0.0.1:1", "--json", "http://wrong-example.cn/")...)
	var reports []compliance.Report
	if err := json.Unmarshal([]byte(out), &reports); err != nil || len(reports) != 1 {
		t.Fatalf("JSON %v: %s %s", err, out, errOut)
	}
	if code != 1 || reports[0].Pass || len(reports[0].Findings) == 0 || reports[0].Findings[0].Code != "registry.unavailable" ||
		reports[0].Findings[0].Severity != compliance.Error {
		t.Errorf("unreachable registry: exit %d, %+v", code, reports[0])
	}
	code, out, _ = runArgs(t, env, append(base, "--registry-url", "http://127.0.0.1:1", "http://wrong-example.cn/")...)
	if code != 1 || !strings.Contains(out, "FAIL") || !strings.Contains(out, "0 passed, 1 failed") {
		t.Errorf("unreachable registry, table: exit %d: %s", code, out)
	}
	for _, u := range []string{"notaurl", "127.0.0.1:8080", "ftp://beian.example.net", "http://", "https://beian.example.net/?x=1"} {
		code, out, errOut := runArgs(t, env, append(base, "--registry-url", u, "http://wrong-example.cn/")...)
		if code != 2 || out != "" || !strings.Contains(errOut, "--registry-url "+u+": not the address of a running beian") {
			t.Errorf("--registry-url %s: exit %d, want 2: %s %s", u, code, out, errOut)
		}
	}
}

// A configuration error is not a failed site: exit 2 (as import and export), not 1.
func TestComplianceCheckConfigurationErrors(t *testing.T) {
	dir := t.TempDir()
	for _, env := range []map[string]string{
		{"BEIAN_MODE": "bogus"},
		{"BEIAN_MODE": "demo", "DATABASE_URL": "sqlite://" + dir + "/beian.db", "BEIAN_MIIT_URL": "http://127.0.0.1:9",
			"BEIAN_MIIT_SECRET": strings.Repeat("s", 44)},
	} {
		env["LANG"] = "en_US.UTF-8"
		code, out, errOut := runArgs(t, env, "compliance", "check", "example.cn")
		if code != 2 || out != "" || !strings.Contains(errOut, "beian: ") {
			t.Errorf("%v: exit %d, want 2: %s %s", env, code, out, errOut)
		}
		// … the same status as import's for the same configuration.
		if code, _, _ := runArgs(t, env, "export", "--output", dir+"/out.jsonl"); code != 2 {
			t.Errorf("%v: export exits %d", env, code)
		}
	}
}

// --lang takes zh-CN, zh-TW or en; anything else is a usage error that names them, in the language of LANG,
// not a silent fall back to Simplified Chinese.
func TestComplianceCheckLang(t *testing.T) {
	base := wrongPage(t)
	for _, tc := range []struct{ lang, want string }{
		{"en_US.UTF-8", "--lang fr: unknown language; use zh-CN, zh-TW or en."},
		{"zh_CN.UTF-8", "--lang fr：不支持的语言，请使用 zh-CN、zh-TW 或 en。"},
	} {
		code, out, errOut := runArgs(t, map[string]string{"LANG": tc.lang}, append(base, "--lang", "fr", "http://wrong-example.cn/")...)
		if code != 2 || out != "" || !strings.Contains(errOut, tc.want) {
			t.Errorf("LANG=%s --lang fr: exit %d, want 2 and %q: %s %s", tc.lang, code, tc.want, out, errOut)
		}
	}
	// The accepted values choose the language (here of the usage error that follows: no registry).
	for lang, want := range map[string]string{"en": "Filing data is needed", "zh-TW": "需要備案資料", "zh_cn": "需要备案数据"} {
		code, _, errOut := runArgs(t, map[string]string{"LANG": "en_US.UTF-8", "BEIAN_DATA_DIR": t.TempDir()},
			append(base, "--lang", lang, "http://wrong-example.cn/")...)
		if code != 2 || !strings.Contains(errOut, want) {
			t.Errorf("--lang %s: exit %d: %s", lang, code, errOut)
		}
	}
}

// Under a Chinese LANG the whole output of the command is in that language: the severity labels of the
// findings, the usage errors and the flags' help, through the catalogs.
func TestComplianceCheckTranslated(t *testing.T) {
	base := wrongPage(t)
	for _, tc := range []struct{ lang, label, resolve, file, help string }{
		{"zh_CN.UTF-8", "[错误] registry.unavailable", "--resolve x：格式应为", "无法读取 --file", "以 JSON 输出检查报告"},
		{"zh_TW.UTF-8", "[錯誤] registry.unavailable", "--resolve x：格式應為", "無法讀取 --file", "以 JSON 輸出檢查報告"},
		{"en_US.UTF-8", "[error] registry.unavailable", "--resolve x: give HOST:PORT=IP:PORT", "--file /no/such/file cannot be read",
			"print the reports as JSON"},
	} {
		env := map[string]string{"LANG": tc.lang}
		code, out, _ := runArgs(t, env, append(base, "--registry-url", "http://127.0.0.1:1", "http://wrong-example.cn/")...)
		if code != 1 || !strings.Contains(out, tc.label) {
			t.Errorf("%s: exit %d, want %q in %s", tc.lang, code, tc.label, out)
		}
		if tc.lang != "en_US.UTF-8" && strings.Contains(out, "[error]") {
			t.Errorf("%s: untranslated label in %s", tc.lang, out)
		}
		for _, c := range []struct {
			args []string
			want string
		}{
			{[]string{"--resolve", "x", "http://wrong-example.cn/"}, tc.resolve},
			{[]string{"--registry-url", "http://127.0.0.1:1", "--file", "/no/such/file"}, tc.file},
			{[]string{"--no-such-flag"}, tc.help},
		} {
			code, _, errOut := runArgs(t, env, append(base, c.args...)...)
			if code != 2 || !strings.Contains(errOut, c.want) {
				t.Errorf("%s %v: exit %d, want 2 and %q in %s", tc.lang, c.args, code, c.want, errOut)
			}
		}
	}
}
