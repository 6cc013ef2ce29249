package miit

import (
	"context"
	"runtime"
	"slices"

	"github.com/beian/beian/internal/sqldb"
)

// exportPage is the number of subjects read per round of ExportRegistry.
const exportPage = 2000

// ExportRegistry calls fn with every filed subject (cancelled ones are left out) with its filed services and
// the providers with an access to them, in the order they were filed, in the form LoadRegistry takes: loading
// what was exported into an empty registry gives the same filings under the same numbers. The records carry
// the personal data of the filing (principals, credential numbers) in clear.
//
// It works as a pipeline: one goroutine reads pages of rows, one per core opens their sealed records (AES-GCM
// and JSON, most of the CPU), and fn is called in the caller's goroutine, in order, while the next pages are
// read and opened.
func (s *Simulator) ExportRegistry(ctx context.Context, fn func(SeedRecord) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := max(1, runtime.GOMAXPROCS(0))
	pages := make(chan *exportRows, workers+1)
	work := make(chan *exportRows, workers)
	go s.readPages(ctx, pages, work)
	for range workers {
		go func() {
			for p := range work {
				p.recs, p.err = s.openPage(p)
				close(p.done)
			}
		}()
	}
	for p := range pages {
		select {
		case <-p.done:
		case <-ctx.Done():
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
	return nil
}

// exportRows is one page as read (sealed), then opened.
type exportRows struct {
	subjects []exportSubject
	services []exportService
	recs     []*SeedRecord
	err      error
	done     chan struct{} // closed when recs or err is set
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

// readPages reads the registry page by page, handing each page to the openers and, in order, to the caller; a
// read error goes to the caller as a page of its own.
func (s *Simulator) readPages(ctx context.Context, pages, work chan<- *exportRows) {
	defer close(pages)
	defer close(work)
	var after int64
	for {
		p := &exportRows{done: make(chan struct{})}
		p.subjects, p.err = s.exportSubjects(ctx, after)
		if p.err == nil && len(p.subjects) > 0 {
			p.services, p.err = s.exportServices(ctx, p.subjects[0].id, p.subjects[len(p.subjects)-1].id)
		}
		if p.err != nil {
			close(p.done)
		}
		if p.err == nil && len(p.subjects) == 0 {
			return
		}
		select {
		case pages <- p:
		case <-ctx.Done():
			return
		}
		if p.err != nil {
			return
		}
		select {
		case work <- p:
		case <-ctx.Done():
			return
		}
		after = p.subjects[len(p.subjects)-1].id
	}
}

func (s *Simulator) exportSubjects(ctx context.Context, after int64) ([]exportSubject, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT id, number, province, data, approved_at FROM miit_subjects
		WHERE id > $1 AND cancelled_at = 0 ORDER BY id LIMIT $2`, after, exportPage)
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
func (s *Simulator) exportServices(ctx context.Context, from, to int64) ([]exportService, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT s.subject_id, s.number, s.data, COALESCE(a.provider_id, '')
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
