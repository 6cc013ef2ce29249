// Package webtest checks a context's pages against the message catalogs, for the tests of internal/web and of
// each context's pages: every key a template or a handler names exists in every language, so that no user
// sees a raw key; and Get, a GET for tests that read a page whole.
package webtest

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/beian/beian/internal/i18n"
)

// InEveryCatalog fails for a key that some language lacks.
func InEveryCatalog(t *testing.T, where, key string) {
	t.Helper()
	for _, l := range i18n.Langs {
		if !slices.Contains(i18n.Keys(l), key) {
			t.Errorf("%s: key %q is missing from the %s catalog", where, key, l)
		}
	}
}

var tmplKeyRE = regexp.MustCompile(`\b(?:t|tf)\s+"([^"]+)"`)

// TemplateKeys checks the keys the templates matching glob name with t or tf; it fails when it finds fewer than
// atLeast (the pattern would be wrong).
func TemplateKeys(t *testing.T, glob string, atLeast int) {
	t.Helper()
	check(t, glob, tmplKeyRE, atLeast)
}

var goKeyRE = regexp.MustCompile(`"(web\.[a-z0-9_.]*[a-z0-9_])"`)

// HandlerKeys checks the "web.…" keys written whole in the Go files matching glob (tests left out).
func HandlerKeys(t *testing.T, glob string, atLeast int) {
	t.Helper()
	check(t, glob, goKeyRE, atLeast)
}

func check(t *testing.T, glob string, re *regexp.Regexp, atLeast int) {
	t.Helper()
	files, err := filepath.Glob(glob)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(b), -1) {
			n++
			InEveryCatalog(t, f, m[1])
		}
	}
	if n < atLeast {
		t.Fatalf("found only %d keys in %s: is the pattern still right?", n, glob)
	}
}
