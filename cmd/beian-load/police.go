package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"time"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/loadtest"
	"github.com/beian/beian/internal/sqldb"
)

// policeMode runs police lifecycles on the platform simulator with its automatic policy, for websites loaded into
// MIIT's registry first (the platform checks every ICP number through MIIT's public query).
func policeMode(args []string) error {
	fs := flag.NewFlagSet("police", flag.ExitOnError)
	n := fs.Int("n", 2000, "police lifecycles to complete")
	c := fs.Int("c", 64, "concurrent platform users")
	db := fs.String("db", "", "database URL (default: SQLite in a temporary directory)")
	top := fs.Int("sql", 0, "print the N statements sent most often per lifecycle")
	prof := profileFlags(fs)
	if err := parseFlags(fs, args, "n", "c"); err != nil {
		return err
	}
	ctx := context.Background()
	a, stop, err := start(ctx, *db, func(c *app.Config) { c.MPSPolicy = "automatic" })
	if err != nil {
		return err
	}
	defer stop()
	if err := a.Sim.LoadRegistry(ctx, loadtest.PoliceRegistry(*n, a.Cfg.ProviderID)); err != nil {
		return err
	}
	endProfiles, err := prof.start()
	if err != nil {
		return err
	}
	defer endProfiles()
	client := loadtest.NewHTTPClient(*c)
	operator, err := loadtest.Login(ctx, []string{a.URL()}, 0, client, "operator@beian.local", app.DemoPassword)
	if err != nil {
		return err
	}
	var pg *sql.DB
	if a.DB.Dialect == sqldb.Postgres {
		pg = a.DB.W
	}
	sqldb.TraceStatements(*top > 0)
	before := measure(ctx, pg)
	r, err := loadtest.PoliceLifecycles(ctx, []string{a.URL()}, operator, fmt.Sprint(time.Now().Unix()%100000), *n, *c)
	fmt.Printf("police lifecycles, %d users, %s: %d done in %s: %.1f/s, %d failed, p50 %s, p99 %s\n",
		*c, a.DB.Dialect, r.Requests-r.Errors, r.Elapsed.Round(time.Millisecond), r.PerSecond(), r.Errors, r.P50, r.P99)
	fmt.Printf("(the figures per lifecycle include the %d users' registration and credit verification)\n", *c)
	measure(ctx, pg).report(before, r.Requests-r.Errors, "lifecycle")
	topStatements(*top, r.Requests-r.Errors)
	if err != nil {
		return fmt.Errorf("first failure: %w", err)
	}
	return nil
}
