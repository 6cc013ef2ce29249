package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/beian/beian/internal/loadtest"
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
	if code, _, errOut := runArgs(t, env("a"), "export", "--output", csvA); code != 0 {
		t.Fatalf("export: exit %d: %s", code, errOut)
	}
	if code, _, errOut := runArgs(t, env("b"), "import", csvA); code != 0 {
		t.Fatalf("import CSV: exit %d: %s", code, errOut)
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
