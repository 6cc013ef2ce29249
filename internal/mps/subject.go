package mps

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"github.com/beian/beian/internal/codes"
	"github.com/beian/beian/internal/divisions"
	"github.com/beian/beian/internal/ident"
	"github.com/beian/beian/internal/mask"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/sqldb"
)

// Filing subjects (开办主体管理, the platform's user guide §三). A subject is reviewed on its own by the local
// public security organ of its area; once approved, its owner's identity verification passes (§二.4). One
// credential number names at most one live subject on the platform.

// Person is a person in charge: the subject's principal or a website's.
type Person struct {
	Name             string `json:"name"`
	CredentialType   string `json:"credential_type"`
	CredentialNumber string `json:"credential_number"`
	Mobile           string `json:"mobile"`
	Email            string `json:"email"`
	Residence        string `json:"residence"` // 常住地 (⑥)
}

// SubjectInput is the subject form; its JSON names are the form's fields (FormFields), those a note may name.
type SubjectInput struct {
	Nature           string `json:"nature"`
	Name             string `json:"name"`
	CredentialType   string `json:"credential_type"`
	CredentialNumber string `json:"credential_number"`
	// Investor is the investor or supervising unit (投资或主管单位, ⑤): for units, the legal representative's or
	// the top official's name.
	Investor    string           `json:"investor,omitempty"`
	AreaCode    string           `json:"area_code"` // the county-level division of the address
	Address     string           `json:"address"`
	OfficePhone string           `json:"office_phone"`
	Principal   Person           `json:"principal"`
	Materials   map[string]int64 `json:"materials"`
}

// Note is a reviewer's remark on one field.
type Note struct {
	Field string `json:"field"`
	Text  string `json:"text"`
}

// Subject is a filing subject as its owner and the reviewing staff see it.
type Subject struct {
	ID             int64         `json:"id"`
	State          State         `json:"state"`
	Data           SubjectInput  `json:"data"`
	Pending        *SubjectInput `json:"pending,omitempty"` // a change under review
	Notes          []Note        `json:"notes,omitempty"`
	ReviewDeadline time.Time     `json:"review_deadline,omitzero"`
	ApprovedAt     time.Time     `json:"approved_at,omitzero"`
	CreatedAt      time.Time     `json:"created_at"`
	UpdatedAt      time.Time     `json:"updated_at"`
	Events         []Event       `json:"events"`
	UserID         int64         `json:"-"`
}

// SubjectSummary is a subject in a list (personal data masked).
type SubjectSummary struct {
	ID       int64  `json:"id"`
	State    State  `json:"state"`
	Nature   string `json:"nature"`
	Name     string `json:"name"`
	AreaCode string `json:"area_code"`
}

const purposeSubject = "mps.subject"

// validateSubject checks every field of the form and returns it normalised.
func validateSubject(in SubjectInput, now time.Time) (SubjectInput, error) {
	var f form
	out := SubjectInput{Materials: in.Materials}
	if n, ok := f.text("nature", in.Nature, 40); ok {
		if _, known := codes.PoliceNature(n); !known {
			f.fail("nature", "mps.nature_unknown")
		} else {
			out.Nature = n
		}
	}
	individual := out.Nature == NatureIndividual
	if n, ok := f.text("name", in.Name, 100); ok {
		out.Name = n
		checkName(&f, out.Nature, n)
	}
	if ct, ok := f.text("credential_type", in.CredentialType, 60); ok && out.Nature != "" {
		out.CredentialType = ct
		out.CredentialNumber = checkCredential(&f, out.Nature, ct, in.CredentialNumber, now)
	}
	if !individual && out.Nature != "" {
		if v, ok := f.text("investor", in.Investor, 50); ok {
			out.Investor = v
			if !personName(v) && !latinName(v) {
				f.fail("investor", "mps.investor_person")
			}
		}
	}
	if !divisions.KnownCounty(in.AreaCode) {
		f.fail("area_code", "mps.area_code_invalid")
	} else {
		out.AreaCode = in.AreaCode
	}
	if v, ok := f.text("address", in.Address, 200); ok {
		out.Address = v
		checkResidence(&f, "address", v)
	}
	if _, ok := f.text("office_phone", in.OfficePhone, 30); ok {
		out.OfficePhone = checkOfficePhone(&f, "office_phone", in.OfficePhone, individual)
	}
	p := in.Principal
	if individual { // the individual is their own principal
		p.Name = cmp.Or(p.Name, out.Name)
		p.CredentialType = cmp.Or(p.CredentialType, out.CredentialType)
		p.CredentialNumber = cmp.Or(p.CredentialNumber, in.CredentialNumber)
		p.Residence = cmp.Or(p.Residence, out.Address)
	}
	out.Principal = checkPerson(&f, "principal", p, now)
	if individual && out.Principal.CredentialNumber != "" && out.CredentialNumber != "" &&
		(out.Principal.Name != out.Name || out.Principal.CredentialNumber != out.CredentialNumber) {
		f.fail("principal.name", "mps.individual_principal")
	}
	return out, f.err()
}

// checkPerson checks a principal: name, personal credential, mobile, e-mail and a precise residence.
func checkPerson(f *form, prefix string, p Person, now time.Time) Person {
	var out Person
	if v, ok := f.text(prefix+".name", p.Name, 50); ok {
		out.Name = v
		if !personName(v) && !latinName(v) {
			f.fail(prefix+".name", "mps.name_person")
		}
	}
	if ct, ok := f.text(prefix+".credential_type", p.CredentialType, 60); ok {
		if !personCredential(ct) {
			f.fail(prefix+".credential_type", "mps.credential_type_invalid")
		} else {
			out.CredentialType = ct
			out.CredentialNumber, _ = f.ident(prefix+".credential_number", ident.Credential(ct, p.CredentialNumber, now))
		}
	}
	out.Mobile, _ = f.ident(prefix+".mobile", ident.Mobile(p.Mobile))
	out.Email, _ = f.ident(prefix+".email", ident.Email(p.Email))
	if v, ok := f.text(prefix+".residence", p.Residence, 200); ok {
		out.Residence = v
		checkResidence(f, prefix+".residence", v)
	}
	return out
}

// SubmitSubject validates a new subject and submits it for review. Errors: mps.credit_unverified (Conflict:
// verify the phone and the e-mail first), field problems (Invalid), mps.subject_exists (Conflict).
func (s *Simulator) SubmitSubject(ctx context.Context, userID int64, in SubjectInput) (*Subject, error) {
	if err := s.mayFile(ctx, userID); err != nil {
		return nil, err
	}
	now := s.now()
	data, ferr := validateSubject(in, now)
	var id int64
	err := s.write(ctx, func(tx *sql.Tx) error {
		f := form{errs: problem.As(ferr)}
		sub := submission{userID, KindSubject, 0, in.Materials, SubjectMaterials(data.Nature)}
		if err := s.checkMaterials(ctx, tx, &f, sub); err != nil {
			return err
		}
		credHash := s.keys.Hash("mps.credential", data.CredentialNumber)
		if taken, err := exists(ctx, tx, `SELECT 1 FROM mps_subjects WHERE credential_hash = $1 AND state <> 'cancelled'`,
			credHash); err != nil || taken {
			if taken {
				return problem.New(problem.Conflict, "mps.subject_exists", "credential_number")
			}
			return err
		}
		raw, _ := json.Marshal(data)
		if err := tx.QueryRowContext(ctx, `INSERT INTO mps_subjects (user_id, state, nature, name, credential_hash,
			area_code, data, created_at, updated_at) VALUES ($1, 'review', $2, $3, $4, $5, $6, $7, $7) RETURNING id`,
			userID, data.Nature, data.Name, credHash, data.AreaCode, s.keys.Seal(raw, purposeSubject),
			sqldb.Millis(now)).Scan(&id); err != nil {
			return err
		}
		sub.id = id
		return s.intoReview(ctx, tx, sub, "", ActSubmit, false, "subject_submitted", map[string]string{"name": data.Name})
	})
	if err != nil {
		return nil, wrapErr(err)
	}
	return s.Subject(ctx, userID, id)
}

// mayFile refuses users who are not applicants or whose credit verification is incomplete. It reads the account
// unless the request authenticated as that user has just read it (WithUser).
func (s *Simulator) mayFile(ctx context.Context, userID int64) error {
	u, ok := ctx.Value(userKey{}).(*User)
	if !ok || u.ID != userID {
		var err error
		if u, err = s.User(ctx, userID); err != nil {
			return err
		}
	}
	if u.Role != RoleApplicant {
		return problem.New(problem.Forbidden, "mps.forbidden", "")
	}
	if !u.CreditVerified() {
		return problem.New(problem.Conflict, "mps.credit_unverified", "")
	}
	return nil
}

// UpdateSubject resubmits a returned subject with corrected data, or submits a change of an approved one (its
// approved data stays in force until the change is approved). The credential number and the nature of an
// approved subject cannot change (mps.subject_identity_fixed): cancel it and file a new one instead.
func (s *Simulator) UpdateSubject(ctx context.Context, userID, id int64, in SubjectInput) (*Subject, error) {
	if err := s.mayFile(ctx, userID); err != nil {
		return nil, err
	}
	cur, err := s.subject(ctx, userID, id)
	if err != nil {
		return nil, err
	}
	data, ferr := validateSubject(in, s.now())
	err = s.write(ctx, func(tx *sql.Tx) error {
		f := form{errs: problem.As(ferr)}
		sub := submission{userID, KindSubject, id, in.Materials, SubjectMaterials(data.Nature)}
		if err := s.checkMaterials(ctx, tx, &f, sub); err != nil {
			return err
		}
		raw, _ := json.Marshal(data)
		sealed := s.keys.Seal(raw, purposeSubject)
		var act Action
		switch cur.State {
		case StateReturned:
			act = ActResubmit
			credHash := s.keys.Hash("mps.credential", data.CredentialNumber)
			if taken, err := exists(ctx, tx, `SELECT 1 FROM mps_subjects WHERE credential_hash = $1 AND state <> 'cancelled'
				AND id <> $2`, credHash, id); err != nil || taken {
				if taken {
					return problem.New(problem.Conflict, "mps.subject_exists", "credential_number")
				}
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE mps_subjects SET data = $2, nature = $3, name = $4, credential_hash = $5,
				area_code = $6, notes = '' WHERE id = $1`, id, sealed, data.Nature, data.Name, credHash, data.AreaCode); err != nil {
				return err
			}
		case StateApproved:
			act = ActChange
			if data.CredentialNumber != cur.Data.CredentialNumber || data.Nature != cur.Data.Nature {
				return problem.New(problem.Conflict, "mps.subject_identity_fixed", "credential_number")
			}
			if _, err := tx.ExecContext(ctx, `UPDATE mps_subjects SET pending = $2, notes = '' WHERE id = $1`, id, sealed); err != nil {
				return err
			}
		default:
			return transitionInvalid(cur.State, "update")
		}
		return s.intoReview(ctx, tx, sub, cur.State, act, false, "subject_submitted", map[string]string{"name": data.Name})
	})
	if err != nil {
		return nil, wrapErr(err)
	}
	return s.Subject(ctx, userID, id)
}

// CancelSubject cancels a subject that has no website left (mps.subject_has_websites otherwise).
func (s *Simulator) CancelSubject(ctx context.Context, userID, id int64, reason string) error {
	cur, err := s.subject(ctx, userID, id)
	if err != nil {
		return err
	}
	return wrapErr(s.write(ctx, func(tx *sql.Tx) error {
		if busy, err := exists(ctx, tx, `SELECT 1 FROM mps_websites WHERE subject_id = $1 AND state <> 'cancelled'`, id); err != nil || busy {
			if busy {
				return problem.New(problem.Conflict, "mps.subject_has_websites", "")
			}
			return err
		}
		if _, err := s.transition(ctx, tx, KindSubject, id, cur.State, ActCancel, false, Actor{ActorApplicant, userID}, reason); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE mps_subjects SET pending = NULL, auto_at = 0 WHERE id = $1`, id)
		return err
	}))
}

// Subject returns a subject to its owner (userID) or, with userID 0, to staff (the caller checks the area).
func (s *Simulator) Subject(ctx context.Context, userID, id int64) (*Subject, error) {
	sub, err := s.subject(ctx, userID, id)
	if err != nil {
		return nil, err
	}
	if sub.Events, err = s.events(ctx, KindSubject, id); err != nil {
		return nil, internal(err)
	}
	return sub, nil
}

// subject is Subject without the history, for the use cases that do not show it.
func (s *Simulator) subject(ctx context.Context, userID, id int64) (*Subject, error) {
	var sub Subject
	var data, pending []byte
	var notes string
	var deadline, approved, created, updated int64
	err := s.db.R.QueryRowContext(ctx, `SELECT id, user_id, state, data, pending, notes, review_deadline, approved_at,
		created_at, updated_at FROM mps_subjects WHERE id = $1`, id).Scan(&sub.ID, &sub.UserID, &sub.State, &data, &pending,
		&notes, &deadline, &approved, &created, &updated)
	if err := ownRecord(err, userID, sub.UserID); err != nil {
		return nil, err
	}
	if sub.Pending, err = openRecord(s, purposeSubject, data, pending, &sub.Data); err != nil {
		return nil, internal(err)
	}
	json.Unmarshal([]byte(notes), &sub.Notes)
	sub.ReviewDeadline, sub.ApprovedAt = sqldb.Time(deadline), sqldb.Time(approved)
	sub.CreatedAt, sub.UpdatedAt = sqldb.Time(created), sqldb.Time(updated)
	return &sub, nil
}

// Subjects lists a user's subjects.
func (s *Simulator) Subjects(ctx context.Context, userID int64) ([]SubjectSummary, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT id, state, nature, name, area_code FROM mps_subjects WHERE user_id = $1
		ORDER BY id`, userID)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	out := []SubjectSummary{}
	for rows.Next() {
		var x SubjectSummary
		if err := rows.Scan(&x.ID, &x.State, &x.Nature, &x.Name, &x.AreaCode); err != nil {
			return nil, internal(err)
		}
		out = append(out, x)
	}
	return out, wrapErr(rows.Err())
}

func (s *Simulator) openJSON(sealed []byte, purpose string, v any) error {
	raw, err := s.keys.Open(sealed, purpose)
	if err != nil {
		return err
	}
	return json.Unmarshal(raw, v)
}

// maskedName shows a person's name masked and a unit's name whole (lists).
func maskedName(nature, name string) string {
	if nature == NatureIndividual {
		return mask.Name(name)
	}
	return name
}
