package store

import (
	"context"
	"fmt"

	"github.com/beian/beian/internal/sqldb"
)

// SealedColumns lists every sealed column of the provider side. A test compares it with the schema, so that a
// new sealed column cannot be forgotten by key rotation.
func SealedColumns() []sqldb.SealedColumn {
	id := []string{"id"}
	return []sqldb.SealedColumn{
		{Table: "accounts", Key: id, Column: "email_enc", Purpose: purposeEmail},
		{Table: "accounts", Key: id, Column: "mobile_enc", Purpose: purposeMobile},
		{Table: "orders", Key: id, Column: "payload_enc", Purpose: purposeOrder},
		{Table: "subject_contacts", Key: []string{"order_id", "kind", "value_hash"}, Column: "extra_enc", Purpose: purposeContacts},
		{Table: "filed_subjects", Key: id, Column: "payload_enc", Purpose: purposeFiledSubject},
		{Table: "filed_services", Key: id, Column: "payload_enc", Purpose: purposeFiledService},
		{Table: "outbox", Key: id, Column: "payload_enc", Purpose: purposeOutbox},
		{Table: "dev_messages", Key: id, Column: "to_enc", Purpose: purposeDevTo},
		{Table: "dev_messages", Key: id, Column: "body_enc", Purpose: purposeDevBody},
		{Table: "blobs", Key: []string{"hash"}, Column: "data_enc", Purpose: purposeBlob},
		{Table: "order_submissions", Key: []string{"order_id", "seq"}, Column: "payload_enc", Purpose: purposeSubmission},
		{Table: "review_calls", Key: id, Column: "phone_enc", Purpose: purposeCallPhone},
		{Table: "curtain_mailings", Key: id, Column: "address_enc", Purpose: purposeMailing},
		{Table: "compliance_results", Key: []string{"sweep_id", "seq"}, Column: "report_enc", Purpose: purposeSiteReport},
		{Table: "idempotency", Key: []string{"account_id", "idem_key"}, Column: "body_enc", Purpose: purposeIdempotency},
	}
}

// RotateKeys re-encrypts the provider side's sealed columns, and the blobs of a BlobStore outside the database
// that can reseal (DirBlobs), under the primary key. See Reseal.
func (s *Store) RotateKeys(ctx context.Context, dryRun bool) (map[string]int, error) {
	out, err := sqldb.Reseal(ctx, s.DB, s.Keys, SealedColumns(), dryRun)
	if err != nil {
		return out, err
	}
	if r, ok := s.Blobs.(Resealer); ok {
		stale := 0
		_, err := r.Reseal(ctx, func(sealed []byte) ([]byte, bool, error) {
			if !s.Keys.Stale(sealed) {
				return nil, false, nil
			}
			stale++
			if dryRun {
				return nil, false, nil
			}
			plain, err := s.Keys.Open(sealed, purposeBlob)
			if err != nil {
				return nil, false, err
			}
			return s.Keys.Seal(plain, purposeBlob), true, nil
		})
		out["blob_store"] = stale
		if err != nil {
			return out, fmt.Errorf("blob store: %w", err)
		}
	}
	return out, nil
}
