package miit

import (
	"context"
	"database/sql"
	"errors"

	"github.com/beian/beian/internal/sqldb"
)

// RecallUpload returns the digest and the answer kept for a provider's upload sequence (the provider interface
// over the network: a re-upload of a sequence is answered as the first upload was); found is false for a new one.
func (s *Simulator) RecallUpload(ctx context.Context, providerID string, sequence int64) (digest string, answer []byte, found bool, err error) {
	var a string
	err = s.db.R.QueryRowContext(ctx, `SELECT digest, answer FROM miit_uploads WHERE provider_id = $1 AND sequence = $2`,
		providerID, sequence).Scan(&digest, &a)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil, false, nil
	}
	if err != nil {
		return "", nil, false, err
	}
	return digest, []byte(a), true, nil
}

// RecordUpload keeps the answer to an upload sequence; a sequence already kept keeps its first answer.
func (s *Simulator) RecordUpload(ctx context.Context, providerID string, sequence int64, digest string, answer []byte) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO miit_uploads (provider_id, sequence, digest, answer, received_at)
			VALUES ($1, $2, $3, $4, $5) ON CONFLICT (provider_id, sequence) DO NOTHING`,
			providerID, sequence, digest, string(answer), sqldb.Millis(s.clk.Now()))
		return err
	})
}
