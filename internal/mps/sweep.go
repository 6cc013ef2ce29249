package mps

import (
	"context"
	"database/sql"
	"errors"

	"github.com/beian/beian/internal/sqldb"
)

// Sweep does what time decides: the automatic policy's decisions that are due (subjects first, so that their
// websites can follow in the same sweep) and the delivery of messages a gateway refused earlier. Each decision
// runs in its own transaction under a state condition, so sweeping twice or on two nodes decides once.
func (s *Simulator) Sweep(ctx context.Context) error {
	ms := sqldb.Millis(s.now())
	for _, kind := range []string{KindSubject, KindWebsite} {
		ids, err := s.db.IDs(ctx, `SELECT id FROM `+table(kind)+` WHERE auto_at > 0 AND auto_at <= $1
			AND state IN ('review', 'change_review') ORDER BY id`, ms)
		if err != nil {
			return err
		}
		for _, id := range ids {
			err := s.write(ctx, func(tx *sql.Tx) error {
				var at int64
				if err := tx.QueryRowContext(ctx, `SELECT auto_at FROM `+table(kind)+` WHERE id = $1`+s.db.ForUpdate(), id).
					Scan(&at); err != nil {
					return err
				}
				if at == 0 || at > ms {
					return errStale
				}
				return s.autoDecide(ctx, tx, kind, id)
			})
			if err != nil && !errors.Is(err, errStale) {
				return err
			}
		}
	}
	s.deliver(ctx)
	return errors.Join(s.forgetUnattached(ctx), s.forgetExpired(ctx))
}

var errStale = errors.New("mps: already handled")
