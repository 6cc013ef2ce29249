package regulatorhttp

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/beian/beian/internal/regulator"
	"github.com/beian/beian/internal/wiresign"
)

// domainOnly answers LookupDomain; the transport's own tests need no more of a regulator (the contract test in
// internal/miit runs the real simulator behind the handler).
type domainOnly struct{ regulator.Regulator }

func (domainOnly) LookupDomain(_ context.Context, d string) (regulator.DomainStatus, error) {
	return regulator.DomainStatus{Filed: d == "filed.cn"}, nil
}

func TestSignedRequests(t *testing.T) {
	secret := []byte("s3cret")
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	h := NewHandler(domainOnly{}, nil, map[string][]byte{"isp-a": secret}, func() time.Time { return now })
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
		{name: "signed", provider: "isp-a", secret: secret, at: now, status: 200, code: wiresign.CodeOK},
		{name: "clock a little behind", provider: "isp-a", secret: secret, at: now.Add(-wiresign.MaxSkew + time.Second), status: 200, code: wiresign.CodeOK},
		{name: "stale", provider: "isp-a", secret: secret, at: now.Add(-wiresign.MaxSkew - time.Second), status: 401, code: wiresign.CodeStale},
		{name: "from the future", provider: "isp-a", secret: secret, at: now.Add(wiresign.MaxSkew + time.Second), status: 401, code: wiresign.CodeStale},
		{name: "wrong secret", provider: "isp-a", secret: []byte("guess"), at: now, status: 401, code: wiresign.CodeUnauthenticated},
		{name: "unknown provider", provider: "isp-b", secret: secret, at: now, status: 401, code: wiresign.CodeUnauthenticated},
		{name: "body changed after signing", provider: "isp-a", secret: secret, at: now,
			send: []byte(`{"domain":"other.cn"}`), status: 401, code: wiresign.CodeUnauthenticated},
		{name: "timestamp changed after signing", provider: "isp-a", secret: secret, at: now.Add(-time.Hour),
			tamper: func(r *http.Request) { r.Header.Set(wiresign.HeaderTimestamp, strconv.FormatInt(now.Unix(), 10)) },
			status: 401, code: wiresign.CodeUnauthenticated},
		{name: "no signature", provider: "isp-a", secret: secret, at: now,
			tamper: func(r *http.Request) { r.Header.Del(wiresign.HeaderSignature) }, status: 401, code: wiresign.CodeUnauthenticated},
		{name: "unknown field", provider: "isp-a", secret: secret, at: now, send: []byte(`{"domain":"filed.cn","x":1}`),
			status: 400, code: wiresign.CodeMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			signed := body
			if tt.send != nil && tt.code != wiresign.CodeUnauthenticated {
				signed = tt.send
			}
			sent := signed
			if tt.send != nil {
				sent = tt.send
			}
			r := httptest.NewRequest("POST", PathDomain, bytes.NewReader(sent))
			wiresign.Sign(r, tt.secret, tt.provider, signed, tt.at)
			if tt.tamper != nil {
				tt.tamper(r)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			var a wiresign.Answer
			if err := json.Unmarshal(w.Body.Bytes(), &a); err != nil || w.Code != tt.status || a.Code != tt.code {
				t.Fatalf("HTTP %d %s, want %d code %d", w.Code, w.Body, tt.status, tt.code)
			}
			if tt.code == wiresign.CodeOK && string(a.Data) != `{"filed":true}` {
				t.Fatalf("data %s", a.Data)
			}
		})
	}
}

// A regulator that is down, answers garbage or hangs past the timeout: the call fails with ErrUnavailable,
// nothing half-read is returned, the client's status says so, and the next answer clears it.
func TestClientFaults(t *testing.T) {
	secret := []byte("s3cret")
	real := NewHandler(domainOnly{}, nil, map[string][]byte{"isp-a": secret}, nil)
	var mode atomic.Value // the slow handler may still run when the test moves on
	mode.Store("")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch mode.Load() {
		case "garbage":
			io.WriteString(w, `{"code":0,"data":{"results":[{"id":7,"provider_order_id":1,"attempt":1,"action":"forwarded","at":"2026-01-01T00:00:00Z"},{"id":0}]}}`)
		case "slow":
			time.Sleep(300 * time.Millisecond)
		case "proxy error":
			w.WriteHeader(502)
			io.WriteString(w, "<html>bad gateway</html>")
		default:
			real.ServeHTTP(w, r)
		}
	}))
	defer srv.Close()
	c := NewClient(srv.URL, "isp-a", secret, &http.Client{Timeout: 100 * time.Millisecond})
	for i, m := range []string{"garbage", "slow", "proxy error"} {
		mode.Store(m)
		var err error
		if m == "garbage" {
			var rs []regulator.Result
			rs, err = c.Results(context.Background(), "isp-a", 10)
			if rs != nil {
				t.Fatalf("%s: half a batch returned: %+v", m, rs)
			}
		} else {
			_, err = c.LookupDomain(context.Background(), "filed.cn")
		}
		if !errors.Is(err, regulator.ErrUnavailable) {
			t.Fatalf("%s: %v, want ErrUnavailable", m, err)
		}
		if st := c.Status(); !st.Down() || st.Failures != i+1 || st.Error == "" {
			t.Fatalf("%s: status %+v", m, st)
		}
	}
	mode.Store("")
	if st, err := c.LookupDomain(context.Background(), "filed.cn"); err != nil || !st.Filed {
		t.Fatalf("after recovery: %+v, %v", st, err)
	}
	if st := c.Status(); st.Down() || st.LastOK.IsZero() {
		t.Fatalf("status after recovery %+v", st)
	}
	srv.Close()
	if _, err := c.LookupDomain(context.Background(), "filed.cn"); !errors.Is(err, regulator.ErrUnavailable) {
		t.Fatalf("server gone: %v", err)
	}
}
