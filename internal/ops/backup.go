package ops

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers "sqlite"
)

// A backup is a directory: one consistent copy per SQLite database, the files beside them that a restore needs
// (the demo keys), and manifest.json. PostgreSQL is backed up with its own tools (docs/operations.md).

// File is one database of a backup: its name in the backup directory and where it lives.
type File struct {
	Name string // e.g. beian.db
	Path string // the live SQLite file
	// Blobs is a directory of files the database refers to (the police platform's material packs; "" none).
	// Its files must be written before the rows that name them commit and never changed once named: a copy
	// made after the database's copy then holds everything that copy names. It goes into the backup as
	// Name + "-blobs".
	Blobs string
}

// Manifest describes a backup.
type Manifest struct {
	CreatedAt time.Time `json:"created_at"`
	Databases []string  `json:"databases"`
	Extras    []string  `json:"extras,omitempty"`
	BlobDirs  []string  `json:"blob_dirs,omitempty"`
}

const manifestName = "manifest.json"

const blobsSuffix = "-blobs"

// Backup writes a consistent copy of each database into dir (created; it must not exist or be empty), while
// the server keeps serving. Each copy is made with VACUUM INTO, which reads one snapshot of its database.
//
// The databases also have to agree with each other: the provider's outbox says which uploads the regulator has,
// and the regulator's queue which results the provider acknowledged. So the writers of every database but the
// first are held (one write transaction kept open) while the first is copied, then the others are copied and
// released: nothing can pass between the databases meanwhile. Writers held wait (SQLite's busy timeout, then
// retries); copies of databases of a few hundred megabytes take seconds. extras are plain files copied as they
// are (the demo keys).
func Backup(ctx context.Context, dir string, dbs []File, extras []string) error {
	if len(dbs) == 0 {
		return errors.New("backup: no SQLite database to copy")
	}
	if err := emptyDir(dir); err != nil {
		return err
	}
	var holds []*sql.DB
	defer func() {
		for _, h := range holds {
			h.Close() // rolls the held transaction back
		}
	}()
	for _, f := range dbs[1:] {
		h, err := holdWriters(ctx, f.Path)
		if err != nil {
			return fmt.Errorf("backup: hold the writers of %s: %w", f.Path, err)
		}
		holds = append(holds, h)
	}
	m := Manifest{CreatedAt: time.Now().UTC()}
	for _, f := range dbs {
		if err := vacuumInto(ctx, f.Path, filepath.Join(dir, f.Name)); err != nil {
			return fmt.Errorf("backup: copy %s: %w", f.Path, err)
		}
		m.Databases = append(m.Databases, f.Name)
	}
	for _, f := range dbs { // after every database's copy: see File.Blobs
		if f.Blobs == "" {
			continue
		}
		if err := copyDir(f.Blobs, filepath.Join(dir, f.Name+blobsSuffix)); err != nil {
			return fmt.Errorf("backup: copy %s: %w", f.Blobs, err)
		}
		m.BlobDirs = append(m.BlobDirs, f.Name+blobsSuffix)
	}
	for _, e := range extras {
		if err := copyFile(e, filepath.Join(dir, filepath.Base(e))); err != nil {
			return fmt.Errorf("backup: copy %s: %w", e, err)
		}
		m.Extras = append(m.Extras, filepath.Base(e))
	}
	b, _ := json.MarshalIndent(m, "", "  ")
	return os.WriteFile(filepath.Join(dir, manifestName), append(b, '\n'), 0o600)
}

// Restore puts a backup in place: each database of the manifest is checked (PRAGMA integrity_check), then
// copied over its live file (by name: dbs), whose WAL and shared-memory files are removed; extras go into
// extrasDir. Every server using the databases must be stopped first. Existing files are replaced only with
// force.
func Restore(ctx context.Context, dir string, dbs []File, extrasDir string, force bool) error {
	var m Manifest
	raw, err := os.ReadFile(filepath.Join(dir, manifestName))
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return fmt.Errorf("restore: %s: %w", manifestName, err)
	}
	targets, blobs := map[string]string{}, map[string]string{}
	for _, f := range dbs {
		targets[f.Name] = f.Path
		if f.Blobs != "" {
			blobs[f.Name+blobsSuffix] = f.Blobs
		}
	}
	for _, name := range m.BlobDirs {
		if blobs[name] == "" {
			return fmt.Errorf("restore: the backup has %s, which this configuration does not use", name)
		}
	}
	for _, f := range dbs { // a backup of another kind of process (a simulator's into a node) would mix the two
		if !slices.Contains(m.Databases, f.Name) {
			return fmt.Errorf("restore: the backup has no %s, which this configuration uses: it was made by another kind of process (it has %s)",
				f.Name, strings.Join(m.Databases, ", "))
		}
	}
	for _, name := range m.Databases {
		target, ok := targets[name]
		if !ok {
			return fmt.Errorf("restore: the backup has %s, which this configuration does not use", name)
		}
		if err := checkIntegrity(ctx, filepath.Join(dir, name)); err != nil {
			return fmt.Errorf("restore: %s: %w", name, err)
		}
		if _, err := os.Stat(target); err == nil && !force {
			return fmt.Errorf("restore: %s exists; stop the server and restore with -force to replace it", target)
		}
	}
	for _, name := range m.BlobDirs {
		if err := replaceDir(filepath.Join(dir, name), blobs[name]); err != nil {
			return fmt.Errorf("restore: %w", err)
		}
	}
	for _, name := range m.Databases {
		if err := replaceDB(filepath.Join(dir, name), targets[name]); err != nil {
			return fmt.Errorf("restore: %w", err)
		}
	}
	if err := os.MkdirAll(extrasDir, 0o700); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	for _, e := range m.Extras {
		if err := copyFile(filepath.Join(dir, e), filepath.Join(extrasDir, e)); err != nil {
			return fmt.Errorf("restore: %w", err)
		}
	}
	return nil
}

func openSQLite(path, params string) (*sql.DB, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)"+params)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

// holdWriters opens a write transaction on path and keeps it open until the returned pool is closed: the
// database's other writers wait meanwhile; readers (and VACUUM INTO) go on.
func holdWriters(ctx context.Context, path string) (*sql.DB, error) {
	db, err := openSQLite(path, "")
	if err != nil {
		return nil, err
	}
	if _, err := db.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func vacuumInto(ctx context.Context, path, dest string) error {
	db, err := openSQLite(path, "&mode=ro")
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.ExecContext(ctx, "VACUUM INTO "+quote(dest))
	return err
}

func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func checkIntegrity(ctx context.Context, path string) error {
	db, err := openSQLite(path, "&mode=ro")
	if err != nil {
		return err
	}
	defer db.Close()
	var res string
	if err := db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&res); err != nil {
		return err
	}
	if res != "ok" {
		return fmt.Errorf("integrity check: %s", res)
	}
	return nil
}

// replaceDB copies src beside target and renames it over target, then removes target's WAL and shared memory,
// which belong to the replaced database.
func replaceDB(src, target string) error {
	if err := os.MkdirAll(filepath.Dir(target), 0o700); err != nil {
		return err
	}
	tmp := target + ".restore"
	if err := copyFile(src, tmp); err != nil {
		return err
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.Remove(target + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return os.Rename(tmp, target)
}

// replaceDir copies src beside target and puts it in target's place.
func replaceDir(src, target string) error {
	tmp := target + ".restore"
	if err := os.RemoveAll(tmp); err != nil {
		return err
	}
	if err := copyDir(src, tmp); err != nil {
		return err
	}
	if err := os.RemoveAll(target); err != nil {
		return err
	}
	return os.Rename(tmp, target)
}

// copyDir copies the regular files of src (one level, as the packs are) into dst, created; a missing src is
// an empty directory.
func copyDir(src, dst string) error {
	if err := os.MkdirAll(dst, 0o700); err != nil {
		return err
	}
	entries, err := os.ReadDir(src)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		if err := copyFile(filepath.Join(src, e.Name()), filepath.Join(dst, e.Name())); err != nil {
			return err
		}
	}
	return nil
}

func emptyDir(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return os.MkdirAll(dir, 0o700)
	case err != nil:
		return err
	case len(entries) > 0:
		return fmt.Errorf("backup: %s is not empty", dir)
	}
	return nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
