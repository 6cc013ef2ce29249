package miit

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unsafe"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/sqldb"
)

// The national registry: filed subjects, their services with domains, and each service's accesses (which
// providers host it). Subjects and services are never deleted, only marked cancelled, so that their numbers
// are never issued again; domains and accesses of cancelled services are removed.

// Purposes bound to sealed columns (secret.Keyring associated data). Never change them: data sealed under one
// purpose cannot be opened under another.
const (
	purposeOrder   = "miit.submission.order"
	purposePhone   = "miit.sms.phone"
	purposeSubject = "miit.subject.data"
	purposeService = "miit.service.data"
)

// Kinds of keyed hashes. Never change them: stored hashes would stop matching.
const (
	hashCredential = "miit.credential"
	hashPhone      = "miit.phone"
	hashLast6      = "miit.last6"
	hashCode       = "miit.sms_code"
)

type querier = sqldb.Querier

type regSubject struct {
	ID             int64
	Number         string
	Province       string
	Name           string
	Nature         string
	CredentialType string
	CredentialHash []byte
	ServiceSeq     int
	Data           []byte
	Cancelled      bool
}

type regService struct {
	ID        int64
	SubjectID int64
	Seq       int
	Number    string
	Kind      filing.ServiceKind
	Name      string
	Domains   []string
	Data      []byte
	Cancelled bool
}

func (s *Simulator) credentialHash(number string) []byte {
	return s.keys.Hash(hashCredential, NormCredential(number))
}

const subjectCols = `id, number, province, name, nature, credential_type, credential_hash, service_seq, data, cancelled_at`

func scanSubject(row interface{ Scan(...any) error }) (*regSubject, error) {
	var r regSubject
	var cancelled int64
	err := row.Scan(&r.ID, &r.Number, &r.Province, &r.Name, &r.Nature, &r.CredentialType, &r.CredentialHash,
		&r.ServiceSeq, &r.Data, &cancelled)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	r.Cancelled = cancelled != 0
	return &r, nil
}

// subjectByCredential returns the filed (not cancelled) subject with this credential number, or nil.
func subjectByCredential(ctx context.Context, q querier, hash []byte) (*regSubject, error) {
	return scanSubject(q.QueryRowContext(ctx, `SELECT `+subjectCols+` FROM miit_subjects
		WHERE credential_hash = $1 AND cancelled_at = 0`, hash))
}

// subjectByNumber returns the subject with this number, cancelled or not, or nil.
func subjectByNumber(ctx context.Context, q querier, number string) (*regSubject, error) {
	return scanSubject(q.QueryRowContext(ctx, `SELECT `+subjectCols+` FROM miit_subjects WHERE number = $1`, number))
}

func subjectByID(ctx context.Context, q querier, id int64) (*regSubject, error) {
	return scanSubject(q.QueryRowContext(ctx, `SELECT `+subjectCols+` FROM miit_subjects WHERE id = $1`, id))
}

const serviceCols = `id, subject_id, seq, number, kind, name, domains, data, cancelled_at`

func scanService(row interface{ Scan(...any) error }) (*regService, error) {
	var r regService
	var domains string
	var cancelled int64
	err := row.Scan(&r.ID, &r.SubjectID, &r.Seq, &r.Number, &r.Kind, &r.Name, &domains, &r.Data, &cancelled)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	r.Domains = splitDomains(domains)
	r.Cancelled = cancelled != 0
	return &r, nil
}

func serviceByNumber(ctx context.Context, q querier, number string) (*regService, error) {
	return scanService(q.QueryRowContext(ctx, `SELECT `+serviceCols+` FROM miit_services WHERE number = $1`, number))
}

func servicesOfSubject(ctx context.Context, q querier, subjectID int64) ([]*regService, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+serviceCols+` FROM miit_services
		WHERE subject_id = $1 AND cancelled_at = 0 ORDER BY seq`, subjectID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*regService
	for rows.Next() {
		r, err := scanService(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

type domainUse struct {
	SubjectID int64
	ServiceID int64
	Kind      filing.ServiceKind
}

// domainFacts reads in one query which services use a domain and whether it or a parent of it is blacklisted
// (candidates: the domain first, then its parents, domainCandidates); a blacklisted candidate comes back as a
// row with service id 0, which no service has.
func domainFacts(ctx context.Context, q querier, candidates []string) (blacklisted bool, uses []domainUse, err error) {
	args := sqldb.Args(candidates)
	rows, err := q.QueryContext(ctx, `SELECT subject_id, service_id, kind FROM miit_domains WHERE domain = $1
		UNION ALL SELECT 0, 0, '' FROM miit_blacklist_domains WHERE domain IN (`+sqldb.Placeholders(1, len(args))+`)`, args...)
	if err != nil {
		return false, nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var u domainUse
		if err := rows.Scan(&u.SubjectID, &u.ServiceID, &u.Kind); err != nil {
			return false, nil, err
		}
		if u.ServiceID == 0 {
			blacklisted = true
			continue
		}
		uses = append(uses, u)
	}
	return blacklisted, uses, rows.Err()
}

func accessProviders(ctx context.Context, q querier, serviceID int64) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT provider_id FROM miit_accesses WHERE service_id = $1 ORDER BY provider_id`,
		serviceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

func hasAccess(ctx context.Context, q querier, serviceID int64, provider string) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM miit_accesses WHERE service_id = $1 AND provider_id = $2`,
		serviceID, provider).Scan(&n)
	return n > 0, err
}

func subjectHasAccess(ctx context.Context, q querier, subjectID int64, provider string) (bool, error) {
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM miit_accesses a JOIN miit_services s ON s.id = a.service_id
		WHERE s.subject_id = $1 AND s.cancelled_at = 0 AND a.provider_id = $2`, subjectID, provider).Scan(&n)
	return n > 0, err
}

// subjectEmpty reports whether the subject has no filed service (空壳主体).
func subjectEmpty(ctx context.Context, q querier, subjectID int64) (bool, error) {
	var filed bool
	err := q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM miit_services WHERE subject_id = $1 AND cancelled_at = 0)`,
		subjectID).Scan(&filed)
	return !filed, err
}

// credentialFacts reads in one query whether a subject credential is blacklisted and the filed (not cancelled)
// subject that holds it, if any: the one-row blacklist flag is joined to the subject's row, whose columns are
// then NULL when no subject holds the credential (read as zero values: a subject's id is never 0).
func credentialFacts(ctx context.Context, q querier, hash []byte) (blacklisted bool, subj *regSubject, err error) {
	var r regSubject
	var cancelled int64
	err = q.QueryRowContext(ctx, `SELECT b.bl, COALESCE(s.id, 0), COALESCE(s.number, ''), COALESCE(s.province, ''),
		COALESCE(s.name, ''), COALESCE(s.nature, ''), COALESCE(s.credential_type, ''), s.credential_hash,
		COALESCE(s.service_seq, 0), s.data, COALESCE(s.cancelled_at, 0)
		FROM (SELECT EXISTS (SELECT 1 FROM miit_blacklist_subjects WHERE credential_hash = $1) AS bl) b
		LEFT JOIN miit_subjects s ON s.credential_hash = $1 AND s.cancelled_at = 0`, hash).Scan(&blacklisted,
		&r.ID, &r.Number, &r.Province, &r.Name, &r.Nature, &r.CredentialType, &r.CredentialHash, &r.ServiceSeq,
		&r.Data, &cancelled)
	if err != nil || r.ID == 0 {
		return blacklisted, nil, err
	}
	r.Cancelled = cancelled != 0
	return blacklisted, &r, nil
}

// Domains are stored on the service as one space-separated list (the public record shows them without a second
// query) and in miit_domains one row per domain (the look-up index).
func joinDomains(ds []string) string { return strings.Join(ds, " ") }

func splitDomains(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Fields(s)
}

// Numbering (docs/design.md §4.10, §4.11).

// subjectNumber formats <abbr>ICP备<YYYY><6-digit serial>号.
func subjectNumber(abbr string, year int, serial int64) string {
	return fmt.Sprintf("%sICP备%04d%06d号", abbr, year, serial)
}

// serviceSuffix is the kind letter of a service number: A for APPs, X mini programs, K quick apps.
func serviceSuffix(k filing.ServiceKind) string {
	switch k {
	case filing.App:
		return "A"
	case filing.MiniProgram:
		return "X"
	case filing.QuickApp:
		return "K"
	}
	return ""
}

func serviceNumber(subject string, seq int, k filing.ServiceKind) string {
	return fmt.Sprintf("%s-%d%s", subject, seq, serviceSuffix(k))
}

// nextSerials reserves n consecutive subject serials of a province and year and returns the first.
func nextSerials(ctx context.Context, tx *sql.Tx, province string, year int, n int64) (int64, error) {
	var last int64
	err := tx.QueryRowContext(ctx, `INSERT INTO miit_serials (province, year, last) VALUES ($1, $2, $3)
		ON CONFLICT (province, year) DO UPDATE SET last = miit_serials.last + $3 RETURNING last`,
		province, year, n).Scan(&last)
	return last - n + 1, err
}

// nextServiceSeq takes the next number of the subject's one shared service sequence.
func nextServiceSeq(ctx context.Context, tx *sql.Tx, subjectID int64) (int, error) {
	var seq int
	err := tx.QueryRowContext(ctx, `UPDATE miit_subjects SET service_seq = service_seq + 1 WHERE id = $1
		RETURNING service_seq`, subjectID).Scan(&seq)
	return seq, err
}

// Registry writes.

func (s *Simulator) sealSubject(sub filing.Subject) ([]byte, error) {
	sub.Number = ""
	b, err := json.Marshal(sub)
	if err != nil {
		return nil, err
	}
	return s.keys.Seal(b, purposeSubject), nil
}

// openSubject and openService decode with decodeSealed (sealedjson.go), which reads the form encoding/json
// wrote in one pass and leaves anything else to the successor of encoding/json (what an export spent most on,
// docs/benchmarks.md issue 16). The strings decoded share the memory of the opened bytes, which Open allocated
// for this call alone and nothing writes again.
func (s *Simulator) openSubject(data []byte) (filing.Subject, error) {
	var sub filing.Subject
	err := s.openSubjectTo(&sub, data)
	return sub, err
}

// openSubjectTo decodes into sub, which must be zero (the decoder merges into what it finds).
func (s *Simulator) openSubjectTo(sub *filing.Subject, data []byte) error {
	b, err := s.keys.Open(data, purposeSubject)
	if err != nil {
		return err
	}
	return decodeSealed(unsafe.String(unsafe.SliceData(b), len(b)), sub, subjectFields)
}

// sealService stores a service with its effective principal (never "same as subject": the registry keeps
// whom it was at the time of filing).
func (s *Simulator) sealService(svc filing.Service, principal filing.Principal) ([]byte, error) {
	svc.Number = ""
	svc.PrincipalSameAsSubject = false
	svc.Principal = principal
	b, err := json.Marshal(svc)
	if err != nil {
		return nil, err
	}
	return s.keys.Seal(b, purposeService), nil
}

func (s *Simulator) openService(data []byte) (filing.Service, error) {
	var svc filing.Service
	err := s.openServiceTo(&svc, data)
	return svc, err
}

// openServiceTo decodes into svc, which must be zero (the decoder merges into what it finds).
func (s *Simulator) openServiceTo(svc *filing.Service, data []byte) error {
	b, err := s.keys.Open(data, purposeService)
	if err != nil {
		return err
	}
	return decodeSealed(unsafe.String(unsafe.SliceData(b), len(b)), svc, serviceFields)
}

// insertSubject files a new subject whose shared service sequence starts at services (the numbers 1 to services
// taken by the services filed with it).
func insertSubject(ctx context.Context, tx *sql.Tx, number, province string, sub filing.Subject, credHash, data []byte,
	services int, now time.Time) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO miit_subjects (number, province, name, nature, credential_type,
		credential_hash, data, service_seq, approved_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $9, $8, $8)
		RETURNING id`, number, province, sub.Name, sub.Nature, sub.CredentialType, credHash, data,
		sqldb.Millis(now), services).Scan(&id)
	return id, err
}

func insertService(ctx context.Context, tx *sql.Tx, subjectID int64, seq int, number string, svc filing.Service,
	data []byte, now time.Time) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO miit_services (subject_id, seq, number, kind, name, domains, data,
		approved_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`,
		subjectID, seq, number, string(svc.Kind), svc.Name, joinDomains(svc.Domains), data, sqldb.Millis(now)).Scan(&id)
	if err != nil {
		return 0, err
	}
	return id, insertDomains(ctx, tx, id, svc.Domains)
}

// insertDomains indexes the domains of a service with a copy of its public record.
func insertDomains(ctx context.Context, tx *sql.Tx, serviceID int64, domains []string) error {
	for _, d := range domains {
		if _, err := tx.ExecContext(ctx, `INSERT INTO miit_domains (domain, service_id, subject_id, kind, subject_name,
			nature, subject_number, service_number, service_name, domains, province, approved_at)
			SELECT $1, s.id, su.id, s.kind, su.name, su.nature, su.number, s.number, s.name, s.domains, su.province,
			s.updated_at FROM miit_services s JOIN miit_subjects su ON su.id = s.subject_id WHERE s.id = $2
			ON CONFLICT DO NOTHING`, d, serviceID); err != nil {
			return err
		}
	}
	return nil
}

// upsertAccess records provider's access to a service with the IPs, access method and server location of svc;
// an access already filed keeps its method and location where svc leaves them empty.
func upsertAccess(ctx context.Context, tx *sql.Tx, serviceID int64, provider string, svc filing.Service, now time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO miit_accesses (service_id, provider_id, ips, method, location, added_at)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (service_id, provider_id) DO UPDATE SET ips = excluded.ips,
		method = CASE WHEN excluded.method = '' THEN miit_accesses.method ELSE excluded.method END,
		location = CASE WHEN excluded.location = '' THEN miit_accesses.location ELSE excluded.location END`,
		serviceID, provider, strings.Join(svc.IPs, " "), svc.AccessMethod, svc.AccessLocation, sqldb.Millis(now))
	return err
}

func cancelService(ctx context.Context, tx *sql.Tx, serviceID int64, now time.Time) error {
	if err := keepCancelledDomains(ctx, tx, serviceID, now); err != nil {
		return err
	}
	for _, q := range []string{
		`DELETE FROM miit_domains WHERE service_id = $1`,
		`DELETE FROM miit_accesses WHERE service_id = $1`,
	} {
		if _, err := tx.ExecContext(ctx, q, serviceID); err != nil {
			return err
		}
	}
	// updated_at stays the last approval, which the public query shows of a cancelled record too.
	_, err := tx.ExecContext(ctx, `UPDATE miit_services SET cancelled_at = $2 WHERE id = $1`, serviceID, sqldb.Millis(now))
	return err
}

func cancelSubject(ctx context.Context, tx *sql.Tx, subjectID int64, now time.Time) error {
	svcs, err := servicesOfSubject(ctx, tx, subjectID)
	if err != nil {
		return err
	}
	for _, svc := range svcs {
		if err := cancelService(ctx, tx, svc.ID, now); err != nil {
			return err
		}
	}
	_, err = tx.ExecContext(ctx, `UPDATE miit_subjects SET cancelled_at = $2 WHERE id = $1`, subjectID, sqldb.Millis(now))
	return err
}
