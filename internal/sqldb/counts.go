package sqldb

import "context"

// CountBy runs query, which selects a key and a count (`SELECT state, COUNT(*) … GROUP BY state`), and returns
// the counts by key: the figures operators' metrics read at scrape time.
func CountBy(ctx context.Context, q Querier, query string, args ...any) (map[string]int, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var key string
		var n int
		if err := rows.Scan(&key, &n); err != nil {
			return nil, err
		}
		out[key] = n
	}
	return out, rows.Err()
}
