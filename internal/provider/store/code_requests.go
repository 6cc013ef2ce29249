package store

import (
	"context"
	"time"

	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/sqldb"
)

// The states of a request for an authorization code.
const (
	CodeRequestOpen     = "open"
	CodeRequestIssued   = "issued"
	CodeRequestDeclined = "declined"
)

// CodeRequest is an applicant's request for an authorization code, with the reviewer's answer: the code issued
// (and until when it is valid) or the reason it was declined.
type CodeRequest struct {
	ID            int64     `json:"id"`
	AccountID     int64     `json:"account_id"`
	Domain        string    `json:"domain"`
	Reason        string    `json:"reason"`
	State         string    `json:"state"`
	Code          string    `json:"code,omitempty"`
	CodeExpiresAt time.Time `json:"code_expires_at,omitzero"`
	DeclineReason string    `json:"decline_reason,omitempty"`
	DecidedBy     int64     `json:"decided_by,omitempty"`
	DecidedAt     time.Time `json:"decided_at,omitzero"`
	CreatedAt     time.Time `json:"created_at"`
}

// CreateCodeRequest inserts an open request; an open request of the account for the domain already is a Conflict.
func (t *Tx) CreateCodeRequest(ctx context.Context, r *CodeRequest) error {
	id, err := insertID(ctx, t.tx, `INSERT INTO authorization_code_requests (account_id, domain, reason, state, created_at)
		VALUES ($1, $2, $3, $4, $5)`, r.AccountID, r.Domain, r.Reason, CodeRequestOpen, sqldb.Millis(r.CreatedAt))
	if sqldb.IsUniqueViolation(err) {
		return problem.New(problem.Conflict, "authreq.open_exists", "domain")
	}
	r.ID, r.State = id, CodeRequestOpen
	return err
}

const codeRequestQuery = `SELECT q.id, q.account_id, q.domain, q.reason, q.state, COALESCE(c.code, ''), COALESCE(c.expires_at, 0),
	q.decline_reason, q.decided_by, q.decided_at, q.created_at
	FROM authorization_code_requests q LEFT JOIN authorization_codes c ON c.id = q.code_id`

func scanCodeRequest(row interface{ Scan(...any) error }) (*CodeRequest, error) {
	var r CodeRequest
	var expires, decided, created int64
	if err := row.Scan(&r.ID, &r.AccountID, &r.Domain, &r.Reason, &r.State, &r.Code, &expires, &r.DeclineReason,
		&r.DecidedBy, &decided, &created); err != nil {
		return nil, notFound(err, "authreq.not_found")
	}
	r.CodeExpiresAt, r.DecidedAt, r.CreatedAt = sqldb.Time(expires), sqldb.Time(decided), sqldb.Time(created)
	return &r, nil
}

// CodeRequestForUpdate loads a request inside a write transaction (the row is locked on PostgreSQL).
func (t *Tx) CodeRequestForUpdate(ctx context.Context, id int64) (*CodeRequest, error) {
	if _, err := t.tx.ExecContext(ctx, `SELECT id FROM authorization_code_requests WHERE id = $1`+t.s.ForUpdate(), id); err != nil {
		return nil, err
	}
	return scanCodeRequest(t.tx.QueryRowContext(ctx, codeRequestQuery+` WHERE q.id = $1`, id))
}

// DecideCodeRequest closes an open request: issued with codeID, or declined with reason.
func (t *Tx) DecideCodeRequest(ctx context.Context, id int64, state string, codeID int64, reason string, by int64, now time.Time) error {
	var code any
	if codeID != 0 {
		code = codeID
	}
	res, err := t.tx.ExecContext(ctx, `UPDATE authorization_code_requests SET state = $2, code_id = $3, decline_reason = $4,
		decided_by = $5, decided_at = $6 WHERE id = $1 AND state = 'open'`, id, state, code, reason, by, sqldb.Millis(now))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return problem.New(problem.Conflict, "authreq.decided", "")
	}
	return nil
}

// CodeRequests lists an account's requests (every account's when accountID is 0), open ones first, then newest first.
func (s *Store) CodeRequests(ctx context.Context, accountID int64, limit int) ([]CodeRequest, error) {
	q, args := codeRequestQuery, []any{}
	if accountID != 0 {
		q, args = q+` WHERE q.account_id = $1`, []any{accountID}
	}
	rows, err := s.R.QueryContext(ctx, q+` ORDER BY CASE WHEN q.state = 'open' THEN 0 ELSE 1 END, q.id DESC LIMIT `+itoa(limit), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []CodeRequest{}
	for rows.Next() {
		r, err := scanCodeRequest(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *r)
	}
	return out, rows.Err()
}
