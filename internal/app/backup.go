package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/beian/beian/internal/ops"
	"github.com/beian/beian/internal/sqldb"
)

// Backup and restore of the SQLite databases (`beian backup`, `beian restore`; docs/operations.md). The
// provider's database comes first: the simulator's writers are held while it is copied (ops.Backup).

// backupFiles are the SQLite databases of the configuration, the provider's first, and the demo keys when
// they are generated ones kept in the data directory.
func (c Config) backupFiles() (dbs []ops.File, extras []string, err error) {
	main, ok := sqldb.SQLitePath(c.DatabaseURL)
	if !ok {
		return nil, nil, errors.New("DATABASE_URL is PostgreSQL: back it up with pg_dump (docs/operations.md)")
	}
	dbs = append(dbs, ops.File{Name: "beian.db", Path: main})
	if sim, ok := sqldb.SQLitePath(c.miitDatabaseURL()); ok && sim != main && !c.Regulator.Remote() { // else not this node's
		dbs = append(dbs, ops.File{Name: "miit.db", Path: sim})
	}
	if c.SecretKeys == "" && c.IndexKey == "" {
		keys := filepath.Join(c.DataDir, "demo-keys.json")
		if _, err := os.Stat(keys); err == nil {
			extras = append(extras, keys)
		}
	}
	return dbs, extras, nil
}

// RunBackup is the command `beian backup DIR`, run beside a serving node with the same configuration.
func RunBackup(args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 {
		fmt.Fprintln(stderr, "usage: beian backup DIR")
		return 2
	}
	cfg, err := FromEnv(getenv)
	if err != nil {
		fmt.Fprintf(stderr, "beian: configuration: %v\n", err)
		return 2
	}
	dbs, extras, err := cfg.backupFiles()
	if err == nil {
		err = ops.Backup(context.Background(), fs.Arg(0), dbs, extras)
	}
	if err != nil {
		fmt.Fprintf(stderr, "beian: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "beian: backup written to %s\n", fs.Arg(0))
	if len(extras) > 0 {
		fmt.Fprintln(stdout, "beian: it holds the demo encryption keys: keep it as safe as the database")
	}
	return 0
}

// RunRestore is the command `beian restore [-force] DIR`; every node must be stopped.
func RunRestore(args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	fs.SetOutput(stderr)
	force := fs.Bool("force", false, "replace the existing databases")
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 {
		fmt.Fprintln(stderr, "usage: beian restore [-force] DIR   (stop every node first)")
		return 2
	}
	cfg, err := FromEnv(getenv)
	if err != nil {
		fmt.Fprintf(stderr, "beian: configuration: %v\n", err)
		return 2
	}
	dbs, _, err := cfg.backupFiles()
	if err == nil {
		err = ops.Restore(context.Background(), fs.Arg(0), dbs, cfg.DataDir, *force)
	}
	if err != nil {
		fmt.Fprintf(stderr, "beian: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "beian: restored from %s\n", fs.Arg(0))
	return 0
}
