package ops

import (
	"context"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"testing"
)

func TestReadiness(t *testing.T) {
	ok := Check{Name: "database", Fn: func(context.Context) error { return nil }}
	down := Check{Name: "database", Fn: func(context.Context) error { return errors.New("connection refused") }}
	versions := func(cur, target int64) func(context.Context) (int64, int64, error) {
		return func(context.Context) (int64, int64, error) { return cur, target, nil }
	}
	tests := []struct {
		name   string
		checks []Check
		drain  bool
		status int
		failed []string
	}{
		{"all hold", []Check{ok, Migrated("migrations", versions(4, 4))}, false, 200, nil},
		{"schema newer than the program (rolling upgrade)", []Check{Migrated("migrations", versions(5, 4))}, false, 200, nil},
		{"database down", []Check{down}, false, 503, []string{"database"}},
		{"migrations behind", []Check{ok, Migrated("migrations", versions(3, 4))}, false, 503, []string{"migrations"}},
		{"shutting down", []Check{ok}, true, 503, []string{"shutdown"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewReadiness(tt.checks...)
			if tt.drain {
				r.Drain()
			}
			rec := httptest.NewRecorder()
			r.ServeHTTP(rec, httptest.NewRequest("GET", "/readyz", nil))
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			var body struct {
				Status string            `json:"status"`
				Failed map[string]string `json:"failed"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
				t.Fatal(err)
			}
			if len(body.Failed) != len(tt.failed) {
				t.Fatalf("failed %v, want %v", body.Failed, tt.failed)
			}
			for _, name := range tt.failed {
				if body.Failed[name] == "" {
					t.Errorf("no reason for %s: %v", name, body.Failed)
				}
			}
		})
	}
}
