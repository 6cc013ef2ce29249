package app_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/compliance/compliancetest"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/storetest"
)

// demoSite is the demo applicant's filed website (the seed's example-sz.cn).
const demoSite = "example-sz.cn"

// sweepBody is a sweep as the API answers it.
type sweepBody struct {
	ID, Total, Done, Failed, Version int
	FinishedAt                       string `json:"finished_at"`
	Sites                            []struct {
		Seq           int
		Domain, State string
		ServiceNumber string `json:"service_number"`
	}
}

func (s sweepBody) site(domain string) (seq int, state string) {
	for _, x := range s.Sites {
		if x.Domain == domain {
			return x.Seq, x.State
		}
	}
	return -1, ""
}

// The checker over HTTP: a reviewer starts a sweep of every filed website (a second start is refused while it
// runs), follows it by long poll, reads the failing site's report in English with the HTML to paste; the
// applicant reads their own site's result with the footer; the staff get the digest of new failures; the
// schedule refuses an unknown frequency. Every answer matches the OpenAPI document.
func TestComplianceSweepEndToEnd(t *testing.T) {
	for name, dbURL := range storetest.URLs(t) {
		t.Run(name, func(t *testing.T) { sweepEndToEnd(t, dbURL) })
	}
}

func sweepEndToEnd(t *testing.T, dbURL string) {
	sites := compliancetest.New(t)
	a := startApp(t, dbURL, func(c *app.Config) { c.SiteFetch = sites.FetchConfig(demoSite, "good-e2e.cn") })
	p := newParties(t, a)
	c, res := p.newApplicant("checker@example.com")
	_, number := p.fileNew(c, res, "good-e2e.cn")
	sites.Set("good-e2e.cn", compliancetest.Homepage("广州示例", compliancetest.Footer(number)))
	sites.Set(demoSite, compliancetest.Homepage("示例科技官方网站", `<footer><p>粤ICP备2025000001号-1</p></footer>`))
	release := sites.Hold(demoSite) // the sweep stays running until the test lets the demo site answer
	defer release()

	if codes := c.errorCodes(403, "POST", "/api/v1/console/compliance/sweeps", nil); !hasCode(codes, "common.forbidden") {
		t.Fatalf("an applicant started a sweep: %v", codes)
	}
	var started sweepBody
	status, raw := p.reviewer.do("POST", "/api/v1/console/compliance/sweeps", nil)
	if status != 201 {
		t.Fatalf("start: %d %s", status, raw)
	}
	conforms(t, "Sweep", raw)
	mustDecode(t, raw, &started)
	if codes := p.operator.errorCodes(409, "POST", "/api/v1/console/compliance/sweeps", nil); !hasCode(codes, "checker.sweep_running") {
		t.Fatalf("a second sweep while one runs: %v", codes)
	}
	var polled sweepBody // the good site answers at once: the long poll returns with its result
	p.reviewer.must(200, "GET", path("/api/v1/console/compliance/sweeps/%d?version=%d&wait=20s", started.ID, started.Version), nil, &polled)
	if _, st := polled.site("good-e2e.cn"); polled.Version == started.Version || st != "pass" || polled.FinishedAt != "" {
		t.Fatalf("long poll answered %+v", polled)
	}
	release()
	var done sweepBody
	eventually(t, "the sweep finishes", func() bool {
		p.reviewer.must(200, "GET", path("/api/v1/console/compliance/sweeps/%d", started.ID), nil, &done)
		return done.FinishedAt != ""
	})
	_, raw = p.reviewer.do("GET", path("/api/v1/console/compliance/sweeps/%d", started.ID), nil)
	conforms(t, "SweepView", raw)
	seq, st := done.site(demoSite)
	if st != "fail" || done.Failed != 1 {
		t.Fatalf("finished sweep %+v", done)
	}

	en := &client{t: t, base: a.URL(), token: p.reviewer.token, lang: "en"}
	status, raw = en.do("GET", path("/api/v1/console/compliance/sweeps/%d/sites/%d", started.ID, seq), nil)
	if status != 200 {
		t.Fatalf("report: %d %s", status, raw)
	}
	conforms(t, "SiteCheck", raw)
	var rep provider.SiteCheck
	mustDecode(t, raw, &rep)
	if f := reportFinding(rep, "icp.link_missing"); f == nil || !strings.Contains(f.Fix, "https://beian.miit.gov.cn/") ||
		!strings.Contains(f.Message, "link") {
		t.Fatalf("the failing site's report: %s", raw)
	}
	if !strings.Contains(rep.Footer, "粤ICP备2025000001号-1") {
		t.Fatalf("footer %q", rep.Footer)
	}
	p.reviewer.errorCodes(404, "GET", path("/api/v1/console/compliance/sweeps/%d/sites/99", started.ID), nil)

	var mine struct{ Sites []provider.SiteCheck }
	status, raw = c.do("GET", "/api/v1/site-checks", nil)
	conforms(t, "SiteChecks", raw)
	mustDecode(t, raw, &mine)
	if status != 200 || len(mine.Sites) != 1 || mine.Sites[0].Domain != "good-e2e.cn" || mine.Sites[0].State != "pass" ||
		!strings.Contains(mine.Sites[0].Footer, number) {
		t.Fatalf("the applicant's checks: %d %s", status, raw)
	}
	p.reviewer.errorCodes(403, "GET", "/api/v1/site-checks", nil)

	if codes := p.reviewer.errorCodes(422, "PUT", "/api/v1/console/compliance/schedule", map[string]string{"every": "hourly"}); !hasCode(codes, "checker.bad_every") {
		t.Fatalf("bad schedule: %v", codes)
	}
	status, raw = p.reviewer.do("PUT", "/api/v1/console/compliance/schedule", map[string]string{"every": "weekly"})
	if status != 200 {
		t.Fatalf("schedule: %d %s", status, raw)
	}
	conforms(t, "SweepSchedule", raw)

	var msgs struct {
		Messages []struct{ Subject, Body string }
	}
	eventually(t, "the digest reaches the reviewer", func() bool {
		p.operator.must(200, "GET", "/api/v1/dev/messages?to=reviewer@beian.local", nil, &msgs)
		return len(msgs.Messages) > 0
	})
	if m := msgs.Messages[0]; !strings.Contains(m.Subject, "1 个网站") || !strings.Contains(m.Body, demoSite) ||
		strings.Contains(m.Body, "good-e2e.cn") || !strings.Contains(m.Body, path("/console/compliance/%d/sites/%d", started.ID, seq)) {
		t.Fatalf("digest %+v", m)
	}
}

func reportFinding(c provider.SiteCheck, code string) *struct{ Fix, Message string } {
	if c.Report == nil {
		return nil
	}
	for _, f := range c.Report.Findings {
		if f.Code == code {
			return &struct{ Fix, Message string }{f.Fix, f.Message}
		}
	}
	return nil
}

func mustDecode(t *testing.T, raw []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
}
