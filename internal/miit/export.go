package miit

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"runtime"
	"slices"

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
// The registry is cut into pages by subject id, and two workers per core (exportWorkers) read, opens and encodes every n-th
// page (the SQLite reads, AES-GCM, JSON: all of the CPU but the output's), each on a read connection of its
// own and with an encoder of its own from newEncoder, while write is called in the caller's goroutine with each
// page's encoded records, page after page in id order (docs/benchmarks.md, issue 16). write must not keep b.
func (s *Simulator) ExportRegistry(ctx context.Context, newEncoder func() ExportEncoder,
	write func(b []byte, records int) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var last int64
	if err := s.db.R.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM miit_subjects`).Scan(&last); err != nil {
		return err
	}
	workers := exportWorkers(s.db.R.Stats().MaxOpenConnections)
	out := make([]chan exportChunk, workers)
	free := make([]chan []byte, workers)
	for w := range out {
		out[w] = make(chan exportChunk, exportAhead)
		free[w] = make(chan []byte, exportAhead+2) // a worker's buffers: those in out, its own and the writer's
		go s.exportPages(ctx, w, workers, last, newEncoder(), free[w], out[w])
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
		select {
		case free[w] <- c.b[:0]: // back to its worker for a page to come
		default:
		}
	}
}

// exportWorkers is the number of workers of ExportRegistry: two a core, so that a core whose worker waits for
// the disk (a registry larger than the file cache is read from it) has another to run; at most one fewer than
// the read pool's connections (maxOpen, 0 for no limit), since each worker holds one to its end and the writer
// takes the workers' pages in turn: a worker left waiting for a connection would stop the export.
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
	conn, err := s.exportConn(ctx)
	if err != nil {
		send(exportChunk{err: err})
		return
	}
	defer s.releaseExportConn(conn)
	var rows exportRows
	for k := int64(first); k*exportPage < last; k += int64(step) {
		var c exportChunk
		select {
		case c.b = <-free:
		default:
		}
		c.err = rows.read(ctx, conn, k*exportPage+1, (k+1)*exportPage)
		if c.err == nil {
			c.b, c.records, c.err = s.encodePage(&rows, encode, c.b)
		}
		if !send(c) {
			return
		}
	}
}

// exportPragmas are set on an export's read connections while it runs, and reset before they go back to the
// pool (the values of sqldb's read pool): a memory mapping of the SQLite file, so that a page is read without a
// pread and a copy (the system time of a 1 M export), and a larger page cache for what lies beyond the mapping,
// which this SQLite build caps at 2 GB: at 10 M (a 17 GB file) a page's services are looked up in the rows of the
// 20,000 services the load wrote with them, about 8 MB, read again page after page through the readers' 2 MB
// (docs/benchmarks.md). The server's readers keep no mapping (db.go).
var exportPragmas = []struct{ set, reset string }{
	{`PRAGMA mmap_size = 1099511627776`, `PRAGMA mmap_size = 0`},
	{`PRAGMA cache_size = -32000`, sqldb.ReaderCachePragma},
}

// exportConn takes a read connection for one export worker, set for it on SQLite (exportPragmas).
func (s *Simulator) exportConn(ctx context.Context) (*sql.Conn, error) {
	conn, err := s.db.R.Conn(ctx)
	if err != nil || s.db.Dialect != sqldb.SQLite {
		return conn, err
	}
	for _, p := range exportPragmas {
		if _, err := conn.ExecContext(ctx, p.set); err != nil {
			conn.Close()
			return nil, err
		}
	}
	return conn, nil
}

// releaseExportConn gives the connection back to the pool set as it was (or drops it when that fails).
func (s *Simulator) releaseExportConn(conn *sql.Conn) {
	if s.db.Dialect == sqldb.SQLite {
		for _, p := range exportPragmas {
			if _, err := conn.ExecContext(context.Background(), p.reset); err != nil {
				conn.Raw(func(any) error { return driver.ErrBadConn })
				break
			}
		}
	}
	conn.Close()
}

// read reads the filed subjects with ids from..to and their filed services.
func (p *exportRows) read(ctx context.Context, conn *sql.Conn, from, to int64) error {
	p.subjects, p.services, p.sealed = p.subjects[:0], p.services[:0], p.sealed[:0]
	err := p.readSubjects(ctx, conn, from, to)
	if err == nil && len(p.subjects) > 0 {
		err = p.readServices(ctx, conn, p.subjects[0].id, p.subjects[len(p.subjects)-1].id)
	}
	return err
}

// readSubjects reads the filed subjects with ids from..to.
func (p *exportRows) readSubjects(ctx context.Context, conn *sql.Conn, from, to int64) error {
	rows, err := conn.QueryContext(ctx, `SELECT id, number, province, data, approved_at FROM miit_subjects
		WHERE id BETWEEN $1 AND $2 AND cancelled_at = 0 ORDER BY id`, from, to)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r exportSubject
		var data sql.RawBytes
		if err := rows.Scan(&r.id, &r.number, &r.province, &data, &r.at); err != nil {
			return err
		}
		r.data = p.keep(data)
		p.subjects = append(p.subjects, r)
	}
	return rows.Err()
}

// readServices reads the filed services of the subjects with ids from..to, a row for each of their providers.
func (p *exportRows) readServices(ctx context.Context, conn *sql.Conn, from, to int64) error {
	rows, err := conn.QueryContext(ctx, `SELECT s.subject_id, s.number, s.data, COALESCE(a.provider_id, '')
		FROM miit_services s LEFT JOIN miit_accesses a ON a.service_id = s.id
		WHERE s.subject_id BETWEEN $1 AND $2 AND s.cancelled_at = 0 ORDER BY s.subject_id, s.seq, a.provider_id`,
		from, to)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r exportService
		var data sql.RawBytes
		if err := rows.Scan(&r.subjectID, &r.number, &data, &r.providerID); err != nil {
			return err
		}
		r.data = p.keep(data)
		p.services = append(p.services, r)
	}
	return rows.Err()
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
