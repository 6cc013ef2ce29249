package miit

import (
	"context"
	"database/sql"
	"strings"

	"github.com/beian/beian/internal/sqldb"
)

// Subject serials are counted per province and year in one row each (miit_serials), and every new subject of a
// province takes the next: the row is a hot spot. On SQLite the decision's transaction takes it (it holds the
// database's write lock anyway). On PostgreSQL the row would stay locked from the increment to the decision's
// commit, making every approval in the province wait for the one before; so the serial is taken in a
// transaction of its own, on a small pool whose commits do not wait for the disk (synchronous_commit off): the
// row is locked for one statement. That is safe: a decision that uses the serial commits after it, and waiting
// for its own commit record flushes the log up to it, the serial's included. A decision that fails after
// taking a serial leaves a gap in the numbers (a number is never issued twice).

// nextSerial returns the next subject serial of a province and year.
func (s *Simulator) nextSerial(ctx context.Context, tx *sql.Tx, province string, year int) (int64, error) {
	if s.db.Dialect != sqldb.Postgres {
		return nextSerials(ctx, tx, province, year, 1)
	}
	pool, err := s.serialPool()
	if err != nil {
		return 0, err
	}
	var last int64
	err = pool.QueryRowContext(ctx, `INSERT INTO miit_serials (province, year, last) VALUES ($1, $2, 1)
		ON CONFLICT (province, year) DO UPDATE SET last = miit_serials.last + 1 RETURNING last`,
		province, year).Scan(&last)
	return last, err
}

// serialPool opens, once, the pool serials are taken on.
func (s *Simulator) serialPool() (*sql.DB, error) {
	s.serialsMu.Lock()
	defer s.serialsMu.Unlock()
	if s.serials != nil {
		return s.serials, nil
	}
	sep := "?"
	if strings.Contains(s.db.URL, "?") {
		sep = "&"
	}
	// pgx sends unknown URL parameters to the server as run-time settings of the session.
	pool, err := sql.Open("pgx", s.db.URL+sep+"synchronous_commit=off")
	if err != nil {
		return nil, err
	}
	pool.SetMaxOpenConns(2)
	pool.SetMaxIdleConns(2)
	s.serials = pool
	return pool, nil
}

func (s *Simulator) closeSerials() error {
	s.serialsMu.Lock()
	defer s.serialsMu.Unlock()
	if s.serials == nil {
		return nil
	}
	err := s.serials.Close()
	s.serials = nil
	return err
}
