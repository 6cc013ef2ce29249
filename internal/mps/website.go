package mps

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"time"

	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/sqldb"
)

// New website applications (新办网站申请, the platform's user guide §四): the website's basic data, its principal
// ("same as the subject's principal" copies it, §四.3) and the notice that must be read and ticked (§四.4). The ICP
// number must be the one MIIT filed for that domain and subject (checked through MIIT's public query). A website
// files within 30 days of opening (公安部令第33号 第十二条); a later application is accepted, marked overdue, and
// the applicant is told the date that was due. One domain has at most one filing on the platform.

// WebsiteInput is the application form; its JSON names are the form's fields (FormFields), those tagged note:"-"
// aside the ones a note may name.
type WebsiteInput struct {
	SubjectID int64    `json:"subject_id" note:"-"`
	Name      string   `json:"name"`
	Domains   []string `json:"domains"` // the main domain first, then the other domains of the same site
	ICPNumber string   `json:"icp_number"`
	OpenedOn  string   `json:"opened_on"` // YYYY-MM-DD (Beijing date)
	// AccessProvider is the network access provider (网络接入服务商) hosting the site.
	AccessProvider string `json:"access_provider"`
	// Registrar is the domain registrar typed by the applicant; needed only when the look-up has no answer.
	Registrar        string   `json:"registrar,omitempty"`
	IPs              []string `json:"ips"`
	ServiceTypes     []string `json:"service_types"`
	Interactive      bool     `json:"interactive"`
	InteractiveKinds []string `json:"interactive_kinds,omitempty"`
	// PrincipalSameAsSubject copies the subject's principal as the website principal.
	PrincipalSameAsSubject bool             `json:"principal_same_as_subject" note:"-"`
	Principal              Person           `json:"principal"`
	Materials              map[string]int64 `json:"materials"`
	// NoticeRead: "我已阅读上述告知事项" was ticked.
	NoticeRead bool `json:"notice_read" note:"-"`
}

// WebsiteData is an application's data as kept: the form normalised, with the registrar and where it came from.
type WebsiteData struct {
	WebsiteInput
	RegistrarSource string `json:"registrar_source"` // lookup | manual
}

// Appointment is a scheduled in-person review (面审) or on-site inspection (实地检查).
type Appointment struct {
	Kind  string    `json:"kind"` // interview | inspection
	At    time.Time `json:"at"`
	Place string    `json:"place,omitempty"`
	Bring string    `json:"bring,omitempty"` // what to bring (in-person review)
}

// Website is an application as its owner and the reviewing staff see it.
type Website struct {
	ID             int64        `json:"id"`
	SubjectID      int64        `json:"subject_id"`
	State          State        `json:"state"`
	Data           WebsiteData  `json:"data"`
	Pending        *WebsiteData `json:"pending,omitempty"`
	AreaCode       string       `json:"area_code"`
	Overdue        bool         `json:"overdue"`
	DueBy          time.Time    `json:"due_by"`
	PoliceNumber   string       `json:"police_number,omitempty"`
	Appointment    *Appointment `json:"appointment,omitempty"`
	Notes          []Note       `json:"notes,omitempty"`
	ReviewDeadline time.Time    `json:"review_deadline,omitzero"`
	ApprovedAt     time.Time    `json:"approved_at,omitzero"`
	CreatedAt      time.Time    `json:"created_at"`
	UpdatedAt      time.Time    `json:"updated_at"`
	Events         []Event      `json:"events"`
	UserID         int64        `json:"-"`
}

// WebsiteSummary is an application in a list.
type WebsiteSummary struct {
	ID           int64  `json:"id"`
	State        State  `json:"state"`
	Name         string `json:"name"`
	Domain       string `json:"domain"`
	Interactive  bool   `json:"interactive"`
	Overdue      bool   `json:"overdue"`
	PoliceNumber string `json:"police_number,omitempty"`
}

const purposeWebsite = "mps.website"

// SubmitWebsite validates a new application and submits it for review. Errors: mps.credit_unverified,
// mps.subject_unusable (Conflict: the subject is cancelled), field problems (Invalid), mps.website_in_flight,
// mps.website_filed, mps.domain_taken (Conflict).
func (s *Simulator) SubmitWebsite(ctx context.Context, userID int64, in WebsiteInput) (*Website, error) {
	if err := s.mayFile(ctx, userID); err != nil {
		return nil, err
	}
	subj, err := s.subject(ctx, userID, in.SubjectID)
	if err != nil {
		if problem.KindOf(err) == problem.NotFound {
			return nil, problem.Invalidf("mps.subject_unknown", "subject_id")
		}
		return nil, err
	}
	if subj.State == StateCancelled {
		return nil, problem.New(problem.Conflict, "mps.subject_unusable", "subject_id")
	}
	if err := s.domainsFree(ctx, userID, in.Domains); err != nil {
		return nil, err
	}
	data, opened, ferr := s.checkWebsite(ctx, in, subj)
	now := s.now()
	due := opened.Add(OpeningDeadline)
	overdue := !opened.IsZero() && now.After(due)
	var id int64
	err = s.write(ctx, func(tx *sql.Tx) error {
		f := form{errs: problem.As(ferr)}
		sub := submission{userID, KindWebsite, 0, in.Materials, WebsiteMaterials(subj.Data.Nature)}
		if err := s.checkMaterials(ctx, tx, &f, sub); err != nil {
			return err
		}
		raw, _ := json.Marshal(data)
		if err := tx.QueryRowContext(ctx, `INSERT INTO mps_websites (user_id, subject_id, state, domain, name, interactive,
			area_code, opened_on, overdue, data, created_at, updated_at) VALUES ($1, $2, 'review', $3, $4, $5, $6, $7, $8, $9,
			$10, $10) RETURNING id`, userID, subj.ID, data.Domains[0], data.Name, boolInt(data.Interactive),
			subj.Data.AreaCode, sqldb.Millis(opened), boolInt(overdue), s.keys.Seal(raw, purposeWebsite),
			sqldb.Millis(now)).Scan(&id); err != nil {
			return err
		}
		if err := s.claimDomains(ctx, tx, userID, id, data.Domains); err != nil {
			return err
		}
		sub.id = id
		key, params := "website_submitted", map[string]string{"domain": data.Domains[0]}
		if overdue {
			key, params["due"] = "website_submitted_overdue", due.In(cst).Format(time.DateOnly)
		}
		return s.intoReview(ctx, tx, sub, "", ActSubmit, data.Interactive, key, params)
	})
	if err != nil {
		return nil, wrapErr(err)
	}
	return s.Website(ctx, userID, id)
}

// domainsFree refuses at once an application for a domain that already has a filing or an application, before
// the form's other rules are checked (the transaction checks again).
func (s *Simulator) domainsFree(ctx context.Context, userID int64, domains []string) error {
	for i, d := range domains {
		n, ok := normDomain(d)
		if !ok {
			continue
		}
		var owner int64
		var state State
		err := s.db.R.QueryRowContext(ctx, `SELECT w.user_id, w.state FROM mps_domains d JOIN mps_websites w
			ON w.id = d.website_id WHERE d.domain = $1`, n).Scan(&owner, &state)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return internal(err)
		}
		return heldErr("domains["+strconv.Itoa(i)+"]", n, owner, userID, state)
	}
	return nil
}

func heldErr(field, domain string, owner, userID int64, state State) error {
	switch {
	case owner != userID:
		return problem.New(problem.Conflict, "mps.domain_taken", field, "domain", domain)
	case state == StateApproved || state == StateChangeReview:
		return problem.New(problem.Conflict, "mps.website_filed", field, "domain", domain)
	}
	return problem.New(problem.Conflict, "mps.website_in_flight", field, "domain", domain)
}

// claimDomains records the domains of a live application; a domain already held is refused with what holds it.
func (s *Simulator) claimDomains(ctx context.Context, tx *sql.Tx, userID, id int64, domains []string) error {
	for i, d := range domains {
		var holder, owner int64
		var state State
		err := tx.QueryRowContext(ctx, `SELECT w.id, w.user_id, w.state FROM mps_domains d JOIN mps_websites w
			ON w.id = d.website_id WHERE d.domain = $1`, d).Scan(&holder, &owner, &state)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			if _, err := tx.ExecContext(ctx, `INSERT INTO mps_domains (domain, website_id) VALUES ($1, $2)`, d, id); err != nil {
				return err
			}
			continue
		case err != nil:
			return err
		case holder == id:
			continue
		}
		return heldErr("domains["+strconv.Itoa(i)+"]", d, owner, userID, state)
	}
	return nil
}

// UpdateWebsite resubmits a returned application with corrected data, or submits a change of a filed website
// (the filed data stays public until the change is approved). The main domain cannot change
// (mps.website_domain_fixed): a new domain is a new website.
func (s *Simulator) UpdateWebsite(ctx context.Context, userID, id int64, in WebsiteInput) (*Website, error) {
	if err := s.mayFile(ctx, userID); err != nil {
		return nil, err
	}
	cur, err := s.website(ctx, userID, id)
	if err != nil {
		return nil, err
	}
	in.SubjectID = cur.SubjectID
	if len(in.Domains) > 0 {
		if d, ok := normDomain(in.Domains[0]); ok && d != cur.Data.Domains[0] {
			return nil, problem.New(problem.Conflict, "mps.website_domain_fixed", "domains[0]")
		}
	}
	subj, err := s.subject(ctx, userID, cur.SubjectID)
	if err != nil {
		return nil, err
	}
	data, _, ferr := s.checkWebsite(ctx, in, subj)
	err = s.write(ctx, func(tx *sql.Tx) error {
		f := form{errs: problem.As(ferr)}
		sub := submission{userID, KindWebsite, id, in.Materials, WebsiteMaterials(subj.Data.Nature)}
		if err := s.checkMaterials(ctx, tx, &f, sub); err != nil {
			return err
		}
		raw, _ := json.Marshal(data)
		sealed := s.keys.Seal(raw, purposeWebsite)
		var act Action
		switch cur.State {
		case StateReturned:
			act = ActResubmit
			if _, err := tx.ExecContext(ctx, `UPDATE mps_websites SET data = $2, name = $3, interactive = $4, notes = '',
				appointment = '' WHERE id = $1`, id, sealed, data.Name, boolInt(data.Interactive)); err != nil {
				return err
			}
		case StateApproved:
			act = ActChange
			if _, err := tx.ExecContext(ctx, `UPDATE mps_websites SET pending = $2, notes = '' WHERE id = $1`, id, sealed); err != nil {
				return err
			}
		default:
			return transitionInvalid(cur.State, "update")
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM mps_domains WHERE website_id = $1`, id); err != nil {
			return err
		}
		domains := data.Domains
		if act == ActChange { // the filed domains stay claimed while the change is reviewed
			domains = append(slices.Clone(cur.Data.Domains), data.Domains...)
			domains = slices.Compact(domains)
		}
		if err := s.claimDomains(ctx, tx, userID, id, uniq(domains)); err != nil {
			return err
		}
		return s.intoReview(ctx, tx, sub, cur.State, act, data.Interactive, "website_submitted",
			map[string]string{"domain": data.Domains[0]})
	})
	if err != nil {
		return nil, wrapErr(err)
	}
	return s.Website(ctx, userID, id)
}

func uniq(list []string) []string {
	var out []string
	for _, x := range list {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// CancelWebsite cancels an application or a filed website: its domains are free again; its police number is
// never issued again.
func (s *Simulator) CancelWebsite(ctx context.Context, userID, id int64, reason string) error {
	cur, err := s.website(ctx, userID, id)
	if err != nil {
		return err
	}
	return wrapErr(s.write(ctx, func(tx *sql.Tx) error {
		if _, err := s.transition(ctx, tx, KindWebsite, id, cur.State, ActCancel, cur.Data.Interactive,
			Actor{ActorApplicant, userID}, reason); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE mps_websites SET pending = NULL, auto_at = 0 WHERE id = $1`, id); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM mps_domains WHERE website_id = $1`, id)
		return err
	}))
}

// Website returns an application to its owner (userID) or, with userID 0, to staff.
func (s *Simulator) Website(ctx context.Context, userID, id int64) (*Website, error) {
	w, err := s.website(ctx, userID, id)
	if err != nil {
		return nil, err
	}
	if w.Events, err = s.events(ctx, KindWebsite, id); err != nil {
		return nil, internal(err)
	}
	return w, nil
}

// PoliceNumber returns the number of a user's filed website, for its badge. Errors: mps.not_found (no such
// website of the user), mps.not_filed (Conflict: not numbered yet, or cancelled).
func (s *Simulator) PoliceNumber(ctx context.Context, userID, id int64) (string, error) {
	var owner int64
	var state State
	var number sql.NullString
	err := s.db.R.QueryRowContext(ctx, `SELECT user_id, state, police_number FROM mps_websites WHERE id = $1`, id).
		Scan(&owner, &state, &number)
	if err := ownRecord(err, userID, owner); err != nil {
		return "", err
	}
	if number.String == "" || state == StateCancelled {
		return "", problem.New(problem.Conflict, "mps.not_filed", "")
	}
	return number.String, nil
}

// website is Website without the history, for the use cases that do not show it.
func (s *Simulator) website(ctx context.Context, userID, id int64) (*Website, error) {
	var w Website
	var data, pending []byte
	var notes, appt string
	var number sql.NullString
	var interactive, overdue int
	var opened, deadline, approved, created, updated int64
	err := s.db.R.QueryRowContext(ctx, `SELECT id, user_id, subject_id, state, area_code, interactive, overdue, opened_on,
		data, pending, notes, appointment, police_number, review_deadline, approved_at, created_at, updated_at
		FROM mps_websites WHERE id = $1`, id).Scan(&w.ID, &w.UserID, &w.SubjectID, &w.State, &w.AreaCode, &interactive,
		&overdue, &opened, &data, &pending, &notes, &appt, &number, &deadline, &approved, &created, &updated)
	if err := ownRecord(err, userID, w.UserID); err != nil {
		return nil, err
	}
	if w.Pending, err = openRecord(s, purposeWebsite, data, pending, &w.Data); err != nil {
		return nil, internal(err)
	}
	json.Unmarshal([]byte(notes), &w.Notes)
	if appt != "" {
		w.Appointment = &Appointment{}
		json.Unmarshal([]byte(appt), w.Appointment)
	}
	w.Overdue, w.DueBy, w.PoliceNumber = overdue != 0, sqldb.Time(opened).Add(OpeningDeadline), number.String
	w.ReviewDeadline, w.ApprovedAt = sqldb.Time(deadline), sqldb.Time(approved)
	w.CreatedAt, w.UpdatedAt = sqldb.Time(created), sqldb.Time(updated)
	return &w, nil
}

// Websites lists a user's applications.
func (s *Simulator) Websites(ctx context.Context, userID int64) ([]WebsiteSummary, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT id, state, name, domain, interactive, overdue, police_number
		FROM mps_websites WHERE user_id = $1 ORDER BY id`, userID)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	out := []WebsiteSummary{}
	for rows.Next() {
		var x WebsiteSummary
		var interactive, overdue int
		var number sql.NullString
		if err := rows.Scan(&x.ID, &x.State, &x.Name, &x.Domain, &interactive, &overdue, &number); err != nil {
			return nil, internal(err)
		}
		x.Interactive, x.Overdue, x.PoliceNumber = interactive != 0, overdue != 0, number.String
		out = append(out, x)
	}
	return out, wrapErr(rows.Err())
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
