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

// Loaded is how many of the batch's records LoadPrepared wrote: the others were filed already (by their
// credential), or repeated a record before them in the batch.
func (b *LoadBatch) Loaded() int {
	n := 0
	for _, p := range b.preps {
		if p.id != 0 {
			n++
		}
	}
	return n
}

type seedPrep struct {
	id       int64 // set by the writer, 0 when skipped
	index    int   // of rec in the records given to PrepareLoad
	rec      *SeedRecord
	hash     []byte
	data     []byte // the sealed subject
	number   string
	seq      int
	at       int64
	services []seedService
}

type seedService struct {
	id     int64 // set by the writer
	index  int   // in the record's services
	svc    filing.Service
	seq    int
	number string
	data   []byte
}

// PrepareLoad checks (checkSeed), normalises and seals recs (at most loadTxRecords of them, else LoadRegistry).
// A record breaking a rule fails the whole batch with a problem whose "index" parameter is its place in recs.
// Of several records of the same subject (credential number) the first is kept.
func (s *Simulator) PrepareLoad(recs []SeedRecord) (*LoadBatch, error) {
	now := s.clk.Now()
	b := &LoadBatch{preps: make([]*seedPrep, 0, len(recs))}
	inBatch := make(map[string]bool, len(recs))
	for i := range recs {
		r := &recs[i]
		if e := s.checkSeed(r, i, now); e != nil {
			return nil, e
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
		if at.After(now) { // would also issue a number of a year to come
			return nil, problem.Invalidf("miit.seed_date_future", "approved_at", "value", at.Format(time.RFC3339),
				"index", strconv.Itoa(i))
		}
		p := &seedPrep{index: i, rec: r, hash: h, number: normNumberIfSet(r.Subject.Number), at: sqldb.Millis(at)}
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
	if err := checkBatchDomains(b.preps); err != nil {
		return nil, err
	}
	if err := checkBatchNumbers(b.preps); err != nil {
		return nil, err
	}
	return b, nil
}

// prepServices normalises the domains of p's services, numbers them from the subject's sequence (or as given;
// a number left empty is made from the subject number when it is known, in LoadPrepared) and seals them.
func (s *Simulator) prepServices(p *seedPrep, index int) error {
	seq := 0
	for k, svc := range p.rec.Services {
		ds := make([]string, 0, len(svc.Domains))
		for j, d := range svc.Domains {
			n, ok := normDomain(d)
			if !ok {
				return problem.Invalidf("miit.seed_domain_invalid", fmt.Sprintf("services[%d].domains[%d]", k, j),
					"domain", d, "index", strconv.Itoa(index))
			}
			if !slices.Contains(ds, n) { // listed twice (also in other letters' case): once
				ds = append(ds, n)
			}
		}
		svc.Domains = ds
		ss := seedService{index: k, svc: svc}
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
	creds := s.bulkCreds.Load()
	var written []*seedPrep
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		written = b.preps
		if creds != nil {
			var err error
			if written, err = creds.unfiled(ctx, tx, b.preps); err != nil {
				return err
			}
		}
		return s.loadBatch(ctx, tx, written)
	})
	if err == nil && creds != nil {
		creds.add(written)
	}
	return err
}

func (s *Simulator) loadBatch(ctx context.Context, tx *sql.Tx, preps []*seedPrep) error {
	if s.db.Dialect == sqldb.Postgres {
		return s.copyBatch(ctx, tx, preps)
	}
	if err := s.numberSubjects(ctx, tx, preps); err != nil {
		return err
	}
	if err := s.insertSubjects(ctx, tx, preps); err != nil {
		return err
	}
	refs := serviceRefs(preps)
	if err := filedDomainTaken(ctx, tx, refs); err != nil {
		return err
	}
	if err := s.insertServices(ctx, tx, refs); err != nil {
		return err
	}
	return s.insertDomainsAccesses(ctx, tx, refs)
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

// insertSubjects inserts the subjects in the order given (their ids follow it, and so does an export) and sets
// the id of each inserted, 0 for those skipped: a subject already filed (same credential; on SQLite also the same
// number) is skipped, and so are its services.
func (s *Simulator) insertSubjects(ctx context.Context, tx *sql.Tx, preps []*seedPrep) error {
	rows := loadRows{table: "miit_subjects", cols: `number, province, name, nature, credential_type, credential_hash,
		data, service_seq, approved_at, updated_at`, n: len(preps),
		key:     func(i int) (*int64, string) { return &preps[i].id, preps[i].number },
		tellCol: "credential_hash", tell: func(i int) []byte { return preps[i].hash },
		args: func(i int, args []any) []any {
			p := preps[i]
			sub := p.rec.Subject
			return append(args, p.number, p.rec.Province, sub.Name, sub.Nature, sub.CredentialType, p.hash, p.data,
				p.seq, p.at, p.at)
		}}
	_, err := s.insertRows(ctx, tx, rows)
	return err
}

type svcRef struct {
	p  *seedPrep
	ss *seedService
}

// serviceRefs lists the services of the subjects inserted, in number order (so that the inserts walk each
// B-tree forward instead of jumping about it).
func serviceRefs(preps []*seedPrep) []svcRef {
	var refs []svcRef
	for _, p := range preps {
		if p.id == 0 {
			continue
		}
		for i := range p.services {
			refs = append(refs, svcRef{p, &p.services[i]})
		}
	}
	slices.SortFunc(refs, func(a, b svcRef) int { return strings.Compare(a.ss.number, b.ss.number) })
	return refs
}

// insertServices inserts the services of refs and sets their ids; a service whose number is already filed is
// an error (the statement skips it and the count tells).
func (s *Simulator) insertServices(ctx context.Context, tx *sql.Tx, refs []svcRef) error {
	rows := loadRows{table: "miit_services", cols: `subject_id, seq, number, kind, name, domains, data, approved_at,
		updated_at`, n: len(refs),
		key: func(i int) (*int64, string) { return &refs[i].ss.id, refs[i].ss.number },
		args: func(i int, args []any) []any {
			r := refs[i]
			return append(args, r.p.id, r.ss.seq, r.ss.number, string(r.ss.svc.Kind), r.ss.svc.Name,
				joinDomains(r.ss.svc.Domains), r.ss.data, r.p.at, r.p.at)
		}}
	n, err := s.insertRows(ctx, tx, rows)
	if err == nil && n != len(refs) {
		err = problem.New(problem.Conflict, "miit.seed_service_conflict", "services")
	}
	return err
}

// loadRows is n rows for insertRows: their columns (without id), each row's values, and where its id goes
// with the unique number it is known by.
type loadRows struct {
	table, cols string
	n           int
	args        func(i int, args []any) []any
	key         func(i int) (id *int64, number string)
	// A column that tells apart rows of one number (a batch may hold a subject number twice, under two
	// credentials, of which the first not filed is inserted), and its value for row i; nil when numbers are
	// unique among rows.
	tellCol string
	tell    func(i int) []byte
}

// insertRows inserts rows in multi-row statements that skip the rows already filed, sets the id of each row
// inserted (0 for those skipped) and returns how many were inserted.
//
// The statement returns nothing: RETURNING makes SQLite keep the rows it returns in a temporary table, and
// reading them back was a fifth of the load's time. Nor does it give the ids: a row whose id is given makes
// SQLite keep a statement journal for every multi-row statement (a copy of every page it changes, so that it
// can undo the statement alone), a third of the writer's time. SQLite numbers the rows itself, each after the
// table's largest id, in the order of the VALUES list (the writer holds the database, so no one else takes
// them): when every row was inserted, the ids follow the largest id before the load; only when rows were
// skipped are the ids read back, with the numbers they are known by. (SQLite only: copyBatch is PostgreSQL's.)
func (s *Simulator) insertRows(ctx context.Context, tx *sql.Tx, rows loadRows) (int, error) {
	var base int64
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM `+rows.table).Scan(&base); err != nil {
		return 0, err
	}
	cols := strings.Count(rows.cols, ",") + 1
	inserted := 0
	for start, size := range stmtChunks(rows.n) {
		args := make([]any, 0, size*cols)
		for i := start; i < start+size; i++ {
			args = rows.args(i, args)
		}
		q := strings.Replace(insertIgnore(rows.table+` (`+rows.cols+`)`), "%s", values(size, cols), 1)
		res, err := tx.ExecContext(ctx, q, args...)
		if err != nil {
			return 0, err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return 0, err
		}
		inserted += int(n)
	}
	if inserted < rows.n {
		return inserted, readInserted(ctx, tx, rows, base)
	}
	for i := range rows.n {
		id, _ := rows.key(i)
		*id = base + 1 + int64(i)
	}
	return inserted, nil
}

// readInserted sets the ids of the rows inserted above base, found by their numbers (and tellCol), and 0 for
// those skipped.
func readInserted(ctx context.Context, tx *sql.Tx, rows loadRows, base int64) error {
	tellCol, tell := "x''", func(int) []byte { return nil }
	if rows.tell != nil {
		tellCol, tell = rows.tellCol, rows.tell
	}
	q, err := tx.QueryContext(ctx, `SELECT id, number, `+tellCol+` FROM `+rows.table+` WHERE id > $1`, base)
	if err != nil {
		return err
	}
	defer q.Close()
	ids := make(map[string]int64, rows.n)
	for q.Next() {
		var id int64
		var number string
		var t []byte
		if err := q.Scan(&id, &number, &t); err != nil {
			return err
		}
		ids[number+"\x00"+string(t)] = id
	}
	for i := range rows.n {
		id, number := rows.key(i)
		*id = ids[number+"\x00"+string(tell(i))]
	}
	return q.Err()
}

// insertDomainsAccesses inserts the domains of refs' services, in key order (so that the inserts walk the
// B-tree forward instead of jumping about it), and their accesses.
func (s *Simulator) insertDomainsAccesses(ctx context.Context, tx *sql.Tx, refs []svcRef) error {
	domains, accesses := domainsAccesses(refs)
	domainArgs := make([]any, 0, len(domains)*len(loadDomainCols))
	for _, d := range domains {
		domainArgs = d.values(domainArgs)
	}
	accessArgs := make([]any, 0, len(accesses)*len(loadAccessCols))
	for _, a := range accesses {
		accessArgs = a.values(accessArgs)
	}
	if err := execRows(ctx, tx, insertIgnore(`miit_domains (`+strings.Join(loadDomainCols, ", ")+`)`), len(loadDomainCols),
		domainArgs); err != nil {
		return err
	}
	return execRows(ctx, tx, insertIgnore(`miit_accesses (`+strings.Join(loadAccessCols, ", ")+`)`), len(loadAccessCols), accessArgs)
}

var (
	loadDomainCols = []string{"domain", "service_id", "subject_id", "kind", "subject_name", "nature", "subject_number",
		"service_number", "service_name", "domains", "province", "approved_at"}
	loadAccessCols = []string{"service_id", "provider_id", "ips", "added_at"}
)

// loadDomain is a domain of a service being loaded, loadAccess a provider's access to it.
type (
	loadDomain struct {
		domain string
		r      svcRef
	}
	loadAccess struct {
		provider string
		r        svcRef
	}
)

// values appends the domain's row (loadDomainCols) to args.
func (d loadDomain) values(args []any) []any {
	r, sub := d.r, d.r.p.rec.Subject
	return append(args, d.domain, r.ss.id, r.p.id, string(r.ss.svc.Kind), sub.Name, sub.Nature, r.p.number,
		r.ss.number, r.ss.svc.Name, joinDomains(r.ss.svc.Domains), r.p.rec.Province, r.p.at)
}

// values appends the access's row (loadAccessCols) to args.
func (a loadAccess) values(args []any) []any {
	return append(args, a.r.ss.id, a.provider, strings.Join(a.r.ss.svc.IPs, " "), a.r.p.at)
}

// domainsAccesses lists the domains of refs' services in key order, each once a service, and their accesses,
// each provider once a service.
func domainsAccesses(refs []svcRef) ([]loadDomain, []loadAccess) {
	var domains []loadDomain
	var accesses []loadAccess
	for _, r := range refs {
		for i, d := range r.ss.svc.Domains {
			if !slices.Contains(r.ss.svc.Domains[:i], d) {
				domains = append(domains, loadDomain{d, r})
			}
		}
		for i, prov := range r.p.rec.Providers {
			if !slices.Contains(r.p.rec.Providers[:i], prov) {
				accesses = append(accesses, loadAccess{prov, r})
			}
		}
	}
	slices.SortFunc(domains, func(a, b loadDomain) int { return strings.Compare(a.domain, b.domain) })
	return domains, accesses
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

// values returns "(?, ?, …), (…)" for rows of cols placeholders, anonymous: SQLite looks numbered and named
// parameters up in a list, which makes statements with thousands of them quadratic to prepare and bind.
func values(rows, cols int) string {
	var b strings.Builder
	b.Grow(rows * cols * 3)
	for r := 0; r < rows; r++ {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for c := 0; c < cols; c++ {
			if c > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('?')
		}
		b.WriteByte(')')
	}
	return b.String()
}

// insertIgnore is a multi-row INSERT into table that skips rows already there, with "%s" for the VALUES list:
// INSERT OR IGNORE, since an ON CONFLICT clause leaves NOT NULL constraints aborting, which makes SQLite keep a
// statement journal for every multi-row statement (a third of a bulk load's time).
func insertIgnore(table string) string {
	return `INSERT OR IGNORE INTO ` + table + ` VALUES %s`
}

// execRows inserts rows of cols values each, given one after the other in args, with query, a statement whose
// "%s" is the VALUES list, in chunks.
func execRows(ctx context.Context, tx *sql.Tx, query string, cols int, args []any) error {
	for start, size := range stmtChunks(len(args) / cols) {
		chunk := args[start*cols : (start+size)*cols]
		if _, err := tx.ExecContext(ctx, strings.Replace(query, "%s", values(size, cols), 1), chunk...); err != nil {
			return err
		}
	}
	return nil
}
