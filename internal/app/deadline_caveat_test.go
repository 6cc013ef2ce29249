package app_test

import (
	"strings"
	"testing"
	"time"

	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/web"
)

// TestDeadlineCaveat: a deadline counted through a year whose holiday schedule the calendar does not hold is
// shown with a caveat, to the applicant on the progress page and to the reviewer on the order and the queue; a
// deadline within covered years is shown without it.
func TestDeadlineCaveat(t *testing.T) {
	a := startApp(t, "")
	p := newParties(t, a)
	const caveat = "按自然工作日估算，节假日安排公布后可能调整"
	pages := func(c *client, id int64) map[string]string {
		out := map[string]string{}
		for _, pg := range []struct {
			who  *client
			path string
		}{{c, path("/orders/%d", id)}, {p.reviewer, path("/console/orders/%d", id)}, {p.reviewer, "/console"}} {
			status, body := pg.who.do("GET", pg.path, nil, "Cookie", web.SessionCookie+"="+pg.who.token)
			if status != 200 {
				t.Fatalf("GET %s = %d", pg.path, status)
			}
			out[pg.path] = string(body)
		}
		return out
	}
	now := a.Clock.Now().In(time.FixedZone("CST", 8*3600))
	c, res := p.newApplicant("covered@example.com")
	o := p.draftReady(c, res, "covered-demo.cn")
	c.must(200, "POST", path("/api/v1/orders/%d/submit", o.ID), nil, nil)
	var tl provider.Timeline
	c.must(200, "GET", path("/api/v1/orders/%d/timeline", o.ID), nil, &tl)
	if tl.Next == nil || tl.Next.Deadline == nil {
		t.Fatalf("a submitted order has no deadline: %+v", tl.Next)
	}
	if len(a.Calendar().MissingYears(now.Year(), tl.Next.Deadline.In(now.Location()).Year())) == 0 {
		for pg, body := range pages(c, o.ID) {
			if strings.Contains(body, caveat) {
				t.Errorf("%s: a deadline within covered years has the caveat", pg)
			}
		}
	}
	c.must(200, "POST", path("/api/v1/orders/%d/withdraw", o.ID), map[string]string{"reason": "换一个订单"}, nil)
	// Move past the last year the calendar holds.
	missing := a.Calendar().MissingYears(now.Year(), now.Year()+5)
	if len(missing) == 0 {
		t.Skip("the calendar holds every year up to five years ahead")
	}
	if _, err := a.Adjust.Advance(time.Date(missing[0], 3, 2, 2, 0, 0, 0, time.UTC).Sub(a.Clock.Now())); err != nil {
		t.Fatal(err)
	}
	c, res = p.newApplicant("estimated@example.com")
	o = p.draftReady(c, res, "estimated-demo.cn")
	c.must(200, "POST", path("/api/v1/orders/%d/submit", o.ID), nil, nil)
	for pg, body := range pages(c, o.ID) {
		if !strings.Contains(body, caveat) {
			t.Errorf("%s: a deadline in %d has no caveat", pg, missing[0])
		}
	}
}
