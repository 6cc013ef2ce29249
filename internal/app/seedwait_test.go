package app_test

import (
	"bytes"
	"context"
	"log/slog"
	"net"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/apptest"
	"github.com/beian/beian/internal/storetest"
)

// syncBuffer is a log sink the servers' goroutines write to while the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// A first start with BEIAN_MIIT_URL naming a simulator that does not run yet: the node starts with the demo
// data that needs only its own database, says in the log that the demo applicant's filed subject waits for the
// simulator and how to fix that; a second start while it is still down creates nothing twice; once the
// simulator listens at that address, the waiting node gives the subject by itself, and a later start adds nothing.
func TestDemoSeedWaitsForSimulator(t *testing.T) {
	var logs syncBuffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, nil)))
	t.Cleanup(func() { slog.SetDefault(prev) })

	for name, url := range storetest.URLs(t) {
		t.Run(name, func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			simAddr := ln.Addr().String()
			ln.Close() // nobody listens there until the simulator starts below
			dir := t.TempDir()
			start := func() *app.App {
				return apptest.Start(t, url, func(c *app.Config) {
					c.DataDir = dir
					c.Regulator = app.RegulatorConfig{URL: "http://" + simAddr, Secret: wireSecret}
					c.Evidence.Require = false
				})
			}
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			type counts struct{ accounts, resources, codes, filed int }
			count := func(a *app.App) (c counts) {
				t.Helper()
				for q, dst := range map[string]*int{
					`SELECT COUNT(*) FROM accounts`:            &c.accounts,
					`SELECT COUNT(*) FROM resources`:           &c.resources,
					`SELECT COUNT(*) FROM authorization_codes`: &c.codes,
					`SELECT COUNT(*) FROM filed_subjects f JOIN accounts a ON a.id = f.applicant_id
						WHERE f.number = '粤ICP备2025000001号' AND a.role = 'applicant'`: &c.filed,
				} {
					if err := a.DB.R.QueryRowContext(ctx, q).Scan(dst); err != nil {
						t.Fatal(err)
					}
				}
				return c
			}
			local := counts{accounts: 4, resources: 3, codes: 1}
			done := counts{accounts: 4, resources: 3, codes: 1, filed: 1}

			a := start()
			if a.Seeded == nil || !a.Seeded.FiledPending {
				t.Fatalf("first start: seeded %+v, want the demo data with the filed subject pending", a.Seeded)
			}
			if got := count(a); got != local {
				t.Fatalf("first start with the simulator down: %+v, want %+v", got, local)
			}
			for _, want := range []string{"demo seed incomplete: the MIIT simulator at BEIAN_MIIT_URL did not answer",
				"start `beian miit serve` there", "miit_url=http://" + simAddr, "connection refused"} {
				if !strings.Contains(logs.String(), want) {
					t.Fatalf("the log does not say %q:\n%s", want, logs.String())
				}
			}
			a.Close()

			a = start() // the simulator is still down: nothing created twice, still waiting
			if a.Seeded != nil {
				t.Fatalf("second start seeded again: %+v", a.Seeded)
			}
			if got := count(a); got != local {
				t.Fatalf("second start with the simulator down: %+v, want %+v", got, local)
			}

			ln, err = net.Listen("tcp", simAddr)
			if err != nil {
				t.Skipf("the simulator's address was taken meanwhile: %v", err)
			}
			sim := httptest.NewUnstartedServer(startMIIT(t).Handler())
			sim.Listener.Close()
			sim.Listener = ln
			sim.Start()
			defer sim.Close()
			for got := count(a); got != done; got = count(a) {
				if ctx.Err() != nil {
					t.Fatalf("the simulator answers, but the node did not finish the seed: %+v\n%s", got, logs.String())
				}
				time.Sleep(100 * time.Millisecond)
			}
			if !strings.Contains(logs.String(), "demo seed finished") {
				t.Fatalf("the log does not say the seed finished:\n%s", logs.String())
			}
			a.Close()

			a = start()
			if got := count(a); a.Seeded != nil || got != done {
				t.Fatalf("a start after the seed finished: seeded %+v, %+v, want %+v", a.Seeded, got, done)
			}
		})
	}
}
