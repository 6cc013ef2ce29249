package store

import (
	"context"
	"crypto/hmac"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/sqldb"
)

// BlobStore keeps the contents of uploaded files: materials, face photos and their re-encoded copies. Contents
// are addressed by a keyed hash of the plaintext (so the same file is kept once and the address reveals nothing
// without the index key) and arrive already sealed: a BlobStore only ever sees ciphertext. The default,
// DBBlobs, keeps them in the database so that several app nodes share them; DirBlobs keeps them in a directory
// (a mounted volume or a synced object store).
//
// Put must not be called inside a Store.Update transaction: on SQLite the single writer connection is held by
// the transaction, and a store that writes to the same database would wait for it for ever. Callers put the
// blob first, then record what refers to it; a failure in between leaves an unreferenced blob that
// Store.DropUnreferencedBlob removes.
type BlobStore interface {
	// Put stores sealed under key; putting a key that exists keeps the existing copy.
	Put(ctx context.Context, key, sealed []byte) error
	// Get returns what was put under key, or a NotFound problem.
	Get(ctx context.Context, key []byte) ([]byte, error)
	// Delete removes key; deleting a missing key is not an error.
	Delete(ctx context.Context, key []byte) error
}

const blobKind = "blob"

// BlobKey is the content address of data: the keyed hash that BlobStore keys are.
func (s *Store) BlobKey(data []byte) []byte { return s.Keys.Hash(blobKind, string(data)) }

// PutBlob seals data and stores it in the blob store; it returns the content address. See BlobStore for why
// it must not run inside a transaction.
func (s *Store) PutBlob(ctx context.Context, data []byte) ([]byte, error) {
	key := s.BlobKey(data)
	return key, s.blobs().Put(ctx, key, s.Keys.Seal(data, purposeBlob))
}

// Blob returns the plaintext stored under key, checking that it is the content the key addresses: a blob
// moved or swapped in the store is refused rather than shown as another file.
func (s *Store) Blob(ctx context.Context, key []byte) ([]byte, error) {
	sealed, err := s.blobs().Get(ctx, key)
	if err != nil {
		return nil, err
	}
	data, err := s.Keys.Open(sealed, purposeBlob)
	if err != nil {
		return nil, err
	}
	if !hmac.Equal(s.BlobKey(data), key) {
		return nil, fmt.Errorf("store: blob %x does not hold the content it is addressed by", key[:6])
	}
	return data, nil
}

// DropUnreferencedBlob deletes key from the blob store unless a material, a material variant or a
// verification still refers to it (the same content may be shared: the store keeps one copy).
func (s *Store) DropUnreferencedBlob(ctx context.Context, key []byte) error {
	if len(key) == 0 {
		return nil
	}
	var n int
	err := s.R.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM materials WHERE blob_hash = $1) +
		(SELECT COUNT(*) FROM material_variants WHERE blob_hash = $1) +
		(SELECT COUNT(*) FROM verifications WHERE blob_hash = $1 OR miit_hash = $1)`, key).Scan(&n)
	if err != nil || n > 0 {
		return err
	}
	return s.blobs().Delete(ctx, key)
}

// Resealer is a BlobStore outside the database that can re-encrypt its contents during key rotation
// (RotateKeys reseals the blobs table itself).
type Resealer interface {
	// Reseal passes every stored blob to fn and stores what fn returns when it reports a change.
	Reseal(ctx context.Context, fn func(sealed []byte) (out []byte, changed bool, err error)) (int, error)
}

func nowMillis() int64 { return time.Now().UnixMilli() }

func (s *Store) blobs() BlobStore {
	if s.Blobs != nil {
		return s.Blobs
	}
	return DBBlobs{s.DB}
}

// DBBlobs keeps blobs in the database's blobs table (the default).
type DBBlobs struct{ DB *sqldb.DB }

// Put implements BlobStore.
func (b DBBlobs) Put(ctx context.Context, key, sealed []byte) error {
	_, err := b.DB.Exec(ctx, `INSERT INTO blobs (hash, size, data_enc, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (hash) DO NOTHING`, key, len(sealed), sealed, nowMillis())
	return err
}

// Get implements BlobStore.
func (b DBBlobs) Get(ctx context.Context, key []byte) ([]byte, error) {
	var sealed []byte
	err := b.DB.R.QueryRowContext(ctx, `SELECT data_enc FROM blobs WHERE hash = $1`, key).Scan(&sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, problem.New(problem.NotFound, "material.not_found", "")
	}
	return sealed, err
}

// Delete implements BlobStore.
func (b DBBlobs) Delete(ctx context.Context, key []byte) error {
	_, err := b.DB.Exec(ctx, `DELETE FROM blobs WHERE hash = $1`, key)
	return err
}

// DirBlobs keeps blobs as files named by the hex of their key in a directory, two levels deep
// (ab/cd/abcd…): for deployments that keep files on a shared volume rather than in the database.
type DirBlobs struct{ Dir string }

func (d DirBlobs) path(key []byte) string {
	h := hex.EncodeToString(key)
	return filepath.Join(d.Dir, h[:2], h[2:4], h)
}

// Put implements BlobStore.
func (d DirBlobs) Put(_ context.Context, key, sealed []byte) error {
	if len(key) < 2 {
		return errors.New("store: blob key too short")
	}
	p := d.path(key)
	if _, err := os.Stat(p); err == nil {
		return nil
	}
	return writeAtomic(p, sealed)
}

// writeAtomic writes to a temporary file and renames it, so a reader never sees half a blob.
func writeAtomic(p string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(p), ".put-*")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), p)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// Get implements BlobStore.
func (d DirBlobs) Get(_ context.Context, key []byte) ([]byte, error) {
	if len(key) < 2 {
		return nil, problem.New(problem.NotFound, "material.not_found", "")
	}
	b, err := os.ReadFile(d.path(key))
	if errors.Is(err, os.ErrNotExist) {
		return nil, problem.New(problem.NotFound, "material.not_found", "")
	}
	return b, err
}

// Reseal implements Resealer: every file is passed to fn, and replaced (atomically) when fn returns a new
// content.
func (d DirBlobs) Reseal(ctx context.Context, fn func(sealed []byte) ([]byte, bool, error)) (int, error) {
	n := 0
	err := filepath.WalkDir(d.Dir, func(p string, e os.DirEntry, err error) error {
		if err != nil || e.IsDir() || len(e.Name()) < 4 || e.Name()[0] == '.' {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if _, err := hex.DecodeString(e.Name()); err != nil {
			return nil // not a blob
		}
		sealed, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		out, changed, err := fn(sealed)
		if err != nil || !changed {
			return err
		}
		n++
		return writeAtomic(p, out)
	})
	return n, err
}

// Delete implements BlobStore.
func (d DirBlobs) Delete(_ context.Context, key []byte) error {
	if len(key) < 2 {
		return nil
	}
	err := os.Remove(d.path(key))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return err
}
