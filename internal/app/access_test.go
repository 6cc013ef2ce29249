package app_test

import (
	"encoding/json"
	"testing"

	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/storetest"
)

// Each party sees and changes only what it may: every endpoint that returns an order or personal data gives
// another applicant 404 (not 403, so that existence is not revealed), and staff endpoints refuse applicants.
func TestEveryPartySeesOnlyItsOwn(t *testing.T) {
	for name, url := range storetest.URLs(t) {
		t.Run(name, func(t *testing.T) {
			a := startApp(t, url)
			p := newParties(t, a)
			owner, res := p.newApplicant("owner@example.com")
			o := p.draftReady(owner, res, "owner-demo.cn")
			icon := uploadIcon(t, owner)
			owner.must(200, "POST", path("/api/v1/orders/%d/submit", o.ID), nil, nil)
			var inbox struct{ Messages []struct{ ID int64 } }
			owner.must(200, "GET", "/api/v1/inbox", nil, &inbox)
			if len(inbox.Messages) == 0 {
				t.Fatal("owner has no message to test with")
			}
			intruder, _ := p.newApplicant("intruder@example.com")

			for _, c := range []struct{ method, path string }{
				{"GET", path("/api/v1/orders/%d", o.ID)},
				{"PUT", path("/api/v1/orders/%d", o.ID)},
				{"GET", path("/api/v1/orders/%d/evaluation", o.ID)},
				{"GET", path("/api/v1/orders/%d/timeline", o.ID)},
				{"POST", path("/api/v1/orders/%d/submit", o.ID)},
				{"POST", path("/api/v1/orders/%d/withdraw", o.ID)},
				{"GET", path("/api/v1/materials/%d", icon)},
				{"POST", path("/api/v1/inbox/%d/read", inbox.Messages[0].ID)},
			} {
				var body any
				if c.method == "PUT" {
					body = content(o)
				}
				if status, raw := intruder.do(c.method, c.path, body); status != 404 {
					t.Errorf("intruder %s %s: %d %s", c.method, c.path, status, raw)
				}
			}
			for _, list := range []struct {
				path string
				key  string
			}{{"/api/v1/orders", "orders"}, {"/api/v1/inbox", "messages"}, {"/api/v1/filings", "subjects"}, {"/api/v1/resources", "resources"}} {
				var raw map[string]json.RawMessage
				intruder.must(200, "GET", list.path, nil, &raw)
				out := map[string][]any{}
				if err := json.Unmarshal(raw[list.key], &[]any{}); err != nil {
					t.Fatalf("%s: %s is not a list", list.path, list.key)
				}
				var items []any
				json.Unmarshal(raw[list.key], &items)
				out[list.key] = items
				if list.key == "resources" {
					if len(out[list.key]) != 1 { // only the instance the operator gave the intruder
						t.Errorf("intruder sees %d resources", len(out[list.key]))
					}
					continue
				}
				if list.key == "messages" {
					continue // the intruder has none of its own either; checked below by id
				}
				if len(out[list.key]) != 0 {
					t.Errorf("intruder's %s lists someone else's: %v", list.path, out[list.key])
				}
			}
			var mine struct {
				Messages []struct {
					OrderID int64 `json:"order_id"`
				}
			}
			intruder.must(200, "GET", "/api/v1/inbox", nil, &mine)
			for _, m := range mine.Messages {
				if m.OrderID == o.ID {
					t.Error("intruder received the owner's message")
				}
			}
			// Applicants cannot use the console, the officer's console or the demo tools.
			for _, c := range []struct{ method, path string }{
				{"GET", "/api/v1/console/queue"},
				{"POST", path("/api/v1/console/orders/%d/decisions", o.ID)},
				{"GET", "/miit/api/v1/reviews"},
				{"GET", "/api/v1/dev/messages"},
				{"POST", "/api/v1/dev/clock"},
			} {
				if status, _ := owner.do(c.method, c.path, provider.Decision{Decision: "approve"}); status != 403 {
					t.Errorf("applicant %s %s: %d, want 403", c.method, c.path, status)
				}
			}
			// Without a login, nothing personal is served.
			if status, _ := p.public.do("GET", path("/api/v1/orders/%d", o.ID), nil); status != 401 {
				t.Errorf("anonymous order read: %d", status)
			}
			// Staff see the order, and the read is audited.
			p.reviewer.must(200, "GET", path("/api/v1/orders/%d", o.ID), nil, nil)
			var audit struct{ Entries []struct{ Action string } }
			p.reviewer.must(200, "GET", path("/api/v1/console/orders/%d/audit", o.ID), nil, &audit)
			if len(audit.Entries) == 0 || audit.Entries[0].Action != "order.read" {
				t.Errorf("staff read not audited: %+v", audit.Entries)
			}
		})
	}
}

// A logged-out token stops working at once, even though recent tokens are cached.
func TestLogoutEndsTheSession(t *testing.T) {
	a := startApp(t, "")
	c := login(t, a.URL(), "applicant@beian.local", "Demo@2026")
	c.must(200, "GET", "/api/v1/me", nil, nil) // now cached
	if status, _ := c.do("DELETE", "/api/v1/session", nil); status != 204 {
		t.Fatalf("logout: %d", status)
	}
	if status, _ := c.do("GET", "/api/v1/me", nil); status != 401 {
		t.Fatalf("token still accepted after logout: %d", status)
	}
}
