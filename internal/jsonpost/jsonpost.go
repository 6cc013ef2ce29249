// Package jsonpost calls an outside service with one JSON POST, the way the provider's optional liveness
// verifier and OCR service are called: https only (plain http to a loopback address only, for a sidecar or a
// test), a bearer token, a time limit over the whole call, no redirects (the token and the data go to the URL
// only), and an answer that must be 200, within a size bound, and JSON. Its errors are plain errors: each
// caller wraps them in its own problem code.
package jsonpost

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"
)

// Endpoint is one service.
type Endpoint struct {
	What      string        // what the errors call the service, e.g. "verifier"
	Name      string        // the service's configured name
	URL       string        // the endpoint
	Token     string        // bearer token; empty sends no Authorization header
	Timeout   time.Duration // per call, including reading the answer; must be over 0
	Client    *http.Client  // nil: http.DefaultTransport without redirects
	MaxAnswer int64         // the longest answer read, in bytes
}

var noRedirects = &http.Client{
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// CheckURL refuses an endpoint URL that is not https, or plain http to a loopback address.
func (e Endpoint) CheckURL() (*url.URL, error) {
	u, err := url.Parse(e.URL)
	if err != nil || u.Host == "" || !(u.Scheme == "https" || u.Scheme == "http" && Loopback(u.Hostname())) {
		return nil, fmt.Errorf("%s URL %q must be https (http only to loopback)", e.What, e.URL)
	}
	return u, nil
}

// Post sends body as JSON to the checked URL u and decodes the answer into out.
func (e Endpoint) Post(ctx context.Context, u *url.URL, body, out any) error {
	raw, err := json.Marshal(body)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, e.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(raw))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if e.Token != "" {
		req.Header.Set("Authorization", "Bearer "+e.Token)
	}
	client := e.Client
	if client == nil {
		client = noRedirects
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, e.MaxAnswer+1))
	switch {
	case err != nil:
		return err
	case resp.StatusCode != http.StatusOK:
		return fmt.Errorf("%s %s answered %s", e.What, e.Name, resp.Status)
	case int64(len(answer)) > e.MaxAnswer:
		return fmt.Errorf("%s answer larger than %d bytes", e.What, e.MaxAnswer)
	}
	if err := json.Unmarshal(answer, out); err != nil {
		return fmt.Errorf("%s answer: %w", e.What, err)
	}
	return nil
}

// Loopback reports whether host is localhost or a loopback address.
func Loopback(host string) bool {
	ip := net.ParseIP(host)
	return host == "localhost" || ip != nil && ip.IsLoopback()
}
