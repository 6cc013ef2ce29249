package store

import (
	"context"
	"time"

	"github.com/beian/beian/internal/sqldb"
)

// PoliceFiling is one filed website's police filing as the provider follows it (docs/police.md): the deadline it
// told the applicant, the reminder, and the consented push with its data code.
type PoliceFiling struct {
	OrderID         int64
	ServiceIndex    int
	ApplicantID     int64
	Domain          string
	ApprovedAt      time.Time
	DueBy           time.Time
	RemindAt        time.Time
	RemindedAt      time.Time // zero until the reminder went out
	ConsentBy       int64     // the account that consented (0: no consent yet)
	ConsentAt       time.Time
	DataCode        string
	DataCodeExpires time.Time
}

const policeColumns = `order_id, service_index, applicant_id, domain, approved_at, due_by, remind_at, reminded_at,
	consent_by, consent_at, data_code, data_code_expires`

// AddPoliceFiling starts following a filed website's police filing, in the approval's transaction. Applying the
// same approval twice keeps the first row. The row is written at the end of the transaction (Tx.later).
func (t *Tx) AddPoliceFiling(ctx context.Context, f PoliceFiling) error {
	return t.later.Add(ctx, `INSERT INTO police_filings (order_id, service_index, applicant_id, domain,
		approved_at, due_by, remind_at) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (order_id, service_index) DO NOTHING`,
		f.OrderID, f.ServiceIndex, f.ApplicantID, f.Domain, sqldb.Millis(f.ApprovedAt), sqldb.Millis(f.DueBy),
		sqldb.Millis(f.RemindAt))
}

// PoliceFilings lists an order's followed websites in service order.
func (s *Store) PoliceFilings(ctx context.Context, orderID int64) ([]PoliceFiling, error) {
	return s.policeRows(ctx, `SELECT `+policeColumns+` FROM police_filings WHERE order_id = $1 ORDER BY service_index`, orderID)
}

// DuePoliceReminders lists up to limit websites whose reminder is due at now and not sent yet.
func (s *Store) DuePoliceReminders(ctx context.Context, now time.Time, limit int) ([]PoliceFiling, error) {
	return s.policeRows(ctx, `SELECT `+policeColumns+` FROM police_filings WHERE reminded_at = 0 AND remind_at <= $1
		ORDER BY remind_at LIMIT `+itoa(limit), sqldb.Millis(now))
}

// MarkPoliceReminded records that the reminder went out (or was not needed); false when another node did it.
func (t *Tx) MarkPoliceReminded(ctx context.Context, orderID int64, index int, now time.Time) (bool, error) {
	res, err := t.tx.ExecContext(ctx, `UPDATE police_filings SET reminded_at = $3 WHERE order_id = $1 AND service_index = $2
		AND reminded_at = 0`, orderID, index, sqldb.Millis(now))
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// RecordPolicePush keeps the consent and the data code the platform returned for one website.
func (t *Tx) RecordPolicePush(ctx context.Context, orderID int64, index int, by int64, at time.Time, code string, expires time.Time) error {
	_, err := t.tx.ExecContext(ctx, `UPDATE police_filings SET consent_by = $3, consent_at = $4, data_code = $5,
		data_code_expires = $6 WHERE order_id = $1 AND service_index = $2`,
		orderID, index, by, sqldb.Millis(at), code, sqldb.Millis(expires))
	return err
}

func (s *Store) policeRows(ctx context.Context, query string, args ...any) ([]PoliceFiling, error) {
	rows, err := s.R.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PoliceFiling
	for rows.Next() {
		var f PoliceFiling
		var approved, due, remind, reminded, consent, exp int64
		if err := rows.Scan(&f.OrderID, &f.ServiceIndex, &f.ApplicantID, &f.Domain, &approved, &due, &remind, &reminded,
			&f.ConsentBy, &consent, &f.DataCode, &exp); err != nil {
			return nil, err
		}
		f.ApprovedAt, f.DueBy, f.RemindAt = sqldb.Time(approved), sqldb.Time(due), sqldb.Time(remind)
		f.RemindedAt, f.ConsentAt, f.DataCodeExpires = optTime(reminded), optTime(consent), optTime(exp)
		out = append(out, f)
	}
	return out, rows.Err()
}

func optTime(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return sqldb.Time(ms)
}
