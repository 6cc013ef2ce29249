package miit

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/sqldb"
)

// SeedRecord is one filed subject with its services, loaded straight into the national registry (demo data:
// "a few subjects already filed"; benchmarks: a million filings). Numbers left empty are issued as approval
// would; numbers given are kept and the counters move past them.
type SeedRecord struct {
	Province  string           `json:"province"`
	Subject   filing.Subject   `json:"subject"`
	Services  []filing.Service `json:"services"`
	Providers []string         `json:"providers"` // providers with an access to every service
	// ApprovedAt is when the record was approved; the zero time means now.
	ApprovedAt time.Time `json:"approved_at"`
}

const (
	loadTxRecords   = 20000 // records per transaction
	loadStmtRecords = 500   // rows per multi-row INSERT
)

var (
	subjectNumberRE = regexp.MustCompile(`^(.)ICP备(\d{4})(\d{6})号$`)
	serviceSeqRE    = regexp.MustCompile(`号-(\d+)[AXK]?$`)
)

// LoadRegistry bulk-loads filed subjects and services with multi-row inserts in large transactions. Records
// whose subject (by credential number) is already filed are skipped, so loading the same seed twice changes
// nothing (numbers reserved for skipped records are not reused). On PostgreSQL the tables are analysed
// afterwards, so that the planner knows their new size.
func (s *Simulator) LoadRegistry(ctx context.Context, recs []SeedRecord) error {
	for start := 0; start < len(recs); start += loadTxRecords {
		batch := recs[start:min(start+loadTxRecords, len(recs))]
		if err := s.db.Tx(ctx, func(tx *sql.Tx) error { return s.loadBatch(ctx, tx, batch) }); err != nil {
			return err
		}
	}
	if s.db.Dialect == sqldb.Postgres && len(recs) >= 1000 {
		if _, err := s.db.W.ExecContext(ctx, `ANALYZE miit_subjects, miit_services, miit_domains, miit_accesses`); err != nil {
			return err
		}
	}
	return nil
}

type seedPrep struct {
	rec      *SeedRecord
	hash     []byte
	number   string
	seq      int
	at       int64
	services []seedService
}

type seedService struct {
	svc    filing.Service
	seq    int
	number string
	data   []byte
}

func (s *Simulator) loadBatch(ctx context.Context, tx *sql.Tx, batch []SeedRecord) error {
	if s.db.Dialect == sqldb.Postgres {
		// A bulk load checks and writes thousands of subjects and domains at once: decisions wait until it is
		// done rather than take a key lock each (SQLite's write lock does the same).
		if _, err := tx.ExecContext(ctx, `LOCK TABLE miit_subjects, miit_domains IN SHARE ROW EXCLUSIVE MODE`); err != nil {
			return err
		}
	}
	now := s.clk.Now()
	preps := make([]*seedPrep, 0, len(batch))
	inBatch := map[string]bool{}
	for i := range batch {
		r := &batch[i]
		if normCredential(r.Subject.CredentialNumber) == "" || r.Subject.Name == "" || r.Province == "" {
			return problem.Invalidf("miit.seed_invalid", "subject", "index", strconv.Itoa(i))
		}
		h := s.credentialHash(r.Subject.CredentialNumber)
		if inBatch[string(h)] {
			continue
		}
		inBatch[string(h)] = true
		at := r.ApprovedAt
		if at.IsZero() {
			at = now
		}
		preps = append(preps, &seedPrep{rec: r, hash: h, number: normNumberIfSet(r.Subject.Number), at: sqldb.Millis(at)})
	}

	if len(preps) == 0 {
		return nil
	}

	// Numbers: issue the missing subject numbers per province and year; note the given ones for the counters.
	type py struct {
		province string
		year     int
	}
	need := map[py][]*seedPrep{}
	var order []py
	given := map[py]int64{}
	for _, p := range preps {
		if p.number != "" {
			if m := subjectNumberRE.FindStringSubmatch(p.number); m != nil {
				y, _ := strconv.Atoi(m[2])
				serial, _ := strconv.ParseInt(m[3], 10, 64)
				k := py{p.rec.Province, y}
				given[k] = max(given[k], serial)
			}
			continue
		}
		k := py{p.rec.Province, sqldb.Time(p.at).In(cst).Year()}
		if _, ok := need[k]; !ok {
			order = append(order, k)
		}
		need[k] = append(need[k], p)
	}
	for k, serial := range given {
		if _, err := tx.ExecContext(ctx, `INSERT INTO miit_serials (province, year, last) VALUES ($1, $2, $3)
			ON CONFLICT (province, year) DO UPDATE SET last = CASE WHEN miit_serials.last < excluded.last
			THEN excluded.last ELSE miit_serials.last END`, k.province, k.year, serial); err != nil {
			return err
		}
	}
	for _, k := range order {
		abbr, ok := s.abbr(k.province)
		if !ok {
			return problem.Invalidf("miit.province_unknown", "province", "province", k.province)
		}
		ps := need[k]
		first, err := nextSerials(ctx, tx, k.province, k.year, int64(len(ps)))
		if err != nil {
			return err
		}
		for i, p := range ps {
			p.number = subjectNumber(abbr, k.year, first+int64(i))
		}
	}

	// Services: numbers from the subject's sequence, or as given.
	for _, p := range preps {
		seq := 0
		for _, svc := range p.rec.Services {
			var ds []string
			for _, d := range svc.Domains {
				n, ok := normDomain(d)
				if !ok {
					return problem.Invalidf("miit.seed_invalid", "domain", "domain", d)
				}
				ds = append(ds, n)
			}
			svc.Domains = ds
			ss := seedService{svc: svc}
			if svc.Number != "" {
				ss.number = normNumber(svc.Number)
				if m := serviceSeqRE.FindStringSubmatch(ss.number); m != nil {
					ss.seq, _ = strconv.Atoi(m[1])
				}
			}
			if ss.seq == 0 {
				ss.seq = seq + 1
			}
			if ss.number == "" {
				ss.number = serviceNumber(p.number, ss.seq, svc.Kind)
			}
			seq = max(seq, ss.seq)
			principal := svc.Principal
			if svc.PrincipalSameAsSubject {
				principal = p.rec.Subject.Principal
			}
			data, err := s.sealService(svc, principal)
			if err != nil {
				return err
			}
			ss.data = data
			p.services = append(p.services, ss)
		}
		p.seq = seq
	}

	// Subjects, in the order given (their ids follow it, and so does an export).
	subjectIDs := map[string]int64{}
	for start := 0; start < len(preps); start += loadStmtRecords {
		chunk := preps[start:min(start+loadStmtRecords, len(preps))]
		const cols = 10
		args := make([]any, 0, len(chunk)*cols)
		for _, p := range chunk {
			data, err := s.sealSubject(p.rec.Subject)
			if err != nil {
				return err
			}
			sub := p.rec.Subject
			args = append(args, p.number, p.rec.Province, sub.Name, sub.Nature, sub.CredentialType, p.hash, data,
				p.seq, p.at, p.at)
		}
		// A subject already filed (same credential; on SQLite also the same number) is skipped: RETURNING leaves
		// it out, and so do its services.
		q := `INSERT INTO miit_subjects (number, province, name, nature, credential_type, credential_hash, data,
			service_seq, approved_at, updated_at) VALUES ` + s.values(len(chunk), cols) +
			` ON CONFLICT (credential_hash) WHERE cancelled_at = 0 DO NOTHING RETURNING id, number`
		if s.db.Dialect == sqldb.SQLite {
			q = strings.Replace(s.insertIgnore(`miit_subjects (number, province, name, nature, credential_type,
			credential_hash, data, service_seq, approved_at, updated_at)`), "%s", s.values(len(chunk), cols), 1) +
				` RETURNING id, number`
		}
		if err := returningIDs(ctx, tx, q, args, subjectIDs); err != nil {
			return err
		}
	}

	// Services, then their domains and accesses.
	type svcRef struct {
		p  *seedPrep
		ss *seedService
	}
	var refs []svcRef
	for _, p := range preps {
		if _, inserted := subjectIDs[p.number]; !inserted {
			continue
		}
		for i := range p.services {
			refs = append(refs, svcRef{p, &p.services[i]})
		}
	}
	slices.SortFunc(refs, func(a, b svcRef) int { return strings.Compare(a.ss.number, b.ss.number) })
	serviceIDs := map[string]int64{}
	for start := 0; start < len(refs); start += loadStmtRecords {
		chunk := refs[start:min(start+loadStmtRecords, len(refs))]
		const cols = 9
		args := make([]any, 0, len(chunk)*cols)
		for _, r := range chunk {
			args = append(args, subjectIDs[r.p.number], r.ss.seq, r.ss.number, string(r.ss.svc.Kind), r.ss.svc.Name,
				joinDomains(r.ss.svc.Domains), r.ss.data, r.p.at, r.p.at)
		}
		// Without a statement journal on SQLite (insertIgnore); a service whose number is already filed is then an
		// error here, as the plain INSERT's constraint makes it on PostgreSQL.
		before := len(serviceIDs)
		q := strings.Replace(s.insertIgnore(`miit_services (subject_id, seq, number, kind, name, domains, data,
			approved_at, updated_at)`), "%s", s.values(len(chunk), cols), 1)
		if s.db.Dialect != sqldb.SQLite {
			q = `INSERT INTO miit_services (subject_id, seq, number, kind, name, domains, data, approved_at, updated_at)
			VALUES ` + s.values(len(chunk), cols)
		}
		if err := returningIDs(ctx, tx, q+` RETURNING id, number`, args, serviceIDs); err != nil {
			return err
		}
		if len(serviceIDs)-before != len(chunk) {
			return problem.New(problem.Conflict, "miit.seed_service_conflict", "services")
		}
	}
	var domainArgs, accessArgs [][]any
	for _, r := range refs {
		sid := serviceIDs[r.ss.number]
		for _, d := range r.ss.svc.Domains {
			sub := r.p.rec.Subject
			domainArgs = append(domainArgs, []any{d, sid, subjectIDs[r.p.number], string(r.ss.svc.Kind), sub.Name,
				sub.Nature, r.p.number, r.ss.number, r.ss.svc.Name, joinDomains(r.ss.svc.Domains), r.p.rec.Province, r.p.at})
		}
		for _, prov := range r.p.rec.Providers {
			accessArgs = append(accessArgs, []any{sid, prov, strings.Join(r.ss.svc.IPs, " "), r.p.at})
		}
	}
	// In key order, so that the inserts walk each B-tree forward instead of jumping about it.
	slices.SortFunc(domainArgs, func(a, b []any) int { return strings.Compare(a[0].(string), b[0].(string)) })
	if err := s.execRows(ctx, tx, s.insertIgnore(`miit_domains (domain, service_id, subject_id, kind, subject_name,
		nature, subject_number, service_number, service_name, domains, province, approved_at)`), 12, domainArgs); err != nil {
		return err
	}
	if err := s.execRows(ctx, tx, s.insertIgnore(`miit_accesses (service_id, provider_id, ips, added_at)`), 4,
		accessArgs); err != nil {
		return err
	}
	return nil
}

func normNumberIfSet(n string) string {
	if strings.TrimSpace(n) == "" {
		return ""
	}
	return normNumber(n)
}

// values returns "($1, $2, …), (…)" for rows of cols placeholders. On SQLite the placeholders are anonymous
// ("?"): SQLite looks numbered and named parameters up in a list, which makes statements with thousands of them
// quadratic to prepare and bind.
func (s *Simulator) values(rows, cols int) string {
	anon := s.db.Dialect == sqldb.SQLite
	var b strings.Builder
	b.Grow(rows * cols * 5)
	n := 1
	for r := 0; r < rows; r++ {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := 0; c < cols; c++ {
			if c > 0 {
				b.WriteString(", ")
			}
			if anon {
				b.WriteByte('?')
			} else {
				fmt.Fprintf(&b, "$%d", n)
			}
			n++
		}
		b.WriteByte(')')
	}
	return b.String()
}

// returningIDs runs a multi-row INSERT … RETURNING id, number and records the ids by number (the order of
// RETURNING rows is not guaranteed, the numbers are unique).
func returningIDs(ctx context.Context, tx *sql.Tx, query string, args []any, into map[string]int64) error {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var number string
		if err := rows.Scan(&id, &number); err != nil {
			return err
		}
		into[number] = id
	}
	return rows.Err()
}

// insertIgnore is a multi-row INSERT into table that skips rows already there, with "%s" for the VALUES list. On
// SQLite it is INSERT OR IGNORE: an ON CONFLICT clause leaves NOT NULL constraints aborting, which makes SQLite
// keep a statement journal for every multi-row statement (a third of a bulk load's time).
func (s *Simulator) insertIgnore(table string) string {
	if s.db.Dialect == sqldb.SQLite {
		return `INSERT OR IGNORE INTO ` + table + ` VALUES %s`
	}
	return `INSERT INTO ` + table + ` VALUES %s ON CONFLICT DO NOTHING`
}

// execRows inserts rows of cols values with query, a statement whose "%s" is the VALUES list, in chunks.
func (s *Simulator) execRows(ctx context.Context, tx *sql.Tx, query string, cols int, rows [][]any) error {
	for start := 0; start < len(rows); start += loadStmtRecords {
		chunk := rows[start:min(start+loadStmtRecords, len(rows))]
		args := make([]any, 0, len(chunk)*cols)
		for _, r := range chunk {
			args = append(args, r...)
		}
		if _, err := tx.ExecContext(ctx, strings.Replace(query, "%s", s.values(len(chunk), cols), 1), args...); err != nil {
			return err
		}
	}
	return nil
}
