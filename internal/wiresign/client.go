package wiresign

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Client is the calling side of a signed interface. Every call is one signed POST; a call that does not reach
// the other side, times out, or gets an answer that is not the interface's returns an error wrapping
// Unavailable, after the answer was read whole. Status tells staff how the link fares.
type Client struct {
	base        string
	provider    string
	secret      []byte
	http        *http.Client
	maxBody     int64
	unavailable error
	now         func() time.Time

	mu     sync.Mutex
	status Status
}

// Status is the link as this node last found it.
type Status struct {
	LastOK      time.Time // the last call that got an answer
	LastFailure time.Time // the last call that did not (zero: none since the last answer)
	Failures    int       // calls in a row without an answer
	Error       string    // what went wrong last
}

// Down reports whether the last call got no answer.
func (s Status) Down() bool { return s.Failures > 0 }

// DefaultTimeout bounds one round trip.
const DefaultTimeout = 30 * time.Second

// NewClient returns a client of the interface at baseURL that signs as provider with secret, reads answers of
// at most maxBody bytes and wraps unavailable in the errors of calls that got no answer. httpClient nil: one
// with DefaultTimeout; for mutual TLS, TLSFiles.HTTPClient (secret may then be empty: the calls are not signed).
func NewClient(baseURL, provider string, secret []byte, httpClient *http.Client, maxBody int64, unavailable error) *Client {
	if httpClient == nil {
		httpClient = &http.Client{Timeout: DefaultTimeout}
	}
	return &Client{base: strings.TrimRight(baseURL, "/"), provider: provider, secret: secret, http: httpClient,
		maxBody: maxBody, unavailable: unavailable, now: time.Now}
}

// Status returns the link's state.
func (c *Client) Status() Status {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.status
}

// Note records the outcome of a round trip: any answer of the interface is the link working.
func (c *Client) Note(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err == nil || !errors.Is(err, c.unavailable) {
		c.status = Status{LastOK: c.now()}
		return
	}
	c.status.LastFailure, c.status.Error = c.now(), err.Error()
	c.status.Failures++
}

// Call posts in to path and reads the answer's data into out (nil: no data expected).
func (c *Client) Call(ctx context.Context, path string, in, out any) error {
	err := c.roundTrip(ctx, path, in, out)
	if ctx.Err() == nil { // a call the caller itself cancelled says nothing about the link
		c.Note(err)
	}
	return err
}

func (c *Client) roundTrip(ctx context.Context, path string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if len(c.secret) > 0 {
		Sign(req, c.secret, c.provider, body, c.now())
	} else { // mutual TLS alone: the client certificate says who calls
		req.Header.Set(HeaderProvider, c.provider)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("%w: %v", c.unavailable, err)
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, c.maxBody+1))
	if err != nil {
		return fmt.Errorf("%w: reading the answer: %v", c.unavailable, err)
	}
	if int64(len(answer)) > c.maxBody {
		return Garbage(c.unavailable, "answer larger than %d bytes", c.maxBody)
	}
	if err := ParseAnswer(answer, out, c.unavailable); err != nil {
		return fmt.Errorf("%s (HTTP %d): %w", path, resp.StatusCode, err)
	}
	return nil
}
