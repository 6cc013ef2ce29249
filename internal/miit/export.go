package miit

import (
	"context"
	"slices"

	"github.com/beian/beian/internal/sqldb"
)

// exportPage is the number of subjects read per round of ExportRegistry.
const exportPage = 2000

// ExportRegistry calls fn with every filed subject (cancelled ones are left out) with its filed services and
// the providers with an access to them, in the order they were filed, in the form LoadRegistry takes: loading
// what was exported into an empty registry gives the same filings under the same numbers. The records carry
// the personal data of the filing (principals, credential numbers) in clear.
func (s *Simulator) ExportRegistry(ctx context.Context, fn func(SeedRecord) error) error {
	var after int64
	for {
		recs, ids, err := s.exportSubjects(ctx, after)
		if err != nil || len(recs) == 0 {
			return err
		}
		if err := s.exportServices(ctx, ids[0], ids[len(ids)-1], recs, ids); err != nil {
			return err
		}
		for _, r := range recs {
			if err := fn(*r); err != nil {
				return err
			}
		}
		after = ids[len(ids)-1]
	}
}

func (s *Simulator) exportSubjects(ctx context.Context, after int64) ([]*SeedRecord, []int64, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT id, number, province, data, approved_at FROM miit_subjects
		WHERE id > $1 AND cancelled_at = 0 ORDER BY id LIMIT $2`, after, exportPage)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var recs []*SeedRecord
	var ids []int64
	for rows.Next() {
		var id, at int64
		var number, province string
		var data []byte
		if err := rows.Scan(&id, &number, &province, &data, &at); err != nil {
			return nil, nil, err
		}
		sub, err := s.openSubject(data)
		if err != nil {
			return nil, nil, err
		}
		sub.Number = number
		recs = append(recs, &SeedRecord{Province: province, Subject: sub, ApprovedAt: sqldb.Time(at)})
		ids = append(ids, id)
	}
	return recs, ids, rows.Err()
}

// exportServices adds the filed services of the subjects with ids from..to, and their providers.
func (s *Simulator) exportServices(ctx context.Context, from, to int64, recs []*SeedRecord, ids []int64) error {
	rows, err := s.db.R.QueryContext(ctx, `SELECT s.subject_id, s.number, s.data, COALESCE(a.provider_id, '')
		FROM miit_services s LEFT JOIN miit_accesses a ON a.service_id = s.id
		WHERE s.subject_id BETWEEN $1 AND $2 AND s.cancelled_at = 0 ORDER BY s.subject_id, s.seq, a.provider_id`,
		from, to)
	if err != nil {
		return err
	}
	defer rows.Close()
	lastNumber := ""
	for rows.Next() {
		var subjectID int64
		var number, providerID string
		var data []byte
		if err := rows.Scan(&subjectID, &number, &data, &providerID); err != nil {
			return err
		}
		i, found := slices.BinarySearch(ids, subjectID)
		if !found {
			continue // a cancelled subject's id within the range
		}
		r := recs[i]
		if number != lastNumber {
			svc, err := s.openService(data)
			if err != nil {
				return err
			}
			svc.Number = number
			r.Services = append(r.Services, svc)
			lastNumber = number
		}
		if providerID != "" && !slices.Contains(r.Providers, providerID) {
			r.Providers = append(r.Providers, providerID)
		}
	}
	return rows.Err()
}
