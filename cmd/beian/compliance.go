package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/compliance"
	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/miit"
	"github.com/beian/beian/internal/mps"
	"github.com/beian/beian/internal/progress"
	"github.com/beian/beian/internal/sqldb"
)

// runCompliance is `beian compliance check …`: the registry is the local database (localRegistry) or the
// running beian named by --registry-url.
func runCompliance(args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string, lang i18n.Lang) int {
	if len(args) == 0 || args[0] != "check" {
		fmt.Fprintln(stderr, i18n.T(lang, "compliance.cli.usage", nil))
		return 2
	}
	cli := compliance.CLI{Stdout: stdout, Stderr: stderr, Stdin: stdin, Lang: lang, Progress: progress.IsTerminal(stderr)}
	if u := getenv("BEIAN_MPS_URL"); u != "" {
		cli.Police = compliance.HTTPPolice{BaseURL: u}
	}
	if localRegistry(getenv) {
		cli.OpenLocal = func(ctx context.Context) (compliance.Registry, func(), error) {
			cfg, err := app.FromEnv(getenv)
			if err != nil {
				return nil, nil, fmt.Errorf("configuration: %w", err)
			}
			if cfg.Regulator.Remote() {
				return nil, nil, app.ErrRemoteSimulator
			}
			cfg.Seed = false
			a, err := app.New(ctx, cfg)
			if err != nil {
				return nil, nil, err
			}
			var reg compliance.Registry = simRegistry{a.Sim}
			switch {
			case a.MPS != nil:
				reg = compliance.WithPolice(reg, mpsPolice{a.MPS})
			case cli.Police != nil:
				reg = compliance.WithPolice(reg, cli.Police)
			}
			return reg, func() { a.Close() }, nil
		}
	}
	return cli.RunCheck(args[1:])
}

// localRegistry reports whether there is a local database to check against: DATABASE_URL is set, or the
// SQLite database of the data directory (BEIAN_DATA_DIR, default ./data, where `beian serve` keeps it) exists.
// A check run elsewhere does not create an empty one; a configuration that cannot be read is reported by the
// attempt to open it.
func localRegistry(getenv func(string) string) bool {
	if getenv("DATABASE_URL") != "" {
		return true
	}
	cfg, err := app.FromEnv(getenv)
	if err != nil {
		return true
	}
	path, ok := sqldb.SQLitePath(cfg.DatabaseURL)
	if _, err := os.Stat(path); !ok || err != nil {
		return false
	}
	return true
}

// mpsPolice answers police numbers from the public query of the police platform simulator in this process.
type mpsPolice struct{ sim *mps.Simulator }

func (p mpsPolice) PoliceNumberOf(ctx context.Context, domain string) (string, error) {
	recs, err := p.sim.QueryByDomain(ctx, domain)
	if err != nil || len(recs) == 0 {
		return "", err
	}
	return recs[0].PoliceNumber, nil
}

// simRegistry answers the checker from the public filing query of the MIIT simulator in this process.
type simRegistry struct{ sim *miit.Simulator }

func (r simRegistry) LookupDomain(ctx context.Context, domain string) (compliance.Filing, error) {
	recs, err := r.sim.Query(ctx, miit.Query{Domain: domain})
	if err != nil {
		return compliance.Filing{}, err
	}
	qs := make([]compliance.QueryRecord, len(recs))
	for i, rec := range recs {
		qs[i] = compliance.QueryRecord{SubjectName: rec.SubjectName, SubjectNumber: rec.SubjectNumber,
			ServiceNumber: rec.ServiceNumber, ServiceName: rec.ServiceName, Kind: string(rec.Kind), Status: rec.Status}
	}
	return compliance.FilingOf(domain, qs), nil
}
