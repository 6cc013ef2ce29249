// Package provider holds the access provider's use cases: accounts, checking the filing type, orders from draft
// to result, provider review, and applying the regulator's results. Each use case loads what it needs in one
// transaction, checks the rules, moves the order through the filing state machine (which yields the event to
// record), writes the outbox rows for notifications and regulator uploads, and commits. Nothing else changes an
// order's state.
package provider

import (
	"context"
	"time"

	"github.com/beian/beian/internal/access"

	"github.com/beian/beian/internal/clock"
	"github.com/beian/beian/internal/compliance"
	"github.com/beian/beian/internal/face"
	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/password"
	"github.com/beian/beian/internal/police"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider/store"
	"github.com/beian/beian/internal/recognise"
	"github.com/beian/beian/internal/regulator"
	"github.com/beian/beian/internal/workday"
)

// Checker finds what blocks an order's submission: field rules, code lists, province rules, rules across
// subjects. Report also lists the materials the order needs.
type Checker interface {
	Check(ctx context.Context, o *filing.Order, at time.Time) (Report, error)
}

// Report is what the rules say about an order.
type Report struct {
	Materials  []Material       `json:"materials"`
	Violations []*problem.Error `json:"-"` // block submission
	Notices    []*problem.Error `json:"-"` // do not block; the applicant or reviewer must act on them
}

// Material is a document an order needs, with why and the rule's source.
type Material struct {
	Code    string `json:"code"`
	Reason  string `json:"reason"` // in zh-CN; Localized gives the caller's language
	Source  string `json:"source"`
	Service *int   `json:"service,omitempty"`
	// Text is the reason in every language ("zh-CN", "zh-TW", "en").
	Text map[string]string `json:"-"`
}

// Localized returns the material with its reason in lang (zh-CN when that language is missing).
func (m Material) Localized(lang string) Material {
	if t, ok := m.Text[lang]; ok {
		m.Reason = t
	}
	return m
}

// Config wires the use cases.
type Config struct {
	ProviderID  string // this provider's code at the regulator (ispId)
	Clock       clock.Clock
	AddWorkdays func(from time.Time, n int) time.Time
	// WorkdaysBetween counts the working days left until a deadline.
	WorkdaysBetween func(a, b time.Time) int
	Regulator       regulator.Regulator
	// RegulatorLink reports the network transport's state (nil: the regulator is in this process).
	RegulatorLink func() RegulatorLink
	// PoliceLink reports the police interface's network transport the same way (nil: the platform is in this
	// process).
	PoliceLink func() RegulatorLink
	Checker    Checker
	Password   password.Params
	// SessionTTL is how long a login lasts.
	SessionTTL time.Duration
	// Kick wakes the outbox worker after a commit (may be nil).
	Kick func()
	// FieldLabel names an order's field (a JSON path) in full, with its section, for people reading lang, as
	// the pages do: notifications quote it. Nil shows the path.
	FieldLabel func(lang i18n.Lang, path string, o *filing.Order) string
	// CalendarEntered puts a year's working-day schedule in force once an operator entered it (may be nil).
	CalendarEntered func(workday.File) error
	// RequireEvidence refuses submission to provider review until every material the rules ask for is
	// attached and every principal who must verify has confirmed a verification photo (docs/design.md §4.3 steps 5-6).
	RequireEvidence bool
	// FaceMode is how principals verify: face.WhiteBackground (the phone face check, default) or face.Curtain
	// (the photo in front of the provider's blue curtain, Alibaba Cloud's materials guide). Shanghai always uses the administration's app.
	FaceMode face.Mode
	// FaceVerifier is an external liveness or identity service run after the local checks (nil: none; the
	// reviewer compares the photo with the credential).
	FaceVerifier face.Verifier
	// Recogniser reads credential photos to fill the forms (nil: recognition off, the applicant types).
	Recogniser recognise.Recogniser
	// Spent remembers liveness challenges and frames already used (nil: the liveness_spent table, which
	// every node shares).
	Spent face.Spent
	// Challenge draws a live check's challenge (nil: face.NewChallenge; tests set a fixed one).
	Challenge func(now time.Time) face.Challenge
	// Police is the police filing platform (nil: the portal only tells the deadline; docs/police.md).
	Police police.Platform
	// ProviderName is the provider's name as the police platform shows it (网站接入服务商).
	ProviderName string
	// PoliceBadgeURL is where the site serves the police badge icon for the footer snippet.
	PoliceBadgeURL string
	// SiteFetch is how the compliance checker fetches homepages (docs/compliance.md); production leaves
	// AllowPrivate off. SiteWorkers is how many sites a sweep checks at once (default 4).
	SiteFetch   compliance.FetchConfig
	SiteWorkers int
	// BaseURL is the server's public address, for links in e-mails ("" leaves them relative).
	BaseURL string
}

// Service runs the provider's use cases.
type Service struct {
	st      *store.Store
	cfg     Config
	auth    authCache
	changes changeHub
	peers   Peers // nil on a single node
	// sweeps wakes the long polls on a compliance sweep (this node's; others re-read every second).
	sweeps    changeHub
	sweepKick chan struct{}
}

// New returns the use cases over st.
func New(st *store.Store, cfg Config) *Service {
	if cfg.SessionTTL == 0 {
		cfg.SessionTTL = 12 * time.Hour
	}
	if cfg.Challenge == nil {
		cfg.Challenge = face.NewChallenge
	}
	if cfg.Kick == nil {
		cfg.Kick = func() {}
	}
	if cfg.FieldLabel == nil {
		cfg.FieldLabel = func(_ i18n.Lang, p string, _ *filing.Order) string { return p }
	}
	s := &Service{st: st, cfg: cfg, sweepKick: make(chan struct{}, 1)}
	if st != nil {
		st.Committed = s.changes.saved // long polls answer from what a transaction here saved (changes.go)
	}
	if s.cfg.Spent == nil {
		s.cfg.Spent = &dbSpent{st: st, now: s.now}
	}
	return s
}

func (s *Service) now() time.Time { return s.cfg.Clock.Now() }

// Actor is who calls a use case (internal/access: the pages of every context receive the same).
type Actor = access.Actor

// The roles (the officer belongs to the administration, not to the provider).
const (
	RoleApplicant = access.RoleApplicant
	RoleReviewer  = access.RoleReviewer
	RoleOfficer   = access.RoleOfficer
	RoleOperator  = access.RoleOperator
)

func forbidden() error { return problem.New(problem.Forbidden, "common.forbidden", "") }

// requireRole returns Forbidden unless the actor has one of roles.
func requireRole(a Actor, roles ...string) error {
	for _, r := range roles {
		if a.Role == r {
			return nil
		}
	}
	return forbidden()
}
