package sqldb

import (
	"sort"
	"strings"
	"sync"
	"sync/atomic"
)

// Every statement this process sends to a database engine is counted, by the context whose tables it names,
// and every write (Tx, Write) too: `beian-load` reports them per lifecycle (docs/benchmarks.md), which says far
// more about the cost of a change than a throughput figure on a shared machine. On SQLite the statements are
// counted by the statement cache (stmtcache.go), on PostgreSQL by a pgx tracer (postgres.go). Transaction
// control (BEGIN, COMMIT, SAVEPOINT…) is counted apart: on SQLite one group commit carries many writes.

// Counts are totals since the process started.
type Counts struct {
	Provider  int64 // statements naming the provider's tables
	Simulator int64 // statements naming the MIIT simulator's or the police platform's tables (miit_, mps_)
	Control   int64 // BEGIN, COMMIT, ROLLBACK, SAVEPOINT, RELEASE
	Writes    int64 // write transactions and single-statement writes (Tx, Write, Exec), retries included
	// Pipelined is the statements that went to PostgreSQL in the round trip of the statement before them
	// (pipeline.go): round trips are Statements minus Pipelined.
	Pipelined int64
}

// Statements is every statement sent, transaction control included.
func (c Counts) Statements() int64 { return c.Provider + c.Simulator + c.Control }

// Sub returns c - o, the counts of what ran in between.
func (c Counts) Sub(o Counts) Counts {
	return Counts{c.Provider - o.Provider, c.Simulator - o.Simulator, c.Control - o.Control, c.Writes - o.Writes,
		c.Pipelined - o.Pipelined}
}

var counts struct {
	provider, simulator, control, writes, pipelined atomic.Int64
	bySQL                                           sync.Map // SQL → *atomic.Int64, only while tracing
	tracing                                         atomic.Bool
}

// ReadCounts returns the totals so far.
func ReadCounts() Counts {
	return Counts{counts.provider.Load(), counts.simulator.Load(), counts.control.Load(), counts.writes.Load(),
		counts.pipelined.Load()}
}

// TraceStatements starts (or stops) counting statements by their SQL text, for StatementsBySQL.
func TraceStatements(on bool) { counts.tracing.Store(on) }

// SQLCount is how often one statement ran.
type SQLCount struct {
	SQL string
	N   int64
}

// StatementsBySQL returns what TraceStatements counted, most frequent first.
func StatementsBySQL() []SQLCount {
	var out []SQLCount
	counts.bySQL.Range(func(k, v any) bool {
		out = append(out, SQLCount{k.(string), v.(*atomic.Int64).Load()})
		return true
	})
	sort.Slice(out, func(i, j int) bool { return out[i].N > out[j].N || out[i].N == out[j].N && out[i].SQL < out[j].SQL })
	return out
}

func countStatement(q string) {
	switch {
	case isControl(q):
		counts.control.Add(1)
	case strings.Contains(q, "miit_") || strings.Contains(q, "mps_"):
		counts.simulator.Add(1)
	default:
		counts.provider.Add(1)
	}
	if counts.tracing.Load() {
		n, _ := counts.bySQL.LoadOrStore(q, new(atomic.Int64))
		n.(*atomic.Int64).Add(1)
	}
}

func isControl(q string) bool {
	q = strings.TrimSpace(q)
	if len(q) > 9 {
		q = q[:9]
	}
	q = strings.ToUpper(q)
	for _, p := range []string{"BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "START TRA", "END"} {
		if strings.HasPrefix(q, p) {
			return true
		}
	}
	return false
}
