package web

import (
	"regexp"
	"testing"
	"testing/fstest"

	"github.com/beian/beian/internal/web/webtest"
)

// No template or handler of the frame may name a key that a catalog lacks (a user would see the raw key).
func TestFrameKeysExist(t *testing.T) {
	webtest.TemplateKeys(t, "templates/*.html", 30)
	webtest.HandlerKeys(t, "*.go", 1)
}

// Keys the frame builds from values exist for every value.
func TestComposedFrameKeysExist(t *testing.T) {
	for k := range flashKeys {
		webtest.InEveryCatalog(t, "flash", "web.flash."+k)
	}
	webtest.InEveryCatalog(t, "error page", "web.title.error")
}

func TestFieldPaths(t *testing.T) {
	cases := []struct{ path, id, parent, key string }{
		{"subject.principal.mobile", "f-subject-principal-mobile", "subject.principal", "web.field.principal.mobile"},
		{"services[0].domains[0]", "f-services-0-domains-0", "services[0].domains", "web.field.service.domains"},
		{"services[2].principal.email", "f-services-2-principal-email", "services[2].principal", "web.field.principal.email"},
		{"services[1].app.platforms[0].package", "f-services-1-app-platforms-0-package", "services[1].app.platforms[0]",
			"web.field.service.app.platforms.package"},
		{"subject.name", "f-subject-name", "subject", "web.field.subject.name"},
		{"province", "f-province", "", "web.field.province"},
		{"resource.instance_id", "f-resource-instance_id", "resource", "web.field.resource.instance_id"},
	}
	for _, c := range cases {
		if got := FieldID(c.path); got != c.id {
			t.Errorf("FieldID(%q) = %q, want %q", c.path, got, c.id)
		}
		if got := parentPath(c.path); got != c.parent {
			t.Errorf("parentPath(%q) = %q, want %q", c.path, got, c.parent)
		}
		if got := labelKey(c.path); got != c.key {
			t.Errorf("labelKey(%q) = %q, want %q", c.path, got, c.key)
		}
	}
}

func TestLocalPath(t *testing.T) {
	cases := map[string]string{"/orders/3": "/orders/3", "": "/", "//evil.example": "/", "https://evil.example": "/",
		"/\\evil": "/", "/query?kind=domain": "/query?kind=domain"}
	for in, want := range cases {
		if got := LocalPath(in, "/"); got != want {
			t.Errorf("LocalPath(%q) = %q, want %q", in, got, want)
		}
	}
}

// The frame's pages and a context's parse in every language; a page name two contexts both define is refused;
// the static files have content-hash URLs.
func TestTemplatesAndAssets(t *testing.T) {
	page := []byte(`{{define "title"}}{{t "web.brand"}}{{end}}{{define "content"}}<p>{{.Title}}</p>{{end}}`)
	s := NewSite(nil, nil)
	s.AddTemplates(fstest.MapFS{"templates/sample.html": {Data: page}})
	n, err := s.CheckTemplates()
	if err != nil || n != 2 { // error and sample
		t.Fatalf("CheckTemplates = %d, %v; want 2 pages", n, err)
	}
	twice := NewSite(nil, nil)
	twice.AddTemplates(fstest.MapFS{"templates/sample.html": {Data: page}})
	twice.AddTemplates(fstest.MapFS{"templates/sample.html": {Data: page}})
	if _, err := twice.CheckTemplates(); err == nil {
		t.Fatal("a page defined by two contexts was accepted")
	}
	for _, name := range []string{"app.css", "app.js", "favicon.svg"} {
		u := assetURL(name)
		if !regexp.MustCompile(`^/static/[0-9a-f]{12}/` + regexp.QuoteMeta(name) + `$`).MatchString(u) {
			t.Errorf("asset URL %q", u)
		}
	}
}
