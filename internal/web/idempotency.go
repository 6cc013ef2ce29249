package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"

	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider"
)

// idempotent makes a POST safe to retry with the same Idempotency-Key header: the first response (below 500) is
// stored and replayed for retries; a retry while the first is running gets 409; the same key with another body
// gets 422. Without the header the request runs as usual.
func (s *Server) idempotent(h func(w http.ResponseWriter, r *http.Request, a provider.Actor)) func(http.ResponseWriter, *http.Request, provider.Actor) {
	return func(w http.ResponseWriter, r *http.Request, a provider.Actor) {
		key := r.Header.Get("Idempotency-Key")
		if key == "" {
			h(w, r, a)
			return
		}
		if len(key) > 128 {
			writeError(w, r, problem.Invalidf("common.invalid_json", "Idempotency-Key", "detail", "key longer than 128 characters"))
			return
		}
		body, err := readBody(r)
		if err != nil {
			writeError(w, r, err)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		sum := sha256.Sum256(append([]byte(r.Method+" "+r.URL.Path+"\n"), body...))
		fp := hex.EncodeToString(sum[:])
		st := s.svc.Store()
		prev, err := st.ReserveIdempotency(r.Context(), a.ID, key, fp, s.clock.Now())
		if err != nil {
			writeError(w, r, err)
			return
		}
		switch {
		case prev != nil && prev.Fingerprint != fp:
			writeError(w, r, problem.Invalidf("common.idempotency_mismatch", "Idempotency-Key"))
			return
		case prev != nil && prev.Status == 0:
			writeError(w, r, problem.New(problem.Conflict, "common.idempotency_in_progress", "Idempotency-Key"))
			return
		case prev != nil:
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.Header().Set("Idempotent-Replayed", "true")
			w.WriteHeader(prev.Status)
			w.Write(prev.Body)
			return
		}
		rec := &captureWriter{ResponseWriter: w, status: 200}
		h(rec, r, a)
		if rec.status >= 500 {
			st.ReleaseIdempotency(r.Context(), a.ID, key)
			return
		}
		st.CompleteIdempotency(r.Context(), a.ID, key, rec.status, rec.buf.Bytes())
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
