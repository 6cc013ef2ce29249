package notify

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/beian/beian/internal/problem"
)

type smsProvider struct {
	status int
	mu     sync.Mutex
	reqs   []*http.Request
	bodies []smsRequest
}

func (p *smsProvider) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	raw, _ := io.ReadAll(r.Body)
	var body smsRequest
	dec := json.NewDecoder(bytesReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&body); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	p.mu.Lock()
	p.reqs = append(p.reqs, r)
	p.bodies = append(p.bodies, body)
	p.mu.Unlock()
	w.WriteHeader(p.status)
	io.WriteString(w, `{"echo":"13800138000"}`)
}

func startProvider(t *testing.T, status int) (*smsProvider, *HTTPSMSGateway) {
	t.Helper()
	p := &smsProvider{status: status}
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	g, err := NewHTTPSMSGateway(HTTPSMSConfig{URL: srv.URL + "/v1/sms", Token: "tok-123", DefaultSender: "beian", Client: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	return p, g
}

func verificationSMS() Message {
	return Message{ID: "outbox-7", To: "13800138000", Sender: "12381",
		Body: "【工信部】您的备案短信核验码为 482913，24 小时内有效。请登录 beian.miit.gov.cn 完成核验。"}
}

func TestHTTPSMSSends(t *testing.T) {
	p, g := startProvider(t, http.StatusAccepted)
	if err := g.SendSMS(context.Background(), verificationSMS()); err != nil {
		t.Fatal(err)
	}
	if len(p.reqs) != 1 {
		t.Fatalf("%d requests", len(p.reqs))
	}
	r, body := p.reqs[0], p.bodies[0]
	want := smsRequest{To: "13800138000", Sender: "12381", Body: verificationSMS().Body}
	if body != want {
		t.Errorf("body = %+v, want %+v", body, want)
	}
	checks := map[string]string{
		"Authorization":   "Bearer tok-123",
		"Content-Type":    "application/json; charset=utf-8",
		"Idempotency-Key": "outbox-7",
	}
	for k, v := range checks {
		if got := r.Header.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	if r.Method != http.MethodPost || r.URL.Path != "/v1/sms" {
		t.Errorf("%s %s", r.Method, r.URL.Path)
	}
}

func TestHTTPSMSDefaultSender(t *testing.T) {
	p, g := startProvider(t, http.StatusOK)
	m := verificationSMS()
	m.Sender, m.ID = "", ""
	if err := g.SendSMS(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	if p.bodies[0].Sender != "beian" || p.reqs[0].Header.Get("Idempotency-Key") != "" {
		t.Errorf("sender %q, idempotency key %q", p.bodies[0].Sender, p.reqs[0].Header.Get("Idempotency-Key"))
	}
}

func TestHTTPSMSStatusClassification(t *testing.T) {
	cases := []struct {
		status    int
		permanent bool
	}{
		{http.StatusBadRequest, true},
		{http.StatusNotFound, true},
		{http.StatusUnprocessableEntity, true},
		{http.StatusUnauthorized, false},
		{http.StatusForbidden, false},
		{http.StatusRequestTimeout, false},
		{http.StatusTooManyRequests, false},
		{http.StatusInternalServerError, false},
		{http.StatusBadGateway, false},
		{http.StatusServiceUnavailable, false},
	}
	for _, tc := range cases {
		_, g := startProvider(t, tc.status)
		err := g.SendSMS(context.Background(), verificationSMS())
		var e *Error
		if !errors.As(err, &e) || e.Code != tc.status || IsPermanent(err) != tc.permanent {
			t.Errorf("status %d: err = %v, permanent %v; want permanent %v", tc.status, err, IsPermanent(err), tc.permanent)
			continue
		}
		if containsAny(err.Error(), "13800138000", "482913") {
			t.Errorf("status %d: error reveals the reply body: %v", tc.status, err)
		}
	}
}

func TestHTTPSMSNetworkErrorIsTemporary(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	g, err := NewHTTPSMSGateway(HTTPSMSConfig{URL: url})
	if err != nil {
		t.Fatal(err)
	}
	err = g.SendSMS(context.Background(), verificationSMS())
	if err == nil || IsPermanent(err) {
		t.Errorf("err = %v; want temporary", err)
	}
}

func TestHTTPSMSRefusesInvalidMessage(t *testing.T) {
	p, g := startProvider(t, http.StatusOK)
	for _, to := range []string{"", "1380013800", "23800138000", "+8613800138000", "13800138000\n"} {
		m := verificationSMS()
		m.To = to
		if err := g.SendSMS(context.Background(), m); !IsPermanent(err) || !problem.Is(err, "notify.to_invalid") {
			t.Errorf("To %q: err = %v", to, err)
		}
	}
	if len(p.reqs) != 0 {
		t.Errorf("%d requests for invalid messages", len(p.reqs))
	}
}

func TestNewHTTPSMSGatewayChecksConfig(t *testing.T) {
	for _, u := range []string{"", "ftp://x", "/relative", "http://"} {
		if _, err := NewHTTPSMSGateway(HTTPSMSConfig{URL: u}); err == nil {
			t.Errorf("URL %q accepted", u)
		}
	}
	if _, err := NewHTTPSMSGateway(HTTPSMSConfig{URL: "https://sms.example.com", DefaultSender: "a\nb"}); err == nil {
		t.Error("two-line sender accepted")
	}
}
