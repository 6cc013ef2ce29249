package wiresign

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"
)

// Signed requests: the signature covers provider, timestamp, path and body; the timestamp is within MaxSkew
// either way; the operation sees only an authenticated request, decoded strictly.
func TestSignedRequests(t *testing.T) {
	secret := []byte("s3cret")
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	h := NewServer("test interface", map[string][]byte{"isp-a": secret}, 1<<20, func() time.Time { return now })
	h.Handle("/filed", Call(h, func(_ context.Context, provider string, in struct{ Domain string }) (any, error) {
		return map[string]bool{"filed": in.Domain == "filed.cn" && provider == "isp-a"}, nil
	}))
	body := []byte(`{"domain":"filed.cn"}`)
	tests := []struct {
		name     string
		provider string
		secret   []byte
		at       time.Time
		tamper   func(r *http.Request)
		send     []byte
		status   int
		code     int
	}{
		{name: "signed", provider: "isp-a", secret: secret, at: now, status: 200, code: CodeOK},
		{name: "clock a little behind", provider: "isp-a", secret: secret, at: now.Add(-MaxSkew + time.Second), status: 200, code: CodeOK},
		{name: "stale", provider: "isp-a", secret: secret, at: now.Add(-MaxSkew - time.Second), status: 401, code: CodeStale},
		{name: "from the future", provider: "isp-a", secret: secret, at: now.Add(MaxSkew + time.Second), status: 401, code: CodeStale},
		{name: "wrong secret", provider: "isp-a", secret: []byte("guess"), at: now, status: 401, code: CodeUnauthenticated},
		{name: "unknown provider", provider: "isp-b", secret: secret, at: now, status: 401, code: CodeUnauthenticated},
		{name: "body changed after signing", provider: "isp-a", secret: secret, at: now,
			send: []byte(`{"domain":"other.cn"}`), status: 401, code: CodeUnauthenticated},
		{name: "timestamp changed after signing", provider: "isp-a", secret: secret, at: now.Add(-time.Hour),
			tamper: func(r *http.Request) { r.Header.Set(HeaderTimestamp, strconv.FormatInt(now.Unix(), 10)) },
			status: 401, code: CodeUnauthenticated},
		{name: "no signature", provider: "isp-a", secret: secret, at: now,
			tamper: func(r *http.Request) { r.Header.Del(HeaderSignature) }, status: 401, code: CodeUnauthenticated},
		{name: "unknown field", provider: "isp-a", secret: secret, at: now, send: []byte(`{"domain":"filed.cn","x":1}`),
			status: 400, code: CodeMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			signed := body
			if tt.send != nil && tt.code != CodeUnauthenticated {
				signed = tt.send
			}
			sent := signed
			if tt.send != nil {
				sent = tt.send
			}
			r := httptest.NewRequest("POST", "/filed", bytes.NewReader(sent))
			Sign(r, tt.secret, tt.provider, signed, tt.at)
			if tt.tamper != nil {
				tt.tamper(r)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			var a Answer
			if err := json.Unmarshal(w.Body.Bytes(), &a); err != nil || w.Code != tt.status || a.Code != tt.code {
				t.Fatalf("HTTP %d %s, want %d code %d", w.Code, w.Body, tt.status, tt.code)
			}
			if tt.code == CodeOK && string(a.Data) != `{"filed":true}` {
				t.Fatalf("data %s", a.Data)
			}
		})
	}
}
