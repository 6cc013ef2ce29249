package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/sqldb"
)

const (
	purposeFiledSubject = "filed_subjects.payload"
	purposeFiledService = "filed_services.payload"
	purposeContacts     = "subject_contacts.extra"
)

// FiledSubject is a subject filed and accessed through this provider.
type FiledSubject struct {
	ID          int64          `json:"id"`
	ApplicantID int64          `json:"applicant_id"`
	Number      string         `json:"number"`
	Province    string         `json:"province"`
	Name        string         `json:"name"`
	Nature      string         `json:"nature"`
	Subject     filing.Subject `json:"subject"`
	Services    []FiledService `json:"services"`
	UpdatedAt   time.Time      `json:"updated_at"`
}

// FiledService is a filed service accessed through this provider.
type FiledService struct {
	ID         int64          `json:"id"`
	Number     string         `json:"number"`
	Kind       string         `json:"kind"`
	Name       string         `json:"name"`
	Domain     string         `json:"domain,omitempty"`
	ResourceID int64          `json:"resource_id,omitempty"`
	Service    filing.Service `json:"service"`
}

// RecordFiling stores what the administration approved: the subject (created or updated) and the issued
// services. It runs in the same transaction as the order's transition to approved.
func (t *Tx) RecordFiling(ctx context.Context, o *filing.Order, subjectHash []byte, now time.Time) error {
	subj, _ := json.Marshal(o.Subject)
	sealed := t.s.Keys.Seal(subj, purposeFiledSubject)
	_, err := t.tx.ExecContext(ctx, `INSERT INTO filed_subjects (subject_hash, applicant_id, number, province, name, nature,
		payload_enc, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
		ON CONFLICT (subject_hash) DO UPDATE SET name = excluded.name, payload_enc = excluded.payload_enc,
		updated_at = excluded.updated_at`,
		subjectHash, o.ApplicantID, o.Result.SubjectNumber, o.Province, o.Subject.Name, o.Subject.Nature, sealed,
		sqldb.Millis(now))
	if err != nil {
		return err
	}
	var resource any
	if o.Resource.InstanceID != 0 {
		resource = o.Resource.InstanceID
	}
	for _, is := range o.Result.Services {
		if is.Index < 0 || is.Index >= len(o.Services) {
			continue // a filed service the order sent no data for
		}
		svc := o.Services[is.Index]
		svc.Number = is.Number
		b, _ := json.Marshal(svc)
		domain := ""
		if len(svc.Domains) > 0 {
			domain = svc.Domains[0]
		}
		// at the end of the transaction (Tx.later), under the subject the statement above wrote
		err := t.later.Add(ctx, `INSERT INTO filed_services (subject_id, number, kind, name, domain, resource_id,
			payload_enc, updated_at) VALUES ((SELECT id FROM filed_subjects WHERE subject_hash = $1), $2, $3, $4, $5,
			$6, $7, $8) ON CONFLICT (number) DO UPDATE SET name = excluded.name, domain = excluded.domain,
			payload_enc = excluded.payload_enc, updated_at = excluded.updated_at`,
			subjectHash, is.Number, svc.Kind, svc.Name, domain, resource, t.s.Keys.Seal(b, purposeFiledService), sqldb.Millis(now))
		if err != nil {
			return err
		}
	}
	return nil
}

// FiledSubjects lists the filed subjects of an applicant with their services.
func (s *Store) FiledSubjects(ctx context.Context, applicantID int64) ([]FiledSubject, error) {
	rows, err := s.R.QueryContext(ctx, `SELECT id, applicant_id, number, province, name, nature, payload_enc, updated_at
		FROM filed_subjects WHERE applicant_id = $1 ORDER BY id`, applicantID)
	if err != nil {
		return nil, err
	}
	var out []FiledSubject
	for rows.Next() {
		var f FiledSubject
		var sealed []byte
		var updated int64
		if err := rows.Scan(&f.ID, &f.ApplicantID, &f.Number, &f.Province, &f.Name, &f.Nature, &sealed, &updated); err != nil {
			rows.Close()
			return nil, err
		}
		plain, err := s.Keys.Open(sealed, purposeFiledSubject)
		if err != nil {
			rows.Close()
			return nil, err
		}
		if err := json.Unmarshal(plain, &f.Subject); err != nil {
			rows.Close()
			return nil, err
		}
		f.UpdatedAt = sqldb.Time(updated)
		out = append(out, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].Services, err = s.filedServices(ctx, out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (s *Store) filedServices(ctx context.Context, subjectID int64) ([]FiledService, error) {
	rows, err := s.R.QueryContext(ctx, `SELECT id, number, kind, name, domain, COALESCE(resource_id, 0), payload_enc
		FROM filed_services WHERE subject_id = $1 ORDER BY id`, subjectID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []FiledService{}
	for rows.Next() {
		var f FiledService
		var sealed []byte
		if err := rows.Scan(&f.ID, &f.Number, &f.Kind, &f.Name, &f.Domain, &f.ResourceID, &sealed); err != nil {
			return nil, err
		}
		plain, err := s.Keys.Open(sealed, purposeFiledService)
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(plain, &f.Service); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// Contact kinds indexed for the rules across subjects (Huawei Cloud's first-filing guide).
const (
	ContactEmergencyMobile = "emergency_mobile"
	ContactEmail           = "email"
	ContactLegalRep        = "legal_representative"
)

// IndexContacts replaces the contact index rows of an order (written at submission; the new rows at the end of
// the transaction, Tx.later: nothing reads them in it). An order never submitted (r.SubmittedAt zero) has none to
// delete.
func (t *Tx) IndexContacts(ctx context.Context, r *OrderRow) error {
	o, subjectHash := r.Order, r.SubjectHash
	if !r.SubmittedAt.IsZero() {
		if _, err := t.tx.ExecContext(ctx, `DELETE FROM subject_contacts WHERE order_id = $1`, o.ID); err != nil {
			return err
		}
	}
	k := t.s.Keys
	add := func(kind, value string, extra []byte) error {
		if value == "" {
			return nil
		}
		return t.later.Add(ctx, `INSERT INTO subject_contacts (order_id, subject_hash, kind, value_hash, extra_enc)
			VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`, o.ID, subjectHash, kind, k.Hash(kind, value), extra)
	}
	p := o.Subject.Principal
	if err := add(ContactEmergencyMobile, p.EmergencyMobile, nil); err != nil {
		return err
	}
	if err := add(ContactEmail, p.Email, nil); err != nil {
		return err
	}
	if lr := o.Subject.LegalRepresentative; lr != nil && lr.IDNumber != "" && lr.Name == p.Name {
		b, _ := json.Marshal(map[string]string{"mobile": p.Mobile, "email": p.Email})
		return add(ContactLegalRep, lr.IDNumber, k.Seal(b, purposeContacts))
	}
	return nil
}

// OtherSubjectsWithContact counts subjects other than subjectHash whose indexed contact of kind equals value.
func (s *Store) OtherSubjectsWithContact(ctx context.Context, kind, value string, subjectHash []byte) (int, error) {
	var n int
	err := s.R.QueryRowContext(ctx, `SELECT count(DISTINCT subject_hash) FROM subject_contacts
		WHERE kind = $1 AND value_hash = $2 AND subject_hash <> $3`, kind, s.Keys.Hash(kind, value), subjectHash).Scan(&n)
	return n, err
}

// LegalRepresentativeContacts returns the mobile and e-mail a legal representative used for another subject.
func (s *Store) LegalRepresentativeContacts(ctx context.Context, idNumber string, subjectHash []byte) (mobile, email string, found bool, err error) {
	var sealed []byte
	err = s.R.QueryRowContext(ctx, `SELECT extra_enc FROM subject_contacts WHERE kind = $1 AND value_hash = $2
		AND subject_hash <> $3 ORDER BY order_id DESC LIMIT 1`, ContactLegalRep, s.Keys.Hash(ContactLegalRep, idNumber),
		subjectHash).Scan(&sealed)
	if err != nil {
		if notFound(err, "") != err {
			return "", "", false, nil
		}
		return "", "", false, err
	}
	plain, err := s.Keys.Open(sealed, purposeContacts)
	if err != nil {
		return "", "", false, err
	}
	var m map[string]string
	if err := json.Unmarshal(plain, &m); err != nil {
		return "", "", false, err
	}
	return m["mobile"], m["email"], true, nil
}
