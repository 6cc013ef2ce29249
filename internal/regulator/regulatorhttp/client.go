package regulatorhttp

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/beian/beian/internal/regulator"
	"github.com/beian/beian/internal/wiresign"
)

// Client is the provider's side of the regulator interface over HTTP. Every call is one signed POST; a call
// that does not reach the regulator, times out, or gets an answer that is not the interface's returns an error
// wrapping regulator.ErrUnavailable and changes nothing on the provider's side (downloads are read whole before
// anything is returned). Status tells staff how the link fares.
type Client struct{ *wiresign.Client }

// Status is the link to the regulator as this node last found it.
type Status = wiresign.Status

// DefaultTimeout bounds one round trip.
const DefaultTimeout = wiresign.DefaultTimeout

// NewClient returns a client for the regulator at baseURL (e.g. http://miit:8081) that signs as provider with
// secret. httpClient nil: one with DefaultTimeout.
func NewClient(baseURL, provider string, secret []byte, httpClient *http.Client) *Client {
	return &Client{wiresign.NewClient(baseURL, provider, secret, httpClient, MaxBody, regulator.ErrUnavailable)}
}

var _ regulator.Regulator = (*Client)(nil)

// Submit uploads s under its sequence (isp_upload).
func (c *Client) Submit(ctx context.Context, s regulator.Submission) error {
	if s.Sequence <= 0 {
		return errors.New("regulatorhttp: a submission needs its sequence (the outbox id)")
	}
	return c.Call(ctx, PathUpload, uploadRequest{Sequence: s.Sequence, Submission: s}, nil)
}

// Withdraw cancels a submission whose SMS verification is still pending.
func (c *Client) Withdraw(ctx context.Context, _ string, providerOrderID int64) error {
	return c.Call(ctx, PathWithdraw, withdrawRequest{ProviderOrderID: providerOrderID}, nil)
}

// Results downloads up to limit unacknowledged results (isp_download). A batch with a result that is not one
// is refused whole.
func (c *Client) Results(ctx context.Context, _ string, limit int) ([]regulator.Result, error) {
	var a downloadAnswer
	if err := c.Call(ctx, PathDownload, downloadRequest{Limit: limit}, &a); err != nil {
		return nil, err
	}
	return a.Results, nil
}

// Check refuses a batch with a result that is not one.
func (a *downloadAnswer) Check() error {
	for _, r := range a.Results {
		if err := validResult(r); err != nil {
			return fmt.Errorf("result %d: %v", r.ID, err)
		}
	}
	return nil
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
	return c.Call(ctx, PathAck, ackRequest{IDs: ids}, nil)
}

// LookupSubject asks whether a subject is filed (isp_querybeianstatus).
func (c *Client) LookupSubject(ctx context.Context, credentialType, credentialNumber string) (regulator.SubjectStatus, error) {
	var s regulator.SubjectStatus
	err := c.Call(ctx, PathSubject, subjectRequest{CredentialType: credentialType, CredentialNumber: credentialNumber}, &s)
	return s, err
}

// LookupDomain asks whether a domain is filed.
func (c *Client) LookupDomain(ctx context.Context, domain string) (regulator.DomainStatus, error) {
	var s regulator.DomainStatus
	err := c.Call(ctx, PathDomain, domainRequest{Domain: domain}, &s)
	return s, err
}

// LookupFiling returns a filed subject with its services and accesses.
func (c *Client) LookupFiling(ctx context.Context, _ string, subjectNumber string) (regulator.Filing, error) {
	var f regulator.Filing
	err := c.Call(ctx, PathFiling, filingRequest{SubjectNumber: subjectNumber}, &f)
	return f, err
}
