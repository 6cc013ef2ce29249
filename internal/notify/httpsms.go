package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

// HTTPSMSConfig configures an HTTPSMSGateway.
type HTTPSMSConfig struct {
	URL           string        // the provider's send endpoint, http or https
	Token         string        // sent as "Authorization: Bearer <token>"
	DefaultSender string        // used when Message.Sender is empty; may be empty
	Timeout       time.Duration // per request; 0 means 15 s
	Client        *http.Client  // optional; its Timeout is left alone
}

// HTTPSMSGateway sends each text message as one JSON POST:
//
//	POST <URL>
//	Authorization: Bearer <token>
//	Content-Type: application/json
//	Idempotency-Key: <Message.ID>        (when set)
//
//	{"to": "13800138000", "sender": "12381", "body": "…"}
//
// A 2xx reply means sent. 4xx is permanent (the provider refuses this message), except 401 and 403 (our
// credentials), 408 and 429 (try later), which are temporary like 5xx and network errors. The reply body is not
// read into errors: providers echo numbers and text.
type HTTPSMSGateway struct {
	cfg    HTTPSMSConfig
	client *http.Client
}

// NewHTTPSMSGateway checks cfg and returns a gateway.
func NewHTTPSMSGateway(cfg HTTPSMSConfig) (*HTTPSMSGateway, error) {
	u, err := url.Parse(cfg.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("notify: SMS gateway URL %q is not an http(s) URL", cfg.URL)
	}
	if cfg.DefaultSender != "" && !oneLine(cfg.DefaultSender, MaxSenderRunes) {
		return nil, errors.New("notify: SMS default sender must be one line of at most 64 characters")
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 15 * time.Second
	}
	client := cfg.Client
	if client == nil {
		client = http.DefaultClient
	}
	return &HTTPSMSGateway{cfg: cfg, client: client}, nil
}

type smsRequest struct {
	To     string `json:"to"`
	Sender string `json:"sender"`
	Body   string `json:"body"`
}

// SendSMS posts m to the provider.
func (g *HTTPSMSGateway) SendSMS(ctx context.Context, m Message) error {
	m, err := m.prepare(ChannelSMS)
	if err != nil {
		return err
	}
	if m.Sender == "" {
		m.Sender = g.cfg.DefaultSender
	}
	payload, err := json.Marshal(smsRequest{To: m.To, Sender: m.Sender, Body: m.Body})
	if err != nil {
		return &Error{Stage: "http", Err: err}
	}
	ctx, cancel := context.WithTimeout(ctx, g.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, g.cfg.URL, bytes.NewReader(payload))
	if err != nil {
		return &Error{Stage: "http", Err: err}
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("Accept", "application/json")
	if g.cfg.Token != "" {
		req.Header.Set("Authorization", "Bearer "+g.cfg.Token)
	}
	if m.ID != "" {
		req.Header.Set("Idempotency-Key", m.ID)
	}
	resp, err := g.client.Do(req)
	if err != nil {
		return &Error{Stage: "http", Err: err}
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10)) // let the connection be reused
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	return &Error{
		Stage:     "http",
		Code:      resp.StatusCode,
		Permanent: permanentHTTP(resp.StatusCode),
		Err:       fmt.Errorf("the SMS provider answered %s", resp.Status),
	}
}

func permanentHTTP(status int) bool {
	switch status {
	case http.StatusUnauthorized, http.StatusForbidden, http.StatusRequestTimeout, http.StatusTooManyRequests:
		return false
	}
	return status >= 400 && status < 500
}
