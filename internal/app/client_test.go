package app_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/beian/beian/internal/apptest"
)

// startApp runs the real server on a free port with a fresh database (apptest.Start).
var startApp = apptest.Start

// client is one party talking to the server over HTTP.
type client struct {
	t     *testing.T
	base  string
	token string
	lang  string
}

func (c *client) do(method, path string, body any, headers ...string) (int, []byte) {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if c.lang != "" {
		req.Header.Set("Accept-Language", c.lang)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, out
}

// must performs a request and decodes the response, failing unless the status is want.
func (c *client) must(want int, method, path string, body, out any, headers ...string) {
	c.t.Helper()
	status, raw := c.do(method, path, body, headers...)
	if status != want {
		c.t.Fatalf("%s %s: status %d, want %d: %s", method, path, status, want, raw)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			c.t.Fatalf("%s %s: decode %s: %v", method, path, raw, err)
		}
	}
}

// errorCodes returns the error codes of a failed request, checking its status.
func (c *client) errorCodes(want int, method, path string, body any) []string {
	c.t.Helper()
	status, raw := c.do(method, path, body)
	if status != want {
		c.t.Fatalf("%s %s: status %d, want %d: %s", method, path, status, want, raw)
	}
	var e struct {
		Errors []struct{ Code, Field, Message string } `json:"errors"`
	}
	if err := json.Unmarshal(raw, &e); err != nil {
		c.t.Fatalf("error body %s: %v", raw, err)
	}
	var codes []string
	for _, x := range e.Errors {
		if x.Message == "" || x.Message == x.Code {
			c.t.Errorf("error %s has no translated message", x.Code)
		}
		codes = append(codes, x.Code)
	}
	return codes
}

func login(t *testing.T, base, email, pw string) *client {
	t.Helper()
	c := &client{t: t, base: base}
	var out struct{ Token string }
	c.must(200, "POST", "/api/v1/session", map[string]string{"email": email, "password": pw}, &out)
	c.token = out.Token
	return c
}

// eventually polls fn until it returns true or the time is up.
func eventually(t *testing.T, what string, fn func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if fn() {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}

func hasCode(codes []string, code string) bool {
	for _, c := range codes {
		if c == code {
			return true
		}
	}
	return false
}

func path(format string, args ...any) string { return fmt.Sprintf(format, args...) }

func contains(s, sub string) bool { return strings.Contains(s, sub) }
