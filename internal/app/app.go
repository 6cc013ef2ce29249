package app

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/beian/beian/internal/clock"
	"github.com/beian/beian/internal/cluster"
	"github.com/beian/beian/internal/divisions"
	"github.com/beian/beian/internal/miit"
	"github.com/beian/beian/internal/mps"
	"github.com/beian/beian/internal/notify"
	"github.com/beian/beian/internal/ops"
	"github.com/beian/beian/internal/police"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/provider/store"
	"github.com/beian/beian/internal/regulator"
	"github.com/beian/beian/internal/regulator/regulatorhttp"
	"github.com/beian/beian/internal/secret"
	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/web"
	"github.com/beian/beian/internal/web/filingview"
	"github.com/beian/beian/internal/workday"
)

// App is a running beian: every area in one process.
type App struct {
	Cfg Config
	DB  *sqldb.DB
	// MIITDB is the simulated regulator's database: its own SQLite file, or DB on PostgreSQL.
	MIITDB *sqldb.DB
	// MPSDB is the police platform simulator's database: its own SQLite file, or DB on PostgreSQL.
	MPSDB    *sqldb.DB
	MPS      *mps.Simulator
	Store    *store.Store
	Service  *provider.Service
	Sim      *miit.Simulator
	Worker   *provider.Worker
	Web      *web.Site
	Clock    clock.Clock
	Adjust   *clock.Adjustable // nil in production
	calendar atomic.Pointer[workday.Calendar]
	// Seeded is what the demo seed created on this start (nil when the database was not empty).
	Seeded *Demo
	// seedRetry: why the regulator did not answer when the demo seed asked it for the demo applicant's filed
	// subject (nil: the seed owes nothing that needs it); Start keeps asking.
	seedRetry error
	// Metrics and Ready are the operator's view (ops.go).
	Metrics *ops.Metrics
	Ready   *ops.Readiness
	hub     *cluster.Hub // the other nodes (PostgreSQL only)
	// remote is the HTTP transport to the simulator in its own process (nil: Sim is in this process).
	remote *regulatorhttp.Client
	// police is the police interface: MPS in this process, or the HTTP transport to `beian mps serve` (MPS nil).
	police     police.Platform
	policeLink func() provider.RegulatorLink // the console's view of the HTTP transport (nil: in-process)

	srv, metricsSrv *http.Server
	ln              net.Listener
	cancel, abort   context.CancelFunc // stop the workers; abort what they have under way
	wg              sync.WaitGroup
	closeOne        sync.Once
}

// New opens the database, migrates it, wires every component and seeds demo data on a first start.
func New(ctx context.Context, cfg Config) (*App, error) {
	keys, err := cfg.Keyring()
	if err != nil {
		return nil, fmt.Errorf("keys: %w", err)
	}
	db, err := sqldb.Open(ctx, cfg.DatabaseURL)
	if err != nil {
		return nil, err
	}
	mdb := db
	if cfg.Regulator.Remote() {
		mdb = nil // the simulator keeps its database in its own process
	} else if u := cfg.miitDatabaseURL(); u != cfg.DatabaseURL {
		if mdb, err = sqldb.Open(ctx, u); err != nil {
			db.Close()
			return nil, fmt.Errorf("simulator database: %w", err)
		}
	}
	a := &App{Cfg: cfg, DB: db, MIITDB: mdb, Store: store.New(db, keys)}
	if err := a.openMPS(ctx); err != nil {
		a.closeDatabases()
		return nil, err
	}
	a.calendar.Store(workday.Default())
	if cfg.Demo() {
		a.Adjust = clock.NewAdjustable(nil)
		a.Clock = a.Adjust
	} else {
		a.Clock = clock.System{}
	}
	if err := a.wire(ctx); err != nil {
		a.closeDatabases()
		return nil, err
	}
	return a, nil
}

// Calendar is the working-day calendar in force: the embedded schedules with those operators entered.
func (a *App) Calendar() *workday.Calendar { return a.calendar.Load() }

// applyCalendar puts a year's schedule in force (provider.Config.CalendarEntered).
func (a *App) applyCalendar(f workday.File) error {
	for {
		old := a.calendar.Load()
		c, err := old.WithOverrides(f.Days)
		if err != nil {
			return err
		}
		if a.calendar.CompareAndSwap(old, c) {
			return nil
		}
	}
}

// loadCalendar applies the schedules operators entered before this start.
func (a *App) loadCalendar(ctx context.Context) error {
	years, err := a.Store.CalendarYears(ctx)
	if err != nil {
		return err
	}
	for _, y := range years {
		f, err := workday.ParseFile(y.File)
		if err != nil {
			return fmt.Errorf("working-day schedule %d entered by an operator: %w", y.Year, err)
		}
		if err := a.applyCalendar(f); err != nil {
			return err
		}
	}
	return nil
}

func (a *App) addWorkdays(from time.Time, n int) time.Time {
	due, _ := a.Calendar().AddWorkdays(from, n)
	return due
}

func (a *App) wire(ctx context.Context) error {
	cfg := a.Cfg
	sms, mail, err := a.gateways()
	if err != nil {
		return err
	}
	var worker *provider.Worker
	if err := a.Store.Migrate(ctx); err != nil {
		return err
	}
	var reg regulator.Regulator
	if cfg.Regulator.Remote() {
		if a.remote, err = remoteRegulator(cfg.Regulator, cfg.ProviderID); err != nil {
			return err
		}
		reg = a.remote
	} else {
		a.Sim = newSimulator(a.MIITDB, a.Store.Keys, a.Clock, cfg, cfg.BaseURL, a.addWorkdays, miitSMS{sms},
			func() { worker.KickResults() })
		if err := a.Sim.Migrate(ctx); err != nil {
			return err
		}
		reg = a.Sim
	}
	if err := a.wireMPS(ctx, sms, mail); err != nil {
		return err
	}
	pcfg := provider.Config{ProviderID: cfg.ProviderID, Clock: a.Clock,
		AddWorkdays: a.addWorkdays, WorkdaysBetween: func(x, y time.Time) int { n, _ := a.Calendar().WorkdaysBetween(x, y); return n },
		Regulator: reg, Checker: provider.NewChecker(a.Store), Password: cfg.Password, Kick: func() { worker.Kick() },
		CalendarEntered: a.applyCalendar, FieldLabel: filingview.QualifiedLabel}
	if a.remote != nil {
		pcfg.RegulatorLink = a.regulatorLink
	}
	a.applyEvidence(&pcfg)
	a.applyPolice(&pcfg)
	a.applyCompliance(&pcfg)
	a.wireOps(&pcfg)
	if err := a.applyRecognition(&pcfg); err != nil {
		return err
	}
	a.Service = provider.New(a.Store, pcfg)
	worker = provider.NewWorker(a.Service, sms, mail)
	worker.Interval = cfg.WorkerInterval
	if cfg.OutboxLease > 0 {
		worker.Lease = cfg.OutboxLease
	}
	a.Worker = worker
	a.Web = a.mountSite(cfg.Demo(), cfg.AccessLog, worker)
	a.instrument()
	if err := a.wireCluster(ctx); err != nil {
		return err
	}
	if err := a.loadCalendar(ctx); err != nil {
		return err
	}
	if missing := a.Calendar().MissingYears(a.Clock.Now().Year(), a.Clock.Now().Year()+1); len(missing) > 0 {
		slog.Warn("working-day calendar has no data for these years; deadlines count plain weekdays until an operator adds them",
			"years", missing)
	}
	if cfg.Seed {
		n, err := a.Store.CountAccounts(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			if a.Seeded, err = Seed(ctx, a); err != nil {
				return fmt.Errorf("demo seed: %w", err)
			}
		}
		// the part that needs the regulator, on the first start or one that could not finish it before
		if a.seedRetry, err = a.seedRegulatorPart(ctx); err != nil {
			return fmt.Errorf("demo seed: %w", err)
		}
		if a.Seeded != nil {
			a.Seeded.FiledPending = a.seedRetry != nil
		}
	}
	return nil
}

// gateways returns the SMS and mail gateways: real ones when configured, else the development outbox.
func (a *App) gateways() (notify.SMSGateway, notify.Mailer, error) {
	return gateways(a.Cfg, a.Store, a.Clock)
}

// gateways returns the SMS and mail gateways of cfg: real ones when configured, else the development outbox
// kept in st.
func gateways(cfg Config, st *store.Store, clk clock.Clock) (notify.SMSGateway, notify.Mailer, error) {
	dev := notify.NewRecorder(devSink{st, clk})
	var sms notify.SMSGateway = dev
	var mail notify.Mailer = dev
	if cfg.SMSURL != "" {
		g, err := notify.NewHTTPSMSGateway(notify.HTTPSMSConfig{URL: cfg.SMSURL, Token: cfg.SMSToken})
		if err != nil {
			return nil, nil, err
		}
		sms = g
	}
	if cfg.SMTPHost != "" {
		m, err := notify.NewSMTPMailer(notify.SMTPConfig{Host: cfg.SMTPHost, Port: cfg.SMTPPort, TLS: notify.TLSMode(cfg.SMTPTLS),
			Username: cfg.SMTPUsername, Password: cfg.SMTPPassword, From: cfg.SMTPFrom, FromName: cfg.SMTPFromName})
		if err != nil {
			return nil, nil, err
		}
		mail = m
	}
	return sms, mail, nil
}

// Start listens on Cfg.Addr (port 0 picks a free port) and runs the server and the workers in the background
// until Close (ctx ending does not stop them: Close shuts down in order).
func (a *App) Start(ctx context.Context) error {
	ln, err := net.Listen("tcp", a.Cfg.Addr)
	if err != nil {
		return err
	}
	a.ln = ln
	a.srv = &http.Server{Handler: a.handler(), ReadHeaderTimeout: 10 * time.Second}
	a.srv.RegisterOnShutdown(a.Service.StopWaiting)
	abort, cancelAbort := context.WithCancel(context.WithoutCancel(ctx))
	stop, cancelStop := context.WithCancel(abort)
	a.abort, a.cancel = cancelAbort, cancelStop
	a.serve(a.srv, ln)
	if a.metricsSrv = a.metricsServer(); a.metricsSrv != nil {
		mln, err := net.Listen("tcp", a.metricsSrv.Addr)
		if err != nil {
			a.Close()
			return err
		}
		a.serve(a.metricsSrv, mln)
	}
	if !a.Cfg.NoWorkers {
		a.wg.Add(2)
		go func() { defer a.wg.Done(); a.Worker.Run(stop, abort) }()
		go func() {
			defer a.wg.Done()
			if a.Sim != nil {
				a.Sim.Run(stop, time.Minute)
			}
		}()
		if a.MPS != nil {
			a.wg.Go(func() { a.MPS.Run(stop, time.Minute) })
		}
		a.wg.Go(func() {
			clock.Every(stop, time.Minute, slog.Default(), "police filing reminders", func(ctx context.Context) error {
				_, err := a.Service.SendPoliceReminders(ctx)
				return err
			})
		})
		a.wg.Go(func() { clock.Every(stop, time.Minute, slog.Default(), "housekeeping", a.Service.ForgetExpired) })
		a.wg.Go(func() { a.runComplianceSweeps(stop, time.Minute) })
	}
	if a.seedRetry != nil { // not a worker: every node started finishes what its own start could not
		a.wg.Go(func() { a.retrySeed(stop, a.seedRetry) })
	}
	if a.hub != nil {
		a.wg.Go(func() { a.hub.Run(stop) })
		select { // a node serves its peers' announcements from its first request
		case <-a.hub.Ready():
		case <-time.After(10 * time.Second):
			slog.Warn("cluster: not yet listening to the other nodes; long polls fall back to re-reading")
		}
	}
	return nil
}

func (a *App) serve(srv *http.Server, ln net.Listener) {
	a.wg.Go(func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			slog.Error("http server", "addr", ln.Addr().String(), "err", err)
		}
	})
}

// URL is the server's base URL once started.
func (a *App) URL() string { return "http://" + a.ln.Addr().String() }

// Close shuts down gracefully within Cfg.ShutdownTimeout: readiness turns 503, the server stops accepting and
// finishes the requests under way (long polls are answered at once), the workers stop claiming and finish the
// deliveries under way, then the databases close. What is still running at the deadline is cut off; an
// outbox item cut off is delivered again later (at least once).
func (a *App) Close() error {
	var err error
	a.closeOne.Do(func() {
		deadline := time.Now().Add(cmp.Or(a.Cfg.ShutdownTimeout, DefaultShutdownTimeout))
		if a.Ready != nil {
			a.Ready.Drain()
		}
		for _, srv := range []*http.Server{a.srv, a.metricsSrv} {
			if srv == nil {
				continue
			}
			sctx, cancel := context.WithDeadline(context.Background(), deadline)
			if serr := srv.Shutdown(sctx); serr != nil {
				err = errors.Join(err, fmt.Errorf("http shutdown: %w", serr))
				srv.Close()
			}
			cancel()
		}
		if a.cancel != nil {
			a.cancel()
			a.waitUntil(deadline)
		}
		if a.Sim != nil {
			err = errors.Join(err, a.Sim.Close())
		}
		err = errors.Join(err, a.closeDatabases())
	})
	return err
}

// waitUntil waits for the server and the workers, aborting what the workers have under way at the deadline.
func (a *App) waitUntil(deadline time.Time) {
	done := make(chan struct{})
	go func() { a.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(time.Until(deadline)):
		slog.Warn("shutdown: deadline reached; cancelling deliveries under way (they will be delivered again)")
		a.abort()
		<-done
	}
	a.abort()
}

func (a *App) closeDatabases() error {
	err := a.DB.Close()
	if a.MIITDB != nil && a.MIITDB != a.DB {
		err = errors.Join(err, a.MIITDB.Close())
	}
	if a.MPSDB != nil && a.MPSDB != a.DB {
		err = errors.Join(err, a.MPSDB.Close())
	}
	return err
}

// devSink keeps the development gateway's messages in the database for operators (demo mode).
type devSink struct {
	st  *store.Store
	clk clock.Clock
}

func (d devSink) Record(ctx context.Context, m notify.Message) error {
	return d.st.RecordDevMessage(ctx, store.DevMessage{Channel: m.Channel, To: m.To, Sender: m.Sender,
		Subject: m.Subject, Body: m.Body, CreatedAt: d.clk.Now()})
}

// newSimulator is the MIIT simulator on db as cfg configures it, serving cfg.ProviderID. Its SMS send the
// principals to its own verification page at base (this server's address, or that of `beian miit serve`).
func newSimulator(db *sqldb.DB, keys *secret.Keyring, clk clock.Clock, cfg Config, base string,
	addWorkdays func(time.Time, int) time.Time, sms miit.SMSSender, resultsReady func()) *miit.Simulator {
	policy := miit.Policy{Mode: miit.PolicyMode(cfg.MIITPolicy), AfterWorkdays: cfg.MIITPolicyDays}
	return miit.New(db, keys, clk, miit.Config{ProviderIDs: []string{cfg.ProviderID}, Abbr: divisions.Abbr,
		AddWorkdays: addWorkdays, SMS: sms, Policy: policy, ResultsReady: resultsReady,
		VerifyURL: strings.TrimRight(base, "/") + "/miit/verify"})
}

// miitSMS lets the simulator send its codes through the same SMS gateway, as sender 12381 (docs/design.md §4.9).
type miitSMS struct{ g notify.SMSGateway }

func (m miitSMS) SendSMS(ctx context.Context, phone, body string) error {
	return m.g.SendSMS(ctx, notify.Message{Channel: notify.ChannelSMS, To: phone, Sender: "12381", Body: body})
}
