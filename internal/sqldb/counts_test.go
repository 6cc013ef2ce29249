package sqldb_test

import (
	"context"
	"maps"
	"testing"

	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/storetest"
)

func TestCountBy(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		for _, q := range []string{`CREATE TABLE cb (state TEXT NOT NULL)`,
			`INSERT INTO cb (state) VALUES ('review'), ('review'), ('approved'), ('review')`} {
			if _, err := db.W.ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		for _, c := range []struct {
			where string
			want  map[string]int
		}{
			{"", map[string]int{"review": 3, "approved": 1}},
			{" WHERE state <> 'review'", map[string]int{"approved": 1}},
			{" WHERE state = 'none'", map[string]int{}},
		} {
			got, err := sqldb.CountBy(ctx, db.R, `SELECT state, COUNT(*) FROM cb`+c.where+` GROUP BY state`)
			if err != nil || !maps.Equal(got, c.want) {
				t.Errorf("%q: %v, %v; want %v", c.where, got, err, c.want)
			}
		}
		if _, err := sqldb.CountBy(ctx, db.R, `SELECT state FROM cb`); err == nil {
			t.Error("a query without a count was read")
		}
	})
}
