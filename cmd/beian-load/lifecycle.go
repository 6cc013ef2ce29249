package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"time"

	"github.com/beian/beian/internal/loadtest"
	"github.com/beian/beian/internal/sqldb"
)

func lifecycle(args []string) error {
	fs := flag.NewFlagSet("lifecycle", flag.ExitOnError)
	n := fs.Int("n", 3000, "lifecycles to complete")
	c := fs.Int("c", 128, "concurrent applicants")
	at := targetFlags(fs)
	top := fs.Int("sql", 0, "print the N statements sent most often per lifecycle")
	prof := profileFlags(fs)
	if err := parseFlags(fs, args, "n", "c"); err != nil {
		return err
	}
	ctx := context.Background()
	nodes, dialect, a, stop, err := at.open(ctx)
	if err != nil {
		return err
	}
	defer stop()
	var pg *sql.DB
	if a != nil && a.DB.Dialect == sqldb.Postgres {
		pg = a.DB.W
	}
	endProfiles, err := prof.start()
	if err != nil {
		return err
	}
	defer endProfiles()
	client := loadtest.NewHTTPClient(*c) // the staff serve every applicant at once
	staff, err := at.loginStaff(ctx, nodes, client)
	if err != nil {
		return err
	}
	run := fmt.Sprint(time.Now().Unix())
	applicants, err := loadtest.NewApplicants(ctx, nodes, staff, run, *c)
	if err != nil {
		return err
	}
	sqldb.TraceStatements(*top > 0)
	before := measure(ctx, pg)
	r, err := loadtest.RunLifecycles(ctx, applicants, staff, run, *n)
	after := measure(ctx, pg)
	fmt.Printf("new_filing lifecycles, %d applicants, %s: %d done in %s: %.0f/s, %d failed, p50 %s, p99 %s\n",
		*c, dialect, r.Requests-r.Errors, r.Elapsed.Round(time.Millisecond), r.PerSecond(), r.Errors, r.P50, r.P99)
	after.report(before, r.Requests-r.Errors, "lifecycle")
	topStatements(*top, r.Requests-r.Errors)
	if err != nil {
		return fmt.Errorf("first failure: %w", err)
	}
	return nil
}
