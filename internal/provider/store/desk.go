package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"github.com/beian/beian/internal/sqldb"
)

// The review desk's records beside the orders: calls to principals, curtain mailings, the claim codes and
// which provinces each channel takes (docs/after-filing.md).

const (
	purposeCallPhone = "review_calls.phone"
	purposeMailing   = "curtain_mailings.address"
)

// Call is one call a reviewer made to a principal during review.
type Call struct {
	ID         int64     `json:"id"`
	OrderID    int64     `json:"order_id"`
	ReviewerID int64     `json:"reviewer_id"`
	Person     string    `json:"person"`
	Phone      string    `json:"phone"` // masked
	Outcome    string    `json:"outcome"`
	Note       string    `json:"note,omitempty"`
	At         time.Time `json:"at"`
}

// AddCall records a call; phone is sealed, its masked form kept for lists.
func (t *Tx) AddCall(ctx context.Context, c *Call, phone, masked string) error {
	id, err := insertID(ctx, t.tx, `INSERT INTO review_calls (order_id, reviewer_id, person, phone_enc, phone_masked,
		outcome, note, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, c.OrderID, c.ReviewerID, c.Person,
		t.s.Keys.Seal([]byte(phone), purposeCallPhone), masked, c.Outcome, c.Note, sqldb.Millis(c.At))
	c.ID, c.Phone = id, masked
	return err
}

// Calls lists the calls of an order, oldest first, with masked numbers.
func (s *Store) Calls(ctx context.Context, orderID int64) ([]Call, error) {
	rows, err := s.R.QueryContext(ctx, `SELECT id, order_id, reviewer_id, person, phone_masked, outcome, note, at
		FROM review_calls WHERE order_id = $1 ORDER BY id`, orderID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Call{}
	for rows.Next() {
		var c Call
		var at int64
		if err := rows.Scan(&c.ID, &c.OrderID, &c.ReviewerID, &c.Person, &c.Phone, &c.Outcome, &c.Note, &at); err != nil {
			return nil, err
		}
		c.At = sqldb.Time(at)
		out = append(out, c)
	}
	return out, rows.Err()
}

// Mailing is a curtain sent to an applicant for the curtain photo.
type Mailing struct {
	ID           int64      `json:"id"`
	OrderID      int64      `json:"order_id"`
	ApplicantID  int64      `json:"applicant_id"`
	Province     string     `json:"province"`
	Address      Address    `json:"address"`
	State        string     `json:"state"` // requested | dispatched
	Carrier      string     `json:"carrier,omitempty"`
	Tracking     string     `json:"tracking,omitempty"`
	RequestedAt  time.Time  `json:"requested_at"`
	DispatchedAt *time.Time `json:"dispatched_at,omitempty"`
	DispatchedBy int64      `json:"dispatched_by,omitempty"`
}

// Address is where a curtain goes (a mainland address).
type Address struct {
	Recipient string `json:"recipient"`
	Mobile    string `json:"mobile"`
	Address   string `json:"address"`
}

// Mailing states.
const (
	MailingRequested  = "requested"
	MailingDispatched = "dispatched"
)

// AddMailing records a request; an order has at most one request not yet dispatched (Conflict otherwise).
func (t *Tx) AddMailing(ctx context.Context, m *Mailing) error {
	b, err := json.Marshal(m.Address)
	if err != nil {
		return err
	}
	m.State = MailingRequested
	m.ID, err = insertID(ctx, t.tx, `INSERT INTO curtain_mailings (order_id, applicant_id, province, address_enc, state,
		requested_at) VALUES ($1, $2, $3, $4, $5, $6)`, m.OrderID, m.ApplicantID, m.Province,
		t.s.Keys.Seal(b, purposeMailing), m.State, sqldb.Millis(m.RequestedAt))
	return err
}

// DispatchMailing records the dispatch of a requested curtain; it reports false when there is no such request.
func (t *Tx) DispatchMailing(ctx context.Context, id int64, carrier, tracking string, by int64, at time.Time) (bool, error) {
	res, err := t.tx.ExecContext(ctx, `UPDATE curtain_mailings SET state = $2, carrier = $3, tracking = $4,
		dispatched_at = $5, dispatched_by = $6 WHERE id = $1 AND state = $7`, id, MailingDispatched, carrier, tracking,
		sqldb.Millis(at), by, MailingRequested)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// MailingFilter selects mailings: of an order, or every one in a state (the desk's list).
type MailingFilter struct {
	ID      int64
	OrderID int64
	State   string
}

// Mailings lists mailings, oldest first.
func (s *Store) Mailings(ctx context.Context, f MailingFilter) ([]Mailing, error) {
	where, args := "1 = 1", []any{}
	if f.ID != 0 {
		args = append(args, f.ID)
		where += " AND id = $" + itoa(len(args))
	}
	if f.OrderID != 0 {
		args = append(args, f.OrderID)
		where += " AND order_id = $" + itoa(len(args))
	}
	if f.State != "" {
		args = append(args, f.State)
		where += " AND state = $" + itoa(len(args))
	}
	rows, err := s.R.QueryContext(ctx, `SELECT id, order_id, applicant_id, province, address_enc, state, carrier,
		tracking, requested_at, dispatched_at, dispatched_by FROM curtain_mailings WHERE `+where+` ORDER BY id LIMIT 500`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Mailing{}
	for rows.Next() {
		var m Mailing
		var sealed []byte
		var req, disp int64
		if err := rows.Scan(&m.ID, &m.OrderID, &m.ApplicantID, &m.Province, &sealed, &m.State, &m.Carrier, &m.Tracking,
			&req, &disp, &m.DispatchedBy); err != nil {
			return nil, err
		}
		plain, err := s.Keys.Open(sealed, purposeMailing)
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(plain, &m.Address); err != nil {
			return nil, err
		}
		m.RequestedAt = sqldb.Time(req)
		if disp != 0 {
			d := sqldb.Time(disp)
			m.DispatchedAt = &d
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// Mailing returns one mailing.
func (s *Store) Mailing(ctx context.Context, id int64) (*Mailing, error) {
	list, err := s.Mailings(ctx, MailingFilter{ID: id})
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, notFound(sql.ErrNoRows, "mailing.not_found")
	}
	return &list[0], nil
}

// ChannelProvinces returns the provinces each channel takes; a channel missing from the map takes all.
func (s *Store) ChannelProvinces(ctx context.Context) (map[string][]string, error) {
	rows, err := s.R.QueryContext(ctx, `SELECT channel, provinces FROM channel_provinces`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var ch, list string
		if err := rows.Scan(&ch, &list); err != nil {
			return nil, err
		}
		out[ch] = splitList(list)
	}
	return out, rows.Err()
}

// SetChannelProvinces replaces the provinces a channel takes.
func (t *Tx) SetChannelProvinces(ctx context.Context, channel string, provinces []string, by int64, at time.Time) error {
	_, err := t.tx.ExecContext(ctx, `INSERT INTO channel_provinces (channel, provinces, updated_by, updated_at)
		VALUES ($1, $2, $3, $4) ON CONFLICT (channel) DO UPDATE SET provinces = excluded.provinces,
		updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
		channel, strings.Join(provinces, ","), by, sqldb.Millis(at))
	return err
}

func splitList(s string) []string {
	out := []string{}
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// ClaimCode is the code texted to prove control of a claimed subject.
type ClaimCode struct {
	OrderID     int64
	CodeHash    []byte
	PhoneMasked string
	Tries       int
	SentAt      time.Time
	ExpiresAt   time.Time
}

// PutClaimCode stores (or replaces) the code of a claim.
func (t *Tx) PutClaimCode(ctx context.Context, c ClaimCode) error {
	_, err := t.tx.ExecContext(ctx, `INSERT INTO claim_codes (order_id, code_hash, phone_masked, tries, sent_at,
		expires_at) VALUES ($1, $2, $3, 0, $4, $5) ON CONFLICT (order_id) DO UPDATE SET code_hash = excluded.code_hash,
		phone_masked = excluded.phone_masked, tries = 0, sent_at = excluded.sent_at, expires_at = excluded.expires_at`,
		c.OrderID, c.CodeHash, c.PhoneMasked, sqldb.Millis(c.SentAt), sqldb.Millis(c.ExpiresAt))
	return err
}

// ClaimCodeForUpdate loads and locks the code of a claim (NotFound when none was sent).
func (t *Tx) ClaimCodeForUpdate(ctx context.Context, orderID int64) (*ClaimCode, error) {
	c := ClaimCode{OrderID: orderID}
	var sent, exp int64
	err := t.tx.QueryRowContext(ctx, `SELECT code_hash, phone_masked, tries, sent_at, expires_at FROM claim_codes
		WHERE order_id = $1`+t.s.ForUpdate(), orderID).Scan(&c.CodeHash, &c.PhoneMasked, &c.Tries, &sent, &exp)
	if err != nil {
		return nil, notFound(err, "claim.no_code")
	}
	c.SentAt, c.ExpiresAt = sqldb.Time(sent), sqldb.Time(exp)
	return &c, nil
}

// ClaimCodeTried counts a wrong code.
func (t *Tx) ClaimCodeTried(ctx context.Context, orderID int64) error {
	_, err := t.tx.ExecContext(ctx, `UPDATE claim_codes SET tries = tries + 1 WHERE order_id = $1`, orderID)
	return err
}

// ClaimCodeSent returns the masked phone a claim's code went to and when, if one was sent.
func (s *Store) ClaimCodeSent(ctx context.Context, orderID int64) (masked string, sent time.Time, ok bool, err error) {
	var at int64
	err = s.R.QueryRowContext(ctx, `SELECT phone_masked, sent_at FROM claim_codes WHERE order_id = $1`, orderID).
		Scan(&masked, &at)
	if err != nil {
		if notFound(err, "") != err {
			return "", time.Time{}, false, nil
		}
		return "", time.Time{}, false, err
	}
	return masked, sqldb.Time(at), true, nil
}
