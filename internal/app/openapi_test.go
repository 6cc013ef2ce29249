package app_test

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/web"
)

// The published document lists exactly the registered routes, each with a summary and an error response.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	var doc struct {
		OpenAPI string                               `json:"openapi"`
		Paths   map[string]map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(web.OpenAPI(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi = %q", doc.OpenAPI)
	}
	var documented []string
	for path, ops := range doc.Paths {
		for method, op := range ops {
			documented = append(documented, strings.ToUpper(method)+" "+path)
			if op["summary"] == nil || op["responses"] == nil {
				t.Errorf("%s %s: missing summary or responses", method, path)
			}
		}
	}
	registered := app.Routes()
	sort.Strings(documented)
	sort.Strings(registered)
	if strings.Join(documented, "\n") != strings.Join(registered, "\n") {
		t.Errorf("OpenAPI paths differ from routes\ndocumented:\n%s\n\nregistered:\n%s",
			strings.Join(documented, "\n"), strings.Join(registered, "\n"))
	}
}
