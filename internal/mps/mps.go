package mps

import (
	"context"
	"database/sql"
	"embed"
	"io/fs"
	"log/slog"
	"runtime"
	"strings"
	"time"

	"github.com/beian/beian/internal/clock"
	"github.com/beian/beian/internal/imaging"
	"github.com/beian/beian/internal/password"
	"github.com/beian/beian/internal/police"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/reviewpolicy"
	"github.com/beian/beian/internal/secret"
	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/workday"
)

//go:embed migrations
var migrations embed.FS

// VersionTable is the goose version table of this bounded context.
const VersionTable = "mps_goose_version"

// Time limits of the platform.
const (
	// OpeningDeadline: a website files within 30 days of opening (公安部令第33号 第十二条).
	OpeningDeadline = 30 * 24 * time.Hour
	// ReviewWorkdays is the latest feedback: "审核人员会在3-5个工作日给予反馈" (the platform's user guide, §五.1).
	ReviewWorkdays = 5
	// ReviewTargetWorkdays is the earliest of the range, shown to staff as the target.
	ReviewTargetWorkdays = 3
	MaxLoginFailures     = 5
	LockoutDuration      = 15 * time.Minute
	SessionTTL           = 12 * time.Hour
	CaptchaTTL           = 5 * time.Minute
	SMSCodeTTL           = 10 * time.Minute
	SMSCodeMaxTries      = 5
	EmailLinkTTL         = 24 * time.Hour
)

// PolicyMode chooses who decides reviews.
type PolicyMode = reviewpolicy.Mode

const (
	// PolicyManual leaves every decision to police staff (the default).
	PolicyManual = reviewpolicy.Manual
	// PolicyAutomatic approves every subject and application AfterWorkdays working days after submission (0: at
	// once). An interactive website is first given an on-site inspection that is recorded as passed.
	PolicyAutomatic = reviewpolicy.Automatic
)

// Policy is how the simulated local public security organs review.
type Policy = reviewpolicy.Policy

// ICPRecord is what MIIT's public query says about a domain.
type ICPRecord struct {
	Filed         bool
	SubjectName   string
	SubjectNumber string
	ServiceNumber string
	ServiceName   string
}

// ICPLookup is MIIT's public query by domain. The platform checks an application's ICP number through it and
// never reads MIIT's tables.
type ICPLookup interface {
	LookupICP(ctx context.Context, domain string) (ICPRecord, error)
}

// ICPLookupFunc adapts a function to ICPLookup.
type ICPLookupFunc func(ctx context.Context, domain string) (ICPRecord, error)

// LookupICP calls f.
func (f ICPLookupFunc) LookupICP(ctx context.Context, domain string) (ICPRecord, error) {
	return f(ctx, domain)
}

// Sender delivers one SMS or e-mail (the project's notify gateways behind a small adapter).
type Sender interface {
	Send(ctx context.Context, channel, to, subject, body string) error
}

// Config is what the simulator needs from the rest of the program.
type Config struct {
	// ProviderIDs are the access providers allowed to push ICP data (the same codes as at MIIT).
	ProviderIDs []string
	// ICP is MIIT's public query (required to accept applications).
	ICP ICPLookup
	// Registrars finds a domain's registrar; DemoRegistrars when nil.
	Registrars RegistrarLookup
	// AddWorkdays adds n working days to from (Chinese statutory calendar); plain weekdays when nil.
	AddWorkdays func(from time.Time, n int) time.Time
	// Send delivers SMS and e-mail; messages stay in the outbox until it succeeds.
	Send Sender
	// Policy decides reviews: manual (default) or automatic.
	Policy Policy
	// BaseURL is the platform's public address, for the e-mail verification link ("" gives a relative link).
	BaseURL string
	// Password is the argon2id cost for passwords (tests use password.Fast).
	Password password.Params
	// Demo exposes the captcha answers to tests and demos (CaptchaAnswer); never in production.
	Demo bool
	Log  *slog.Logger
}

// Simulator is the police filing platform: accounts, subjects, applications, review, numbers, public query.
// It implements police.Platform in-process.
type Simulator struct {
	db   *sqldb.DB
	keys *secret.Keyring
	clk  clock.Clock
	cfg  Config
	log  *slog.Logger
	// images remembers the material images that passed the checks (imaging.Memo)
	images *imaging.Memo
	// files keeps the sealed files of materials (materialfiles.go)
	files materialFiles

	policy *reviewpolicy.Holder
	// sessions reads a session with its account straight through SQLite (sqldb.Probe; nil on PostgreSQL):
	// every request of a signed-in user does, and through database/sql that was 6 % of a police lifecycle's
	// CPU (docs/benchmarks.md).
	sessions *sqldb.Probe
}

var _ police.Platform = (*Simulator)(nil)

// memoImages is how many checked images the simulator remembers: about 2 MB, more than the images in flight.
const memoImages = 16384

// New returns a simulator over db. Call Migrate before use.
func New(db *sqldb.DB, keys *secret.Keyring, clk clock.Clock, cfg Config) *Simulator {
	if clk == nil {
		clk = clock.System{}
	}
	if cfg.Registrars == nil {
		cfg.Registrars = DemoRegistrars{}
	}
	if cfg.Password == (password.Params{}) {
		cfg.Password = password.Default
	}
	log := cfg.Log
	if log == nil {
		log = slog.Default()
	}
	sessions, _ := db.Probe(2*runtime.GOMAXPROCS(0), sessionProbeQuery)
	return &Simulator{db: db, keys: keys, clk: clk, cfg: cfg, log: log.With("component", "mps"),
		policy: reviewpolicy.NewHolder("mps.policy_invalid", ReviewWorkdays, cfg.Policy),
		images: imaging.NewMemo(memoImages), files: newMaterialFiles(db), sessions: sessions}
}

// BaseURL is the platform's public address as configured, without a trailing slash ("" when not set).
func (s *Simulator) BaseURL() string { return strings.TrimRight(s.cfg.BaseURL, "/") }

// Migrate creates or upgrades the simulator's tables (version table mps_goose_version).
func (s *Simulator) Migrate(ctx context.Context) error {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return err
	}
	return s.db.Migrate(ctx, sub, VersionTable)
}

// MigrationVersions reports the platform's schema version and the newest this program knows (readiness).
func (s *Simulator) MigrationVersions(ctx context.Context) (current, target int64, err error) {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return 0, 0, err
	}
	return s.db.MigrationVersions(ctx, sub, VersionTable)
}

// Policy returns the review policy in force.
func (s *Simulator) Policy() Policy {
	return s.policy.Get()
}

// SetPolicy changes the review policy; it applies to what is submitted from now on.
func (s *Simulator) SetPolicy(p Policy) error {
	return s.policy.Set(p)
}

// Run sweeps every interval until ctx ends (due automatic decisions, undelivered messages), and right after
// every advance of an adjustable (demo) clock.
func (s *Simulator) Run(ctx context.Context, every time.Duration) {
	clock.AfterAdvance(ctx, s.clk, s.log, "sweep after clock advance", s.Sweep)
	clock.Every(ctx, every, s.log, "sweep", s.Sweep)
}

// write runs fn in a write transaction, then delivers the messages it queued.
func (s *Simulator) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	err := s.db.Tx(ctx, fn)
	if err == nil {
		s.deliver(ctx)
	}
	return err
}

func (s *Simulator) now() time.Time { return s.clk.Now().UTC() }

func (s *Simulator) addWorkdays(from time.Time, n int) time.Time {
	if s.cfg.AddWorkdays != nil {
		return s.cfg.AddWorkdays(from, n)
	}
	return workday.AddWeekdays(from, n)
}

// cst is China Standard Time (UTC+8, no daylight saving since 1991): dates of the platform are Beijing dates.
var cst = time.FixedZone("CST", 8*3600)

func internal(err error) error { return problem.Wrap(err, "mps.internal") }
