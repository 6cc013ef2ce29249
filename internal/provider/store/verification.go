package store

import (
	"context"
	"time"

	"github.com/beian/beian/internal/sqldb"
)

// VerificationLink is one QR-code link of the PC → phone hand-off (Huawei Cloud's first-filing guide: valid ten minutes, spent once
// scanned). The token and the phone's session secret are known only to the browsers; their hashes are kept.
type VerificationLink struct {
	ID               int64
	OrderID          int64
	Person           string
	CreatedBy        int64
	CreatedAt        time.Time
	ExpiresAt        time.Time
	OpenedAt         time.Time // zero until the phone opens the link (which spends it)
	SessionExpiresAt time.Time // until when the phone that opened it may capture and confirm
	RevokedAt        time.Time // a newer link for the same person replaced it
}

const linkColumns = `id, order_id, person, created_by, created_at, expires_at, opened_at, session_expires_at, revoked_at`

func scanLink(row interface{ Scan(...any) error }, code string) (*VerificationLink, error) {
	var l VerificationLink
	var created, expires, opened, sessExp, revoked int64
	if err := row.Scan(&l.ID, &l.OrderID, &l.Person, &l.CreatedBy, &created, &expires, &opened, &sessExp, &revoked); err != nil {
		return nil, notFound(err, code)
	}
	l.CreatedAt, l.ExpiresAt, l.OpenedAt, l.SessionExpiresAt, l.RevokedAt = sqldb.Time(created), sqldb.Time(expires), sqldb.Time(opened),
		sqldb.Time(sessExp), sqldb.Time(revoked)
	return &l, nil
}

// CreateVerificationLink revokes the person's earlier links on the order ("refresh") and records a new one.
func (t *Tx) CreateVerificationLink(ctx context.Context, l *VerificationLink, tokenHash []byte) error {
	if _, err := t.tx.ExecContext(ctx, `UPDATE verification_links SET revoked_at = $3
		WHERE order_id = $1 AND person = $2 AND revoked_at = 0`, l.OrderID, l.Person, sqldb.Millis(l.CreatedAt)); err != nil {
		return err
	}
	id, err := insertID(ctx, t.tx, `INSERT INTO verification_links (token_hash, order_id, person, created_by, created_at,
		expires_at) VALUES ($1, $2, $3, $4, $5, $6)`, tokenHash, l.OrderID, l.Person, l.CreatedBy, sqldb.Millis(l.CreatedAt),
		sqldb.Millis(l.ExpiresAt))
	l.ID = id
	return err
}

// VerificationLinkByToken loads and locks the link a token names (NotFound "verification.link_unknown").
func (t *Tx) VerificationLinkByToken(ctx context.Context, tokenHash []byte) (*VerificationLink, error) {
	return scanLink(t.tx.QueryRowContext(ctx, `SELECT `+linkColumns+` FROM verification_links WHERE token_hash = $1`+
		t.s.ForUpdate(), tokenHash), "verification.link_unknown")
}

// OpenVerificationLink spends a link: it binds the phone's session and records when it was opened.
func (t *Tx) OpenVerificationLink(ctx context.Context, id int64, sessionHash []byte, at, sessionExpires time.Time) error {
	_, err := t.tx.ExecContext(ctx, `UPDATE verification_links SET opened_at = $2, session_hash = $3, session_expires_at = $4
		WHERE id = $1`, id, sqldb.Millis(at), sessionHash, sqldb.Millis(sessionExpires))
	return err
}

// VerificationLinkBySession returns the link a phone session was bound to (NotFound "verification.session_unknown").
func (s *Store) VerificationLinkBySession(ctx context.Context, sessionHash []byte) (*VerificationLink, error) {
	return scanLink(s.R.QueryRowContext(ctx, `SELECT `+linkColumns+` FROM verification_links WHERE session_hash = $1`,
		sessionHash), "verification.session_unknown")
}

// LatestVerificationLinks returns, per person, the newest link of an order.
func (s *Store) LatestVerificationLinks(ctx context.Context, orderID int64) (map[string]*VerificationLink, error) {
	rows, err := s.R.QueryContext(ctx, `SELECT `+linkColumns+` FROM verification_links WHERE order_id = $1 ORDER BY id`, orderID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]*VerificationLink{}
	for rows.Next() {
		l, err := scanLink(rows, "verification.link_unknown")
		if err != nil {
			return nil, err
		}
		out[l.Person] = l
	}
	return out, rows.Err()
}

// Verification is one real-person verification record: an accepted photo of one person for one order.
type Verification struct {
	ID          int64     `json:"id"`
	OrderID     int64     `json:"order_id"`
	Person      string    `json:"person"`
	PersonHash  []byte    `json:"-"`
	Method      string    `json:"method"`
	State       string    `json:"state"`
	LinkID      int64     `json:"-"`
	BlobKey     []byte    `json:"-"`
	MIITKey     []byte    `json:"-"`
	Size        int       `json:"size,omitempty"`
	Width       int       `json:"width,omitempty"`
	Height      int       `json:"height,omitempty"`
	Capture     string    `json:"-"` // JSON capture hints
	Verifier    string    `json:"verifier,omitempty"`
	VerifierRef string    `json:"verifier_ref,omitempty"`
	Note        string    `json:"note,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
	ConfirmedAt time.Time `json:"confirmed_at,omitzero"`
	ReturnedAt  time.Time `json:"returned_at,omitzero"`
	ReturnedBy  int64     `json:"returned_by,omitempty"`
}

// Verification states.
const (
	VerificationCaptured  = "captured"  // the photo passed the checks; the person has not confirmed it yet
	VerificationConfirmed = "confirmed" // the person confirmed it: the order's verification record
	VerificationReturned  = "returned"  // a reviewer sent it back with a note
	VerificationDiscarded = "discarded" // replaced by a newer photo before confirmation
	VerificationPassed    = "passed"    // verified by the administration's own app (Shanghai)
	VerificationFailed    = "failed"    // the administration's app reported a failure
)

const verificationColumns = `id, order_id, person, person_hash, method, state, link_id, blob_hash, miit_hash, size, width,
	height, capture, verifier, verifier_ref, note, created_at, confirmed_at, returned_at, returned_by`

func scanVerification(row interface{ Scan(...any) error }) (*Verification, error) {
	var v Verification
	var created, confirmed, returned int64
	if err := row.Scan(&v.ID, &v.OrderID, &v.Person, &v.PersonHash, &v.Method, &v.State, &v.LinkID, &v.BlobKey, &v.MIITKey,
		&v.Size, &v.Width, &v.Height, &v.Capture, &v.Verifier, &v.VerifierRef, &v.Note, &created, &confirmed, &returned,
		&v.ReturnedBy); err != nil {
		return nil, notFound(err, "verification.not_found")
	}
	v.CreatedAt, v.ConfirmedAt, v.ReturnedAt = sqldb.Time(created), sqldb.Time(confirmed), sqldb.Time(returned)
	return &v, nil
}

// InsertVerification records a verification.
func (t *Tx) InsertVerification(ctx context.Context, v *Verification) error {
	id, err := insertID(ctx, t.tx, `INSERT INTO verifications (order_id, person, person_hash, method, state, link_id,
		blob_hash, miit_hash, size, width, height, capture, verifier, verifier_ref, note, created_at, confirmed_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
		v.OrderID, v.Person, v.PersonHash, v.Method, v.State, v.LinkID, v.BlobKey, v.MIITKey, v.Size, v.Width, v.Height,
		v.Capture, v.Verifier, v.VerifierRef, v.Note, sqldb.Millis(v.CreatedAt), sqldb.Millis(v.ConfirmedAt))
	v.ID = id
	return err
}

// UpdateVerification writes a verification's state, note and review bookkeeping.
func (t *Tx) UpdateVerification(ctx context.Context, v *Verification) error {
	_, err := t.tx.ExecContext(ctx, `UPDATE verifications SET state = $2, note = $3, confirmed_at = $4, returned_at = $5,
		returned_by = $6 WHERE id = $1`, v.ID, v.State, v.Note, sqldb.Millis(v.ConfirmedAt), sqldb.Millis(v.ReturnedAt), v.ReturnedBy)
	return err
}

// DiscardCaptured marks the person's unconfirmed captures on an order discarded and returns their blob keys.
func (t *Tx) DiscardCaptured(ctx context.Context, orderID int64, person string) ([][]byte, error) {
	rows, err := t.tx.QueryContext(ctx, `SELECT blob_hash, miit_hash FROM verifications WHERE order_id = $1 AND person = $2
		AND state = $3`, orderID, person, VerificationCaptured)
	if err != nil {
		return nil, err
	}
	var keys [][]byte
	for rows.Next() {
		var a, b []byte
		if err := rows.Scan(&a, &b); err != nil {
			rows.Close()
			return nil, err
		}
		keys = append(keys, a, b)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	_, err = t.tx.ExecContext(ctx, `UPDATE verifications SET state = $3, blob_hash = NULL, miit_hash = NULL
		WHERE order_id = $1 AND person = $2 AND state = $4`, orderID, person, VerificationDiscarded, VerificationCaptured)
	return keys, err
}

// VerificationForUpdate loads and locks a verification.
func (t *Tx) VerificationForUpdate(ctx context.Context, id int64) (*Verification, error) {
	return scanVerification(t.tx.QueryRowContext(ctx, `SELECT `+verificationColumns+` FROM verifications WHERE id = $1`+
		t.s.ForUpdate(), id))
}

// Verification loads one verification.
func (s *Store) Verification(ctx context.Context, id int64) (*Verification, error) {
	return scanVerification(s.R.QueryRowContext(ctx, `SELECT `+verificationColumns+` FROM verifications WHERE id = $1`, id))
}

// Verifications returns an order's verifications, oldest first, without the discarded ones.
func (s *Store) Verifications(ctx context.Context, orderID int64) ([]*Verification, error) {
	return s.verifications(ctx, s.R, orderID)
}

// Verifications is Store.Verifications inside a transaction.
func (t *Tx) Verifications(ctx context.Context, orderID int64) ([]*Verification, error) {
	return t.s.verifications(ctx, t.tx, orderID)
}

func (s *Store) verifications(ctx context.Context, q querier, orderID int64) ([]*Verification, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+verificationColumns+` FROM verifications WHERE order_id = $1 AND state <> $2
		ORDER BY id`, orderID, VerificationDiscarded)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*Verification
	for rows.Next() {
		v, err := scanVerification(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// VerificationRequest is a verification asked for beyond the rules (the legal representative, Alibaba Cloud's filing notes).
type VerificationRequest struct {
	Person      string    `json:"person"`
	RequestedBy int64     `json:"requested_by"`
	Note        string    `json:"note,omitempty"`
	RequestedAt time.Time `json:"requested_at"`
}

// PutVerificationRequest records (or renews) a request for person's verification on an order.
func (t *Tx) PutVerificationRequest(ctx context.Context, orderID int64, r VerificationRequest) error {
	_, err := t.tx.ExecContext(ctx, `INSERT INTO verification_requests (order_id, person, requested_by, note, requested_at)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (order_id, person) DO UPDATE SET requested_by = excluded.requested_by,
		note = excluded.note, requested_at = excluded.requested_at`, orderID, r.Person, r.RequestedBy, r.Note, sqldb.Millis(r.RequestedAt))
	return err
}

// VerificationRequests lists the requests recorded on an order.
func (s *Store) VerificationRequests(ctx context.Context, orderID int64) ([]VerificationRequest, error) {
	return s.verificationRequests(ctx, s.R, orderID)
}

// VerificationRequests is Store.VerificationRequests inside a transaction.
func (t *Tx) VerificationRequests(ctx context.Context, orderID int64) ([]VerificationRequest, error) {
	return t.s.verificationRequests(ctx, t.tx, orderID)
}

func (s *Store) verificationRequests(ctx context.Context, q querier, orderID int64) ([]VerificationRequest, error) {
	rows, err := q.QueryContext(ctx, `SELECT person, requested_by, note, requested_at FROM verification_requests
		WHERE order_id = $1 ORDER BY person`, orderID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []VerificationRequest
	for rows.Next() {
		var r VerificationRequest
		var at int64
		if err := rows.Scan(&r.Person, &r.RequestedBy, &r.Note, &at); err != nil {
			return nil, err
		}
		r.RequestedAt = sqldb.Time(at)
		out = append(out, r)
	}
	return out, rows.Err()
}
