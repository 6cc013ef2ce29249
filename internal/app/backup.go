package app

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/beian/beian/internal/cliargs"
	"github.com/beian/beian/internal/mps"
	"github.com/beian/beian/internal/ops"
	"github.com/beian/beian/internal/sqldb"
)

// Backup and restore of the SQLite databases (`beian backup`, `beian restore`; docs/operations.md). The
// provider's database comes first: the writers of the simulators running in the node are held while it is
// copied (ops.Backup). A simulator in its own process is backed up on its own (`beian miit backup`).

// Part is the process whose databases a backup holds: a node of `beian serve` (PartNode, with the simulators
// running inside it), or a simulator in its own process (`beian miit serve`, `beian mps serve`).
type Part string

const (
	PartNode Part = ""
	PartMIIT Part = "miit"
	PartMPS  Part = "mps"
)

// command is the command line of verb for part, e.g. "beian miit backup".
func (p Part) command(verb string) string {
	if p == PartNode {
		return "beian " + verb
	}
	return "beian " + string(p) + " " + verb
}

// backupFiles are the SQLite databases of part under this configuration, the one copied first first, and the
// demo keys when they are generated ones kept in the data directory.
func (c Config) backupFiles(part Part) (dbs []ops.File, extras []string, err error) {
	switch part {
	case PartMIIT:
		dbs, err = c.sqliteFile("BEIAN_MIIT_DATABASE_URL", "miit.db", c.miitDatabaseURL())
	case PartMPS:
		dbs, err = c.sqliteFile("BEIAN_MPS_DATABASE_URL", "mps.db", c.mpsDatabaseURL())
	default:
		dbs, err = c.nodeFiles()
	}
	if err != nil {
		return nil, nil, err
	}
	c.addMaterialPacks(part, dbs)
	if c.SecretKeys == "" && c.IndexKey == "" {
		keys := filepath.Join(c.DataDir, "demo-keys.json")
		if _, err := os.Stat(keys); err == nil {
			extras = append(extras, keys)
		}
	}
	return dbs, extras, nil
}

// nodeFiles are the node's database and those of the simulators running inside the node, when they are
// separate SQLite files.
func (c Config) nodeFiles() ([]ops.File, error) {
	dbs, err := c.sqliteFile("DATABASE_URL", "beian.db", c.DatabaseURL)
	if err != nil {
		return nil, err
	}
	main := dbs[0].Path
	for _, sim := range []struct {
		name, url string
		remote    bool // not this node's
	}{{"miit.db", c.miitDatabaseURL(), c.Regulator.Remote()}, {"mps.db", c.mpsDatabaseURL(), c.Police.Remote()}} {
		if path, ok := sqldb.SQLitePath(sim.url); ok && path != main && !sim.remote {
			dbs = append(dbs, ops.File{Name: sim.name, Path: path})
		}
	}
	return dbs, nil
}

// addMaterialPacks names the police platform's material packs (mps.BlobDir) beside the database that holds its
// tables, when that database is part of the backup.
func (c Config) addMaterialPacks(part Part, dbs []ops.File) {
	if part == PartMIIT || part == PartNode && c.Police.Remote() {
		return
	}
	url := c.mpsDatabaseURL()
	path, ok := sqldb.SQLitePath(url)
	dir, _ := mps.BlobDir(url)
	for i := range dbs {
		if ok && dbs[i].Path == path {
			dbs[i].Blobs = dir
		}
	}
}

// sqliteFile is the database at url as the backup's file name, or an error when it is not SQLite.
func (c Config) sqliteFile(env, name, url string) ([]ops.File, error) {
	path, ok := sqldb.SQLitePath(url)
	if !ok {
		return nil, fmt.Errorf("%s is PostgreSQL: back it up with pg_dump (docs/operations.md)", env)
	}
	return []ops.File{{Name: name, Path: path}}, nil
}

// RunBackup is the command `beian backup DIR` (`beian miit backup DIR`, `beian mps backup DIR` for part), run
// beside the serving process with the same configuration.
func RunBackup(part Part, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	fs := flag.NewFlagSet(strings.TrimPrefix(part.command("backup"), "beian "), flag.ContinueOnError)
	pos, code, ok := cliargs.Parse(fs, args, fmt.Sprintf("usage: %s DIR", part.command("backup")), stdout, stderr, "DIR")
	if !ok {
		return code
	}
	dir := pos[0]
	cfg, err := FromEnv(getenv)
	if err != nil {
		fmt.Fprintf(stderr, "beian: configuration: %v\n", err)
		return 2
	}
	dbs, extras, err := cfg.backupFiles(part)
	if err == nil {
		err = ops.Backup(context.Background(), dir, dbs, extras)
	}
	if err != nil {
		fmt.Fprintf(stderr, "beian: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "beian: backup written to %s\n", dir)
	if len(extras) > 0 {
		fmt.Fprintln(stdout, "beian: it holds the demo encryption keys: keep it as safe as the database")
	}
	return 0
}

// RunRestore is the command `beian restore [-force] DIR` (`beian miit restore`, `beian mps restore` for part);
// every process using the databases must be stopped.
func RunRestore(part Part, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	fs := flag.NewFlagSet(strings.TrimPrefix(part.command("restore"), "beian "), flag.ContinueOnError)
	force := fs.Bool("force", false, "replace the existing databases")
	pos, code, ok := cliargs.Parse(fs, args,
		fmt.Sprintf("usage: %s [-force] DIR   (stop every process using the databases first)", part.command("restore")),
		stdout, stderr, "DIR")
	if !ok {
		return code
	}
	dir := pos[0]
	cfg, err := FromEnv(getenv)
	if err != nil {
		fmt.Fprintf(stderr, "beian: configuration: %v\n", err)
		return 2
	}
	dbs, _, err := cfg.backupFiles(part)
	if err == nil {
		err = ops.Restore(context.Background(), dir, dbs, cfg.DataDir, *force)
	}
	if err != nil {
		fmt.Fprintf(stderr, "beian: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "beian: restored from %s\n", dir)
	return 0
}
