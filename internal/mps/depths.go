package mps

import "context"

// What `beian mps serve` exports as metrics (docs/operations.md): its subjects and websites by state, counted
// in the database at each scrape.

// States lists every state a subject or a website can be in.
var States = []State{StateReview, StateReturned, StateInterview, StateInspection, StateApproved, StateChangeReview,
	StateCancelled}

// RecordCounts counts the subjects (kind KindSubject) and websites (KindWebsite) per state.
func (s *Simulator) RecordCounts(ctx context.Context) (map[string]map[string]int, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT 'subject', state, COUNT(*) FROM mps_subjects GROUP BY state
		UNION ALL SELECT 'website', state, COUNT(*) FROM mps_websites GROUP BY state`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]map[string]int{KindSubject: {}, KindWebsite: {}}
	for rows.Next() {
		var kind, state string
		var n int
		if err := rows.Scan(&kind, &state, &n); err != nil {
			return nil, err
		}
		out[kind][state] = n
	}
	return out, rows.Err()
}
