package regulatorhttp

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

// MaxSkew is how far a request's timestamp may be from the regulator's clock. A captured request can be
// replayed only within it, and every operation is idempotent (uploads by sequence, acknowledgements by id).
const MaxSkew = 5 * time.Minute

// sign is the signature of a request: HMAC-SHA256 under the shared secret of the provider, the timestamp, the
// path and the body, each on its own line.
func sign(secret []byte, provider, timestamp, path string, body []byte) string {
	m := hmac.New(sha256.New, secret)
	for _, part := range []string{provider, timestamp, path} {
		m.Write([]byte(part))
		m.Write([]byte{'\n'})
	}
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// Sign puts the provider, the timestamp and the signature on req, whose body is body.
func Sign(req *http.Request, secret []byte, provider string, body []byte, now time.Time) {
	ts := strconv.FormatInt(now.Unix(), 10)
	req.Header.Set(HeaderProvider, provider)
	req.Header.Set(HeaderTimestamp, ts)
	req.Header.Set(HeaderSignature, sign(secret, provider, ts, req.URL.Path, body))
}

var (
	errUnauthenticated = errors.New("unknown provider or wrong signature")
	errStale           = errors.New("timestamp outside the window")
)

// verify checks a request's signature and timestamp and returns the provider it authenticates.
func verify(r *http.Request, secrets map[string][]byte, body []byte, now time.Time) (string, error) {
	provider := r.Header.Get(HeaderProvider)
	secret, ok := secrets[provider]
	got, err := hex.DecodeString(r.Header.Get(HeaderSignature))
	if !ok || err != nil {
		return "", errUnauthenticated
	}
	ts := r.Header.Get(HeaderTimestamp)
	want, _ := hex.DecodeString(sign(secret, provider, ts, r.URL.Path, body))
	if !hmac.Equal(got, want) { // constant time
		return "", errUnauthenticated
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return "", errStale
	}
	if d := now.Sub(time.Unix(sec, 0)); d > MaxSkew || d < -MaxSkew {
		return "", errStale
	}
	return provider, nil
}
