package store

import (
	"context"

	"github.com/beian/beian/internal/sqldb"
)

// Figures for operators' metrics (internal/ops). They are read on the reader pool at scrape time.

// OrderCounts returns how many orders are in each state.
func (s *Store) OrderCounts(ctx context.Context) (map[string]int, error) {
	return sqldb.CountBy(ctx, s.R, `SELECT state, COUNT(*) FROM orders GROUP BY state`)
}

// OutboxTopic is the undelivered part of one topic of the outbox.
type OutboxTopic struct {
	Topic   string
	Pending int
	// Oldest is when the oldest undelivered item was written (milliseconds; 0 when none).
	Oldest int64
}

// OutboxTopics returns the undelivered items per topic (the partial index of pending items keeps this small).
func (s *Store) OutboxTopics(ctx context.Context) ([]OutboxTopic, error) {
	rows, err := s.R.QueryContext(ctx, `SELECT topic, COUNT(*), MIN(created_at) FROM outbox WHERE done_at = 0
		GROUP BY topic ORDER BY topic`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []OutboxTopic
	for rows.Next() {
		var t OutboxTopic
		if err := rows.Scan(&t.Topic, &t.Pending, &t.Oldest); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// MigrationVersions reports the provider side's schema version and the newest known (readiness).
func (s *Store) MigrationVersions(ctx context.Context) (current, target int64, err error) {
	sub, err := fsSub(migrations, "migrations")
	if err != nil {
		return 0, 0, err
	}
	return s.DB.MigrationVersions(ctx, sub, "provider_goose_version")
}
