package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/beian/beian/internal/sqldb"
)

const purposeBlob = "blobs.data"

// Material is an uploaded document's record; its bytes live in the blob store.
type Material struct {
	ID        int64     `json:"id"`
	OwnerID   int64     `json:"owner_id"`
	Code      string    `json:"code"`
	Type      string    `json:"type"`
	Size      int       `json:"size"`
	Width     int       `json:"width,omitempty"`
	Height    int       `json:"height,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	// BlobKey is the content address of the file in the blob store (see Store.PutBlob).
	BlobKey []byte `json:"-"`
	// Variants are the re-encoded copies kept for receivers (filled by InsertMaterial's caller and by
	// Materials; Material leaves it empty).
	Variants []Variant `json:"variants,omitempty"`
}

// Variant is a copy of a material re-encoded for a receiver's limits.
type Variant struct {
	Purpose string `json:"purpose"` // VariantMIIT | VariantPolice
	Type    string `json:"type"`
	Size    int    `json:"size"`
	Width   int    `json:"width"`
	Height  int    `json:"height"`
	BlobKey []byte `json:"-"`
}

// Variant purposes.
const (
	VariantMIIT   = "miit"   // JPEG within MIIT's attachment limits (docs/design.md §5)
	VariantPolice = "police" // JPEG ≤ 512 KB for the police filing platform (the police platform's filing procedure)
)

// InsertMaterial records a material whose bytes (m.BlobKey) and variants' bytes are already in the blob store.
func (t *Tx) InsertMaterial(ctx context.Context, m *Material) error {
	id, err := insertID(ctx, t.tx, `INSERT INTO materials (owner_id, code, type, blob_hash, size, width, height, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, m.OwnerID, m.Code, m.Type, m.BlobKey, m.Size, m.Width, m.Height,
		sqldb.Millis(m.CreatedAt))
	if err != nil {
		return err
	}
	m.ID = id
	for _, v := range m.Variants {
		if err := t.PutMaterialVariant(ctx, m.ID, v); err != nil {
			return err
		}
	}
	return nil
}

// PutMaterialVariant records (or replaces) a material's copy for one purpose.
func (t *Tx) PutMaterialVariant(ctx context.Context, materialID int64, v Variant) error {
	_, err := t.tx.ExecContext(ctx, `INSERT INTO material_variants (material_id, purpose, blob_hash, type, size, width, height)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (material_id, purpose) DO UPDATE SET blob_hash = excluded.blob_hash,
		type = excluded.type, size = excluded.size, width = excluded.width, height = excluded.height`,
		materialID, v.Purpose, v.BlobKey, v.Type, v.Size, v.Width, v.Height)
	return err
}

const materialColumns = `id, owner_id, code, type, blob_hash, size, width, height, created_at`

func scanMaterial(row interface{ Scan(...any) error }) (*Material, error) {
	var m Material
	var created int64
	if err := row.Scan(&m.ID, &m.OwnerID, &m.Code, &m.Type, &m.BlobKey, &m.Size, &m.Width, &m.Height, &created); err != nil {
		return nil, notFound(err, "material.not_found")
	}
	m.CreatedAt = sqldb.Time(created)
	return &m, nil
}

// Material loads a material's record.
func (s *Store) Material(ctx context.Context, id int64) (*Material, error) {
	return scanMaterial(s.R.QueryRowContext(ctx, `SELECT `+materialColumns+` FROM materials WHERE id = $1`, id))
}

// Materials loads several materials with their variants, by id; unknown ids are left out.
func (s *Store) Materials(ctx context.Context, ids []int64) (map[int64]*Material, error) {
	out := map[int64]*Material{}
	if len(ids) == 0 {
		return out, nil
	}
	args := sqldb.Args(ids)
	rows, err := s.R.QueryContext(ctx, `SELECT `+materialColumns+` FROM materials WHERE id IN (`+sqldb.Placeholders(1, len(ids))+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		m, err := scanMaterial(rows)
		if err != nil {
			return nil, err
		}
		out[m.ID] = m
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	vrows, err := s.R.QueryContext(ctx, `SELECT material_id, purpose, blob_hash, type, size, width, height
		FROM material_variants WHERE material_id IN (`+sqldb.Placeholders(1, len(ids))+`) ORDER BY material_id, purpose`, args...)
	if err != nil {
		return nil, err
	}
	defer vrows.Close()
	for vrows.Next() {
		var id int64
		var v Variant
		if err := vrows.Scan(&id, &v.Purpose, &v.BlobKey, &v.Type, &v.Size, &v.Width, &v.Height); err != nil {
			return nil, err
		}
		if m := out[id]; m != nil {
			m.Variants = append(m.Variants, v)
		}
	}
	return out, vrows.Err()
}

// MaterialVariant returns a material's copy for purpose, or nil when none was made.
func (s *Store) MaterialVariant(ctx context.Context, id int64, purpose string) (*Variant, error) {
	v := Variant{Purpose: purpose}
	err := s.R.QueryRowContext(ctx, `SELECT blob_hash, type, size, width, height FROM material_variants
		WHERE material_id = $1 AND purpose = $2`, id, purpose).Scan(&v.BlobKey, &v.Type, &v.Size, &v.Width, &v.Height)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// MaterialData returns a material's bytes.
func (s *Store) MaterialData(ctx context.Context, m *Material) ([]byte, error) {
	return s.Blob(ctx, m.BlobKey)
}

// MaterialsOwned reports which of ids belong to owner.
func (s *Store) MaterialsOwned(ctx context.Context, owner int64, ids []int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	if len(ids) == 0 {
		return out, nil
	}
	args := []any{owner}
	for _, id := range ids {
		args = append(args, id)
	}
	rows, err := s.R.QueryContext(ctx, `SELECT id FROM materials WHERE owner_id = $1 AND id IN (`+sqldb.Placeholders(2, len(ids))+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out[id] = true
	}
	return out, rows.Err()
}
