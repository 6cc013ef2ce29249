package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"github.com/beian/beian/internal/loadtest"
)

// mixed runs the mixed workload: per subject a new filing, a new website, a change of subject and the
// cancellation of the new website, each a complete order over HTTP.
func mixed(args []string) error {
	fs := flag.NewFlagSet("mixed", flag.ExitOnError)
	n := fs.Int("n", 500, "subjects to take through the four order types")
	c := fs.Int("c", 64, "concurrent applicants")
	at := targetFlags(fs)
	if err := parseFlags(fs, args, "n", "c"); err != nil {
		return err
	}
	ctx := context.Background()
	nodes, dialect, _, stop, err := at.open(ctx)
	if err != nil {
		return err
	}
	defer stop()
	staff, err := at.loginStaff(ctx, nodes, loadtest.NewHTTPClient(*c))
	if err != nil {
		return err
	}
	all, per, err := loadtest.Mixed(ctx, nodes, staff, fmt.Sprint(time.Now().Unix()), *n, *c)
	fmt.Printf("mixed orders, %d applicants, %s: %d done in %s: %.0f orders/s, %d failed, p50 %s, p99 %s\n",
		*c, dialect, all.Requests-all.Errors, all.Elapsed.Round(time.Millisecond), all.PerSecond(), all.Errors, all.P50, all.P99)
	for _, k := range loadtest.MixedKinds {
		r := per[k]
		fmt.Printf("  %-16s %6d done, %d failed, p50 %s, p99 %s\n", k, r.Requests-r.Errors, r.Errors, r.P50, r.P99)
	}
	if err != nil {
		return fmt.Errorf("first failure: %w", err)
	}
	return nil
}
