package app_test

import (
	"net/http"
	"os"
	"testing"
	"time"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/storetest"
)

// No transaction may take a second pool connection while it holds one: on PostgreSQL the read and write pools
// are the same, and under load (every connection held by a transaction waiting for a lock) that deadlocked.
// With the pool squeezed to one connection, any such nesting hangs at once, and the filing below never ends.
func TestOneConnectionIsEnoughForAWholeFiling(t *testing.T) {
	if os.Getenv("TEST_DATABASE_URL") == "" {
		t.Skip("PostgreSQL only: SQLite's writer pool has one connection already")
	}
	a := startApp(t, storetest.PostgresURL(t))
	p := newParties(t, a)
	c, res := p.newApplicant("pool@example.com")
	a.DB.W.SetMaxOpenConns(1)
	// A hang must fail the test, not stall the suite: requests give up after 20 s.
	prev := http.DefaultClient.Timeout
	http.DefaultClient.Timeout = 20 * time.Second
	t.Cleanup(func() { http.DefaultClient.Timeout = prev })
	o := p.draftReady(c, res, "pool-demo.cn")
	p.forward(c, o.ID)
	p.verify(mobile)
	p.waitState(c, o.ID, filing.AdministrationReview)
	p.officerDecide(o.ID, true)
	p.waitState(c, o.ID, filing.Approved)
}
