package ops

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sync/atomic"
	"time"
)

// Check is one condition of readiness: nil when it holds.
type Check struct {
	Name string
	Fn   func(ctx context.Context) error
}

// Readiness answers /readyz: 200 when every check holds and the process is not shutting down, else 503 with
// what failed. A load balancer stops sending requests to a node that is not ready; a node shutting down turns
// not ready first, so that it is taken out before it stops listening.
type Readiness struct {
	checks   []Check
	draining atomic.Bool
}

// NewReadiness returns readiness over checks.
func NewReadiness(checks ...Check) *Readiness { return &Readiness{checks: checks} }

// Add adds a check; call it before serving.
func (r *Readiness) Add(c Check) { r.checks = append(r.checks, c) }

// Drain makes every later answer 503 ("shutting down").
func (r *Readiness) Drain() { r.draining.Store(true) }

// Check runs the checks and returns the failures by name (nil when ready).
func (r *Readiness) Check(ctx context.Context) map[string]string {
	failed := map[string]string{}
	if r.draining.Load() {
		failed["shutdown"] = "shutting down"
	}
	for _, c := range r.checks {
		if err := c.Fn(ctx); err != nil {
			failed[c.Name] = err.Error()
		}
	}
	if len(failed) == 0 {
		return nil
	}
	return failed
}

func (r *Readiness) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	ctx, cancel := context.WithTimeout(req.Context(), 5*time.Second)
	defer cancel()
	failed := r.Check(ctx)
	body := map[string]any{"status": "ready"}
	status := http.StatusOK
	if failed != nil {
		body = map[string]any{"status": "not_ready", "failed": failed}
		status = http.StatusServiceUnavailable
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(body)
}

// Pinger is a database that answers pings.
type Pinger interface {
	PingContext(ctx context.Context) error
}

// Reachable checks that a database answers.
func Reachable(name string, db Pinger) Check {
	return Check{Name: name, Fn: db.PingContext}
}

// Migrated checks that a schema is at least as new as this program's migrations. A newer schema, migrated by a
// node already upgraded, is accepted, so that a rolling upgrade does not take the old nodes out all at once.
func Migrated(name string, versions func(ctx context.Context) (current, target int64, err error)) Check {
	return Check{Name: name, Fn: func(ctx context.Context) error {
		cur, target, err := versions(ctx)
		if err != nil {
			return err
		}
		if cur < target {
			return fmt.Errorf("schema version %d, this program needs %d: run beian migrate", cur, target)
		}
		return nil
	}}
}
