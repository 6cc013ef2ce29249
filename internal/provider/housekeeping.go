package provider

import (
	"context"
	"errors"

	"github.com/beian/beian/internal/provider/store"
)

// ForgetExpired deletes what has outlived its use: the responses kept for Idempotency-Key retries
// (store.IdempotencyTTL; sealed, but often holding an order's personal data) and the sessions past their
// expiry, which no request can use any more. The app runs it every minute on every node; running it twice
// deletes nothing more.
func (s *Service) ForgetExpired(ctx context.Context) error {
	_, err1 := s.st.ForgetIdempotency(ctx, s.now().Add(-store.IdempotencyTTL))
	_, err2 := s.st.ForgetExpiredTokens(ctx, wallClock())
	return errors.Join(err1, err2)
}
