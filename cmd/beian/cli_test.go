package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every command reads its command line the same way (internal/cliargs): --help prints its usage and exits 0,
// an unknown flag or an unexpected argument is named with the usage and exits 2 — and none of them does
// anything: no migration, no database, no keys, no request.
func TestCommandLineRefusedBeforeAnything(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"DATABASE_URL": "sqlite:" + filepath.Join(dir, "beian.db"), "BEIAN_DATA_DIR": dir}
	for _, cmd := range [][]string{{"serve"}, {"miit", "serve"}, {"mps", "serve"}, {"migrate"}, {"keys"},
		{"keys", "rotate"}, {"probe"}, {"import"}, {"export"}, {"backup"}, {"restore"}, {"miit", "backup"}} {
		name := strings.Join(cmd, " ")
		args := func(more ...string) []string { return append(append([]string{}, cmd...), more...) }
		for _, help := range []string{"--help", "-h"} {
			code, out, errOut := runArgs(t, env, args(help)...)
			if code != 0 || !strings.HasPrefix(out, "usage: beian "+name) || strings.Contains(out, "BEIAN_SECRET_KEYS=") {
				t.Errorf("%s %s: exit %d, stdout %q, stderr %q; want the usage, exit 0", name, help, code, out, errOut)
			}
		}
		code, out, errOut := runArgs(t, env, args("--bogus")...)
		if code != 2 || out != "" || !strings.Contains(errOut, "beian "+name+": flag provided but not defined: -bogus") ||
			!strings.Contains(errOut, "usage: beian "+name) {
			t.Errorf("%s --bogus: exit %d, stdout %q, stderr %q; want the flag named with the usage, exit 2", name, code, out, errOut)
		}
		extra := args("EXTRA")
		if name == "probe" || name == "import" || strings.HasSuffix(name, "backup") || name == "restore" {
			extra = args("one", "EXTRA")
		}
		code, out, errOut = runArgs(t, env, extra...)
		if code != 2 || out != "" || !strings.Contains(errOut, `beian `+name+`: unexpected argument "EXTRA"`) ||
			!strings.Contains(errOut, "usage: beian "+name) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want the argument named with the usage, exit 2", extra, code, out, errOut)
		}
	}
	if code, _, errOut := runArgs(t, env, "probe"); code != 2 || !strings.Contains(errOut, "beian probe: missing URL") {
		t.Errorf("probe without URL: exit %d: %s", code, errOut)
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("refused command lines left %v in the data directory", ents)
	}
}
