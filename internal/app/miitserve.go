package app

import (
	"context"
	"fmt"
	"time"

	"github.com/beian/beian/internal/clock"
	"github.com/beian/beian/internal/miit"
	"github.com/beian/beian/internal/miit/miitweb"
	"github.com/beian/beian/internal/ops"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/provider/providerweb"
	"github.com/beian/beian/internal/provider/store"
	"github.com/beian/beian/internal/regulator/regulatorhttp"
	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/web"
	"github.com/beian/beian/internal/workday"
)

// MIIT is `beian miit serve`: the MIIT simulator in its own process, with its own database and address. It
// serves its pages (/miit/…: SMS verification, the officer's console, the public query), its API, and the
// provider interface over HTTP (regulatorhttp, /miit/isp/v1/…) to the provider holding the shared secret.
// Its officers sign in with accounts kept in its own database (the sign-in seam of docs/architecture.md).
type MIIT struct {
	Cfg   Config
	DB    *sqldb.DB
	Store *store.Store // the officers' accounts and sessions; the development outbox of the codes it texts
	Sim   *miit.Simulator
	Web   *web.Site
	Clock clock.Clock
	svc   *provider.Service // sign-in only
	*process
}

// NewMIIT opens and migrates the simulator's database (BEIAN_MIIT_DATABASE_URL, default miit.db beside an
// SQLite DATABASE_URL) and wires the simulator; on a first start in demo mode it creates the demo officer and
// operator and a few filed subjects.
func NewMIIT(ctx context.Context, cfg Config) (*MIIT, error) {
	if err := cfg.Regulator.checkAuth("MIIT"); err != nil {
		return nil, err
	}
	keys, err := cfg.Keyring()
	if err != nil {
		return nil, fmt.Errorf("keys: %w", err)
	}
	db, err := sqldb.Open(ctx, cfg.miitDatabaseURL())
	if err != nil {
		return nil, err
	}
	m := &MIIT{Cfg: cfg, DB: db, Store: store.New(db, keys), Clock: clock.System{}}
	if err := m.wire(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return m, nil
}

func (m *MIIT) wire(ctx context.Context) error {
	cfg := m.Cfg
	if err := m.Store.Migrate(ctx); err != nil {
		return err
	}
	sms, _, err := gateways(cfg, m.Store, m.Clock)
	if err != nil {
		return err
	}
	cal := workday.Default()
	addWorkdays := func(from time.Time, n int) time.Time { due, _ := cal.AddWorkdays(from, n); return due }
	m.Sim = newSimulator(m.DB, m.Store.Keys, m.Clock, cfg, cfg.Regulator.ownURL(), addWorkdays, miitSMS{sms}, nil)
	if err := m.Sim.Migrate(ctx); err != nil {
		return err
	}
	m.svc = provider.New(m.Store, provider.Config{ProviderID: cfg.ProviderID, Clock: m.Clock, Regulator: m.Sim,
		Password: cfg.Password, AddWorkdays: addWorkdays})
	site := web.NewSite(providerweb.Sessions(m.svc), providerweb.Idempotency(m.svc))
	site.Demo, site.AccessLog, site.Proxy = cfg.Demo(), cfg.AccessLog, cfg.Proxy
	providerweb.NewSignIn(site, m.svc, m.Clock)
	w := miitweb.New(site, m.Sim, m.Clock)
	w.QueryLimit = cfg.queryLimiter()
	if cfg.MIITVerifyLimit > 0 {
		w.SetVerifyLimit(cfg.MIITVerifyLimit)
	}
	m.Web = site
	isp := regulatorhttp.NewHandler(m.Sim, m.Sim, cfg.Regulator.secrets(cfg.ProviderID), nil)
	tlsCfg, err := cfg.Regulator.serveISP(isp.Server)
	if err != nil {
		return err
	}
	m.process = newProcess(cfg, processSpec{addr: cfg.Regulator.Addr, tls: tlsCfg, name: "miit", db: m.DB,
		ispPrefix: "/miit/isp/", isp: isp, site: site, sweep: m.Sim.Run, closers: []func() error{m.Sim.Close},
		ready: []ops.Check{ops.Reachable("miit_database", m.DB.R), ops.Migrated("miit_migrations", m.Sim.MigrationVersions),
			ops.Migrated("account_migrations", m.Store.MigrationVersions)},
		gauges: miitGauges(m.Sim, m.Clock)})
	if cfg.Seed && cfg.Demo() {
		return m.seed(ctx)
	}
	return nil
}

// seed creates the demo officer and operator and the registry's filed subjects once.
func (m *MIIT) seed(ctx context.Context) error {
	n, err := m.Store.CountAccounts(ctx)
	if err != nil || n > 0 {
		return err
	}
	for _, s := range []struct{ email, name, role string }{
		{"officer@beian.local", "王管局", provider.RoleOfficer},
		{"operator@beian.local", "赵运维", provider.RoleOperator},
	} {
		reg := provider.Registration{Email: s.email, Name: s.name, Password: DemoPassword, Lang: "zh-CN"}
		provinces := allProvinces
		if s.role != provider.RoleOfficer {
			provinces = nil
		}
		if _, err := m.svc.CreateStaffUnchecked(ctx, reg, s.role, provinces); err != nil {
			return fmt.Errorf("demo staff: %w", err)
		}
	}
	return m.Sim.LoadRegistry(ctx, registrySeed(m.Cfg.ProviderID, m.Clock.Now()))
}

// miitGauges are the simulator's queues: submissions by state, and per provider the results not acknowledged
// yet and the age of the oldest.
func miitGauges(sim *miit.Simulator, clk clock.Clock) []ops.Gauge {
	results := func(ctx context.Context) ([]ops.Lane, error) {
		qs, err := sim.UnacknowledgedResults(ctx)
		out := make([]ops.Lane, len(qs))
		for i, q := range qs {
			out[i] = ops.Lane{Name: q.ProviderID, Pending: q.Pending, Oldest: q.Oldest}
		}
		return out, err
	}
	submissions := ops.Gauge{Name: "beian_miit_submissions", Help: "The MIIT simulator's submissions by state.",
		Labels: []string{"state"}, Read: func(ctx context.Context) ([]ops.Sample, error) {
			counts, err := sim.SubmissionCounts(ctx)
			return ops.Counts(miit.SubmissionStates, counts), err
		}}
	return append(ops.Queues(ops.Family{Name: "beian_miit_results_unacknowledged", Help: "Results queued for a provider and not acknowledged yet."},
		ops.Family{Name: "beian_miit_results_oldest_age_seconds", Help: "Age of the oldest result a provider has not acknowledged."},
		"provider", results, clk.Now), submissions)
}
