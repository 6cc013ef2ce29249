package miit

import (
	"context"
	"database/sql"
	"fmt"
	"iter"
	"math/bits"
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
		b, err := s.PrepareLoad(recs[start:min(start+loadTxRecords, len(recs))])
		if err == nil {
			err = s.LoadPrepared(ctx, b)
		}
		if err != nil {
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

// LoadBatch is records checked, normalised and sealed by PrepareLoad, for LoadPrepared to write in one
// transaction. Preparing needs no database, so that an import prepares the next batches on other cores while
// the single SQLite writer writes this one.
type LoadBatch struct {
	preps []*seedPrep
}

type seedPrep struct {
	rec      *SeedRecord
	hash     []byte
	data     []byte // the sealed subject
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

// PrepareLoad checks, normalises and seals recs (at most loadTxRecords of them, else LoadRegistry). A record
// breaking a rule fails the whole batch with a problem whose "index" parameter is its place in recs. Of several
// records of the same subject (credential number) the first is kept.
func (s *Simulator) PrepareLoad(recs []SeedRecord) (*LoadBatch, error) {
	now := s.clk.Now()
	b := &LoadBatch{preps: make([]*seedPrep, 0, len(recs))}
	inBatch := make(map[string]bool, len(recs))
	for i := range recs {
		r := &recs[i]
		if normCredential(r.Subject.CredentialNumber) == "" || r.Subject.Name == "" || r.Province == "" {
			return nil, problem.Invalidf("miit.seed_invalid", "subject", "index", strconv.Itoa(i))
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
		p := &seedPrep{rec: r, hash: h, number: normNumberIfSet(r.Subject.Number), at: sqldb.Millis(at)}
		if err := s.prepServices(p, i); err != nil {
			return nil, err
		}
		data, err := s.sealSubject(r.Subject)
		if err != nil {
			return nil, err
		}
		p.data = data
		b.preps = append(b.preps, p)
	}
	return b, nil
}

// prepServices normalises the domains of p's services, numbers them from the subject's sequence (or as given;
// a number left empty is made from the subject number when it is known, in LoadPrepared) and seals them.
func (s *Simulator) prepServices(p *seedPrep, index int) error {
	seq := 0
	for _, svc := range p.rec.Services {
		ds := make([]string, 0, len(svc.Domains))
		for _, d := range svc.Domains {
			n, ok := normDomain(d)
			if !ok {
				return problem.Invalidf("miit.seed_invalid", "domain", "domain", d, "index", strconv.Itoa(index))
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
	return nil
}

// LoadPrepared writes a prepared batch in one transaction.
func (s *Simulator) LoadPrepared(ctx context.Context, b *LoadBatch) error {
	if len(b.preps) == 0 {
		return nil
	}
	return s.db.Tx(ctx, func(tx *sql.Tx) error { return s.loadBatch(ctx, tx, b.preps) })
}

func (s *Simulator) loadBatch(ctx context.Context, tx *sql.Tx, preps []*seedPrep) error {
	if s.db.Dialect == sqldb.Postgres {
		// A bulk load checks and writes thousands of subjects and domains at once: decisions wait until it is
		// done rather than take a key lock each (SQLite's write lock does the same).
		if _, err := tx.ExecContext(ctx, `LOCK TABLE miit_subjects, miit_domains IN SHARE ROW EXCLUSIVE MODE`); err != nil {
			return err
		}
	}
	if err := s.numberSubjects(ctx, tx, preps); err != nil {
		return err
	}
	subjectIDs, err := s.insertSubjects(ctx, tx, preps)
	if err != nil {
		return err
	}
	refs := serviceRefs(preps, subjectIDs)
	serviceIDs, err := s.insertServices(ctx, tx, refs, subjectIDs)
	if err != nil {
		return err
	}
	return s.insertDomainsAccesses(ctx, tx, refs, subjectIDs, serviceIDs)
}

// numberSubjects issues the missing subject numbers per province and year, moves the counters past the given
// ones, and numbers the services left without one.
func (s *Simulator) numberSubjects(ctx context.Context, tx *sql.Tx, preps []*seedPrep) error {
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
	for _, p := range preps {
		for i := range p.services {
			if ss := &p.services[i]; ss.number == "" {
				ss.number = serviceNumber(p.number, ss.seq, ss.svc.Kind)
			}
		}
	}
	return nil
}

// insertSubjects inserts the subjects in the order given (their ids follow it, and so does an export) and
// returns the ids of those inserted by number. A subject already filed (same credential; on SQLite also the same
// number) is skipped: RETURNING leaves it out, and so do its services.
func (s *Simulator) insertSubjects(ctx context.Context, tx *sql.Tx, preps []*seedPrep) (map[string]int64, error) {
	const cols = 10
	ids := make(map[string]int64, len(preps))
	for start, size := range stmtChunks(len(preps)) {
		args := make([]any, 0, size*cols)
		for _, p := range preps[start : start+size] {
			sub := p.rec.Subject
			args = append(args, p.number, p.rec.Province, sub.Name, sub.Nature, sub.CredentialType, p.hash, p.data,
				p.seq, p.at, p.at)
		}
		q := `INSERT INTO miit_subjects (number, province, name, nature, credential_type, credential_hash, data,
			service_seq, approved_at, updated_at) VALUES ` + s.values(size, cols) +
			` ON CONFLICT (credential_hash) WHERE cancelled_at = 0 DO NOTHING RETURNING id, number`
		if s.db.Dialect == sqldb.SQLite {
			q = strings.Replace(s.insertIgnore(`miit_subjects (number, province, name, nature, credential_type,
			credential_hash, data, service_seq, approved_at, updated_at)`), "%s", s.values(size, cols), 1) +
				` RETURNING id, number`
		}
		if err := returningIDs(ctx, tx, q, args, ids); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

type svcRef struct {
	p  *seedPrep
	ss *seedService
}

// serviceRefs lists the services of the subjects inserted, in number order (so that the inserts walk each
// B-tree forward instead of jumping about it).
func serviceRefs(preps []*seedPrep, subjectIDs map[string]int64) []svcRef {
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
	return refs
}

func (s *Simulator) insertServices(ctx context.Context, tx *sql.Tx, refs []svcRef, subjectIDs map[string]int64) (map[string]int64, error) {
	const cols = 9
	ids := make(map[string]int64, len(refs))
	for start, size := range stmtChunks(len(refs)) {
		args := make([]any, 0, size*cols)
		for _, r := range refs[start : start+size] {
			args = append(args, subjectIDs[r.p.number], r.ss.seq, r.ss.number, string(r.ss.svc.Kind), r.ss.svc.Name,
				joinDomains(r.ss.svc.Domains), r.ss.data, r.p.at, r.p.at)
		}
		// Without a statement journal on SQLite (insertIgnore); a service whose number is already filed is then an
		// error here, as the plain INSERT's constraint makes it on PostgreSQL.
		before := len(ids)
		q := strings.Replace(s.insertIgnore(`miit_services (subject_id, seq, number, kind, name, domains, data,
			approved_at, updated_at)`), "%s", s.values(size, cols), 1)
		if s.db.Dialect != sqldb.SQLite {
			q = `INSERT INTO miit_services (subject_id, seq, number, kind, name, domains, data, approved_at, updated_at)
			VALUES ` + s.values(size, cols)
		}
		if err := returningIDs(ctx, tx, q+` RETURNING id, number`, args, ids); err != nil {
			return nil, err
		}
		if len(ids)-before != size {
			return nil, problem.New(problem.Conflict, "miit.seed_service_conflict", "services")
		}
	}
	return ids, nil
}

func (s *Simulator) insertDomainsAccesses(ctx context.Context, tx *sql.Tx, refs []svcRef, subjectIDs, serviceIDs map[string]int64) error {
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
	return s.execRows(ctx, tx, s.insertIgnore(`miit_accesses (service_id, provider_id, ips, added_at)`), 4, accessArgs)
}

// stmtChunks splits n rows into multi-row statements: full ones of loadStmtRecords rows, then the rest in powers
// of two, so that a load uses a handful of distinct statements, each compiled once and kept by the
// connection's statement cache, instead of a new one for every batch's last chunk. It yields each chunk's start
// and size.
func stmtChunks(n int) iter.Seq2[int, int] {
	return func(yield func(int, int) bool) {
		for start := 0; start < n; {
			size := min(loadStmtRecords, 1<<(bits.Len(uint(n-start))-1))
			if !yield(start, size) {
				return
			}
			start += size
		}
	}
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
	for start, size := range stmtChunks(len(rows)) {
		args := make([]any, 0, size*cols)
		for _, r := range rows[start : start+size] {
			args = append(args, r...)
		}
		if _, err := tx.ExecContext(ctx, strings.Replace(query, "%s", s.values(size, cols), 1), args...); err != nil {
			return err
		}
	}
	return nil
}
