package miit

import (
	"context"
	"database/sql"
	"runtime"
	"slices"
	"strconv"
	"sync"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/sqldb"
)

// exportPage is the width of a page of ExportRegistry: the subjects whose ids fall in one range of that many ids.
const exportPage = 2000

// exportAhead is how many pages a worker of ExportRegistry may have encoded ahead of the writer: slack for a
// worker that the scheduler holds back while the other goes on.
const exportAhead = 4

// ExportEncoder appends the encoding of one record to dst; it must not keep rec, whose lists are reused.
// ExportRegistry makes one encoder for each of its workers, so an encoder may keep state of its own, but shares
// none with the others.
type ExportEncoder func(dst []byte, rec *SeedRecord) ([]byte, error)

// ExportRegistry encodes every filed subject (cancelled ones are left out) with its filed services and the
// providers with an access to them, in the order they were filed, in the form LoadRegistry takes: loading what
// was exported into an empty registry gives the same filings under the same numbers. The records carry the
// personal data of the filing (principals, credential numbers) in clear. Subjects filed after the export
// started are left out.
//
// The registry is cut into pages by subject id, and two workers per core (exportWorkers) read, open and encode
// every n-th page (the SQLite reads, AES-GCM, JSON: all of the CPU but the output's), each on a connection of
// its own (exportSource) and with an encoder of its own from newEncoder, while write is called in the caller's
// goroutine with each page's encoded records, page after page in id order (docs/benchmarks.md, issue 16).
// Meanwhile the SQLite file is read ahead of the pages (sqldb.Prefetch): a registry loaded in bulk lies in the
// file in about the order of its ids. write must not keep b. It returns once every worker has ended and closed
// its connection.
func (s *Simulator) ExportRegistry(ctx context.Context, newEncoder func() ExportEncoder,
	write func(b []byte, records int) error) error {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer wg.Wait() // the workers' connections closed (on SQLite, files of their own) before it returns
	defer cancel()
	var last int64
	if err := s.db.R.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM miit_subjects`).Scan(&last); err != nil {
		return err
	}
	ahead := s.db.Prefetch() // from a cold cache: the disk reads the pages to come while the workers compute
	defer ahead.Close()
	workers := exportWorkers(s.db.R.Stats().MaxOpenConnections)
	out := make([]chan exportChunk, workers)
	free := make([]chan []byte, workers)
	for w := range out {
		out[w] = make(chan exportChunk, exportAhead)
		free[w] = make(chan []byte, exportAhead+2) // a worker's buffers: those in out, its own and the writer's
		encode := newEncoder()
		wg.Go(func() { s.exportPages(ctx, w, workers, last, encode, free[w], out[w]) })
	}
	for k := 0; ; k++ {
		w := k % workers
		var c exportChunk
		var ok bool
		select {
		case c, ok = <-out[w]:
		case <-ctx.Done():
			return ctx.Err()
		}
		if !ok { // past the last page (or the caller's context ended)
			return ctx.Err()
		}
		if c.err != nil {
			return c.err
		}
		if err := write(c.b, c.records); err != nil {
			return err
		}
		ahead.Progress(int64(k+1)*exportPage, last)
		select {
		case free[w] <- c.b[:0]: // back to its worker for a page to come
		default:
		}
	}
}

// exportWorkers is the number of workers of ExportRegistry: two a core, so that a core whose worker waits for
// the disk (a registry larger than the file cache is read from it) has another to run; at most one fewer than
// the read pool's connections (maxOpen, 0 for no limit), since on PostgreSQL each worker holds one to its end
// and the writer takes the workers' pages in turn: a worker left waiting for a connection would stop the
// export. (On SQLite each worker opens a connection of its own; the same bound keeps their page caches few.)
func exportWorkers(maxOpen int) int {
	n := 2 * runtime.GOMAXPROCS(0)
	if maxOpen > 0 {
		n = min(n, maxOpen-1)
	}
	return max(1, n)
}

// exportChunk is one page encoded.
type exportChunk struct {
	b       []byte
	records int
	err     error
}

// exportRows is one page as read (sealed), and the record being encoded; a worker reuses it from page to page.
type exportRows struct {
	subjects []exportSubject
	services []exportService
	sealed   []byte // the data of the subjects and services
	rec      SeedRecord
}

type exportSubject struct {
	id, at           int64
	number, province string
	data             []byte
}

type exportService struct {
	subjectID          int64
	number, providerID string
	data               []byte
}

// exportPages reads, opens and encodes the pages first, first+step, first+2·step, … up to the subject id last
// into buffers taken from free (or new ones) and sends them to out, which it closes after the last (or after a
// page that failed).
func (s *Simulator) exportPages(ctx context.Context, first, step int, last int64, encode ExportEncoder,
	free <-chan []byte, out chan<- exportChunk) {
	defer close(out)
	send := func(c exportChunk) bool {
		select {
		case out <- c:
			return c.err == nil
		case <-ctx.Done():
			return false
		}
	}
	src, err := s.exportSource(ctx)
	if err != nil {
		send(exportChunk{err: err})
		return
	}
	defer src.close()
	var rows exportRows
	for k := int64(first); k*exportPage < last; k += int64(step) {
		var c exportChunk
		select {
		case c.b = <-free:
		default:
		}
		c.err = rows.read(ctx, src, k*exportPage+1, (k+1)*exportPage)
		if c.err == nil {
			c.b, c.records, c.err = s.encodePage(&rows, encode, c.b)
		}
		if !send(c) {
			return
		}
	}
}

// The statements of an export, each over a range of subject ids ($1 to $2): the filed subjects, and the filed
// services of the filed subjects, a row for each of their providers.
const (
	exportSubjects = iota
	exportServices
)

var exportQueries = []string{
	exportSubjects: `SELECT id, number, province, data, approved_at FROM miit_subjects
		WHERE id BETWEEN $1 AND $2 AND cancelled_at = 0 ORDER BY id`,
	exportServices: `SELECT s.subject_id, s.number, s.data, COALESCE(a.provider_id, '')
		FROM miit_services s LEFT JOIN miit_accesses a ON a.service_id = s.id
		WHERE s.subject_id BETWEEN $1 AND $2 AND s.cancelled_at = 0 ORDER BY s.subject_id, s.seq, a.provider_id`,
}

// exportSource runs the statements of an export for one worker. exportRow is a row of one, valid during the
// callback only; columns are read by position.
type exportSource interface {
	query(ctx context.Context, q int, from, to int64, row func(exportRow) error) error
	close()
}

type exportRow interface {
	Int64(i int) int64
	Bytes(i int) []byte
}

// exportPragmas are set on an export's SQLite connections (sqldb.Scan): a memory mapping of the SQLite file,
// so that a page is read without a pread and a copy (the system time of a 1 M export), and a larger page cache
// for what lies beyond the mapping, which this SQLite build caps at 2 GB: at 10 M (a 17 GB file) a page's
// services are looked up in the rows of the 20,000 services the load wrote with them, about 8 MB, read again
// page after page through the readers' 2 MB (docs/benchmarks.md). The server's readers keep no mapping (db.go).
var exportPragmas = []string{`PRAGMA mmap_size = 1099511627776`, `PRAGMA cache_size = -32000`}

// exportSource opens the reading of one export worker: on SQLite a connection of its own straight through the
// library (sqldb.Scan: a quarter of the reading went to database/sql and the driver), elsewhere a connection
// of the read pool held to the end.
func (s *Simulator) exportSource(ctx context.Context) (exportSource, error) {
	if s.db.Dialect == sqldb.SQLite {
		scan, err := s.db.Scan(exportPragmas, exportQueries...)
		return sqliteExport{scan}, err
	}
	conn, err := s.db.R.Conn(ctx)
	return &poolExport{conn: conn}, err
}

// sqliteExport checks the context between statements (a statement reads one page: milliseconds).
type sqliteExport struct{ *sqldb.Scan }

func (e sqliteExport) query(ctx context.Context, q int, from, to int64, row func(exportRow) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return e.Query(q, []int64{from, to}, func(r sqldb.Row) error { return row(r) })
}

func (e sqliteExport) close() { e.Close() }

// poolExport reads through database/sql, every column scanned as sql.RawBytes into cols, which dest points to:
// grown to the widest statement it has run and reused by the next ones, as a worker's pages reuse
// their exportRows; err is the first integer column that did not parse.
type poolExport struct {
	conn *sql.Conn
	cols []sql.RawBytes
	dest []any
	err  error
}

func (e *poolExport) query(ctx context.Context, q int, from, to int64, row func(exportRow) error) error {
	rows, err := e.conn.QueryContext(ctx, exportQueries[q], from, to)
	if err != nil {
		return err
	}
	defer rows.Close()
	names, err := rows.Columns()
	if err != nil {
		return err
	}
	if len(names) > len(e.cols) {
		e.cols, e.dest = make([]sql.RawBytes, len(names)), make([]any, len(names))
		for i := range e.cols {
			e.dest[i] = &e.cols[i]
		}
	}
	dest := e.dest[:len(names)]
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return err
		}
		if err := row(e); err != nil {
			return err
		}
		if e.err != nil {
			return e.err
		}
	}
	return rows.Err()
}

// Int64 is column i, which the statements hold integral (ids and times), written out as text by the driver.
func (e *poolExport) Int64(i int) int64 {
	n, err := strconv.ParseInt(string(e.cols[i]), 10, 64)
	if err != nil && e.err == nil {
		e.err = err
	}
	return n
}

func (e *poolExport) Bytes(i int) []byte { return e.cols[i] }

func (e *poolExport) close() { e.conn.Close() }

// read reads the filed subjects with ids from..to and their filed services.
func (p *exportRows) read(ctx context.Context, src exportSource, from, to int64) error {
	p.subjects, p.services, p.sealed = p.subjects[:0], p.services[:0], p.sealed[:0]
	err := src.query(ctx, exportSubjects, from, to, func(r exportRow) error {
		p.subjects = append(p.subjects, exportSubject{id: r.Int64(0), number: string(r.Bytes(1)),
			province: string(r.Bytes(2)), data: p.keep(r.Bytes(3)), at: r.Int64(4)})
		return nil
	})
	if err != nil || len(p.subjects) == 0 {
		return err
	}
	return src.query(ctx, exportServices, p.subjects[0].id, p.subjects[len(p.subjects)-1].id, func(r exportRow) error {
		p.services = append(p.services, exportService{subjectID: r.Int64(0), number: string(r.Bytes(1)),
			data: p.keep(r.Bytes(2)), providerID: string(r.Bytes(3))})
		return nil
	})
}

// keep copies b, valid only until the next row, into the page's sealed data.
func (p *exportRows) keep(b []byte) []byte {
	n := len(p.sealed)
	p.sealed = append(p.sealed, b...)
	return p.sealed[n:len(p.sealed):len(p.sealed)]
}

// encodePage opens the sealed subjects and services of a page into records and appends their encodings to dst.
func (s *Simulator) encodePage(p *exportRows, encode ExportEncoder, dst []byte) ([]byte, int, error) {
	svcs := p.services
	rec := &p.rec
	for _, row := range p.subjects {
		*rec = SeedRecord{Province: row.province, ApprovedAt: sqldb.Time(row.at),
			Services: rec.Services[:0], Providers: rec.Providers[:0]}
		if err := s.openSubjectTo(&rec.Subject, row.data); err != nil {
			return dst, 0, err
		}
		rec.Subject.Number = row.number
		for ; len(svcs) > 0 && svcs[0].subjectID <= row.id; svcs = svcs[1:] {
			svc := svcs[0]
			if svc.subjectID < row.id {
				continue // a cancelled subject's
			}
			if n := len(rec.Services); n == 0 || rec.Services[n-1].Number != svc.number { // a service's first row
				rec.Services = append(rec.Services, filing.Service{})
				opened := &rec.Services[n]
				if err := s.openServiceTo(opened, svc.data); err != nil {
					return dst, 0, err
				}
				opened.Number = svc.number
			}
			if svc.providerID != "" && !slices.Contains(rec.Providers, svc.providerID) {
				rec.Providers = append(rec.Providers, svc.providerID)
			}
		}
		services, providers := rec.Services, rec.Providers
		if len(rec.Services) == 0 {
			rec.Services = nil // encoded as such (null), as LoadRegistry's input has it
		}
		if len(rec.Providers) == 0 {
			rec.Providers = nil
		}
		var err error
		if dst, err = encode(dst, rec); err != nil {
			return dst, 0, err
		}
		rec.Services, rec.Providers = services, providers // their arrays, for the next record
	}
	return dst, len(p.subjects), nil
}
