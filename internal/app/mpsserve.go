package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/beian/beian/internal/clock"
	"github.com/beian/beian/internal/mps"
	"github.com/beian/beian/internal/mps/mpsweb"
	"github.com/beian/beian/internal/ops"
	"github.com/beian/beian/internal/police/policehttp"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/provider/providerweb"
	"github.com/beian/beian/internal/provider/store"
	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/web"
	"github.com/beian/beian/internal/workday"
)

// MPS is `beian mps serve`: the police platform simulator in its own process, with its own database and
// address. It serves its pages and API (/mps/…, /mps/api/v1/…) and the police interface over HTTP (policehttp,
// /mps/isp/v1/…) to the provider holding the shared secret; its ICP check reads MIIT's public query over HTTP
// (Cfg.ICPQueryURL).
type MPS struct {
	Cfg   Config
	DB    *sqldb.DB
	Store *store.Store // idempotency records; the development outbox of the messages it sends
	Sim   *mps.Simulator
	Web   *web.Site
	*process
}

// NewMPS opens and migrates the platform's database (BEIAN_MPS_DATABASE_URL, default mps.db beside an SQLite
// DATABASE_URL) and wires the simulator; on a first start in demo mode it creates the demo police staff.
func NewMPS(ctx context.Context, cfg Config) (*MPS, error) {
	if err := cfg.Police.checkAuth("MPS"); err != nil {
		return nil, err
	}
	if cfg.ICPQueryURL == "" {
		return nil, errors.New("BEIAN_MPS_ICP_URL (or BEIAN_MIIT_URL) must be set: the police platform checks ICP filings on MIIT's public query")
	}
	keys, err := cfg.Keyring()
	if err != nil {
		return nil, fmt.Errorf("keys: %w", err)
	}
	db, err := sqldb.Open(ctx, cfg.mpsDatabaseURL())
	if err != nil {
		return nil, err
	}
	m := &MPS{Cfg: cfg, DB: db, Store: store.New(db, keys)}
	if err := m.wire(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return m, nil
}

func (m *MPS) wire(ctx context.Context) error {
	cfg, clk := m.Cfg, clock.System{}
	if err := m.Store.Migrate(ctx); err != nil {
		return err
	}
	sms, mail, err := gateways(cfg, m.Store, clk)
	if err != nil {
		return err
	}
	cal := workday.Default()
	addWorkdays := func(from time.Time, n int) time.Time { due, _ := cal.AddWorkdays(from, n); return due }
	icp, err := icpRegistry(cfg)
	if err != nil {
		return err
	}
	m.Sim = newMPS(m.DB, m.Store.Keys, clk, cfg, addWorkdays, icp, mpsSender{sms, mail})
	if err := migrateMPS(ctx, m.Sim, cfg); err != nil {
		return err
	}
	svc := provider.New(m.Store, provider.Config{ProviderID: cfg.ProviderID, Clock: clk, Password: cfg.Password})
	site := web.NewSite(providerweb.Sessions(svc), providerweb.Idempotency(svc))
	site.Demo, site.AccessLog, site.Proxy = cfg.Demo(), cfg.AccessLog, cfg.Proxy
	mpsweb.New(site, m.Sim, cfg.Demo())
	m.Web = site
	isp := policehttp.NewHandler(m.Sim, cfg.Police.secrets(cfg.ProviderID), nil)
	tlsCfg, err := cfg.Police.serveISP(isp)
	if err != nil {
		return err
	}
	m.process = newProcess(cfg, processSpec{addr: cfg.Police.Addr, tls: tlsCfg, name: "mps", db: m.DB,
		ispPrefix: "/mps/isp/", isp: isp, site: site, sweep: m.Sim.Run,
		ready: []ops.Check{ops.Reachable("mps_database", m.DB.R), ops.Migrated("mps_migrations", m.Sim.MigrationVersions),
			ops.Migrated("account_migrations", m.Store.MigrationVersions)},
		gauges: []ops.Gauge{mpsGauge(m.Sim)}})
	return nil
}

// mpsGauge is the platform's queues: subjects and websites by state.
func mpsGauge(sim *mps.Simulator) ops.Gauge {
	return ops.Gauge{Name: "beian_mps_records", Help: "The police platform simulator's subjects and websites by state.",
		Labels: []string{"kind", "state"}, Read: func(ctx context.Context) ([]ops.Sample, error) {
			counts, err := sim.RecordCounts(ctx)
			var out []ops.Sample
			for _, kind := range []string{mps.KindSubject, mps.KindWebsite} {
				for _, st := range mps.States {
					out = append(out, ops.Sample{Labels: []string{kind, string(st)}, Value: float64(counts[kind][string(st)])})
				}
			}
			return out, err
		}}
}
