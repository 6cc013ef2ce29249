package sqldb

import (
	"context"
	"io/fs"

	"github.com/pressly/goose/v3"
)

// MigrationVersions returns the schema version the database has and the newest this program knows, for one
// bounded context's migrations (see Migrate). It reads through the reader pool and takes no lock.
func (db *DB) MigrationVersions(ctx context.Context, fsys fs.FS, versionTable string) (current, target int64, err error) {
	sub, err := fs.Sub(fsys, string(db.Dialect))
	if err != nil {
		return 0, 0, err
	}
	dialect := goose.DialectSQLite3
	if db.Dialect == Postgres {
		dialect = goose.DialectPostgres
	}
	p, err := goose.NewProvider(dialect, db.R, sub, goose.WithTableName(versionTable), goose.WithDisableGlobalRegistry(true))
	if err != nil {
		return 0, 0, err
	}
	return p.GetVersions(ctx)
}
