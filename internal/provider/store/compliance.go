package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"github.com/beian/beian/internal/sqldb"
)

// The homepage compliance checker's records (docs/compliance.md): sweeps of every filed website accessed here,
// one result per website and sweep (the report sealed: it quotes the filed names), and the recurring schedule.

const purposeSiteReport = "compliance_results.report"

// Result states.
const (
	SitePending = "pending"
	SitePass    = "pass"
	SiteFail    = "fail"
)

// SweepTarget is one website a sweep checks: a filed service's domain and the applicant who owns it.
type SweepTarget struct {
	ServiceNumber string `json:"service_number"`
	Domain        string `json:"domain"`
	ApplicantID   int64  `json:"-"`
}

// Sweep is one check of every filed website.
type Sweep struct {
	ID         int64     `json:"id"`
	StartedBy  int64     `json:"started_by"` // 0: the schedule
	StartedAt  time.Time `json:"started_at"`
	FinishedAt time.Time `json:"finished_at,omitzero"`
	Total      int       `json:"total"`
	Done       int       `json:"done"`
	Failed     int       `json:"failed"`
	Version    int       `json:"version"` // grows with every result: what a long poll waits on
}

// Finished reports whether every website of the sweep was checked.
func (s *Sweep) Finished() bool { return !s.FinishedAt.IsZero() }

// SiteResult is one website's result in a sweep; Report is the checker's report as JSON (nil while pending).
type SiteResult struct {
	SweepID       int64           `json:"sweep_id"`
	Seq           int             `json:"seq"`
	ServiceNumber string          `json:"service_number"`
	Domain        string          `json:"domain"`
	ApplicantID   int64           `json:"-"`
	State         string          `json:"state"`
	Errors        int             `json:"errors"`
	Report        json.RawMessage `json:"-"`
	CheckedAt     time.Time       `json:"checked_at,omitzero"`
}

// SweepSubject is a filed subject of this provider with the websites this provider's own record holds for it
// (those its orders filed; a claimed subject's come from the registry).
type SweepSubject struct {
	Number      string
	ApplicantID int64
	Local       []SweepTarget
}

// SweepSubjects lists every filed subject with its websites as recorded here, by subject number.
func (s *Store) SweepSubjects(ctx context.Context) ([]SweepSubject, error) {
	rows, err := s.R.QueryContext(ctx, `SELECT su.number, su.applicant_id, COALESCE(fs.number, ''), fs.payload_enc
		FROM filed_subjects su LEFT JOIN filed_services fs ON fs.subject_id = su.id AND fs.kind = 'website'
		ORDER BY su.number, fs.number`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SweepSubject
	for rows.Next() {
		var subject, service string
		var applicant int64
		var sealed []byte
		if err := rows.Scan(&subject, &applicant, &service, &sealed); err != nil {
			return nil, err
		}
		if len(out) == 0 || out[len(out)-1].Number != subject {
			out = append(out, SweepSubject{Number: subject, ApplicantID: applicant})
		}
		if service == "" {
			continue
		}
		plain, err := s.Keys.Open(sealed, purposeFiledService)
		if err != nil {
			return nil, err
		}
		var svc struct{ Domains []string }
		if err := json.Unmarshal(plain, &svc); err != nil {
			return nil, err
		}
		last := &out[len(out)-1]
		for _, d := range svc.Domains {
			last.Local = append(last.Local, SweepTarget{ServiceNumber: service, Domain: d, ApplicantID: applicant})
		}
	}
	return out, rows.Err()
}

// FiledNumberOfDomain returns the number of the service filed here whose main domain is domain ("" if none).
func (s *Store) FiledNumberOfDomain(ctx context.Context, domain string) (string, error) {
	var n string
	err := s.R.QueryRowContext(ctx, `SELECT number FROM filed_services WHERE domain = $1 ORDER BY id LIMIT 1`, domain).Scan(&n)
	if err == sql.ErrNoRows {
		return "", nil
	}
	return n, err
}

// CreateSweep records a sweep of targets with every result pending and returns its id.
func (t *Tx) CreateSweep(ctx context.Context, by int64, targets []SweepTarget, now time.Time) (int64, error) {
	id, err := insertID(ctx, t.tx, `INSERT INTO compliance_sweeps (started_by, started_at, total) VALUES ($1, $2, $3)`,
		by, sqldb.Millis(now), len(targets))
	if err != nil {
		return 0, err
	}
	for i, g := range targets {
		if _, err := t.tx.ExecContext(ctx, `INSERT INTO compliance_results (sweep_id, seq, service_number, domain,
			applicant_id) VALUES ($1, $2, $3, $4, $5)`, id, i, g.ServiceNumber, g.Domain, g.ApplicantID); err != nil {
			return 0, err
		}
	}
	return id, nil
}

const sweepColumns = `id, started_by, started_at, finished_at, total, done, failed, version`

func scanSweep(row interface{ Scan(...any) error }) (*Sweep, error) {
	var w Sweep
	var started, finished int64
	if err := row.Scan(&w.ID, &w.StartedBy, &started, &finished, &w.Total, &w.Done, &w.Failed, &w.Version); err != nil {
		return nil, err
	}
	w.StartedAt, w.FinishedAt = sqldb.Time(started), optTime(finished)
	return &w, nil
}

// Sweep loads a sweep.
func (s *Store) Sweep(ctx context.Context, id int64) (*Sweep, error) {
	w, err := scanSweep(s.R.QueryRowContext(ctx, `SELECT `+sweepColumns+` FROM compliance_sweeps WHERE id = $1`, id))
	return w, notFound(err, "checker.sweep_not_found")
}

// Sweeps lists the latest sweeps, newest first.
func (s *Store) Sweeps(ctx context.Context, limit int) ([]Sweep, error) {
	rows, err := s.R.QueryContext(ctx, `SELECT `+sweepColumns+` FROM compliance_sweeps ORDER BY id DESC LIMIT `+itoa(limit))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Sweep{}
	for rows.Next() {
		w, err := scanSweep(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *w)
	}
	return out, rows.Err()
}

// OpenSweep returns the id of the sweep not finished yet (0: none).
func (t *Tx) OpenSweep(ctx context.Context) (int64, error) {
	var id int64
	err := t.tx.QueryRowContext(ctx, `SELECT id FROM compliance_sweeps WHERE finished_at = 0 ORDER BY id LIMIT 1`).Scan(&id)
	if err == sql.ErrNoRows {
		return 0, nil
	}
	return id, err
}

// ClaimSweep gives this node the oldest unfinished sweep whose lease has run out (a new one, or one a stopped
// node left), until until; 0 when there is none. Another node's claim in between makes this one find nothing.
func (t *Tx) ClaimSweep(ctx context.Context, now, until time.Time) (int64, error) {
	var id int64
	err := t.tx.QueryRowContext(ctx, `SELECT id FROM compliance_sweeps WHERE finished_at = 0 AND lease_until <= $1
		ORDER BY id LIMIT 1`, sqldb.Millis(now)).Scan(&id)
	if err == sql.ErrNoRows {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	res, err := t.tx.ExecContext(ctx, `UPDATE compliance_sweeps SET lease_until = $2 WHERE id = $1 AND lease_until <= $3
		AND finished_at = 0`, id, sqldb.Millis(until), sqldb.Millis(now))
	if err != nil {
		return 0, err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return 0, nil
	}
	return id, nil
}

// RecordSiteResult stores one website's report, counts it in its sweep and extends the lease to until. A
// result already recorded (by a node that held the lease before) is left alone: false.
func (t *Tx) RecordSiteResult(ctx context.Context, r SiteResult, until time.Time) (bool, error) {
	res, err := t.tx.ExecContext(ctx, `UPDATE compliance_results SET state = $3, errors = $4, report_enc = $5,
		checked_at = $6 WHERE sweep_id = $1 AND seq = $2 AND state = 'pending'`, r.SweepID, r.Seq, r.State, r.Errors,
		t.s.Keys.Seal(r.Report, purposeSiteReport), sqldb.Millis(r.CheckedAt))
	if err != nil {
		return false, err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return false, nil
	}
	failed := 0
	if r.State == SiteFail {
		failed = 1
	}
	_, err = t.tx.ExecContext(ctx, `UPDATE compliance_sweeps SET done = done + 1, failed = failed + $2,
		version = version + 1, lease_until = $3 WHERE id = $1`, r.SweepID, failed, sqldb.Millis(until))
	return true, err
}

// FinishSweep marks a sweep finished; false when it already was.
func (t *Tx) FinishSweep(ctx context.Context, id int64, now time.Time) (bool, error) {
	res, err := t.tx.ExecContext(ctx, `UPDATE compliance_sweeps SET finished_at = $2, version = version + 1
		WHERE id = $1 AND finished_at = 0`, id, sqldb.Millis(now))
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// PreviousFinishedSweep returns the id of the last sweep finished before sweep id (0: none).
func (t *Tx) PreviousFinishedSweep(ctx context.Context, id int64) (int64, error) {
	var prev int64
	err := t.tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM compliance_sweeps WHERE id < $1 AND finished_at <> 0`,
		id).Scan(&prev)
	return prev, err
}

const resultColumns = `sweep_id, seq, service_number, domain, applicant_id, state, errors, report_enc, checked_at`

func (s *Store) scanResult(row interface{ Scan(...any) error }) (*SiteResult, error) {
	var r SiteResult
	var sealed []byte
	var checked int64
	if err := row.Scan(&r.SweepID, &r.Seq, &r.ServiceNumber, &r.Domain, &r.ApplicantID, &r.State, &r.Errors, &sealed,
		&checked); err != nil {
		return nil, err
	}
	if sealed != nil {
		plain, err := s.Keys.Open(sealed, purposeSiteReport)
		if err != nil {
			return nil, err
		}
		r.Report = plain
	}
	r.CheckedAt = optTime(checked)
	return &r, nil
}

func (s *Store) results(ctx context.Context, q querier, query string, args ...any) ([]SiteResult, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []SiteResult{}
	for rows.Next() {
		r, err := s.scanResult(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *r)
	}
	return out, rows.Err()
}

// SiteResults lists a sweep's websites in order.
func (s *Store) SiteResults(ctx context.Context, sweepID int64) ([]SiteResult, error) {
	return s.results(ctx, s.R, `SELECT `+resultColumns+` FROM compliance_results WHERE sweep_id = $1 ORDER BY seq`, sweepID)
}

// TxSiteResults is SiteResults inside a transaction.
func (t *Tx) SiteResults(ctx context.Context, sweepID int64) ([]SiteResult, error) {
	return t.s.results(ctx, t.tx, `SELECT `+resultColumns+` FROM compliance_results WHERE sweep_id = $1 ORDER BY seq`, sweepID)
}

// SiteResult loads one website of a sweep.
func (s *Store) SiteResult(ctx context.Context, sweepID int64, seq int) (*SiteResult, error) {
	r, err := s.scanResult(s.R.QueryRowContext(ctx, `SELECT `+resultColumns+` FROM compliance_results
		WHERE sweep_id = $1 AND seq = $2`, sweepID, seq))
	return r, notFound(err, "checker.site_not_found")
}

// LatestSiteResults returns, for each of an applicant's checked domains, its most recent result.
func (s *Store) LatestSiteResults(ctx context.Context, applicantID int64) ([]SiteResult, error) {
	return s.results(ctx, s.R, `SELECT `+resultColumns+` FROM compliance_results r WHERE applicant_id = $1
		AND state <> 'pending' AND sweep_id = (SELECT MAX(sweep_id) FROM compliance_results x
		WHERE x.domain = r.domain AND x.applicant_id = r.applicant_id AND x.state <> 'pending') ORDER BY domain`, applicantID)
}

// Schedule is the recurring sweep: Every is off, daily or weekly; NextAt is when the next one starts.
type Schedule struct {
	Every     string    `json:"every"`
	NextAt    time.Time `json:"next_at,omitzero"`
	UpdatedBy int64     `json:"updated_by,omitempty"`
	UpdatedAt time.Time `json:"updated_at,omitzero"`
}

// SweepSchedule returns the schedule (Every "off" when none was ever set).
func (s *Store) SweepSchedule(ctx context.Context) (Schedule, error) {
	var sc Schedule
	var next, updated int64
	err := s.R.QueryRowContext(ctx, `SELECT every, next_at, updated_by, updated_at FROM compliance_schedule WHERE id = 1`).
		Scan(&sc.Every, &next, &sc.UpdatedBy, &updated)
	if err == sql.ErrNoRows {
		return Schedule{Every: "off"}, nil
	}
	sc.NextAt, sc.UpdatedAt = optTime(next), optTime(updated)
	return sc, err
}

// SetSweepSchedule replaces the schedule.
func (t *Tx) SetSweepSchedule(ctx context.Context, sc Schedule) error {
	_, err := t.tx.ExecContext(ctx, `INSERT INTO compliance_schedule (id, every, next_at, updated_by, updated_at)
		VALUES (1, $1, $2, $3, $4) ON CONFLICT (id) DO UPDATE SET every = excluded.every, next_at = excluded.next_at,
		updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
		sc.Every, millisOrZero(sc.NextAt), sc.UpdatedBy, sqldb.Millis(sc.UpdatedAt))
	return err
}

// ClaimScheduledSweep moves the schedule's next start from due to next if it is still due; true for the one
// node that moved it, which then starts the sweep in the same transaction.
func (t *Tx) ClaimScheduledSweep(ctx context.Context, due, next time.Time) (bool, error) {
	res, err := t.tx.ExecContext(ctx, `UPDATE compliance_schedule SET next_at = $2 WHERE id = 1 AND next_at = $1
		AND every <> 'off'`, sqldb.Millis(due), sqldb.Millis(next))
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

func millisOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return sqldb.Millis(t)
}

// StaffAccounts lists the enabled reviewers and operators (who receive the checker's digest).
func (t *Tx) StaffAccounts(ctx context.Context) ([]Account, error) {
	rows, err := t.tx.QueryContext(ctx, `SELECT `+accountColumns+` FROM accounts WHERE role IN ('reviewer', 'operator')
		AND disabled = 0 ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Account
	for rows.Next() {
		a, err := t.s.scanAccount(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *a)
	}
	return out, rows.Err()
}
