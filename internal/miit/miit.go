package miit

import (
	"context"
	"crypto/rand"
	"database/sql"
	"embed"
	"encoding/hex"
	"errors"
	"io/fs"
	"log/slog"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/beian/beian/internal/clock"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/regulator"
	"github.com/beian/beian/internal/reviewpolicy"
	"github.com/beian/beian/internal/secret"
	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/workday"
)

//go:embed migrations
var migrations embed.FS

// VersionTable is the goose version table of this bounded context.
const VersionTable = "miit_goose_version"

// SMSSenderNumber is the number MIIT's verification messages come from (docs/design.md §4.9). The SMSSender adapter should
// present it as the sender where the gateway allows.
const SMSSenderNumber = "12381"

// DefaultVerifyURL is MIIT's public SMS verification page (docs/design.md §4.9); Config.VerifyURL overrides it with the
// simulator's own page.
const DefaultVerifyURL = "https://beian.miit.gov.cn/#/Integrated/ComplaintA"

// Time limits of the flow.
const (
	SMSValidity    = 24 * time.Hour // codes are valid 24 h (docs/design.md §4.9)
	MaxWrongTries  = 5              // more than 5 wrong tries returns the order (docs/design.md §4.9)
	ReviewWorkdays = 20             // administration review takes at most 20 working days (Art. 12, docs/design.md §8)
	// smsClaim is how long a code's sending belongs to the node that committed it (longer than a gateway's
	// timeout); a code still unsent then — its node died after the commit — is sent anew by the next sweep.
	smsClaim          = 30 * time.Second
	smsRetry          = time.Minute
	maxSendTries      = 10
	defaultReviewPage = 50
)

// SMSSender delivers a text message; the simulator sends its verification codes through it.
type SMSSender interface {
	SendSMS(ctx context.Context, phone, body string) error
}

// PolicyMode chooses who decides administration reviews.
type PolicyMode = reviewpolicy.Mode

const (
	// PolicyManual leaves every decision to an officer in the console (the default).
	PolicyManual = reviewpolicy.Manual
	// PolicyAutomatic approves every submission that enters administration review, AfterWorkdays working days
	// later (0: at once). Conflicts found at that moment (a domain filed meanwhile, …) reject with their code.
	PolicyAutomatic = reviewpolicy.Automatic
)

// Policy is how the simulated administrations review.
type Policy = reviewpolicy.Policy

// Config is what the simulator needs from the rest of the program.
type Config struct {
	// ProviderIDs are the providers allowed to upload (ispId), e.g. "beian-demo".
	ProviderIDs []string
	// Abbr maps a province code ("44") to the one-character abbreviation used in ICP numbers ("粤").
	Abbr func(province string) (string, bool)
	// AddWorkdays adds n working days to from (Chinese statutory calendar). When nil, plain weekdays are counted.
	AddWorkdays func(from time.Time, n int) time.Time
	// SMS sends the verification codes (sender 12381).
	SMS SMSSender
	// Policy decides administration reviews: manual (default) or automatic.
	Policy Policy
	// VerifyURL is the verification page named in the SMS; DefaultVerifyURL when empty.
	VerifyURL string
	// Log receives delivery failures; slog.Default() when nil.
	Log *slog.Logger
	// ResultsReady, when set, is called after a change that may have queued results for providers, so that an
	// in-process provider pulls them at once rather than at its next poll (a remote provider polls).
	ResultsReady func()
}

// writeFresh is write for a function that reads what it decides on before locking it: when the function finds
// that it changed meanwhile (errStale), it runs again on what is committed now, a few times.
func (s *Simulator) writeFresh(ctx context.Context, fn func(tx *sql.Tx) error) error {
	for attempt := 0; ; attempt++ {
		err := s.write(ctx, fn)
		if !errors.Is(err, errStale) || attempt == 4 {
			return err
		}
	}
}

// write runs fn in a write transaction and, once it committed, tells the providers that results may be ready.
func (s *Simulator) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	err := s.db.Tx(ctx, fn)
	if err == nil && s.cfg.ResultsReady != nil {
		s.cfg.ResultsReady()
	}
	return err
}

// Simulator is MIIT and the provincial communications administrations: it receives providers' submissions,
// runs SMS verification and administration review, issues ICP numbers, keeps the national registry and answers
// the public query. It implements regulator.Regulator in-process.
type Simulator struct {
	db   *sqldb.DB
	keys *secret.Keyring
	clk  clock.Clock
	cfg  Config
	log  *slog.Logger

	stmts sync.Map // query text → *sql.Stmt on the read pool
	// domainProbe runs the domain look-ups of the public query on SQLite (nil on PostgreSQL): queryText.domain
	// is its statement 0, queryText.cancelledDomain its statement 1.
	domainProbe *sqldb.Probe

	policy *reviewpolicy.Holder

	serialsMu sync.Mutex
	serials   *sql.DB // PostgreSQL: where subject serials are taken (serials.go)

	node string // this simulator's name as a holder of leases (sweep.go)

	// bulkCreds is set while Bulk runs without the unique index on credentials (bulk_creds.go).
	bulkCreds atomic.Pointer[credSet]
}

var _ regulator.Regulator = (*Simulator)(nil)

// New returns a simulator over db. Call Migrate before use.
func New(db *sqldb.DB, keys *secret.Keyring, clk clock.Clock, cfg Config) *Simulator {
	if clk == nil {
		clk = clock.System{}
	}
	if cfg.VerifyURL == "" {
		cfg.VerifyURL = DefaultVerifyURL
	}
	log := cfg.Log
	if log == nil {
		log = slog.Default()
	}
	node := make([]byte, 8)
	rand.Read(node)
	// Two connections a core: a probe that waits for a page from the disk does not hold up the others.
	probe, _ := db.Probe(2*runtime.GOMAXPROCS(0), queryText.domain, queryText.cancelledDomain)
	return &Simulator{db: db, keys: keys, clk: clk, cfg: cfg, log: log.With("component", "miit"),
		policy: reviewpolicy.NewHolder("miit.policy_invalid", ReviewWorkdays, cfg.Policy),
		node:   hex.EncodeToString(node), domainProbe: probe}
}

// Policy returns the review policy in force.
func (s *Simulator) Policy() Policy {
	return s.policy.Get()
}

// SetPolicy changes the review policy (operator setting, demo). It applies to submissions entering review from
// now on; those already waiting keep their scheduled automatic decision, if any.
func (s *Simulator) SetPolicy(p Policy) error {
	return s.policy.Set(p)
}

// Migrate creates or upgrades the simulator's tables (version table miit_goose_version).
func (s *Simulator) Migrate(ctx context.Context) error {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return err
	}
	if err := s.db.Migrate(ctx, sub, VersionTable); err != nil {
		return err
	}
	return s.BuildPendingIndexes(ctx)
}

// Run sweeps every interval until ctx ends — one node of several per interval (SweepScheduled) — and right after
// every advance of an adjustable (demo) clock, so that expired SMS windows and due automatic decisions show at
// once.
func (s *Simulator) Run(ctx context.Context, every time.Duration) {
	clock.AfterAdvance(ctx, s.clk, s.log, "sweep after clock advance", s.Sweep)
	clock.Every(ctx, every, s.log, "sweep", func(ctx context.Context) error {
		_, err := s.SweepScheduled(ctx, every)
		return err
	})
}

func (s *Simulator) providerAllowed(id string) error {
	if id == "" || !slices.Contains(s.cfg.ProviderIDs, id) {
		return problem.New(problem.Forbidden, "miit.provider_unknown", "provider_id", "provider", id)
	}
	return nil
}

func (s *Simulator) addWorkdays(from time.Time, n int) time.Time {
	if s.cfg.AddWorkdays != nil {
		return s.cfg.AddWorkdays(from, n)
	}
	return workday.AddWeekdays(from, n)
}

// cst is China Standard Time; China has used UTC+8 without daylight saving since 1991. Numbers carry the year of
// approval as seen in Beijing.
var cst = time.FixedZone("CST", 8*3600)
