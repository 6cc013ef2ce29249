package app_test

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/web"
)

// The published document lists exactly the registered routes, each with a summary and its 4xx answers; it
// names its licence and signs in by default, public operations saying so.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	var doc struct {
		OpenAPI string `json:"openapi"`
		Info    struct {
			License struct{ Name string }
		}
		Security []map[string][]string `json:"security"`
		Paths    map[string]map[string]struct {
			Summary   string
			Security  *[]map[string][]string
			Responses map[string]any
		} `json:"paths"`
	}
	if err := json.Unmarshal(web.OpenAPI(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" || doc.Info.License.Name == "" || len(doc.Security) == 0 {
		t.Fatalf("openapi = %q, licence %q, security %v", doc.OpenAPI, doc.Info.License.Name, doc.Security)
	}
	var documented []string
	public := 0
	for path, ops := range doc.Paths {
		for method, op := range ops {
			documented = append(documented, strings.ToUpper(method)+" "+path)
			has4xx := false
			for code := range op.Responses {
				has4xx = has4xx || strings.HasPrefix(code, "4")
			}
			if op.Summary == "" || !has4xx || op.Responses["default"] == nil {
				t.Errorf("%s %s: missing summary, 4xx answers or the default error", method, path)
			}
			if op.Security != nil && len(*op.Security) == 0 {
				public++
			}
		}
	}
	if public == 0 {
		t.Error("no operation is declared public (security: [])")
	}
	registered := app.Routes()
	sort.Strings(documented)
	sort.Strings(registered)
	if strings.Join(documented, "\n") != strings.Join(registered, "\n") {
		t.Errorf("OpenAPI paths differ from routes\ndocumented:\n%s\n\nregistered:\n%s",
			strings.Join(documented, "\n"), strings.Join(registered, "\n"))
	}
}

// documentSchema compiles the published document's schema components/schemas/name.
func documentSchema(t *testing.T, name string) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(web.OpenAPI()))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("openapi.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("openapi.json#/components/schemas/" + name)
	if err != nil {
		t.Fatalf("schema %s: %v", name, err)
	}
	return s
}

// conforms checks a real answer of the API against the document's schema name.
func conforms(t *testing.T, name string, raw []byte) {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if err := documentSchema(t, name).Validate(v); err != nil {
		t.Errorf("%s does not match its schema: %v\n%s", name, err, raw)
	}
}

// Real answers match the document: an order filed through the administration (result, issued numbers), its
// timeline and the officer's review, and a draft with an APP (platforms, SDKs, a pre-approval); the schemas
// admit no undocumented field, so a field added to the API without its description fails here.
func TestOpenAPIDescribesRealAnswers(t *testing.T) {
	a := startApp(t, "")
	p := newParties(t, a)
	c, res := p.newApplicant("openapi@example.com")
	o := p.draftReady(c, res, "openapi-demo.cn")
	p.forward(c, o.ID)
	p.verify(mobile)
	p.waitState(c, o.ID, filing.AdministrationReview)
	var list struct{ Reviews []struct{ ID int64 } }
	p.officer.must(200, "GET", path("/miit/api/v1/reviews?provider_order_id=%d", o.ID), nil, &list)
	if len(list.Reviews) != 1 {
		t.Fatalf("reviews: %+v", list)
	}
	_, review := p.officer.do("GET", path("/miit/api/v1/reviews/%d", list.Reviews[0].ID), nil)
	conforms(t, "Review", review)
	_, reviews := p.officer.do("GET", "/miit/api/v1/reviews", nil)
	conforms(t, "Reviews", reviews)
	p.officerDecide(o.ID, true)
	p.waitState(c, o.ID, filing.Approved)
	_, filed := c.do("GET", path("/api/v1/orders/%d", o.ID), nil)
	if !bytes.Contains(filed, []byte(`"result"`)) || !bytes.Contains(filed, []byte(`"number"`)) {
		t.Fatalf("the filed order has no result or number: %s", filed)
	}
	conforms(t, "Order", filed)
	_, timeline := c.do("GET", path("/api/v1/orders/%d/timeline", o.ID), nil)
	conforms(t, "Timeline", timeline)

	in := provider.CheckInput{Province: "44", Nature: "enterprise", CredentialType: "business_license",
		CredentialNumber: uscc, ServiceKind: filing.App, AppName: "广州示例助手"}
	app := p.open(c, in, res, filing.NewService)
	cont := content(app)
	svc := &cont.Services[0]
	svc.Name, svc.Content, svc.Remark = "广州示例助手", []string{"unit_portal"}, "第一行\n第二行"
	svc.Domains = []string{"api.openapi-demo.cn"}
	svc.PreApprovals = []filing.PreApproval{{Type: "news", PermitNumber: "10120180001"}}
	svc.App = &filing.AppInfo{SDKs: []filing.SDK{{Vendor: "示例推送", Type: "push"}}, Platforms: []filing.Platform{{
		Platform: "android", Package: "cn.example.helper", PublicKey: "MIIBIjANBgkqh",
		Signature: "9e:10:7d:9d:37:2b:b6:82:6b:d8:1d:35:42:a4:19:d6"}}}
	c.must(200, "PUT", path("/api/v1/orders/%d", app.ID), cont, nil)
	_, draft := c.do("GET", path("/api/v1/orders/%d", app.ID), nil)
	if !bytes.Contains(draft, []byte(`"platforms"`)) {
		t.Fatalf("the APP's data was not kept: %s", draft)
	}
	conforms(t, "Order", draft)

	// The check can fail: an undocumented field, a wrong type, a missing required field.
	for _, bad := range []string{`"extra":1,`, `"version":"1",`} {
		if err := documentSchema(t, "Order").Validate(mustJSON(t, bytes.Replace(draft, []byte(`"version":`), []byte(bad+`"version_x":`), 1))); err == nil {
			t.Errorf("an order with %s passed its schema", bad)
		}
	}
}

func mustJSON(t *testing.T, raw []byte) any {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	return v
}
