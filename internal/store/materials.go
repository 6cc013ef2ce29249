package store

import (
	"context"
	"time"
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
	blobHash  []byte
}

// PutMaterial stores the bytes once per content (keyed hash) and records the material.
func (t *Tx) PutMaterial(ctx context.Context, m *Material, data []byte) error {
	hash := t.s.Keys.Hash("blob", string(data))
	if _, err := t.tx.ExecContext(ctx, `INSERT INTO blobs (hash, size, data_enc, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (hash) DO NOTHING`, hash, len(data), t.s.Keys.Seal(data, purposeBlob), Millis(m.CreatedAt)); err != nil {
		return err
	}
	id, err := insertID(ctx, t.tx, `INSERT INTO materials (owner_id, code, type, blob_hash, size, width, height, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, m.OwnerID, m.Code, m.Type, hash, m.Size, m.Width, m.Height, Millis(m.CreatedAt))
	m.ID, m.blobHash = id, hash
	return err
}

// Material loads a material's record.
func (s *Store) Material(ctx context.Context, id int64) (*Material, error) {
	var m Material
	var created int64
	err := s.R.QueryRowContext(ctx, `SELECT id, owner_id, code, type, blob_hash, size, width, height, created_at
		FROM materials WHERE id = $1`, id).Scan(&m.ID, &m.OwnerID, &m.Code, &m.Type, &m.blobHash, &m.Size, &m.Width,
		&m.Height, &created)
	if err != nil {
		return nil, notFound(err, "material.not_found")
	}
	m.CreatedAt = Time(created)
	return &m, nil
}

// MaterialData returns a material's bytes.
func (s *Store) MaterialData(ctx context.Context, m *Material) ([]byte, error) {
	var sealed []byte
	if err := s.R.QueryRowContext(ctx, `SELECT data_enc FROM blobs WHERE hash = $1`, m.blobHash).Scan(&sealed); err != nil {
		return nil, notFound(err, "material.not_found")
	}
	return s.Keys.Open(sealed, purposeBlob)
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
	rows, err := s.R.QueryContext(ctx, `SELECT id FROM materials WHERE owner_id = $1 AND id IN (`+Placeholders(2, len(ids))+`)`, args...)
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
