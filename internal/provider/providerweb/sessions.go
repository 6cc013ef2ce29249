package providerweb

import (
	"context"

	"github.com/beian/beian/internal/access"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/web"
)

// Sessions answers the shared site's questions about sessions from the provider's accounts (the officers of
// the MIIT simulator sign in there too).
func Sessions(svc *provider.Service) web.Sessions { return sessions{svc} }

type sessions struct{ svc *provider.Service }

func (s sessions) Authenticate(ctx context.Context, token string) (access.Actor, *web.User, error) {
	a, acc, err := s.svc.Authenticate(ctx, token)
	if err != nil {
		return a, nil, err
	}
	return a, &web.User{ID: acc.ID, Name: acc.Name, Email: acc.Email}, nil
}

func (s sessions) Unread(ctx context.Context, a access.Actor) int { return s.svc.Unread(ctx, a) }

// Idempotency keeps the shared site's idempotent responses in the provider's database.
func Idempotency(svc *provider.Service) web.Idempotency { return idempotency{svc} }

type idempotency struct{ svc *provider.Service }

func (i idempotency) Reserve(ctx context.Context, accountID int64, key, fingerprint string) (*web.Replay, error) {
	rec, err := i.svc.ReserveIdempotency(ctx, accountID, key, fingerprint)
	if rec == nil || err != nil {
		return nil, err
	}
	return &web.Replay{Fingerprint: rec.Fingerprint, Status: rec.Status, Body: rec.Body}, nil
}

func (i idempotency) Complete(ctx context.Context, accountID int64, key string, status int, body []byte) error {
	return i.svc.CompleteIdempotency(ctx, accountID, key, status, body)
}

func (i idempotency) Release(ctx context.Context, accountID int64, key string) error {
	return i.svc.ReleaseIdempotency(ctx, accountID, key)
}
