package compliance

import (
	"context"
	"errors"
	"slices"
	"testing"
)

// The filing of a domain is read from the query's records: a filed website before a filed APP sharing the
// domain, anything filed before a cancelled record, and a cancelled record as cancelled, not as unknown.
func TestFilingOf(t *testing.T) {
	web := QueryRecord{SubjectNumber: "粤ICP备2020123456号", ServiceNumber: "粤ICP备2020123456号-1", ServiceName: "官网",
		Kind: "website", Status: "filed"}
	app := QueryRecord{SubjectNumber: "粤ICP备2020123456号", ServiceNumber: "粤ICP备2020123456号-2A", ServiceName: "APP",
		Kind: "app", Status: "filed"}
	gone := QueryRecord{SubjectNumber: "京ICP备2019000001号", ServiceNumber: "京ICP备2019000001号-1", ServiceName: "旧站",
		Kind: "website", Status: "cancelled"}
	cases := []struct {
		name string
		recs []QueryRecord
		want Filing
	}{
		{"none", nil, Filing{Domain: "example.cn"}},
		{"website before APP", []QueryRecord{app, web}, Filing{Domain: "example.cn", Filed: true,
			SubjectNumber: web.SubjectNumber, ServiceNumber: web.ServiceNumber, WebsiteName: "官网"}},
		{"APP alone", []QueryRecord{app}, Filing{Domain: "example.cn", Filed: true,
			SubjectNumber: app.SubjectNumber, ServiceNumber: app.ServiceNumber, WebsiteName: "APP"}},
		{"filed before cancelled", []QueryRecord{gone, app}, Filing{Domain: "example.cn", Filed: true,
			SubjectNumber: app.SubjectNumber, ServiceNumber: app.ServiceNumber, WebsiteName: "APP"}},
		{"cancelled", []QueryRecord{gone}, Filing{Domain: "example.cn", Cancelled: true,
			SubjectNumber: gone.SubjectNumber, ServiceNumber: gone.ServiceNumber, WebsiteName: "旧站"}},
	}
	for _, tc := range cases {
		if got := FilingOf("example.cn", tc.recs); got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

// failingRegistry cannot be asked, as a registry that is down or unreachable.
type failingRegistry struct{}

func (failingRegistry) LookupDomain(context.Context, string) (Filing, error) {
	return Filing{}, errors.New("connection refused")
}

// When the registry cannot be asked, the numbers the page shows cannot be verified: a page with a wrong ICP
// number, or a good page, must not pass; the page is still read, so the report says what else to fix.
func TestCheckRegistryUnavailable(t *testing.T) {
	cfg := serveSites(t, testSites(t))
	c := NewChecker(failingRegistry{}, cfg)
	for _, target := range []string{"wrong.cn", "good.cn"} {
		r := c.Check(context.Background(), target)
		if got := codes(r, false); !slices.Equal(got, []string{"registry.unavailable"}) || r.Pass {
			t.Errorf("%s: pass %v, findings %v, want registry.unavailable and not pass", target, r.Pass, got)
		}
		if f, _ := findingOf(r, "registry.unavailable"); f.Severity != Error || r.Page == nil {
			t.Errorf("%s: severity %s, page read %v", target, f.Severity, r.Page != nil)
		}
	}
	// Over HTTP: an address where nothing listens.
	r := NewChecker(HTTPRegistry{BaseURL: "http://127.0.0.1:1"}, cfg).Check(context.Background(), "wrong.cn")
	if r.Pass || r.Count(Error) != 1 || r.Findings[0].Code != "registry.unavailable" {
		t.Errorf("unreachable registry: pass %v, %+v", r.Pass, r.Findings)
	}
}
