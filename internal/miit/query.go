package miit

import (
	"context"
	"database/sql"
	"strings"
	"time"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/ident"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/regulator"
	"github.com/beian/beian/internal/sqldb"
)

// The public filing query (beian.miit.gov.cn) and the provider's status look-ups (docs/design.md §5 isp_querybeianstatus).
// Records carry no personal data: subject name and nature, numbers, service name, kind, domains, province and
// when the record was last approved.

// Query selects records by exactly one of Domain, Number and SubjectName.
type Query struct {
	Domain      string `json:"domain,omitempty"`       // a domain or URL; www.example.com finds example.com
	Number      string `json:"number,omitempty"`       // a subject number (all its services) or a service number
	SubjectName string `json:"subject_name,omitempty"` // a prefix of the subject name as filed; paged
	// After is the Next of the previous page of a subject name search; Limit the subjects on a page (default
	// 20, at most 100).
	After string `json:"after,omitempty"`
	Limit int    `json:"limit,omitempty"`
}

// Record statuses: a cancelled filing answers as cancelled, not as unknown.
const (
	StatusFiled     = "filed"
	StatusCancelled = "cancelled"
)

// Record is one filed service (or a subject without services) as the public query shows it.
type Record struct {
	SubjectName   string             `json:"subject_name"`
	Nature        string             `json:"nature"`
	SubjectNumber string             `json:"subject_number"`
	ServiceNumber string             `json:"service_number,omitempty"`
	ServiceName   string             `json:"service_name,omitempty"`
	Kind          filing.ServiceKind `json:"kind,omitempty"`
	Domains       []string           `json:"domains,omitempty"`
	Province      string             `json:"province"`
	ApprovedAt    time.Time          `json:"approved_at"` // when this record was last approved (before a cancellation)
	Status        string             `json:"status"`      // filed or cancelled
	CancelledAt   *time.Time         `json:"cancelled_at,omitempty"`
}

// Answer is one page of records; Next, when set, asks for the following page (subject name search).
type Answer struct {
	Records []Record `json:"records"`
	Next    string   `json:"next,omitempty"`
}

const recordCols = `su.name, su.nature, su.number, s.number, s.name, s.kind, s.domains, su.province,
	COALESCE(s.updated_at, su.updated_at),
	CASE WHEN su.cancelled_at > 0 THEN su.cancelled_at ELSE COALESCE(s.cancelled_at, 0) END`

// liveOrAll joins a filed subject's filed services, and every service of a cancelled subject.
const liveOrAll = `(s.cancelled_at = 0 OR su.cancelled_at > 0)`

const domainCols = `subject_name, nature, subject_number, service_number, service_name, kind, domains, province,
	approved_at`

var queryText = struct{ domain, cancelledDomain, serviceNumber, subjectNumber, subjectName, subjectNamePG string }{
	domain: `SELECT ` + domainCols + `, 0 FROM miit_domains WHERE domain = $1 ORDER BY service_id LIMIT 100`,
	cancelledDomain: `SELECT ` + domainCols + `, cancelled_at FROM miit_cancelled_domains WHERE domain = $1
		ORDER BY cancelled_at DESC, service_id LIMIT 100`,
	serviceNumber: `SELECT ` + recordCols + ` FROM miit_services s JOIN miit_subjects su ON su.id = s.subject_id
		WHERE s.number = $1`,
	subjectNumber: `SELECT ` + recordCols + ` FROM miit_subjects su LEFT JOIN miit_services s
		ON s.subject_id = su.id AND ` + liveOrAll + ` WHERE su.number = $1 ORDER BY s.seq LIMIT 100`,
	// The subjects whose name starts with a prefix from the key (name, number) after ($1, $2) to the end of the
	// prefix's range $3, with their services: a range of the name index, which carries the subject's public
	// columns, joined to the range of each subject's services in an index that carries theirs (migration 12).
	// No LIMIT: the caller stops reading after a page of subjects, and the rows come in this order without a
	// sort, so only what the page shows is read. The ORDER BY names every column of the name index and the row
	// id (the subject number alone is unique, so the order is that of name and number) because that is how the
	// planner knows a subject's rows are together and takes the services in seq order from their index instead
	// of sorting the whole range (TestQueryByNamePlan).
	subjectName: `SELECT ` + recordCols + ` FROM miit_subjects su LEFT JOIN miit_services s ON s.subject_id = su.id
		AND ` + liveOrAll + ` WHERE (su.name, su.number) > ($1, $2) AND su.name < $3
		ORDER BY su.name, su.number, su.nature, su.province, su.updated_at, su.cancelled_at, su.id, s.seq`,
	// PostgreSQL: a page of subject ids from the name index ($4 of them), then their rows and services.
	subjectNamePG: `SELECT ` + recordCols + ` FROM (SELECT id FROM miit_subjects
		WHERE (name COLLATE "C", number) > ($1, $2) AND name COLLATE "C" < $3
		ORDER BY name COLLATE "C", number LIMIT $4) p JOIN miit_subjects su ON su.id = p.id
		LEFT JOIN miit_services s ON s.subject_id = su.id AND ` + liveOrAll + ` ORDER BY su.name COLLATE "C", su.number, s.seq`,
}

// stmt returns the read-pool statement for query, prepared once (each pooled connection re-prepares it on
// first use). Parsing costs more than a point look-up on SQLite, so every hot read goes through here.
func (s *Simulator) stmt(query string) (*sql.Stmt, error) {
	if st, ok := s.stmts.Load(query); ok {
		return st.(*sql.Stmt), nil
	}
	st, err := s.db.R.PrepareContext(context.Background(), query)
	if err != nil {
		return nil, err
	}
	if prev, loaded := s.stmts.LoadOrStore(query, st); loaded {
		st.Close()
		return prev.(*sql.Stmt), nil
	}
	return st, nil
}

// rquery runs a prepared read query.
func (s *Simulator) rquery(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := s.stmt(query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// Close releases the prepared statements (the database itself belongs to the caller).
func (s *Simulator) Close() error {
	s.stmts.Range(func(k, v any) bool {
		v.(*sql.Stmt).Close()
		s.stmts.Delete(k)
		return true
	})
	return s.closeSerials()
}

// Query answers the public filing query with its first page (see QueryPage).
func (s *Simulator) Query(ctx context.Context, q Query) ([]Record, error) {
	a, err := s.QueryPage(ctx, q)
	return a.Records, err
}

// QueryPage answers the public filing query. Exactly one of Domain, Number and SubjectName must be set
// (miit.query_empty otherwise); a domain that does not parse is miit.query_domain_invalid, a number that is not
// a filing number the finding of ident.ICPNumber (e.g. icp_number.licence for an operating licence's). No
// match is an empty list. A cancelled filing answers with its record, status cancelled.
func (s *Simulator) QueryPage(ctx context.Context, q Query) (Answer, error) {
	set := 0
	for _, v := range []string{q.Domain, q.Number, q.SubjectName} {
		if strings.TrimSpace(v) != "" {
			set++
		}
	}
	if set != 1 {
		return Answer{}, problem.Invalidf("miit.query_empty", "")
	}
	var recs []Record
	var err error
	switch {
	case strings.TrimSpace(q.Domain) != "":
		d, ok := normDomain(q.Domain)
		if !ok {
			return Answer{}, problem.Invalidf("miit.query_domain_invalid", "domain")
		}
		recs, err = s.queryDomain(ctx, d)
	case strings.TrimSpace(q.Number) != "":
		if r := ident.ICPNumber(q.Number); len(r.Errors) > 0 {
			return Answer{}, r.Errors[0].Problem("number")
		}
		n := normNumber(q.Number)
		query := queryText.subjectNumber
		if strings.Contains(n, "号-") {
			query = queryText.serviceNumber
		}
		recs, err = scanRecords(s.rquery(ctx, query, n))
	default:
		return s.queryName(ctx, q)
	}
	if err != nil {
		return Answer{}, problem.Wrap(err, "miit.internal")
	}
	return Answer{Records: recs}, nil
}

// queryDomain looks the domain and the domains above it up among the filed, then among the cancelled.
// Each look-up is one probe of a primary key, tens of microseconds: once the request is known to be live, the
// probes run to their end without watching its cancellation, which would cost a goroutine in database/sql and
// another in the SQLite driver on every statement (≈ 5 % of a public query's CPU, docs/benchmarks.md).
func (s *Simulator) queryDomain(ctx context.Context, d string) ([]Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	ctx = context.WithoutCancel(ctx)
	for i, query := range []string{queryText.domain, queryText.cancelledDomain} {
		for _, c := range domainCandidates(d) {
			var recs []Record
			var err error
			if s.domainProbe != nil {
				recs, err = s.probeDomain(i, c)
			} else {
				recs, err = scanRecords(s.rquery(ctx, query, c))
			}
			if err != nil || len(recs) > 0 {
				return recs, err
			}
		}
	}
	return []Record{}, nil
}

// probeDomain runs statement i of the domain probe (SQLite) for domain: the rows of queryText.domain or
// queryText.cancelledDomain, as scanSubjects reads them.
func (s *Simulator) probeDomain(i int, domain string) ([]Record, error) {
	var out []Record
	err := s.domainProbe.Query(i, domain, func(row sqldb.Row) error {
		r := Record{SubjectName: row.Text(0), Nature: row.Text(1), SubjectNumber: row.Text(2),
			ServiceNumber: row.Text(3), ServiceName: row.Text(4), Kind: filing.ServiceKind(row.Text(5)),
			Domains: splitDomains(row.Text(6)), Province: row.Text(7), ApprovedAt: sqldb.Time(row.Int64(8))}
		r.setStatus(row.Int64(9))
		out = append(out, r)
		return nil
	})
	return out, err
}

// setStatus sets the record's status from its cancellation time (0: filed).
func (r *Record) setStatus(cancelled int64) {
	r.Status = StatusFiled
	if cancelled > 0 {
		t := sqldb.Time(cancelled)
		r.Status, r.CancelledAt = StatusCancelled, &t
	}
}

func scanRecords(rows *sql.Rows, err error) ([]Record, error) { return scanSubjects(rows, err, 0) }

// scanSubjects reads the records of the first limit subjects of rows in subject order (all of them when limit
// is 0), and closes rows without reading further.
func scanSubjects(rows *sql.Rows, err error, limit int) ([]Record, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Record{}
	subjects := 0
	for rows.Next() {
		var r Record
		var svcNumber, svcName, kind, domains sql.NullString
		var at, cancelled int64
		if err := rows.Scan(&r.SubjectName, &r.Nature, &r.SubjectNumber, &svcNumber, &svcName, &kind, &domains,
			&r.Province, &at, &cancelled); err != nil {
			return nil, err
		}
		if len(out) == 0 || r.SubjectNumber != out[len(out)-1].SubjectNumber {
			if subjects++; limit > 0 && subjects > limit {
				return out, nil
			}
		}
		r.ServiceNumber, r.ServiceName, r.Kind = svcNumber.String, svcName.String, filing.ServiceKind(kind.String)
		r.Domains = splitDomains(domains.String)
		r.ApprovedAt = sqldb.Time(at)
		r.setStatus(cancelled)
		out = append(out, r)
	}
	return out, rows.Err()
}

// normNumber tidies a typed ICP number: no spaces, full-width forms folded, upper case, 川/甘 read as 蜀/陇 (both
// occur in the wild, docs/design.md §4.11), and a missing 号 restored ("粤ICP备2026000001-1" → "粤ICP备2026000001号-1").
func normNumber(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == ' ' || r == '\t' || r == '\u3000' || r == '\n':
		case r >= '０' && r <= '９':
			b.WriteRune('0' + (r - '０'))
		case r >= 'ａ' && r <= 'ｚ':
			b.WriteRune('A' + (r - 'ａ'))
		case r >= 'Ａ' && r <= 'Ｚ':
			b.WriteRune('A' + (r - 'Ａ'))
		case r == '－' || r == '—' || r == '–':
			b.WriteRune('-')
		default:
			b.WriteRune(r)
		}
	}
	n := b.String()
	if strings.HasPrefix(n, "川") {
		n = "蜀" + strings.TrimPrefix(n, "川")
	} else if strings.HasPrefix(n, "甘") {
		n = "陇" + strings.TrimPrefix(n, "甘")
	}
	if !strings.Contains(n, "号") {
		if i := strings.IndexByte(n, '-'); i >= 0 {
			n = n[:i] + "号" + n[i:]
		} else if n != "" {
			n += "号"
		}
	}
	return n
}

// LookupSubject says whether a subject is filed, by its credential number (the type is not part of the
// identity: a credential number names one subject whatever the document).
func (s *Simulator) LookupSubject(ctx context.Context, credentialType, credentialNumber string) (regulator.SubjectStatus, error) {
	if NormCredential(credentialNumber) == "" {
		return regulator.SubjectStatus{}, problem.Invalidf("miit.credential_required", "credential_number")
	}
	subj, err := subjectByCredential(ctx, s.db.R, s.credentialHash(credentialNumber))
	if err != nil {
		return regulator.SubjectStatus{}, problem.Wrap(err, "miit.internal")
	}
	if subj == nil {
		return regulator.SubjectStatus{}, nil
	}
	st := regulator.SubjectStatus{Filed: true, Province: subj.Province, Number: subj.Number, Name: subj.Name,
		Nature: subj.Nature}
	rows, err := s.db.R.QueryContext(ctx, `SELECT DISTINCT a.provider_id FROM miit_accesses a
		JOIN miit_services s ON s.id = a.service_id WHERE s.subject_id = $1 AND s.cancelled_at = 0
		ORDER BY a.provider_id`, subj.ID)
	if err != nil {
		return regulator.SubjectStatus{}, problem.Wrap(err, "miit.internal")
	}
	defer rows.Close()
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return regulator.SubjectStatus{}, problem.Wrap(err, "miit.internal")
		}
		st.Providers = append(st.Providers, p)
	}
	if err := rows.Err(); err != nil {
		return regulator.SubjectStatus{}, problem.Wrap(err, "miit.internal")
	}
	if len(st.Providers) == 0 { // else it has services
		if st.Empty, err = subjectEmpty(ctx, s.db.R, subj.ID); err != nil {
			return regulator.SubjectStatus{}, problem.Wrap(err, "miit.internal")
		}
	}
	return st, nil
}

// LookupDomain says whether a domain (or the filed domain above it) is filed, under which numbers, by which
// providers, and whether it is blacklisted. A domain used by a website and an APP reports the website.
func (s *Simulator) LookupDomain(ctx context.Context, domain string) (regulator.DomainStatus, error) {
	d, ok := normDomain(domain)
	if !ok {
		return regulator.DomainStatus{}, problem.Invalidf("miit.query_domain_invalid", "domain")
	}
	var st regulator.DomainStatus
	hits, err := s.domainHits(ctx, domainCandidates(d))
	if err != nil {
		return st, problem.Wrap(err, "miit.internal")
	}
	for _, h := range hits {
		st.Blacklisted = st.Blacklisted || h.serviceID == 0
	}
	for _, c := range domainCandidates(d) {
		var serviceID int64
		var chosen string
		found := false
		for _, h := range hits {
			if h.domain != c || h.serviceID == 0 {
				continue
			}
			if !found || h.kind == string(filing.Website) && chosen != string(filing.Website) {
				serviceID, chosen = h.serviceID, h.kind
				st.ServiceNumber, st.SubjectNumber, st.Province = h.serviceNumber, h.subjectNumber, h.province
			}
			found = true
		}
		if found {
			st.Filed = true
			if st.Providers, err = accessProviders(ctx, s.db.R, serviceID); err != nil {
				return st, problem.Wrap(err, "miit.internal")
			}
			return st, nil
		}
	}
	return st, nil
}

// domainHit is a row of domainHits: a service filing domain, or (serviceID 0, which no service has) a blacklist
// entry for it.
type domainHit struct {
	domain, kind, serviceNumber, subjectNumber, province string
	serviceID                                            int64
}

// domainHits reads in one query the blacklist entries and the filed services of the candidates (a domain and
// its parents), services in id order.
func (s *Simulator) domainHits(ctx context.Context, candidates []string) ([]domainHit, error) {
	args := sqldb.Args(candidates)
	in := sqldb.Placeholders(1, len(args))
	rows, err := s.rquery(ctx, `SELECT domain, 0, '', '', '', '' FROM miit_blacklist_domains WHERE domain IN (`+in+`)
		UNION ALL SELECT domain, service_id, kind, service_number, subject_number, province FROM miit_domains
		WHERE domain IN (`+in+`) ORDER BY 2`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domainHit
	for rows.Next() {
		var h domainHit
		if err := rows.Scan(&h.domain, &h.serviceID, &h.kind, &h.serviceNumber, &h.subjectNumber, &h.province); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}
