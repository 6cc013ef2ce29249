package miit

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/regulator"
)

// purposeAttachment seals the files a submission carried.
const purposeAttachment = "miit.submission.attachment"

// AttachmentInfo describes one file of a submission, without its bytes: N numbers it within the submission.
type AttachmentInfo struct {
	N       int    `json:"n"`
	Purpose string `json:"purpose"`
	Service *int   `json:"service,omitempty"`
	Person  string `json:"person,omitempty"`
	Type    string `json:"type"`
}

// keepAttachments stores the files of a received submission, sealed, for the officer who will review it.
func (s *Simulator) keepAttachments(ctx context.Context, tx *sql.Tx, subID int64, atts []regulator.Attachment) error {
	for n, a := range atts {
		service := -1
		if a.Service != nil {
			service = *a.Service
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO miit_attachments (submission_id, n, purpose, service, person,
			media_type, data) VALUES ($1, $2, $3, $4, $5, $6, $7)`, subID, n, a.Purpose, service, a.Person, a.Type,
			s.keys.Seal(a.Data, purposeAttachment)); err != nil {
			return err
		}
	}
	return nil
}

// Attachments lists the files of the submission an officer reviews (NotFound outside their provinces).
func (s *Simulator) Attachments(ctx context.Context, id int64, provinces []string) ([]AttachmentInfo, error) {
	if err := s.reviewable(ctx, id, provinces); err != nil {
		return nil, err
	}
	rows, err := s.db.R.QueryContext(ctx, `SELECT n, purpose, service, person, media_type FROM miit_attachments
		WHERE submission_id = $1 ORDER BY n`, id)
	if err != nil {
		return nil, problem.Wrap(err, "miit.internal")
	}
	defer rows.Close()
	var out []AttachmentInfo
	for rows.Next() {
		var a AttachmentInfo
		service := -1
		if err := rows.Scan(&a.N, &a.Purpose, &service, &a.Person, &a.Type); err != nil {
			return nil, problem.Wrap(err, "miit.internal")
		}
		if service >= 0 {
			a.Service = &service
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, problem.Wrap(err, "miit.internal")
	}
	return out, nil
}

// Attachment returns file n of the submission an officer reviews, with its media type.
func (s *Simulator) Attachment(ctx context.Context, id int64, n int, provinces []string) ([]byte, string, error) {
	if err := s.reviewable(ctx, id, provinces); err != nil {
		return nil, "", err
	}
	var sealed []byte
	var typ string
	err := s.db.R.QueryRowContext(ctx, `SELECT media_type, data FROM miit_attachments WHERE submission_id = $1 AND n = $2`,
		id, n).Scan(&typ, &sealed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", problem.New(problem.NotFound, "miit.attachment_not_found", "", "n", fmt.Sprint(n))
	}
	if err != nil {
		return nil, "", problem.Wrap(err, "miit.internal")
	}
	data, err := s.keys.Open(sealed, purposeAttachment)
	if err != nil {
		return nil, "", problem.Wrap(err, "miit.internal")
	}
	return data, typ, nil
}

// reviewable is NotFound unless submission id reached review and belongs to one of provinces.
func (s *Simulator) reviewable(ctx context.Context, id int64, provinces []string) error {
	var province string
	err := s.db.R.QueryRowContext(ctx, `SELECT province FROM miit_submissions WHERE id = $1 AND state <> 'received'`,
		id).Scan(&province)
	if errors.Is(err, sql.ErrNoRows) || err == nil && !slices.Contains(provinces, province) {
		return problem.New(problem.NotFound, "miit.review_not_found", "", "id", fmt.Sprint(id))
	}
	if err != nil {
		return problem.Wrap(err, "miit.internal")
	}
	return nil
}
