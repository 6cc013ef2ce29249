package app_test

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/beian/beian/internal/"

// The bounded contexts stay apart (docs/architecture.md): no context imports another, directly or through any
// package it uses, and the shared plumbing imports no context. Only internal/app wires them together.
func TestContextsImportNoOtherContext(t *testing.T) {
	rules := []struct {
		pkg       string   // the package pattern checked, with everything it imports
		forbidden []string // package path prefixes it must not reach
	}{
		{"miit/...", []string{"provider", "mps"}},
		{"provider/...", []string{"miit", "mps"}},
		{"mps/...", []string{"provider", "miit"}},
		{"web/...", []string{"provider", "miit", "mps"}},
		{"sqldb/...", []string{"provider", "miit", "mps", "web"}},
		{"regulator/...", []string{"provider", "miit", "mps"}},
		{"police/...", []string{"provider", "miit", "mps", "web", "sqldb"}},
		{"compliance/...", []string{"provider", "miit", "mps"}}, // asks a Registry; the wiring adapts the query
		{"filing/...", []string{"provider", "miit", "web", "sqldb"}},
		{"rules/...", []string{"provider", "miit", "web", "sqldb"}},
	}
	for _, r := range rules {
		out, err := exec.Command("go", "list", "-deps", "-f", "{{.ImportPath}}", "../"+r.pkg).Output()
		if err != nil {
			t.Fatalf("go list %s: %v", r.pkg, err)
		}
		deps := strings.Fields(string(out))
		if len(deps) < 2 {
			t.Fatalf("go list %s listed %v", r.pkg, deps)
		}
		for _, d := range deps {
			rel, ok := strings.CutPrefix(d, module)
			if !ok {
				continue
			}
			for _, f := range r.forbidden {
				if rel == f || strings.HasPrefix(rel, f+"/") {
					t.Errorf("%s reaches %s", r.pkg, d)
				}
			}
		}
	}
}
