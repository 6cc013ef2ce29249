// Package policehttp carries the police interface (police.Platform) over HTTP: the provider pushes consented ICP
// data and asks the state of a website's police filing, each as one POST signed with a secret shared by the
// provider and the platform and refused when its timestamp is stale (internal/wiresign, as the regulator
// interface). Client is the provider's side; Handler serves any police.Platform (the police platform simulator,
// `beian mps serve`). docs/operations.md describes the transport and its faults.
package policehttp

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/beian/beian/internal/police"
	"github.com/beian/beian/internal/wiresign"
)

// Paths of the operations, under the platform's address.
const (
	PathPush   = "/mps/isp/v1/push"
	PathStatus = "/mps/isp/v1/status"
)

// MaxBody bounds a request or an answer: a push is a few kilobytes of text.
const MaxBody = 1 << 20

// Client is the provider's side. A call that does not reach the platform, times out, or gets an answer that is
// not the interface's returns an error wrapping police.ErrUnavailable; the provider then records nothing.
type Client struct{ *wiresign.Client }

var _ police.Platform = (*Client)(nil)

// NewClient returns a client for the platform at baseURL (e.g. http://mps:8082) signing as provider with
// secret. httpClient nil: one with wiresign.DefaultTimeout.
func NewClient(baseURL, provider string, secret []byte, httpClient *http.Client) *Client {
	return &Client{wiresign.NewClient(baseURL, provider, secret, httpClient, MaxBody, police.ErrUnavailable)}
}

// PushICPData pushes p and returns the data code; an answer without a code or an expiry is garbage.
func (c *Client) PushICPData(ctx context.Context, p police.Push) (police.DataCode, error) {
	var dc dataCodeAnswer
	if err := c.Call(ctx, PathPush, p, &dc); err != nil {
		return police.DataCode{}, err
	}
	return police.DataCode(dc), nil
}

// FilingStatus asks the state of one website's police filing; an answer of an unknown state is garbage.
func (c *Client) FilingStatus(ctx context.Context, q police.StatusQuery) (police.FilingStatus, error) {
	var st statusAnswer
	if err := c.Call(ctx, PathStatus, q, &st); err != nil {
		return police.FilingStatus{}, err
	}
	return police.FilingStatus(st), nil
}

// The answers' data, checked before the provider sees them (wiresign.Checked).
type (
	dataCodeAnswer police.DataCode
	statusAnswer   police.FilingStatus
)

func (dc *dataCodeAnswer) Check() error {
	if dc.Code == "" || dc.ExpiresAt.IsZero() {
		return errors.New("a data code without its code or expiry")
	}
	return nil
}

func (st *statusAnswer) Check() error {
	switch st.State {
	case police.StateNone, police.StateReview, police.StateReturned, police.StateInspection, police.StateCancelled,
		police.StateDataPushed:
		return nil
	case police.StateApproved:
		if st.PoliceNumber == "" {
			return errors.New("an approved filing without a police number")
		}
		return nil
	}
	return errors.New("unknown state " + string(st.State))
}

// NewHandler returns the network side of platform for the providers holding secrets (provider id → shared
// secret); now is the platform's clock for the timestamp window (nil: the system clock). A provider pushes as
// itself only. For mutual TLS, call RequireClientCertificates on it.
func NewHandler(platform police.Platform, secrets map[string][]byte, now func() time.Time) *wiresign.Server {
	s := wiresign.NewServer("police interface", secrets, MaxBody, now)
	s.Handle(PathPush, wiresign.Call(s, func(ctx context.Context, provider string, p police.Push) (any, error) {
		p.ProviderID = provider
		return platform.PushICPData(ctx, p)
	}))
	s.Handle(PathStatus, wiresign.Call(s, func(ctx context.Context, _ string, q police.StatusQuery) (any, error) {
		return platform.FilingStatus(ctx, q)
	}))
	return s
}
