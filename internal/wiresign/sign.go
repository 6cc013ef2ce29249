// Package wiresign is what the project's two provider interfaces over HTTP share: the regulator's
// (internal/regulator/regulatorhttp) and the police platform's (internal/police/policehttp). Every request is
// one POST authenticated by a secret shared by the provider and the platform (HMAC-SHA256 of provider,
// timestamp, path and body; refused when its timestamp is more than MaxSkew away), by a client certificate of
// mutual TLS (tls.go), or by both; every answer is one JSON envelope with a code (Answer). Client is the calling side, Server the serving side; each transport adds its paths and
// bodies. docs/operations.md describes both transports.
package wiresign

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"time"
)

// Headers of a signed request.
const (
	HeaderProvider  = "X-ISP-Id"
	HeaderTimestamp = "X-ISP-Timestamp" // Unix seconds
	HeaderSignature = "X-ISP-Signature" // hex HMAC-SHA256
)

// MaxSkew is how far a request's timestamp may be from the serving side's clock. A captured request can be
// replayed only within it, and every operation of both interfaces is idempotent.
const MaxSkew = 5 * time.Minute

// signature is HMAC-SHA256 under the shared secret of the provider, the timestamp, the path and the body, each
// on its own line.
func signature(secret []byte, provider, timestamp, path string, body []byte) []byte {
	m := hmac.New(sha256.New, secret)
	for _, part := range []string{provider, timestamp, path} {
		m.Write([]byte(part))
		m.Write([]byte{'\n'})
	}
	m.Write(body)
	return m.Sum(nil)
}

// Sign puts the provider, the timestamp and the signature on req, whose body is body.
func Sign(req *http.Request, secret []byte, provider string, body []byte, now time.Time) {
	ts := strconv.FormatInt(now.Unix(), 10)
	req.Header.Set(HeaderProvider, provider)
	req.Header.Set(HeaderTimestamp, ts)
	req.Header.Set(HeaderSignature, hex.EncodeToString(signature(secret, provider, ts, req.URL.Path, body)))
}

var (
	// ErrUnauthenticated: unknown provider or wrong signature.
	ErrUnauthenticated = errors.New("unknown provider or wrong signature")
	// ErrStale: the timestamp is outside the window.
	ErrStale = errors.New("timestamp outside the window")
)

// Verify checks a request's signature (in constant time) and timestamp and returns the provider it
// authenticates; secrets maps provider ids to their shared secrets.
func Verify(r *http.Request, secrets map[string][]byte, body []byte, now time.Time) (string, error) {
	provider := r.Header.Get(HeaderProvider)
	secret, ok := secrets[provider]
	got, err := hex.DecodeString(r.Header.Get(HeaderSignature))
	if !ok || len(secret) == 0 || err != nil { // an empty secret would let anybody sign
		return "", ErrUnauthenticated
	}
	ts := r.Header.Get(HeaderTimestamp)
	if !hmac.Equal(got, signature(secret, provider, ts, r.URL.Path, body)) {
		return "", ErrUnauthenticated
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return "", ErrStale
	}
	if d := now.Sub(time.Unix(sec, 0)); d > MaxSkew || d < -MaxSkew {
		return "", ErrStale
	}
	return provider, nil
}
