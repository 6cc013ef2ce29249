package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	neturl "net/url"
	"runtime"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// DefaultPoolSize is the number of PostgreSQL connections of a node unless its URL says pool_max_conns=N: four
// per core of this machine, at least 8 and at most 32. A connection is busy only while a statement runs or a
// transaction is open, so a few per core keep the cores busy; more only queue at the server's locks and raise
// its memory (docs/operations.md).
func DefaultPoolSize() int { return min(32, max(8, 4*runtime.NumCPU())) }

func openPostgres(ctx context.Context, url string) (*DB, error) {
	url, size, err := poolSize(url)
	if err != nil {
		return nil, err
	}
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("sqldb: database URL: %w", err)
	}
	cfg.Tracer = countingTracer{}
	p := sql.OpenDB(pipeConnector{stdlib.GetConnector(*cfg)})
	p.SetMaxOpenConns(size)
	p.SetMaxIdleConns(size)
	p.SetConnMaxLifetime(30 * time.Minute)
	if err := p.PingContext(ctx); err != nil {
		p.Close()
		return nil, fmt.Errorf("sqldb: connect to PostgreSQL: %w", err)
	}
	return &DB{W: p, R: p, Dialect: Postgres, URL: url}, nil
}

// poolSize takes the pool size out of a PostgreSQL URL (pool_max_conns, as pgxpool names it; the server would
// refuse it as a setting) and returns the URL without it.
func poolSize(raw string) (string, int, error) {
	u, err := neturl.Parse(raw)
	if err != nil {
		return "", 0, fmt.Errorf("sqldb: database URL: %w", err)
	}
	q := u.Query()
	v := q.Get("pool_max_conns")
	if v == "" {
		return raw, DefaultPoolSize(), nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 1000 {
		return "", 0, fmt.Errorf("sqldb: pool_max_conns must be a number of connections, not %q", v)
	}
	q.Del("pool_max_conns")
	u.RawQuery = q.Encode()
	return u.String(), n, nil
}

// countingTracer counts every statement pgx sends, BEGIN and COMMIT included, whether alone or in a pipeline
// (count.go).
type countingTracer struct{}

func (countingTracer) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	countStatement(d.SQL)
	return ctx
}

func (countingTracer) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func (countingTracer) TraceBatchStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceBatchStartData) context.Context {
	counts.pipelined.Add(int64(d.Batch.Len() - 1))
	return ctx
}

func (countingTracer) TraceBatchQuery(_ context.Context, _ *pgx.Conn, d pgx.TraceBatchQueryData) {
	countStatement(d.SQL)
}

func (countingTracer) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}
