package app_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/face/facetest"
	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/secret"
	"github.com/beian/beian/internal/storetest"
)

// twoNodes starts two servers on one fresh PostgreSQL schema with the same keys; the first loads the demo data.
func twoNodes(t *testing.T) (*app.App, *app.App) {
	t.Helper()
	url := storetest.PostgresURL(t) + "&pool_max_conns=8"
	keys, index := secret.Generate()
	shared := func(c *app.Config) { c.SecretKeys, c.IndexKey = keys, index }
	a := startApp(t, url, shared)
	b := startApp(t, url, shared, func(c *app.Config) { c.Seed = false })
	return a, b
}

// A session opened on one node works on the other, and a logout on one node holds on the other at once (its
// cache of recent sessions is told).
func TestSessionsAcrossNodes(t *testing.T) {
	a, b := twoNodes(t)
	onA := login(t, a.URL(), "reviewer@beian.local", app.DemoPassword)
	onB := &client{t: t, base: b.URL(), token: onA.token}
	onB.must(200, "GET", "/api/v1/me", nil, nil) // node B now has the session in its cache
	onA.must(204, "DELETE", "/api/v1/session", nil, nil)
	eventually(t, "node B refusing the ended session", func() bool {
		status, _ := onB.do("GET", "/api/v1/me", nil)
		return status == 401
	})
}

// A long poll on one node wakes when the order changes through the other, long before the poll re-reads the
// order by itself (every 10 s with peers).
func TestLongPollWakesAcrossNodes(t *testing.T) {
	a, b := twoNodes(t)
	p := newParties(t, a)
	applicant, resourceID := p.newApplicant("nodes@example.com")
	o := p.open(applicant, check("nodes-demo.cn"), resourceID, filing.NewFiling)
	applicant.must(200, "GET", path("/api/v1/orders/%d", o.ID), nil, o)

	type answer struct {
		version int
		after   time.Duration
		err     error
	}
	got := make(chan answer, 1)
	start := time.Now()
	go func() {
		req, _ := http.NewRequest("GET", b.URL()+path("/api/v1/orders/%d?version=%d&wait=25s", o.ID, o.Version), nil)
		req.Header.Set("Authorization", "Bearer "+applicant.token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			got <- answer{err: err}
			return
		}
		defer resp.Body.Close()
		var x filing.Order
		err = json.NewDecoder(resp.Body).Decode(&x)
		got <- answer{x.Version, time.Since(start), err}
	}()
	time.Sleep(300 * time.Millisecond) // the poll is waiting on node B
	applicant.must(200, "PUT", path("/api/v1/orders/%d", o.ID), content(o), nil)
	r := <-got
	if r.err != nil || r.version == o.Version {
		t.Fatalf("long poll on node B: version %d (was %d), %v", r.version, o.Version, r.err)
	}
	if r.after > 8*time.Second {
		t.Fatalf("node B's long poll woke after %s: by its own re-read, not by node A's announcement", r.after)
	}
}

// A liveness challenge spent on one node is spent on the other (the liveness_spent table): the same
// challenge sent again through node B is refused, and so is a frame node A has already seen.
func TestLivenessSpentAcrossNodes(t *testing.T) {
	a, b := twoNodes(t)
	p := newParties(t, a)
	c, res := p.newApplicant("live-nodes@example.com")
	o := p.draftReady(c, res, "live-nodes.cn")
	onA, _ := p.openLink(c, o.ID, "subject_principal")
	onB := &phone{c: &client{t: t, base: b.URL()}, session: onA.session}

	s := onA.startLiveness()
	still := facetest.Film(t, 31, facetest.Repeat(facetest.Standard(t).M, 8)...)
	if st, body := onA.sendFrames(s, still); st != 422 || !hasCode(errorCodesOf(t, body), "liveness.still") {
		t.Fatalf("still photo on node A: %d %s", st, body)
	}
	if st, body := onB.sendFrames(s, perform(t, 32, s.Actions)); st != 422 || !hasCode(errorCodesOf(t, body), "liveness.challenge_used") {
		t.Fatalf("the challenge spent on node A, sent to node B: %d %s", st, body)
	}
	fresh := onB.startLiveness()
	if st, body := onB.sendFrames(fresh, still); st != 422 || !hasCode(errorCodesOf(t, body), "liveness.replayed") {
		t.Fatalf("frames node A has seen, sent to node B: %d %s", st, body)
	}
}
