package compliance

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/beian/beian/internal/i18n"
)

// docs/compliance.md's table of findings lists every finding the checker can produce, with its severity, and
// nothing else; each has its message in the catalogs.
func TestDocListsEveryFinding(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	emitted := map[string]string{} // code → severity
	call := regexp.MustCompile(`finding\((Error|Warning|Info), "([a-z_.]+)"`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range call.FindAllStringSubmatch(string(src), -1) {
			emitted[m[2]] = strings.ToLower(m[1])
		}
	}
	if len(emitted) < 20 {
		t.Fatalf("found only %d finding codes in the source: %v", len(emitted), emitted)
	}
	doc, err := os.ReadFile("../../docs/compliance.md")
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]string{}
	row := regexp.MustCompile("(?m)^\\| (`[a-z_.]+`(?:, `[a-z_.]+`)*) \\| (error|warning|info) \\|")
	for _, m := range row.FindAllStringSubmatch(string(doc), -1) {
		for _, c := range strings.Split(m[1], ", ") {
			documented[strings.Trim(c, "`")] = m[2]
		}
	}
	for code, sev := range emitted {
		if got, ok := documented[code]; !ok {
			t.Errorf("docs/compliance.md: finding %s (%s) is not in the table", code, sev)
		} else if got != sev {
			t.Errorf("docs/compliance.md: finding %s is documented as %s, the code says %s", code, got, sev)
		}
		if !i18n.Has("compliance." + code) {
			t.Errorf("finding %s has no message in the catalog", code)
		}
	}
	for code := range documented {
		if _, ok := emitted[code]; !ok {
			t.Errorf("docs/compliance.md lists %s, which the checker does not produce", code)
		}
	}
}
