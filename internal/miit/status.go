package miit

import (
	"context"
	"io/fs"
)

// MigrationVersions reports the simulator's schema version and the newest this program knows (readiness).
func (s *Simulator) MigrationVersions(ctx context.Context) (current, target int64, err error) {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return 0, 0, err
	}
	return s.db.MigrationVersions(ctx, sub, VersionTable)
}
