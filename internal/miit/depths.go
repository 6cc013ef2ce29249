package miit

import (
	"context"
	"time"

	"github.com/beian/beian/internal/sqldb"
)

// What `beian miit serve` exports as metrics (docs/operations.md): its submissions by state and the results
// its providers have not acknowledged yet. Both are counted in the database at each scrape.

// SubmissionStates lists the states a submission can rest in (received exists only inside an upload).
var SubmissionStates = []string{subSMSPending, subReview, subApproved, subRejected, subReturned, subWithdrawn}

// SubmissionCounts counts the submissions per state.
func (s *Simulator) SubmissionCounts(ctx context.Context) (map[string]int, error) {
	return sqldb.CountBy(ctx, s.db.R, `SELECT state, COUNT(*) FROM miit_submissions GROUP BY state`)
}

// ResultQueue is the unacknowledged part of one provider's download queue.
type ResultQueue struct {
	ProviderID string
	Pending    int
	Oldest     time.Time // when the oldest unacknowledged result was queued
}

// UnacknowledgedResults returns the download queue of each provider that has results waiting.
func (s *Simulator) UnacknowledgedResults(ctx context.Context) ([]ResultQueue, error) {
	rows, err := s.db.R.QueryContext(ctx, `SELECT provider_id, COUNT(*), MIN(at) FROM miit_results WHERE acked_at = 0
		GROUP BY provider_id ORDER BY provider_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ResultQueue
	for rows.Next() {
		var q ResultQueue
		var oldest int64
		if err := rows.Scan(&q.ProviderID, &q.Pending, &oldest); err != nil {
			return nil, err
		}
		q.Oldest = sqldb.Time(oldest)
		out = append(out, q)
	}
	return out, rows.Err()
}
