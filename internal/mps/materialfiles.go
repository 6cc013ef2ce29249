package mps

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/beian/beian/internal/sqldb"
)

// Where the sealed (encrypted) files of materials live. On PostgreSQL, which several nodes share, they stay in
// the row (mps_materials.data). On SQLite they are appended to pack files in a directory beside the database
// (BlobDir) and the row names the pack, offset and length (file_ref): an 83 KB scan written into SQLite cost
// its pages twice (the write-ahead log, then the checkpoint), two system calls per 4 KB page, the largest
// part of an upload after the image check; one file per scan cost more still here (creating a file took
// 0.1–0.8 ms of CPU under load), one append to an open file costs one system call (docs/benchmarks.md).
//
// The order keeps a row from ever naming bytes that are not there: the file is appended and flushed to disk
// (fsync, shared by the uploads waiting at the same time) before the transaction that records the row starts.
// A crash in between leaves bytes no row names, which is harmless. A process killed at any point, or an
// operating system that stops, loses nothing a committed row names. Each process appends to packs of its own
// (a new name per start), so two processes never write the same pack and a pack torn by a crash is never
// written again. Packs are only appended to.
type materialFiles interface {
	// keep is called before the transaction that records a material: it returns what the row's data and
	// file_ref columns hold.
	keep(sealed []byte) (inRow []byte, ref string, err error)
	// load returns the sealed file of a row.
	load(inRow []byte, ref string) ([]byte, error)
	// release gives back the space of the files refs named, whose rows are deleted (retention.go).
	release(refs []string) error
}

// BlobDir is the directory of the material packs kept beside an SQLite database ("mps.db" → "mps.db-blobs",
// like its -wal and -shm files); ok is false for PostgreSQL, which keeps the files in the database.
func BlobDir(url string) (dir string, ok bool) {
	path, ok := sqldb.SQLitePath(url)
	if !ok {
		return "", false
	}
	return path + "-blobs", true
}

func newMaterialFiles(db *sqldb.DB) materialFiles {
	if dir, ok := BlobDir(db.URL); ok {
		return &packFiles{dir: dir, limit: packLimit}
	}
	return rowFiles{}
}

// rowFiles keeps the sealed files in the rows (PostgreSQL).
type rowFiles struct{}

func (rowFiles) keep(sealed []byte) ([]byte, string, error)  { return sealed, "", nil }
func (rowFiles) load(inRow []byte, _ string) ([]byte, error) { return inRow, nil }
func (rowFiles) release([]string) error                      { return nil } // gone with their rows

// packLimit is the size past which a new pack is started.
const packLimit = 256 << 20

// packFiles appends the sealed files to packs named by the time their process opened them and a random
// suffix ("20261206T101500-1a2b3c4d.pack").
type packFiles struct {
	dir   string
	limit int64 // packLimit; smaller in tests
	mu    sync.Mutex
	f     *os.File // the pack being appended to; nil before the first file
	end   int64

	flushMu    sync.Mutex
	flushed    *os.File // the pack flushed last, and how far
	flushedEnd int64
}

func (p *packFiles) keep(sealed []byte) ([]byte, string, error) {
	f, off, end, err := p.append(sealed)
	if err != nil {
		return nil, "", err
	}
	if err := p.flush(f, end); err != nil {
		return nil, "", err
	}
	return []byte{}, p.nameOf(f) + "@" + strconv.FormatInt(off, 10) + "+" + strconv.Itoa(len(sealed)), nil
}

// maxGatherRounds bounds the yields of a flush waiting for more appends.
const maxGatherRounds = 8

func (p *packFiles) written() (int64, *os.File) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.end, p.f
}

func (p *packFiles) nameOf(f *os.File) string { return filepath.Base(f.Name()) }

// append writes sealed at the end of the current pack.
func (p *packFiles) append(sealed []byte) (f *os.File, off, end int64, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.f == nil || p.end+int64(len(sealed)) > p.limit {
		if err := p.next(); err != nil {
			return nil, 0, 0, err
		}
	}
	off = p.end
	if _, err := p.f.WriteAt(sealed, off); err != nil {
		p.f.Close()
		p.f = nil // what this write left is never named; start a new pack
		return nil, 0, 0, err
	}
	p.end += int64(len(sealed))
	return p.f, off, p.end, nil
}

// flush makes what was appended to f up to end durable (fsync), so that an operating system crash cannot
// leave a committed row naming bytes never written to disk. Uploads waiting at the same time share one flush:
// a flush that started after their bytes were written covers them. Before it starts, a flush lets the
// uploads ready to run append theirs (the group commit's gather, internal/sqldb): under load it then covers
// several, where an fsync each cost ≈ 0.2 ms of CPU here (docs/benchmarks.md).
func (p *packFiles) flush(f *os.File, end int64) error {
	p.flushMu.Lock()
	defer p.flushMu.Unlock()
	if p.flushed == f && p.flushedEnd >= end {
		return nil
	}
	// Let the uploads about to append theirs do so first (Gosched returns at once when nothing else is ready),
	// as long as that brings more: one flush then covers them all.
	written, current := p.written()
	for range maxGatherRounds {
		runtime.Gosched()
		w, c := p.written()
		if c != current || w == written {
			break
		}
		written = w
	}
	if err := f.Sync(); err != nil && !errors.Is(err, os.ErrClosed) { // closed: flushed when the next began
		return err
	}
	if current == f {
		p.flushed, p.flushedEnd = f, written
	}
	return nil
}

// next opens a new pack, after flushing and closing the current one.
func (p *packFiles) next() error {
	if p.f != nil {
		if err := p.f.Sync(); err != nil {
			return err
		}
		p.f.Close()
	}
	if err := os.MkdirAll(p.dir, 0o700); err != nil {
		return err
	}
	var suffix [4]byte
	rand.Read(suffix[:])
	name := time.Now().UTC().Format("20060102T150405") + "-" + hex.EncodeToString(suffix[:]) + ".pack"
	f, err := os.OpenFile(filepath.Join(p.dir, name), os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	p.f, p.end = f, 0
	return nil
}

// load reads the file a row names; rows written before the packs (ref empty) hold theirs.
func (p *packFiles) load(inRow []byte, ref string) ([]byte, error) {
	if ref == "" {
		return inRow, nil
	}
	name, off, n, err := parseRef(ref)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(filepath.Join(p.dir, name))
	if err != nil {
		return nil, fmt.Errorf("mps: material pack: %w", err)
	}
	defer f.Close()
	b := make([]byte, n)
	if _, err := f.ReadAt(b, off); err != nil {
		return nil, fmt.Errorf("mps: material pack %s: %w", ref, err)
	}
	return b, nil
}

// release punches holes where the files refs named lie in their packs (punch), then flushes each pack, so that
// the bytes are gone before their records in mps_freed_files are. A pack that is no longer there (removed by
// hand) has nothing left to release.
func (p *packFiles) release(refs []string) error {
	byPack := map[string][][2]int64{}
	for _, ref := range refs {
		name, off, n, err := parseRef(ref)
		if err != nil {
			return err
		}
		byPack[name] = append(byPack[name], [2]int64{off, int64(n)})
	}
	for name, ranges := range byPack {
		if err := punchPack(filepath.Join(p.dir, name), ranges); err != nil {
			return fmt.Errorf("mps: release material files in %s: %w", name, err)
		}
	}
	return nil
}

// punchPack punches the ranges (offset, length) out of the pack at path and flushes it.
func punchPack(path string, ranges [][2]int64) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	for _, r := range ranges {
		if err := punch(f, r[0], r[1]); err != nil {
			return err
		}
	}
	return f.Sync()
}

// zeroes overwrites n bytes of f at off with zeros: where holes cannot be punched.
func zeroes(f *os.File, off, n int64) error {
	zero := make([]byte, min(n, 64<<10))
	for n > 0 {
		k := min(n, int64(len(zero)))
		if _, err := f.WriteAt(zero[:k], off); err != nil {
			return err
		}
		off, n = off+k, n-k
	}
	return nil
}

// parseRef splits "NAME@OFFSET+LENGTH"; the name is a plain file name of the pack directory.
func parseRef(ref string) (name string, off int64, n int, err error) {
	name, rest, ok1 := strings.Cut(ref, "@")
	offs, ns, ok2 := strings.Cut(rest, "+")
	off, err1 := strconv.ParseInt(offs, 10, 64)
	n, err2 := strconv.Atoi(ns)
	if !ok1 || !ok2 || err1 != nil || err2 != nil || off < 0 || n <= 0 || n > 1<<24 ||
		name != filepath.Base(name) || !strings.HasSuffix(name, ".pack") {
		return "", 0, 0, errors.New("mps: malformed material file reference")
	}
	return name, off, n, nil
}
