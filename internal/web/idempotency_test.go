package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/beian/beian/internal/access"
)

// memIdem keeps reservations in a map, as the provider's table does.
type memIdem map[string]*Replay

func (m memIdem) Reserve(_ context.Context, _ int64, key, fp string) (*Replay, error) {
	if r, ok := m[key]; ok {
		return r, nil
	}
	m[key] = &Replay{Fingerprint: fp}
	return nil, nil
}

func (m memIdem) Complete(_ context.Context, _ int64, key string, status int, body []byte) error {
	m[key].Status, m[key].Body = status, body
	return nil
}

func (m memIdem) Release(_ context.Context, _ int64, key string) error {
	delete(m, key)
	return nil
}

// A request that fails (500) or panics frees its key, so that a retry runs again; one that succeeds is replayed.
func TestIdempotentOutcomes(t *testing.T) {
	for _, c := range []struct {
		name      string
		first     func(w http.ResponseWriter)
		wantRerun bool
	}{
		{"created", func(w http.ResponseWriter) { w.WriteHeader(201); w.Write([]byte(`{"id":1}`)) }, false},
		{"body without a header", func(w http.ResponseWriter) { w.Write([]byte(`{"id":1}`)) }, false},
		{"server error", func(w http.ResponseWriter) { w.WriteHeader(500) }, true},
		{"panic", func(w http.ResponseWriter) { panic("handler bug") }, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := NewSite(nil, memIdem{})
			runs := 0
			h := s.Idempotent(func(w http.ResponseWriter, r *http.Request, a access.Actor) {
				runs++
				if runs == 1 {
					c.first(w)
					return
				}
				w.WriteHeader(202)
			})
			call := func() *httptest.ResponseRecorder {
				w := httptest.NewRecorder()
				r := httptest.NewRequest("POST", "/api/v1/orders", strings.NewReader(`{}`))
				r.Header.Set("Idempotency-Key", "k-1")
				defer func() { recover() }()
				h(w, r, access.Actor{ID: 7})
				return w
			}
			call()
			second := call()
			if rerun := runs == 2; rerun != c.wantRerun {
				t.Fatalf("handler ran %d times, want a rerun: %v", runs, c.wantRerun)
			}
			if !c.wantRerun && (second.Code != 201 && second.Code != 200 || second.Header().Get("Idempotent-Replayed") != "true") {
				t.Fatalf("retry answered %d (replayed %q), want the first answer replayed", second.Code, second.Header().Get("Idempotent-Replayed"))
			}
		})
	}
}
