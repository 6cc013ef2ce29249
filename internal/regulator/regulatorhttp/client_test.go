package regulatorhttp

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/beian/beian/internal/regulator"
	"github.com/beian/beian/internal/wiresign/wiretest"
)

// domainOnly answers LookupDomain; the transport's own tests need no more of a regulator (the contract test in
// internal/miit runs the real simulator behind the handler).
type domainOnly struct{ regulator.Regulator }

func (domainOnly) LookupDomain(_ context.Context, d string) (regulator.DomainStatus, error) {
	return regulator.DomainStatus{Filed: d == "filed.cn"}, nil
}

// A regulator that is down, answers garbage or hangs past the timeout: the call fails with ErrUnavailable,
// nothing half-read is returned, the client's status says so, and the next answer clears it.
func TestClientFaults(t *testing.T) {
	secret := []byte("s3cret")
	real := NewHandler(domainOnly{}, nil, map[string][]byte{"isp-a": secret}, nil)
	srv := wiretest.NewFaulty(t, real)
	const garbage = `{"code":0,"data":{"results":[{"id":7,"provider_order_id":1,"attempt":1,"action":"forwarded","at":"2026-01-01T00:00:00Z"},{"id":0}]}}`
	// The slow server answers only once the client gave up; the answering ones are given time enough on a busy
	// machine (at 100 ms, a call after recovery timed out in some runs under the race detector and load).
	c := NewClient(srv.URL, "isp-a", secret, &http.Client{Timeout: 2 * time.Second})
	for i, m := range []string{garbage, wiretest.Slow, wiretest.ProxyError} {
		srv.Set(m)
		var err error
		if m == garbage {
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
	srv.Set("")
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
