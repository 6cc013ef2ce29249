package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"

	"github.com/beian/beian/internal/access"
	"github.com/beian/beian/internal/problem"
)

// Idempotency keeps the responses of POSTs sent with an Idempotency-Key, per account.
type Idempotency interface {
	// Reserve claims key for a request with fingerprint; it returns the earlier request's record when the key is
	// already taken (Status 0 while that request runs).
	Reserve(ctx context.Context, accountID int64, key, fingerprint string) (*Replay, error)
	Complete(ctx context.Context, accountID int64, key string, status int, body []byte) error
	Release(ctx context.Context, accountID int64, key string) error
}

// Replay is what an earlier request with the same key left: its fingerprint, status and body.
type Replay struct {
	Fingerprint string
	Status      int
	Body        []byte
}

// Idempotent makes a POST safe to retry with the same Idempotency-Key header: the first response (below 500) is
// stored and replayed for retries; a retry while the first is running gets 409; the same key with another body
// gets 422. Without the header the request runs as usual.
func (s *Site) Idempotent(h ActorHandler) ActorHandler {
	return func(w http.ResponseWriter, r *http.Request, a access.Actor) {
		key := r.Header.Get("Idempotency-Key")
		if key == "" {
			h(w, r, a)
			return
		}
		if len(key) > 128 {
			WriteError(w, r, problem.Invalidf("common.invalid_json", "Idempotency-Key", "detail", "key longer than 128 characters"))
			return
		}
		body, err := ReadBody(r)
		if err != nil {
			WriteError(w, r, err)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		sum := sha256.Sum256(append([]byte(r.Method+" "+r.URL.Path+"\n"), body...))
		fp := hex.EncodeToString(sum[:])
		prev, err := s.idem.Reserve(r.Context(), a.ID, key, fp)
		if err != nil {
			WriteError(w, r, err)
			return
		}
		switch {
		case prev != nil && prev.Fingerprint != fp:
			WriteError(w, r, problem.Invalidf("common.idempotency_mismatch", "Idempotency-Key"))
			return
		case prev != nil && prev.Status == 0:
			WriteError(w, r, problem.New(problem.Conflict, "common.idempotency_in_progress", "Idempotency-Key"))
			return
		case prev != nil:
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.Header().Set("Idempotent-Replayed", "true")
			w.WriteHeader(prev.Status)
			w.Write(prev.Body)
			return
		}
		rec := &captureWriter{ResponseWriter: w, status: 200}
		// The outcome is kept even when the client has gone, and a handler that panics releases the key.
		ctx, finished := context.WithoutCancel(r.Context()), false
		defer func() {
			if !finished || rec.status >= 500 {
				s.idem.Release(ctx, a.ID, key)
				return
			}
			s.idem.Complete(ctx, a.ID, key, rec.status, rec.buf.Bytes())
		}()
		h(rec, r, a)
		finished = true
	}
}

type captureWriter struct {
	http.ResponseWriter
	status int
	buf    bytes.Buffer
}

func (c *captureWriter) WriteHeader(code int) {
	c.status = code
	c.ResponseWriter.WriteHeader(code)
}

func (c *captureWriter) Write(b []byte) (int, error) {
	c.buf.Write(b)
	return c.ResponseWriter.Write(b)
}
