package provider

import (
	"context"
	"errors"

	"github.com/beian/beian/internal/provider/store"
)

// ForgetExpired deletes what has outlived its use: the responses kept for Idempotency-Key retries
// (store.IdempotencyTTL; sealed, but often holding an order's personal data), the sessions past their expiry,
// which no request can use any more, and the failed-login counts that have run out (LoginLimit.Forget after the
// last failure, the pause over: keyed hashes of e-mail and client addresses). The app runs it every minute on
// every node; running it twice deletes nothing more.
func (s *Service) ForgetExpired(ctx context.Context) error {
	now := wallClock()
	_, err1 := s.st.ForgetIdempotency(ctx, s.now().Add(-store.IdempotencyTTL))
	_, err2 := s.st.ForgetExpiredTokens(ctx, now)
	_, err3 := s.st.ForgetLoginFailures(ctx, now.Add(-max(AccountLoginLimit.Forget, ClientLoginLimit.Forget)), now)
	return errors.Join(err1, err2, err3)
}
