package mps

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/beian/beian/internal/codes"
	"github.com/beian/beian/internal/divisions"
	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/ident"
	"github.com/beian/beian/internal/police"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/sqldb"
)

// The public query (备案查询): by police number or by domain, the filed websites with the public part of their
// record — website name, domains, the subject's nature and name (an individual's left blank, as the platform
// does), interactive or not, the number, the filing organ's area and the filing date. Nothing personal.

// Record is one filed website as the public query shows it.
type Record struct {
	WebsiteName  string    `json:"website_name"`
	Domains      []string  `json:"domains"`
	SubjectName  string    `json:"subject_name"` // empty for individuals
	Nature       string    `json:"nature"`
	Interactive  bool      `json:"interactive"`
	PoliceNumber string    `json:"police_number"`
	Organ        string    `json:"organ"` // the accepting unit's area, e.g. 北京市朝阳区
	ApprovedAt   time.Time `json:"approved_at"`
	QueryURL     string    `json:"query_url"` // the platform's own query page for this number
}

// QueryByNumber finds a filed website by its police number (14 digits, with or without the rest).
// Errors: police_number.* from the number check (Invalid).
func (s *Simulator) QueryByNumber(ctx context.Context, number string) ([]Record, error) {
	r := ident.PoliceNumber(number)
	if !r.Valid() {
		var f form
		f.ident("number", r)
		return nil, f.err()
	}
	digits := police.Digits(r.Normalized)
	return s.queryRecords(ctx, `w.police_number LIKE $1`, "%"+digits+"号")
}

// QueryByDomain finds the filed website of a domain (www.example.cn finds example.cn).
func (s *Simulator) QueryByDomain(ctx context.Context, domain string) ([]Record, error) {
	d, ok := normDomain(domain)
	if !ok {
		return nil, problem.Invalidf("mps.query_domain_invalid", "domain")
	}
	return s.queryRecords(ctx, `w.id = (SELECT website_id FROM mps_domains WHERE domain = $1)`, d)
}

func (s *Simulator) queryRecords(ctx context.Context, cond string, arg any) ([]Record, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT w.id, w.name, w.interactive, w.police_number, w.unit_code, w.approved_at,
		su.nature, su.name FROM mps_websites w JOIN mps_subjects su ON su.id = w.subject_id
		WHERE `+cond+` AND w.state IN ('approved', 'change_review') ORDER BY w.id LIMIT 20`, arg)
	if err != nil {
		return nil, internal(err)
	}
	type row struct {
		rec Record
		id  int64
	}
	var found []row
	for rows.Next() {
		var x row
		var inter int
		var unit string
		var at int64
		if err := rows.Scan(&x.id, &x.rec.WebsiteName, &inter, &x.rec.PoliceNumber, &unit, &at, &x.rec.Nature,
			&x.rec.SubjectName); err != nil {
			rows.Close()
			return nil, internal(err)
		}
		if x.rec.Nature == NatureIndividual {
			x.rec.SubjectName = ""
		}
		x.rec.Interactive, x.rec.ApprovedAt = inter != 0, sqldb.Time(at)
		if d, ok := divisions.Lookup(unit); ok {
			x.rec.Organ = d.FullName
		}
		x.rec.QueryURL = police.QueryURL(police.Digits(x.rec.PoliceNumber))
		found = append(found, x)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, internal(err)
	}
	out := []Record{}
	for _, x := range found {
		domains, err := s.domainsOf(ctx, x.id)
		if err != nil {
			return nil, internal(err)
		}
		x.rec.Domains = domains
		out = append(out, x.rec)
	}
	return out, nil
}

func (s *Simulator) domainsOf(ctx context.Context, websiteID int64) ([]string, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT domain FROM mps_domains WHERE website_id = $1 ORDER BY domain`, websiteID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// normDomain reduces a domain or URL to the registrable domain a website files.
func normDomain(s string) (string, bool) {
	r := ident.Domain(s, ident.ForWebsite)
	if r.Valid() {
		return r.Normalized, true
	}
	if reg, ok := r.Info["registrable"].(string); ok && reg != "" {
		return ident.Domain(reg, ident.ForWebsite).Normalized, true
	}
	return "", false
}

// NatureName is a police nature's name in lang.
func NatureName(lang i18n.Lang, nature string) string {
	if n, ok := codes.PoliceNature(nature); ok {
		return n.Names.In(lang)
	}
	return nature
}

// FilingStatus implements police.Platform: the state of a website's police filing by domain or data code.
func (s *Simulator) FilingStatus(ctx context.Context, q police.StatusQuery) (police.FilingStatus, error) {
	domain := q.Domain
	var out police.FilingStatus
	if q.DataCode != "" {
		var exp int64
		err := s.db.R.QueryRowContext(ctx, `SELECT domain, expires_at FROM mps_data_codes WHERE code = $1`,
			strings.ToUpper(strings.TrimSpace(q.DataCode))).Scan(&domain, &exp)
		if errors.Is(err, sql.ErrNoRows) {
			return out, problem.New(problem.NotFound, "police.data_code_unknown", "data_code")
		}
		if err != nil {
			return out, internal(err)
		}
		out.DataCodeExpiresAt = sqldb.Time(exp)
	}
	d, ok := normDomain(domain)
	if !ok {
		return out, problem.Invalidf("mps.query_domain_invalid", "domain")
	}
	out.Domain, out.State = d, police.StateNone
	var state State
	var number sql.NullString
	var overdue int
	var opened, approved, updated int64
	err := s.db.R.QueryRowContext(ctx, `SELECT state, police_number, overdue, opened_on, approved_at, updated_at
		FROM mps_websites WHERE domain = $1 ORDER BY (state = 'cancelled'), id DESC LIMIT 1`, d).
		Scan(&state, &number, &overdue, &opened, &approved, &updated)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		if q.DataCode != "" || s.hasDataCode(ctx, d) {
			out.State = police.StateDataPushed
		}
		return out, nil
	case err != nil:
		return out, internal(err)
	}
	out.State = publicState(state)
	out.PoliceNumber, out.Overdue = number.String, overdue != 0
	out.DueBy, out.ApprovedAt, out.UpdatedAt = sqldb.Time(opened).Add(OpeningDeadline), sqldb.Time(approved), sqldb.Time(updated)
	if out.State == police.StateCancelled {
		out.PoliceNumber = ""
	}
	return out, nil
}

func (s *Simulator) hasDataCode(ctx context.Context, domain string) bool {
	ok, _ := exists(ctx, s.db.R, `SELECT 1 FROM mps_data_codes WHERE domain = $1 AND expires_at > $2`, domain,
		sqldb.Millis(s.now()))
	return ok
}

func publicState(st State) police.State {
	switch st {
	case StateReview:
		return police.StateReview
	case StateReturned:
		return police.StateReturned
	case StateInterview, StateInspection:
		return police.StateInspection
	case StateApproved, StateChangeReview:
		return police.StateApproved
	}
	return police.StateCancelled
}

func itoa(n int) string { return strconv.Itoa(n) }
