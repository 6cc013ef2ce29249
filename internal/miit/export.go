package miit

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"runtime"
	"slices"
	"strconv"

	"github.com/beian/beian/internal/sqldb"
)

// exportPage is the width of a page of ExportRegistry: the subjects whose ids fall in one range of that many ids.
const exportPage = 2000

// ExportRegistry calls fn with every filed subject (cancelled ones are left out) with its filed services and
// the providers with an access to them, in the order they were filed, in the form LoadRegistry takes: loading
// what was exported into an empty registry gives the same filings under the same numbers. The records carry
// the personal data of the filing (principals, credential numbers) in clear. Subjects filed after the export
// started are left out.
//
// The registry is cut into pages by subject id, and one worker per core reads and opens every n-th page (the
// SQLite reads, AES-GCM and JSON: all of the CPU but the caller's), each on a read connection of its own, while
// fn is called in the caller's goroutine, page after page in id order (docs/benchmarks.md, issue 16).
func (s *Simulator) ExportRegistry(ctx context.Context, fn func(SeedRecord) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var last int64
	if err := s.db.R.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM miit_subjects`).Scan(&last); err != nil {
		return err
	}
	workers := max(1, runtime.GOMAXPROCS(0))
	out := make([]chan *exportRows, workers)
	for w := range out {
		out[w] = make(chan *exportRows, 2)
		go s.exportPages(ctx, w, workers, last, out[w])
	}
	for k := 0; ; k++ {
		var p *exportRows
		var ok bool
		select {
		case p, ok = <-out[k%workers]:
		case <-ctx.Done():
			return ctx.Err()
		}
		if !ok { // past the last page (or the caller's context ended)
			return ctx.Err()
		}
		if p.err != nil {
			return p.err
		}
		for _, r := range p.recs {
			if err := fn(*r); err != nil {
				return err
			}
		}
	}
}

// exportRows is one page as read (sealed), then opened.
type exportRows struct {
	subjects []exportSubject
	services []exportService
	recs     []*SeedRecord
	err      error
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

// exportPages reads and opens the pages first, first+step, first+2·step, … up to the subject id last and sends
// them to out, which it closes after the last (or after a page that failed).
func (s *Simulator) exportPages(ctx context.Context, first, step int, last int64, out chan<- *exportRows) {
	defer close(out)
	conn, err := s.exportConn(ctx)
	if err != nil {
		select {
		case out <- &exportRows{err: err}:
		case <-ctx.Done():
		}
		return
	}
	defer s.releaseExportConn(conn)
	for k := int64(first); k*exportPage < last; k += int64(step) {
		p := s.exportPage(ctx, conn, k*exportPage+1, (k+1)*exportPage)
		select {
		case out <- p:
		case <-ctx.Done():
			return
		}
		if p.err != nil {
			return
		}
	}
}

// exportMmap is how much of the SQLite file an export's connections read through a memory mapping rather than
// with a pread and a copy per page (the system time of a 1 M export; docs/benchmarks.md). Only an export's own
// connections map the file, and only while it runs: the read pool of a server keeps no mapping (db.go).
const exportMmap int64 = 1 << 40

// exportConn takes a read connection for one export worker; on SQLite it reads the file through a mapping.
func (s *Simulator) exportConn(ctx context.Context) (*sql.Conn, error) {
	conn, err := s.db.R.Conn(ctx)
	if err != nil || s.db.Dialect != sqldb.SQLite {
		return conn, err
	}
	if _, err := conn.ExecContext(ctx, `PRAGMA mmap_size = `+strconv.FormatInt(exportMmap, 10)); err != nil {
		conn.Close()
		return nil, err
	}
	return conn, nil
}

// releaseExportConn gives the connection back to the pool without its mapping (or drops it when that fails).
func (s *Simulator) releaseExportConn(conn *sql.Conn) {
	if s.db.Dialect == sqldb.SQLite {
		if _, err := conn.ExecContext(context.Background(), `PRAGMA mmap_size = 0`); err != nil {
			conn.Raw(func(any) error { return driver.ErrBadConn })
		}
	}
	conn.Close()
}

// exportPage reads the subjects with ids from..to and their services, and opens them.
func (s *Simulator) exportPage(ctx context.Context, conn *sql.Conn, from, to int64) *exportRows {
	p := &exportRows{}
	p.subjects, p.err = exportSubjects(ctx, conn, from, to)
	if p.err == nil && len(p.subjects) > 0 {
		p.services, p.err = exportServices(ctx, conn, p.subjects[0].id, p.subjects[len(p.subjects)-1].id)
	}
	if p.err == nil {
		p.recs, p.err = s.openPage(p)
	}
	p.subjects, p.services = nil, nil
	return p
}

// exportSubjects reads the filed subjects with ids from..to.
func exportSubjects(ctx context.Context, conn *sql.Conn, from, to int64) ([]exportSubject, error) {
	rows, err := conn.QueryContext(ctx, `SELECT id, number, province, data, approved_at FROM miit_subjects
		WHERE id BETWEEN $1 AND $2 AND cancelled_at = 0 ORDER BY id`, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]exportSubject, 0, exportPage)
	for rows.Next() {
		var r exportSubject
		if err := rows.Scan(&r.id, &r.number, &r.province, &r.data, &r.at); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// exportServices reads the filed services of the subjects with ids from..to, with their providers.
func exportServices(ctx context.Context, conn *sql.Conn, from, to int64) ([]exportService, error) {
	rows, err := conn.QueryContext(ctx, `SELECT s.subject_id, s.number, s.data, COALESCE(a.provider_id, '')
		FROM miit_services s LEFT JOIN miit_accesses a ON a.service_id = s.id
		WHERE s.subject_id BETWEEN $1 AND $2 AND s.cancelled_at = 0 ORDER BY s.subject_id, s.seq, a.provider_id`,
		from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []exportService
	for rows.Next() {
		var r exportService
		if err := rows.Scan(&r.subjectID, &r.number, &r.data, &r.providerID); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// openPage opens the sealed subjects and services of a page into records.
func (s *Simulator) openPage(p *exportRows) ([]*SeedRecord, error) {
	recs := make([]*SeedRecord, len(p.subjects))
	ids := make([]int64, len(p.subjects))
	for i, r := range p.subjects {
		sub, err := s.openSubject(r.data)
		if err != nil {
			return nil, err
		}
		sub.Number = r.number
		recs[i] = &SeedRecord{Province: r.province, Subject: sub, ApprovedAt: sqldb.Time(r.at)}
		ids[i] = r.id
	}
	lastNumber := ""
	for _, row := range p.services {
		i, found := slices.BinarySearch(ids, row.subjectID)
		if !found {
			continue // a cancelled subject's id within the range
		}
		r := recs[i]
		if row.number != lastNumber {
			svc, err := s.openService(row.data)
			if err != nil {
				return nil, err
			}
			svc.Number = row.number
			r.Services = append(r.Services, svc)
			lastNumber = row.number
		}
		if row.providerID != "" && !slices.Contains(r.Providers, row.providerID) {
			r.Providers = append(r.Providers, row.providerID)
		}
	}
	return recs, nil
}
