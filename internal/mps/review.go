package mps

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/sqldb"
)

// Review by the local public security organ (属地公安机关, the platform's user guide §五): staff of a unit see the
// subjects and applications of their area, oldest deadline first (feedback within 3 to 5 working days, §五.1),
// and approve, return with notes per field, or, for an interactive website, schedule an in-person review (面审,
// §五.3: time, place, what to bring) or an on-site inspection (实地检查, §五.4) and record its result. A
// non-interactive website is filed once approved (§五.2). The applicant learns every step by SMS and system
// message. Staff reading a record is audited.

// Decision is what a staff member decides.
type Decision struct {
	Action      Action       `json:"action"` // approve, return, schedule_interview, schedule_inspection, pass, fail
	Reason      string       `json:"reason,omitempty"`
	Notes       []Note       `json:"notes,omitempty"`
	Appointment *Appointment `json:"appointment,omitempty"`
}

// QueueItem is one record waiting for staff.
type QueueItem struct {
	Kind        string    `json:"kind"`
	ID          int64     `json:"id"`
	State       State     `json:"state"`
	Name        string    `json:"name"` // subject name (masked for individuals) or website name
	Domain      string    `json:"domain,omitempty"`
	AreaCode    string    `json:"area_code"`
	Interactive bool      `json:"interactive,omitempty"`
	Overdue     bool      `json:"overdue,omitempty"`
	Target      time.Time `json:"target"`   // 3 working days after submission (the early end of "3-5")
	Deadline    time.Time `json:"deadline"` // 5 working days after submission
}

// enterReview schedules the review of a record just submitted: its deadline, and with the automatic policy its
// decision (taken at once when due now). The applicant is told.
func (s *Simulator) enterReview(ctx context.Context, tx *sql.Tx, kind string, id, userID int64, msg string,
	params map[string]string) error {
	now := s.now()
	target, deadline := s.addWorkdays(now, ReviewTargetWorkdays), s.addWorkdays(now, ReviewWorkdays)
	var auto int64
	p := s.Policy()
	if p.Mode == PolicyAutomatic && p.AfterWorkdays > 0 {
		auto = sqldb.Millis(s.addWorkdays(now, p.AfterWorkdays))
	}
	if _, err := tx.ExecContext(ctx, `UPDATE `+table(kind)+` SET review_target = $2, review_deadline = $3, auto_at = $4
		WHERE id = $1`, id, sqldb.Millis(target), sqldb.Millis(deadline), auto); err != nil {
		return err
	}
	params["deadline"] = deadline.In(cst).Format(time.DateOnly)
	ctx = withMobiles(ctx) // the decision taken at once tells the applicant again, in this transaction
	if err := s.notify(ctx, tx, userID, msg, params); err != nil {
		return err
	}
	if p.Mode == PolicyAutomatic && p.AfterWorkdays == 0 {
		return s.autoDecide(ctx, tx, kind, id)
	}
	return nil
}

func table(kind string) string {
	if kind == KindWebsite {
		return "mps_websites"
	}
	return "mps_subjects"
}

// Queue lists what waits for a staff member's unit, oldest deadline first. state filters ("" = everything
// waiting: review, change_review, interview, inspection).
func (s *Simulator) Queue(ctx context.Context, staff *User, state string) ([]QueueItem, error) {
	if staff == nil || staff.Role != RoleStaff {
		return nil, problem.New(problem.Forbidden, "mps.forbidden", "")
	}
	states := []string{string(StateReview), string(StateChangeReview), string(StateInterview), string(StateInspection)}
	if state != "" {
		if !slices.Contains(States, State(state)) {
			return nil, problem.Invalidf("mps.state_unknown", "state", "state", state)
		}
		states = []string{state}
	}
	prefix := areaPrefix(staff.UnitCode) + "%"
	out := []QueueItem{}
	for _, st := range states {
		rows, err := s.db.R.QueryContext(ctx, `SELECT 'subject', id, state, nature, name, '', area_code, 0, 0,
			review_target, review_deadline FROM mps_subjects WHERE state = $1 AND area_code LIKE $2
			UNION ALL SELECT 'website', id, state, '', name, domain, area_code, interactive, overdue, review_target,
			review_deadline FROM mps_websites WHERE state = $1 AND area_code LIKE $2`, st, prefix)
		if err != nil {
			return nil, internal(err)
		}
		for rows.Next() {
			var q QueueItem
			var nature string
			var interactive, overdue int
			var target, deadline int64
			if err := rows.Scan(&q.Kind, &q.ID, &q.State, &nature, &q.Name, &q.Domain, &q.AreaCode, &interactive, &overdue,
				&target, &deadline); err != nil {
				rows.Close()
				return nil, internal(err)
			}
			q.Name = maskedName(nature, q.Name)
			q.Interactive, q.Overdue = interactive != 0, overdue != 0
			q.Target, q.Deadline = sqldb.Time(target), sqldb.Time(deadline)
			out = append(out, q)
		}
		rows.Close()
	}
	slices.SortFunc(out, func(a, b QueueItem) int {
		if queueBefore(a, b) {
			return -1
		}
		if queueBefore(b, a) {
			return 1
		}
		return 0
	})
	return out, nil
}

// queueBefore orders by deadline, then subjects before websites (a website waits for its subject), then id.
func queueBefore(a, b QueueItem) bool {
	switch {
	case !a.Deadline.Equal(b.Deadline):
		return a.Deadline.Before(b.Deadline)
	case a.Kind != b.Kind:
		return a.Kind == KindSubject
	}
	return a.ID < b.ID
}

// StaffSubject returns a subject of the staff member's area (NotFound otherwise), and audits the reading.
func (s *Simulator) StaffSubject(ctx context.Context, staff *User, id int64) (*Subject, error) {
	subj, err := s.Subject(ctx, 0, id)
	if err != nil {
		return nil, err
	}
	if err := s.staffMay(ctx, staff, subj.Data.AreaCode, KindSubject, id); err != nil {
		return nil, err
	}
	return subj, nil
}

// StaffWebsite returns an application of the staff member's area with its subject, and audits the reading.
func (s *Simulator) StaffWebsite(ctx context.Context, staff *User, id int64) (*Website, *Subject, error) {
	w, err := s.Website(ctx, 0, id)
	if err != nil {
		return nil, nil, err
	}
	if err := s.staffMay(ctx, staff, w.AreaCode, KindWebsite, id); err != nil {
		return nil, nil, err
	}
	subj, err := s.Subject(ctx, 0, w.SubjectID)
	return w, subj, err
}

// staffMay checks that a staff member covers an area and records the access.
func (s *Simulator) staffMay(ctx context.Context, staff *User, area, kind string, id int64) error {
	if staff == nil || staff.Role != RoleStaff {
		return problem.New(problem.Forbidden, "mps.forbidden", "")
	}
	if !strings.HasPrefix(area, areaPrefix(staff.UnitCode)) {
		return problem.New(problem.NotFound, "mps.not_found", "")
	}
	_, err := s.db.Exec(ctx, `INSERT INTO mps_audit (actor_id, action, kind, record_id, at) VALUES ($1, 'read', $2, $3, $4)`,
		staff.ID, kind, id, sqldb.Millis(s.now()))
	return wrapErr(err)
}

// StaffMaterial returns a material of a record in the staff member's area (audited).
func (s *Simulator) StaffMaterial(ctx context.Context, staff *User, id int64) ([]byte, error) {
	_, kind, owner, data, err := s.material(ctx, id)
	if err != nil {
		return nil, err
	}
	var area string
	switch kind {
	case KindSubject:
		err = s.db.R.QueryRowContext(ctx, `SELECT area_code FROM mps_subjects WHERE id = $1`, owner).Scan(&area)
	case KindWebsite:
		err = s.db.R.QueryRowContext(ctx, `SELECT area_code FROM mps_websites WHERE id = $1`, owner).Scan(&area)
	default:
		return nil, problem.New(problem.NotFound, "mps.not_found", "")
	}
	if err != nil {
		return nil, internal(err)
	}
	if err := s.staffMay(ctx, staff, area, "material", id); err != nil {
		return nil, err
	}
	return data, nil
}

// OwnMaterial returns one of the user's own uploads.
func (s *Simulator) OwnMaterial(ctx context.Context, userID, id int64) ([]byte, error) {
	owner, _, _, data, err := s.material(ctx, id)
	if err != nil {
		return nil, err
	}
	if owner != userID {
		return nil, problem.New(problem.NotFound, "mps.not_found", "")
	}
	return data, nil
}

// Decide applies a staff member's decision on a subject or an application of their area. Errors:
// mps.decision_invalid (unknown action), mps.note_field_unknown (a note names no field of the record, param field),
// mps.return_notes_required, mps.appointment_required,
// mps.appointment_past, mps.fail_reason_required (Invalid), mps.subject_not_approved (Conflict: approve the
// subject first), the state machine's errors (Conflict).
func (s *Simulator) Decide(ctx context.Context, staff *User, kind string, id int64, d Decision) error {
	if staff == nil || staff.Role != RoleStaff {
		return problem.New(problem.Forbidden, "mps.forbidden", "")
	}
	if err := s.checkDecision(kind, d); err != nil {
		return err
	}
	return wrapErr(s.write(ctx, func(tx *sql.Tx) error {
		rec, err := s.loadRecord(ctx, tx, kind, id)
		if err != nil {
			return err
		}
		if !strings.HasPrefix(rec.area, areaPrefix(staff.UnitCode)) {
			return problem.New(problem.NotFound, "mps.not_found", "")
		}
		return s.apply(ctx, tx, rec, d, Actor{ActorStaff, staff.ID}, staff.UnitCode)
	}))
}

// maxGeneralNotes is how many notes of a decision may go beyond one for each field that takes a note.
const maxGeneralNotes = 10

func (s *Simulator) checkDecision(kind string, d Decision) error {
	now := s.now()
	var f form
	known := NoteFields(kind)
	if most := len(known) + maxGeneralNotes; len(d.Notes) > most { // one a field and a few remarks
		f.fail("notes", "mps.notes_too_many", "max", itoa(most))
	}
	for i, n := range d.Notes { // a note names a field of the record, or none (a remark on the whole)
		if n.Field != "" && !slices.Contains(known, n.Field) {
			f.fail("notes["+itoa(i)+"].field", "mps.note_field_unknown", "field", n.Field, "line", itoa(i+1))
		}
	}
	for i, n := range d.Notes { // kept with a return or a failed check, and shown to the applicant
		f.text("notes["+itoa(i)+"].text", n.Text, 500)
	}
	switch d.Action {
	case ActApprove, ActPass:
	case ActReturn:
		if len(d.Notes) == 0 && strings.TrimSpace(d.Reason) == "" {
			f.fail("notes", "mps.return_notes_required")
		}
	case ActFail:
		if strings.TrimSpace(d.Reason) == "" {
			f.fail("reason", "mps.fail_reason_required")
		}
	case ActScheduleInterview, ActScheduleInspection:
		a := d.Appointment
		if a == nil || a.At.IsZero() {
			f.fail("appointment.at", "mps.appointment_required")
		} else if a.At.Before(now.Add(-time.Minute)) {
			f.fail("appointment.at", "mps.appointment_past")
		}
		if a != nil {
			f.text("appointment.place", a.Place, 200)
			if d.Action == ActScheduleInterview {
				f.text("appointment.bring", a.Bring, 300)
			}
		}
	default:
		f.fail("action", "mps.decision_invalid")
	}
	if strings.TrimSpace(d.Reason) != "" {
		f.text("reason", d.Reason, 500)
	}
	return f.err()
}

// record is what a decision needs of a subject or an application.
type record struct {
	kind        string
	id, userID  int64
	state       State
	area        string
	interactive bool
	subjectID   int64
	name        string
}

func (s *Simulator) loadRecord(ctx context.Context, tx *sql.Tx, kind string, id int64) (*record, error) {
	r := &record{kind: kind, id: id}
	var err error
	if kind == KindWebsite {
		var inter int
		err = tx.QueryRowContext(ctx, `SELECT user_id, state, area_code, interactive, subject_id, domain FROM mps_websites
			WHERE id = $1`+s.db.ForUpdate(), id).Scan(&r.userID, &r.state, &r.area, &inter, &r.subjectID, &r.name)
		r.interactive = inter != 0
	} else if kind == KindSubject {
		err = tx.QueryRowContext(ctx, `SELECT user_id, state, area_code, name FROM mps_subjects WHERE id = $1`+s.db.ForUpdate(),
			id).Scan(&r.userID, &r.state, &r.area, &r.name)
	} else {
		return nil, problem.New(problem.NotFound, "mps.not_found", "")
	}
	if errors.Is(err, sql.ErrNoRows) {
		return nil, problem.New(problem.NotFound, "mps.not_found", "")
	}
	return r, err
}

// apply moves a record by a decision and does what the new state implies: numbers, messages, identity.
func (s *Simulator) apply(ctx context.Context, tx *sql.Tx, r *record, d Decision, actor Actor, unit string) error {
	act := d.Action
	if r.state == StateChangeReview {
		switch act {
		case ActApprove:
			act = ActApproveChange
		case ActReturn:
			act = ActReturnChange
		}
	}
	if r.kind == KindWebsite && (act == ActApprove || act == ActPass) {
		var st State
		if err := tx.QueryRowContext(ctx, `SELECT state FROM mps_subjects WHERE id = $1`, r.subjectID).Scan(&st); err != nil {
			return err
		}
		if st != StateApproved && st != StateChangeReview {
			return problem.New(problem.Conflict, "mps.subject_not_approved", "")
		}
	}
	reason := strings.TrimSpace(d.Reason)
	to, err := s.transition(ctx, tx, r.kind, r.id, r.state, act, r.interactive, actor, reason)
	if err != nil {
		return err
	}
	now := sqldb.Millis(s.now())
	tbl := table(r.kind)
	params := map[string]string{"name": r.name, "reason": reason}
	switch act {
	case ActReturn, ActFail, ActReturnChange:
		notes, _ := json.Marshal(d.Notes)
		if _, err := tx.ExecContext(ctx, `UPDATE `+tbl+` SET notes = $2, pending = NULL, auto_at = 0 WHERE id = $1`,
			r.id, string(notes)); err != nil {
			return err
		}
		return s.notify(ctx, tx, r.userID, r.kind+"_"+string(act), params)
	case ActScheduleInterview, ActScheduleInspection:
		raw, _ := json.Marshal(appointmentOf(act, d.Appointment))
		if _, err := tx.ExecContext(ctx, `UPDATE mps_websites SET appointment = $2, auto_at = 0 WHERE id = $1`, r.id,
			string(raw)); err != nil {
			return err
		}
		params["at"] = d.Appointment.At.In(cst).Format("2006-01-02 15:04")
		params["place"], params["bring"] = d.Appointment.Place, d.Appointment.Bring
		return s.notify(ctx, tx, r.userID, "website_"+string(act), params)
	}
	// approved: approve, pass, approve_change
	if _, err := tx.ExecContext(ctx, `UPDATE `+tbl+` SET data = COALESCE(pending, data), pending = NULL, notes = '',
		auto_at = 0, approved_at = $2 WHERE id = $1`, r.id, now); err != nil {
		return err
	}
	if r.kind == KindSubject {
		if _, err := tx.ExecContext(ctx, `UPDATE mps_users SET identity_verified_at = $2 WHERE id = $1
			AND identity_verified_at = 0`, r.userID, now); err != nil {
			return err
		}
		return s.notify(ctx, tx, r.userID, "subject_"+string(to), params)
	}
	if act == ActApproveChange {
		return s.notify(ctx, tx, r.userID, "website_change_approved", params)
	}
	number, err := s.issueNumber(ctx, tx, r.id, unit)
	if err != nil {
		return err
	}
	params["number"] = number
	return s.notify(ctx, tx, r.userID, "website_approved", params)
}

func appointmentOf(act Action, a *Appointment) Appointment {
	out := *a
	out.Kind = "inspection"
	if act == ActScheduleInterview {
		out.Kind = "interview"
	}
	out.At = out.At.UTC()
	return out
}

// autoDecide is the automatic policy's decision: approve the subject, or approve a website, an interactive one
// after an on-site inspection recorded as passed. A website whose subject still waits is left for the sweep
// after the subject's decision.
func (s *Simulator) autoDecide(ctx context.Context, tx *sql.Tx, kind string, id int64) error {
	r, err := s.loadRecord(ctx, tx, kind, id)
	if err != nil {
		return err
	}
	actor := Actor{Kind: ActorPolicy}
	if kind == KindWebsite {
		var st State
		if err := tx.QueryRowContext(ctx, `SELECT state FROM mps_subjects WHERE id = $1`, r.subjectID).Scan(&st); err != nil {
			return err
		}
		if st != StateApproved && st != StateChangeReview {
			return nil
		}
	}
	if r.state == StateReview && r.interactive {
		at := s.now()
		d := Decision{Action: ActScheduleInspection, Appointment: &Appointment{At: at, Place: "网站运营场所"}}
		if err := s.apply(ctx, tx, r, d, actor, r.area); err != nil {
			return err
		}
		r.state = StateInspection
		return s.apply(ctx, tx, r, Decision{Action: ActPass, Reason: "实地检查合格"}, actor, r.area)
	}
	return s.apply(ctx, tx, r, Decision{Action: ActApprove}, actor, r.area)
}
