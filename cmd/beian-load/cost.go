package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/beian/beian/internal/sqldb"
)

// usage is what a run cost: the statements this process sent to the databases (sqldb.Counts), the CPU time of
// this process (server and load generator), and on PostgreSQL the CPU time of the server processes serving
// this database (read from /proc; the server's shared WAL writer and checkpointer are not included).
type usage struct {
	counts  sqldb.Counts
	self    time.Duration
	backend time.Duration
}

// measure reads the usage so far; pg is the PostgreSQL pool, or nil.
func measure(ctx context.Context, pg *sql.DB) usage {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	u := usage{counts: sqldb.ReadCounts(),
		self: time.Duration(ru.Utime.Nano() + ru.Stime.Nano())}
	if pg != nil {
		u.backend = backendsCPU(ctx, pg)
	}
	return u
}

// backendsCPU sums the CPU time of the PostgreSQL processes connected to this database (the server must run on
// this machine; 0 when it does not).
func backendsCPU(ctx context.Context, pg *sql.DB) time.Duration {
	rows, err := pg.QueryContext(ctx, `SELECT pid FROM pg_stat_activity WHERE datname = current_database()`)
	if err != nil {
		return 0
	}
	defer rows.Close()
	var sum time.Duration
	for rows.Next() {
		var pid int
		if rows.Scan(&pid) != nil {
			continue
		}
		sum += procCPU(pid)
	}
	return sum
}

// procCPU is the CPU time (user and system) process pid has used so far, from /proc; 0 when unreadable.
func procCPU(pid int) time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:])) // fields from the state on
	if len(f) <= 12 {
		return 0
	}
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * 10 * time.Millisecond // clock ticks of 1/100 s
}

// report prints the usage between start and u per unit of work (n of them).
func (u usage) report(start usage, n int64, unit string) {
	if n <= 0 {
		return
	}
	d := u.counts.Sub(start.counts)
	per := func(x int64) float64 { return float64(x) / float64(n) }
	if d.Statements() > 0 {
		fmt.Printf("per %s: %.1f statements (provider %.1f, simulators %.1f, BEGIN/COMMIT/savepoints %.1f), %.1f writes",
			unit, per(d.Statements()), per(d.Provider), per(d.Simulator), per(d.Control), per(d.Writes))
		if d.Pipelined > 0 {
			fmt.Printf(", %.1f round trips", per(d.Statements()-d.Pipelined))
		}
		fmt.Println()
	}
	fmt.Printf("CPU per %s: %.2f ms in this process", unit, float64((u.self-start.self).Microseconds())/1000/float64(n))
	if b := u.backend - start.backend; b > 0 {
		fmt.Printf(", %.2f ms in the PostgreSQL server", float64(b.Microseconds())/1000/float64(n))
	}
	fmt.Println()
}

// topStatements prints the k statements sent most often per unit of work, when tracing was on.
func topStatements(k int, n int64) {
	for i, s := range sqldb.StatementsBySQL() {
		if i == k {
			break
		}
		q := strings.Join(strings.Fields(s.SQL), " ")
		if len(q) > 150 {
			q = q[:150] + "…"
		}
		fmt.Printf("%6.2f  %s\n", float64(s.N)/float64(n), q)
	}
}
