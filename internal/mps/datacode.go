package mps

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"slices"
	"strings"

	"github.com/beian/beian/internal/codes"
	"github.com/beian/beian/internal/ident"
	"github.com/beian/beian/internal/police"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/sqldb"
)

// Data codes (数据码): since 2026 an access provider may, with the applicant's consent, push the ICP data of a
// filed subject and website to the platform and give the applicant a code, valid 30 days, that pre-fills the
// subject and the website (docs/police.md). On the platform the applicant enters the code with the principal's
// mobile or ID number; if neither matches the pushed data the platform answers that the data does not exist.

const (
	purposeDataCode  = "mps.datacode"
	dataCodeAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
	dataCodeLength   = 12
)

// PushICPData implements police.Platform.
func (s *Simulator) PushICPData(ctx context.Context, p police.Push) (police.DataCode, error) {
	if p.ProviderID == "" || !slices.Contains(s.cfg.ProviderIDs, p.ProviderID) {
		return police.DataCode{}, problem.New(problem.Forbidden, "police.provider_unknown", "provider_id")
	}
	if !p.Consent.Given || p.Consent.At.IsZero() || strings.TrimSpace(p.Consent.By) == "" {
		return police.DataCode{}, problem.Invalidf("police.consent_missing", "consent")
	}
	var f form
	f.text("subject.name", p.Subject.Name, 100)
	if _, ok := codes.PoliceNature(p.Subject.Nature); !ok {
		f.fail("subject.nature", "mps.nature_unknown")
	}
	f.text("subject.credential_number", p.Subject.CredentialNumber, 60)
	mobile, _ := f.ident("subject.principal.mobile", ident.Mobile(p.Subject.Principal.Mobile))
	f.text("subject.principal.credential_number", p.Subject.Principal.CredentialNumber, 60)
	f.text("website.name", p.Website.Name, 50)
	var domain string
	if len(p.Website.Domains) == 0 {
		f.fail("website.domains", "mps.required")
	} else {
		domain, _ = f.ident("website.domains[0]", ident.Domain(p.Website.Domains[0], ident.ForWebsite))
	}
	f.ident("website.icp_number", ident.ICPNumber(p.Website.ICPNumber))
	if err := f.err(); err != nil {
		return police.DataCode{}, err
	}
	now := s.now()
	var out police.DataCode
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var code string
		var exp int64
		err := tx.QueryRowContext(ctx, `SELECT code, expires_at FROM mps_data_codes WHERE domain = $1 AND provider_id = $2
			AND expires_at > $3 ORDER BY created_at DESC LIMIT 1`, domain, p.ProviderID, sqldb.Millis(now)).Scan(&code, &exp)
		if err == nil {
			out = police.DataCode{Code: code, ExpiresAt: sqldb.Time(exp)}
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		raw, _ := json.Marshal(p)
		out = police.DataCode{Code: newDataCode(), ExpiresAt: now.Add(police.DataCodeValidity)}
		_, err = tx.ExecContext(ctx, `INSERT INTO mps_data_codes (code, provider_id, domain, data, mobile_hash, id_hash,
			consent_by, consent_at, expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			out.Code, p.ProviderID, domain, s.keys.Seal(raw, purposeDataCode), s.keys.Hash("mps.person", mobile),
			s.keys.Hash("mps.person", normID(p.Subject.Principal.CredentialNumber)), p.Consent.By,
			sqldb.Millis(p.Consent.At), sqldb.Millis(out.ExpiresAt), sqldb.Millis(now))
		return err
	})
	return out, wrapErr(err)
}

func newDataCode() string {
	b := make([]byte, dataCodeLength)
	for i := range b {
		b[i] = dataCodeAlphabet[randInt(int64(len(dataCodeAlphabet)))]
	}
	return string(b)
}

func normID(s string) string {
	return strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
}

// Prefill is what a redeemed data code fills in.
type Prefill struct {
	Subject SubjectInput `json:"subject"`
	Website WebsiteInput `json:"website"`
	// SubjectID is the user's live subject with the same credential number, if any: the website goes under it.
	SubjectID int64 `json:"subject_id,omitempty"`
}

// RedeemDataCode returns the data behind a code to a user who knows the principal's mobile or ID number.
// Errors: mps.data_code_format (Invalid), mps.data_not_found (NotFound: unknown code, or neither the mobile
// nor the ID number matches; the platform's own words are 数据不存在), mps.data_code_expired (Conflict).
func (s *Simulator) RedeemDataCode(ctx context.Context, userID int64, code, mobile, idNumber string) (*Prefill, error) {
	code = strings.ToUpper(strings.TrimSpace(code))
	if len(code) != dataCodeLength || strings.Trim(code, dataCodeAlphabet) != "" {
		return nil, problem.Invalidf("mps.data_code_format", "data_code")
	}
	if strings.TrimSpace(mobile) == "" && strings.TrimSpace(idNumber) == "" {
		return nil, problem.Invalidf("mps.data_code_person", "mobile")
	}
	var sealed, mobileHash, idHash []byte
	var exp int64
	err := s.db.R.QueryRowContext(ctx, `SELECT data, mobile_hash, id_hash, expires_at FROM mps_data_codes WHERE code = $1`,
		code).Scan(&sealed, &mobileHash, &idHash, &exp)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, problem.New(problem.NotFound, "mps.data_not_found", "data_code")
	}
	if err != nil {
		return nil, internal(err)
	}
	if exp <= sqldb.Millis(s.now()) {
		return nil, problem.New(problem.Conflict, "mps.data_code_expired", "data_code")
	}
	if m := ident.Mobile(mobile).Normalized; strings.TrimSpace(mobile) != "" && !bytes.Equal(s.keys.Hash("mps.person", m), mobileHash) ||
		strings.TrimSpace(idNumber) != "" && !bytes.Equal(s.keys.Hash("mps.person", normID(idNumber)), idHash) {
		return nil, problem.New(problem.NotFound, "mps.data_not_found", "data_code")
	}
	var p police.Push
	if err := s.openJSON(sealed, purposeDataCode, &p); err != nil {
		return nil, internal(err)
	}
	if _, err := s.db.Exec(ctx, `UPDATE mps_data_codes SET redeemed_by = $2, redeemed_at = $3 WHERE code = $1`,
		code, userID, sqldb.Millis(s.now())); err != nil {
		return nil, internal(err)
	}
	out := prefillOf(p)
	credHash := s.keys.Hash("mps.credential", checkCredentialNorm(p.Subject))
	s.db.R.QueryRowContext(ctx, `SELECT id FROM mps_subjects WHERE user_id = $1 AND credential_hash = $2
		AND state <> 'cancelled'`, userID, credHash).Scan(&out.SubjectID)
	out.Website.SubjectID = out.SubjectID
	return out, nil
}

// checkCredentialNorm is the subject credential number as the subject form would keep it.
func checkCredentialNorm(sub police.Subject) string {
	return ident.Credential(sub.CredentialType, sub.CredentialNumber, sqldb.Time(1)).Normalized
}

func prefillOf(p police.Push) *Prefill {
	person := func(x police.Principal) Person {
		return Person{Name: x.Name, CredentialType: x.CredentialType, CredentialNumber: x.CredentialNumber,
			Mobile: x.Mobile, Email: x.Email}
	}
	sub := SubjectInput{Nature: p.Subject.Nature, Name: p.Subject.Name, CredentialType: p.Subject.CredentialType,
		CredentialNumber: p.Subject.CredentialNumber, Address: p.Subject.Address,
		OfficePhone: p.Subject.Principal.OfficePhone, Principal: person(p.Subject.Principal)}
	web := WebsiteInput{Name: p.Website.Name, Domains: p.Website.Domains, ICPNumber: p.Website.ICPNumber,
		AccessProvider: p.Website.Provider, Principal: person(p.Website.Principal)}
	return &Prefill{Subject: sub, Website: web}
}
