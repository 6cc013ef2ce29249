package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/beian/beian/internal/loadtest"
	"github.com/beian/beian/internal/miit"
	"github.com/beian/beian/internal/registryio"
)

// beian import / beian export against real databases: JSON lines in, CSV out, CSV into a second installation,
// which then exports the same CSV.
func TestImportExportCommands(t *testing.T) {
	dir := t.TempDir()
	env := func(name string) map[string]string {
		return map[string]string{"DATABASE_URL": "sqlite:" + filepath.Join(dir, name, "beian.db"),
			"BEIAN_DATA_DIR": filepath.Join(dir, name)}
	}
	in := filepath.Join(dir, "in.jsonl")
	f, _ := os.Create(in)
	w, _ := registryio.NewWriter(f, registryio.JSONLines)
	for _, r := range loadtest.Registry(0, 50, "beian-demo") {
		w.Write(r)
	}
	w.Flush()
	f.Close()

	if code, _, errOut := runArgs(t, env("a"), "import", in); code != 0 || !strings.Contains(errOut, "imported 50 records") {
		t.Fatalf("import: exit %d: %s", code, errOut)
	}
	csvA := filepath.Join(dir, "a.csv")
	os.WriteFile(csvA, []byte("an older export, readable by all\n"), 0o644) // overwritten: owner only then too
	os.Chmod(csvA, 0o644)
	if code, _, errOut := runArgs(t, env("a"), "export", "--output", csvA); code != 0 {
		t.Fatalf("export: exit %d: %s", code, errOut)
	}
	if code, _, errOut := runArgs(t, env("b"), "import", csvA); code != 0 {
		t.Fatalf("import CSV: exit %d: %s", code, errOut)
	}
	asText := filepath.Join(dir, "a.txt") // no .csv: the format is given after the file
	os.WriteFile(asText, mustRead(t, csvA), 0o600)
	if code, _, errOut := runArgs(t, env("b"), "import", asText, "--format", "csv"); code != 0 || !strings.Contains(errOut, ": 0 loaded, 50 already filed") {
		t.Fatalf("import FILE --format csv: exit %d: %s", code, errOut)
	}
	code, out, _ := runArgs(t, env("b"), "export", "--format", "csv")
	a, _ := os.ReadFile(csvA)
	if code != 0 || out != string(a) || strings.Count(out, "\n") != 51 {
		t.Fatalf("second export differs (exit %d):\n%s\n---\n%s", code, out, a)
	}
	if st, _ := os.Stat(csvA); st.Mode().Perm() != 0o600 {
		t.Errorf("export file mode %v: it holds personal data", st.Mode().Perm())
	}
	for _, args := range [][]string{{"import"}, {"import", "/no/such/file"}, {"import", "--format", "xml", in},
		{"export", "extra"}, {"export", "--format", "xml"}} {
		if code, _, _ := runArgs(t, env("c"), args...); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The import says how many records it loaded and how many it skipped as filed already, and words a record it
// refuses in the operator's language, with its line and field; the refused file changes nothing.
func TestImportReportsAndRefuses(t *testing.T) {
	dir := t.TempDir()
	env := func(lang string) map[string]string {
		return map[string]string{"DATABASE_URL": "sqlite:" + filepath.Join(dir, "beian.db"), "BEIAN_DATA_DIR": dir,
			"LANG": lang}
	}
	write := func(name string, recs []miit.SeedRecord) string {
		path := filepath.Join(dir, name)
		f, _ := os.Create(path)
		defer f.Close()
		w, _ := registryio.NewWriter(f, registryio.CSV)
		for _, r := range recs {
			w.Write(r)
		}
		w.Flush()
		return path
	}
	first := write("first.csv", loadtest.Registry(0, 3, "beian-demo"))
	if code, _, errOut := runArgs(t, env("en_US.UTF-8"), "import", first); code != 0 ||
		!strings.Contains(errOut, "imported 3 records") || !strings.Contains(errOut, ": 3 loaded, 0 already filed") {
		t.Fatalf("import: exit %d: %s", code, errOut)
	}
	more := write("more.csv", loadtest.Registry(1, 4, "beian-demo")) // two filed, two new
	if code, _, errOut := runArgs(t, env("en_US.UTF-8"), "import", more); code != 0 ||
		!strings.Contains(errOut, ": 2 loaded, 2 already filed or repeated (skipped)") {
		t.Fatalf("second import: exit %d: %s", code, errOut)
	}
	bad := loadtest.Registry(10, 3, "beian-demo")
	bad[1].Subject.Name = "负载\u202E公司"
	path := write("bad.csv", bad)
	for lang, want := range map[string]string{
		"en_US.UTF-8": "line 3: “subject_name” contains an invisible control or formatting character (U+202E)",
		"zh_CN.UTF-8": "line 3: “subject_name”含有不可见的控制字符或格式字符（U+202E）",
	} {
		code, _, errOut := runArgs(t, env(lang), "import", path)
		if code != 1 || !strings.Contains(errOut, want) || !strings.Contains(errOut, "(common.text_control_char)") {
			t.Errorf("%s: exit %d: %s; want %q", lang, code, errOut, want)
		}
	}
	short := loadtest.Registry(20, 3, "beian-demo")
	short[1].Subject.CredentialNumber = "1"
	path = write("short.csv", short)
	for lang, want := range map[string]string{
		"en_US.UTF-8": "line 3: “credential_number”: A unified social credit code has 18 characters; you entered 1.",
		"zh_CN.UTF-8": "line 3: “credential_number”：统一社会信用代码应为 18 位，您填写了 1 位",
		"zh_TW.UTF-8": "line 3: 「credential_number」：統一社會信用代碼應為 18 位，您填寫了 1 位",
	} {
		code, _, errOut := runArgs(t, env(lang), "import", path)
		if code != 1 || !strings.Contains(errOut, want) || !strings.Contains(errOut, "(uscc.length)") {
			t.Errorf("%s: exit %d: %s; want %q", lang, code, errOut, want)
		}
	}
	header := filepath.Join(dir, "header.csv")
	os.WriteFile(header, []byte("省份,主体名称\n44,x\n"), 0o600)
	if code, _, errOut := runArgs(t, env("zh_TW.UTF-8"), "import", header); code != 2 ||
		!strings.Contains(errOut, "line 1: 第一行須是標頭 province,subject_number,") || !strings.Contains(errOut, "檔案的第一行是：省份,主体名称") {
		t.Errorf("a file without the header: exit %d: %s", code, errOut)
	}
	gbk := filepath.Join(dir, "gbk.csv") // a spreadsheet's default CSV on a Chinese system: GBK, not UTF-8
	head, _ := os.ReadFile(first)
	os.WriteFile(gbk, []byte(strings.SplitAfter(string(head), "\n")[0]+"44,,\xb9\xe3\xd6\xdd,enterprise,business_license,x,,,,,,\n"), 0o600)
	if code, _, errOut := runArgs(t, env("en_US.UTF-8"), "import", gbk); code != 1 ||
		!strings.Contains(errOut, "line 2: “subject_name” contains bytes that are not valid UTF-8") ||
		!strings.Contains(errOut, "save it as “CSV UTF-8”") {
		t.Errorf("GBK file: exit %d: %s", code, errOut)
	}
	if code, out, _ := runArgs(t, env("en_US.UTF-8"), "export", "--format", "csv"); code != 0 || strings.Count(out, "\n") != 6 {
		t.Errorf("registry after the refused file: exit %d, %d lines:\n%s", code, strings.Count(out, "\n"), out)
	}
}

// An export from a data directory that holds no database (a mistyped BEIAN_DATA_DIR) is refused, exit 2, and
// creates nothing there, neither databases nor keys.
func TestExportNeedsADatabase(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "mistyped")
	out := filepath.Join(t.TempDir(), "out.jsonl")
	code, _, errOut := runArgs(t, map[string]string{"BEIAN_DATA_DIR": dir}, "export", "--output", out)
	if code != 2 || !strings.Contains(errOut, "no database in "+dir) {
		t.Fatalf("export from %s: exit %d: %s", dir, code, errOut)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Fatalf("the data directory was created: %v", err)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatalf("an output file was created: %v", err)
	}
}
