package provider

import (
	"context"

	"github.com/beian/beian/internal/provider/store"
)

// The responses of POSTs sent with an Idempotency-Key are kept per account in the provider's database, for
// every context's API (internal/web replays them).

// ReserveIdempotency claims key for a request with fingerprint; it returns the earlier record when the key is
// taken.
func (s *Service) ReserveIdempotency(ctx context.Context, accountID int64, key, fingerprint string) (*store.IdemRecord, error) {
	return s.st.ReserveIdempotency(ctx, accountID, key, fingerprint, s.now())
}

// CompleteIdempotency keeps the response of the request that holds key.
func (s *Service) CompleteIdempotency(ctx context.Context, accountID int64, key string, status int, body []byte) error {
	return s.st.CompleteIdempotency(ctx, accountID, key, status, body)
}

// ReleaseIdempotency frees key after a failed request, so that a retry runs again.
func (s *Service) ReleaseIdempotency(ctx context.Context, accountID int64, key string) error {
	return s.st.ReleaseIdempotency(ctx, accountID, key)
}
