package regulatorhttp

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

	"github.com/beian/beian/internal/regulator"
)

// Client is the provider's side of the regulator interface over HTTP. Every call is one signed POST; a call
// that does not reach the regulator, times out, or gets an answer that is not the interface's returns an error
// wrapping regulator.ErrUnavailable and changes nothing on the provider's side (downloads are read whole before
// anything is returned). Status tells staff how the link fares.
type Client struct {
	base     string
	provider string
	secret   []byte
	http     *http.Client
	now      func() time.Time

	mu     sync.Mutex
	status Status
}

// Status is the link to the regulator as this node last found it.
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

// NewClient returns a client for the regulator at baseURL (e.g. http://miit:8081) that signs as provider with
// secret. httpClient nil: one with DefaultTimeout.
func NewClient(baseURL, provider string, secret []byte, httpClient *http.Client) *Client {
	if httpClient == nil {
		httpClient = &http.Client{Timeout: DefaultTimeout}
	}
	return &Client{base: strings.TrimRight(baseURL, "/"), provider: provider, secret: secret, http: httpClient, now: time.Now}
}

var _ regulator.Regulator = (*Client)(nil)

// Status returns the link's state.
func (c *Client) Status() Status {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.status
}

// note records the outcome of a round trip: any answer of the interface is the link working.
func (c *Client) note(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err == nil || !errors.Is(err, regulator.ErrUnavailable) {
		c.status = Status{LastOK: c.now()}
		return
	}
	c.status.LastFailure, c.status.Error = c.now(), err.Error()
	c.status.Failures++
}

// do posts in to path and reads the answer's data into out.
func (c *Client) do(ctx context.Context, path string, in, out any) error {
	err := c.roundTrip(ctx, path, in, out)
	if ctx.Err() == nil { // a call the provider itself cancelled says nothing about the link
		c.note(err)
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
	Sign(req, c.secret, c.provider, body, c.now())
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("%w: %v", regulator.ErrUnavailable, err)
	}
	defer resp.Body.Close()
	answer, err := io.ReadAll(io.LimitReader(resp.Body, MaxBody+1))
	if err != nil {
		return fmt.Errorf("%w: reading the answer: %v", regulator.ErrUnavailable, err)
	}
	if len(answer) > MaxBody {
		return fmt.Errorf("%w: answer larger than %d bytes", errGarbage, MaxBody)
	}
	if err := ParseAnswer(answer, out); err != nil {
		return fmt.Errorf("%s (HTTP %d): %w", path, resp.StatusCode, err)
	}
	return nil
}

// Submit uploads s under its sequence (isp_upload).
func (c *Client) Submit(ctx context.Context, s regulator.Submission) error {
	if s.Sequence <= 0 {
		return errors.New("regulatorhttp: a submission needs its sequence (the outbox id)")
	}
	return c.do(ctx, PathUpload, uploadRequest{Sequence: s.Sequence, Submission: s}, nil)
}

// Withdraw cancels a submission whose SMS verification is still pending.
func (c *Client) Withdraw(ctx context.Context, _ string, providerOrderID int64) error {
	return c.do(ctx, PathWithdraw, withdrawRequest{ProviderOrderID: providerOrderID}, nil)
}

// Results downloads up to limit unacknowledged results (isp_download). A batch with a result that is not one
// is refused whole.
func (c *Client) Results(ctx context.Context, _ string, limit int) ([]regulator.Result, error) {
	var a downloadAnswer
	if err := c.do(ctx, PathDownload, downloadRequest{Limit: limit}, &a); err != nil {
		return nil, err
	}
	for _, r := range a.Results {
		if err := validResult(r); err != nil {
			err = fmt.Errorf("%w: result %d: %v", errGarbage, r.ID, err)
			c.note(err)
			return nil, err
		}
	}
	return a.Results, nil
}

// validResult checks what applying a result relies on.
func validResult(r regulator.Result) error {
	switch {
	case r.ID <= 0:
		return errors.New("no id")
	case r.ProviderOrderID <= 0 || r.Attempt <= 0:
		return errors.New("no order or attempt")
	case r.Action == "":
		return errors.New("no action")
	case r.At.IsZero():
		return errors.New("no time")
	}
	return nil
}

// Ack acknowledges stored results (isp_downloadack).
func (c *Client) Ack(ctx context.Context, _ string, ids []int64) error {
	return c.do(ctx, PathAck, ackRequest{IDs: ids}, nil)
}

// LookupSubject asks whether a subject is filed (isp_querybeianstatus).
func (c *Client) LookupSubject(ctx context.Context, credentialType, credentialNumber string) (regulator.SubjectStatus, error) {
	var s regulator.SubjectStatus
	err := c.do(ctx, PathSubject, subjectRequest{CredentialType: credentialType, CredentialNumber: credentialNumber}, &s)
	return s, err
}

// LookupDomain asks whether a domain is filed.
func (c *Client) LookupDomain(ctx context.Context, domain string) (regulator.DomainStatus, error) {
	var s regulator.DomainStatus
	err := c.do(ctx, PathDomain, domainRequest{Domain: domain}, &s)
	return s, err
}

// LookupFiling returns a filed subject with its services and accesses.
func (c *Client) LookupFiling(ctx context.Context, _ string, subjectNumber string) (regulator.Filing, error) {
	var f regulator.Filing
	err := c.do(ctx, PathFiling, filingRequest{SubjectNumber: subjectNumber}, &f)
	return f, err
}
