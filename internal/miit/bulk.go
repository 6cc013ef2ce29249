package miit

import (
	"context"
	"errors"

	"github.com/beian/beian/internal/sqldb"
)

// Bulk runs fn, which loads many records (LoadRegistry), with the SQLite writer tuned for it: commits are not
// synced to disk (an application crash loses nothing committed; an OS crash or power cut may lose the last
// transactions of the load, which is then run again: subjects already filed are skipped) and the writer's page
// cache is 256 MB. The settings are restored afterwards. On PostgreSQL it just runs fn.
func (s *Simulator) Bulk(ctx context.Context, fn func() error) error {
	if s.db.Dialect != sqldb.SQLite {
		return fn()
	}
	if _, err := s.db.W.ExecContext(ctx, `PRAGMA synchronous = OFF`); err != nil {
		return err
	}
	if _, err := s.db.W.ExecContext(ctx, `PRAGMA cache_size = -262144`); err != nil {
		return err
	}
	err := fn()
	_, e1 := s.db.W.ExecContext(context.WithoutCancel(ctx), `PRAGMA synchronous = NORMAL`)
	_, e2 := s.db.W.ExecContext(context.WithoutCancel(ctx), `PRAGMA cache_size = -32000`)
	return errors.Join(err, e1, e2)
}
