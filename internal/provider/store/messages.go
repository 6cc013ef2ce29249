package store

import (
	"context"
	"time"

	"github.com/beian/beian/internal/sqldb"
)

// InboxMessage is an in-app message to an applicant.
type InboxMessage struct {
	ID        int64     `json:"id"`
	OrderID   int64     `json:"order_id,omitempty"`
	Title     string    `json:"title"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
	Read      bool      `json:"read"`
}

// AddInbox writes an in-app message in the caller's transaction.
func (t *Tx) AddInbox(ctx context.Context, accountID, orderID int64, title, body string, now time.Time) error {
	var order any
	if orderID != 0 {
		order = orderID
	}
	return t.later.Add(ctx, `INSERT INTO inbox (account_id, order_id, title, body, created_at) VALUES ($1, $2, $3, $4, $5)`,
		accountID, order, title, body, sqldb.Millis(now))
}

// Inbox lists an account's messages, newest first.
func (s *Store) Inbox(ctx context.Context, accountID int64, limit int) ([]InboxMessage, error) {
	rows, err := s.R.QueryContext(ctx, `SELECT id, COALESCE(order_id, 0), title, body, created_at, read_at FROM inbox
		WHERE account_id = $1 ORDER BY id DESC LIMIT `+itoa(limit), accountID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []InboxMessage{}
	for rows.Next() {
		var m InboxMessage
		var created, read int64
		if err := rows.Scan(&m.ID, &m.OrderID, &m.Title, &m.Body, &created, &read); err != nil {
			return nil, err
		}
		m.CreatedAt, m.Read = sqldb.Time(created), read != 0
		out = append(out, m)
	}
	return out, rows.Err()
}

// MarkInboxRead marks one of an account's messages read.
func (s *Store) MarkInboxRead(ctx context.Context, accountID, id int64, now time.Time) (bool, error) {
	res, err := s.Exec(ctx, `UPDATE inbox SET read_at = $3 WHERE id = $1 AND account_id = $2 AND read_at = 0`,
		id, accountID, sqldb.Millis(now))
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// DevMessage is an SMS or e-mail the development gateway "sent".
type DevMessage struct {
	ID        int64     `json:"id"`
	Channel   string    `json:"channel"`
	To        string    `json:"to"`
	Sender    string    `json:"sender,omitempty"`
	Subject   string    `json:"subject,omitempty"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
}

const (
	purposeDevTo   = "dev_messages.to"
	purposeDevBody = "dev_messages.body"
)

// RecordDevMessage stores a message of the development gateway (recipient and body sealed), in one INSERT with
// the others recorded at the same time (devbatch.go).
func (s *Store) RecordDevMessage(ctx context.Context, m DevMessage) error {
	return s.recordDev(ctx, []any{m.Channel, s.Keys.Hash("dev_to", m.To), s.Keys.SealString(m.To, purposeDevTo),
		m.Sender, m.Subject, s.Keys.SealString(m.Body, purposeDevBody), sqldb.Millis(m.CreatedAt)})
}

// DevMessages lists development messages, newest first, optionally only those to one recipient.
func (s *Store) DevMessages(ctx context.Context, to string, limit int) ([]DevMessage, error) {
	q, args := `SELECT id, channel, to_enc, sender, subject, body_enc, created_at FROM dev_messages ORDER BY id DESC LIMIT `+itoa(limit), []any{}
	if to != "" {
		q = `SELECT id, channel, to_enc, sender, subject, body_enc, created_at FROM dev_messages WHERE to_hash = $1
			ORDER BY id DESC LIMIT ` + itoa(limit)
		args = []any{s.Keys.Hash("dev_to", to)}
	}
	rows, err := s.R.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []DevMessage{}
	for rows.Next() {
		var m DevMessage
		var toEnc, bodyEnc []byte
		var created int64
		if err := rows.Scan(&m.ID, &m.Channel, &toEnc, &m.Sender, &m.Subject, &bodyEnc, &created); err != nil {
			return nil, err
		}
		if m.To, err = s.Keys.OpenString(toEnc, purposeDevTo); err != nil {
			return nil, err
		}
		if m.Body, err = s.Keys.OpenString(bodyEnc, purposeDevBody); err != nil {
			return nil, err
		}
		m.CreatedAt = sqldb.Time(created)
		out = append(out, m)
	}
	return out, rows.Err()
}

// Audit records who accessed or changed what personal data (docs/design.md §9).
func (t *Tx) Audit(ctx context.Context, at time.Time, actorID int64, role, action, object, detail string) error {
	_, err := t.tx.ExecContext(ctx, `INSERT INTO audit_log (at, actor_id, actor_role, action, object, detail)
		VALUES ($1, $2, $3, $4, $5, $6)`, sqldb.Millis(at), actorID, role, action, object, detail)
	return err
}

// Audit records an access outside any other transaction.
func (s *Store) Audit(ctx context.Context, at time.Time, actorID int64, role, action, object, detail string) error {
	return s.Update(ctx, func(t *Tx) error { return t.Audit(ctx, at, actorID, role, action, object, detail) })
}

// AuditEntry is one row of the audit log.
type AuditEntry struct {
	At        time.Time `json:"at"`
	ActorID   int64     `json:"actor_id"`
	ActorRole string    `json:"actor_role"`
	Action    string    `json:"action"`
	Object    string    `json:"object"`
	Detail    string    `json:"detail,omitempty"`
}

// AuditLog lists the entries about object, newest first.
func (s *Store) AuditLog(ctx context.Context, object string, limit int) ([]AuditEntry, error) {
	rows, err := s.R.QueryContext(ctx, `SELECT at, actor_id, actor_role, action, object, detail FROM audit_log
		WHERE object = $1 ORDER BY id DESC LIMIT `+itoa(limit), object)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []AuditEntry{}
	for rows.Next() {
		var e AuditEntry
		var at int64
		if err := rows.Scan(&at, &e.ActorID, &e.ActorRole, &e.Action, &e.Object, &e.Detail); err != nil {
			return nil, err
		}
		e.At = sqldb.Time(at)
		out = append(out, e)
	}
	return out, rows.Err()
}
