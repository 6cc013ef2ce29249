package policehttp

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/beian/beian/internal/police"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/wiresign"
	"github.com/beian/beian/internal/wiresign/wiretest"
)

// onePlatform issues one data code and knows one approved website; the transport's own tests need no more of
// a platform (the contract test in internal/mps runs the real simulator behind the handler).
type onePlatform struct{ pushedBy atomic.Value }

var expires = time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)

func (p *onePlatform) PushICPData(_ context.Context, push police.Push) (police.DataCode, error) {
	if !push.Consent.Given {
		return police.DataCode{}, problem.Invalidf("police.consent_missing", "consent")
	}
	p.pushedBy.Store(push.ProviderID)
	return police.DataCode{Code: "ABCDEFGHJKLM", ExpiresAt: expires}, nil
}

func (p *onePlatform) FilingStatus(_ context.Context, q police.StatusQuery) (police.FilingStatus, error) {
	if q.Domain == "filed.cn" {
		return police.FilingStatus{State: police.StateApproved, Domain: q.Domain, PoliceNumber: "京公网安备11010502000001号"}, nil
	}
	return police.FilingStatus{State: police.StateNone, Domain: q.Domain}, nil
}

// Calls go through signed; the provider pushes as the provider it authenticated as, whatever the body says;
// refusals come back as the problem the platform returned.
func TestRoundTrip(t *testing.T) {
	secret := []byte("s3cret-s3cret-s3")
	p := &onePlatform{}
	srv := httptest.NewServer(NewHandler(p, map[string][]byte{"isp-a": secret}, nil))
	defer srv.Close()
	c := NewClient(srv.URL, "isp-a", secret, nil)
	dc, err := c.PushICPData(context.Background(), police.Push{ProviderID: "isp-b", Consent: police.Consent{Given: true}})
	if err != nil || dc.Code != "ABCDEFGHJKLM" || !dc.ExpiresAt.Equal(expires) || p.pushedBy.Load() != "isp-a" {
		t.Fatalf("push %+v %v by %v", dc, err, p.pushedBy.Load())
	}
	if _, err := c.PushICPData(context.Background(), police.Push{}); !problem.Is(err, "police.consent_missing") ||
		problem.KindOf(err) != problem.Invalid {
		t.Fatalf("refusal %v", err)
	}
	st, err := c.FilingStatus(context.Background(), police.StatusQuery{Domain: "filed.cn"})
	if err != nil || st.State != police.StateApproved || st.PoliceNumber != "京公网安备11010502000001号" {
		t.Fatalf("status %+v %v", st, err)
	}
	wrong := NewClient(srv.URL, "isp-a", []byte("guess"), nil)
	if _, err := wrong.FilingStatus(context.Background(), police.StatusQuery{Domain: "filed.cn"}); !errors.Is(err, police.ErrUnavailable) {
		t.Fatalf("wrong secret: %v", err)
	}
}

// A platform that is down, answers garbage or hangs past the timeout: the call fails with police.ErrUnavailable,
// nothing half-read is returned, the client's status says so, and the next answer clears it.
func TestClientFaults(t *testing.T) {
	secret := []byte("s3cret-s3cret-s3")
	real := NewHandler(&onePlatform{}, map[string][]byte{"isp-a": secret}, nil)
	srv := wiretest.NewFaulty(t, real)
	const noExpiry, unknownState = `{"code":0,"data":{"code":"ABCDEFGHJKLM"}}`, `{"code":0,"data":{"state":"filed-ish"}}`
	// The slow server answers only once the client gave up; the answering ones are given time enough on a busy
	// machine (at 100 ms, a call after recovery timed out in some runs under the race detector and load).
	c := NewClient(srv.URL, "isp-a", secret, &http.Client{Timeout: 2 * time.Second})
	ctx := context.Background()
	for i, m := range []string{noExpiry, unknownState, wiretest.Slow, wiretest.ProxyError} {
		srv.Set(m)
		dc, err := c.PushICPData(ctx, police.Push{Consent: police.Consent{Given: true}})
		if !errors.Is(err, police.ErrUnavailable) || dc != (police.DataCode{}) {
			t.Fatalf("%s: push %+v %v, want ErrUnavailable and nothing", m, dc, err)
		}
		if m == unknownState {
			st, err := c.FilingStatus(ctx, police.StatusQuery{Domain: "filed.cn"})
			if !errors.Is(err, police.ErrUnavailable) || st.State != "" {
				t.Fatalf("%s: status %+v %v", m, st, err)
			}
		}
		if st := c.Status(); !st.Down() || st.Failures < i+1 || st.Error == "" {
			t.Fatalf("%s: link status %+v", m, st)
		}
	}
	srv.Set("")
	if dc, err := c.PushICPData(ctx, police.Push{Consent: police.Consent{Given: true}}); err != nil || dc.Code == "" {
		t.Fatalf("after recovery: %+v %v", dc, err)
	}
	if st := c.Status(); st.Down() || st.LastOK.IsZero() {
		t.Fatalf("link status after recovery %+v", st)
	}
	srv.Close()
	if _, err := c.FilingStatus(ctx, police.StatusQuery{Domain: "filed.cn"}); !errors.Is(err, police.ErrUnavailable) {
		t.Fatalf("server gone: %v", err)
	}
}

// FuzzStatusAnswer: whatever the platform answers, the client does not panic and accepts a status only from a
// code-0 answer of a known state (an approved one with its number); refusals are problems that may travel.
func FuzzStatusAnswer(f *testing.F) {
	for _, s := range []string{`{"code":0,"data":{"state":"approved","police_number":"京公网安备11010502000001号"}}`,
		`{"code":0,"data":{"state":"approved"}}`, `{"code":0,"data":{"state":"none","domain":"a.cn"}}`,
		`{"code":0,"data":{"state":"x"}}`, `{"code":6,"problem":{"kind":"invalid","code":"c","field":"domain"}}`,
		`{"code":5,"problem":{"kind":"not_found","code":"police.data_code_unknown"}}`, `{"code":9}`, `null`, `[]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var st statusAnswer
		err := wiresign.ParseAnswer(body, &st, police.ErrUnavailable)
		var a wiresign.Answer
		switch {
		case err == nil:
			if json.Unmarshal(body, &a) != nil || a.Code != wiresign.CodeOK || st.Check() != nil {
				t.Fatalf("accepted %q as %+v", body, st)
			}
		case errors.Is(err, police.ErrUnavailable):
		case problem.KindOf(err) != problem.Internal:
			if json.Unmarshal(body, &a) != nil || (a.Code != wiresign.CodeRefused && a.Code != wiresign.CodeNotFound) {
				t.Fatalf("a refusal from %q", body)
			}
		}
	})
}
