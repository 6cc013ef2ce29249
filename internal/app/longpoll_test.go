package app_test

import (
	"reflect"
	"testing"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/provider"
)

// A long poll on an order answers with the new version once the reviewer decides, the order as a read returns
// it; a poll whose version is already stale answers at once.
func TestOrderLongPoll(t *testing.T) {
	a := startApp(t, "")
	p := newParties(t, a)
	c, res := p.newApplicant("poll@example.com")
	o := p.draftReady(c, res, "poll-demo.cn")
	var submitted filing.Order
	c.must(200, "POST", path("/api/v1/orders/%d/submit", o.ID), nil, &submitted)
	var cur filing.Order
	c.must(200, "GET", path("/api/v1/orders/%d", o.ID), nil, &cur)

	got := make(chan filing.Order, 1)
	go func() {
		var w filing.Order
		c.must(200, "GET", path("/api/v1/orders/%d?version=%d&wait=50s", o.ID, cur.Version), nil, &w)
		got <- w
	}()
	p.reviewer.must(200, "POST", path("/api/v1/console/orders/%d/decisions", o.ID), provider.Decision{Decision: "reject", Reason: "网站名称不符合规范"}, nil)
	w := <-got
	if w.State != filing.ProviderRejected || w.Version <= cur.Version {
		t.Fatalf("long poll returned %s v%d, want provider_rejected after v%d", w.State, w.Version, cur.Version)
	}
	var fresh filing.Order // the poll answered from what the decision's transaction wrote: as a read returns it
	c.must(200, "GET", path("/api/v1/orders/%d", o.ID), nil, &fresh)
	if !reflect.DeepEqual(w, fresh) {
		t.Fatalf("long poll answered\n%+v\nthe order reads\n%+v", w, fresh)
	}
	var again filing.Order
	c.must(200, "GET", path("/api/v1/orders/%d?version=%d&wait=50s", o.ID, cur.Version), nil, &again)
	if again.Version != w.Version {
		t.Fatalf("stale version did not answer at once with the current order: v%d", again.Version)
	}
	if codes := c.errorCodes(422, "GET", path("/api/v1/orders/%d?wait=2h", o.ID), nil); !hasCode(codes, "order.bad_wait") {
		t.Fatalf("bad wait: %v", codes)
	}
}
