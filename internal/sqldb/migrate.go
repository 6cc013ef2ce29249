package sqldb

import (
	"context"
	"fmt"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// Migrate applies the migrations of one bounded context. Each context (the provider side, the MIIT simulator,
// the police simulator) owns its tables and keeps its own version table, so that they stay separable the way
// the organisations they model are. fsys holds one directory per dialect ("sqlite", "postgres") with the same
// version numbers.
func (db *DB) Migrate(ctx context.Context, fsys fs.FS, versionTable string) error {
	sub, err := fs.Sub(fsys, string(db.Dialect))
	if err != nil {
		return err
	}
	dialect := goose.DialectSQLite3
	opts := []goose.ProviderOption{goose.WithTableName(versionTable), goose.WithDisableGlobalRegistry(true)}
	if db.Dialect == Postgres {
		dialect = goose.DialectPostgres
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return err
		}
		opts = append(opts, goose.WithSessionLocker(locker)) // several nodes may start at once
	}
	p, err := goose.NewProvider(dialect, db.W, sub, opts...)
	if err != nil {
		return fmt.Errorf("sqldb: migrations for %s: %w", versionTable, err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("sqldb: migrate %s: %w", versionTable, err)
	}
	return nil
}
