package app

import (
	"context"
	"fmt"
	"time"

	"github.com/beian/beian/internal/clock"
	"github.com/beian/beian/internal/police/policehttp"
	"github.com/beian/beian/internal/secret"

	"github.com/beian/beian/internal/miit"
	"github.com/beian/beian/internal/mps"
	"github.com/beian/beian/internal/mps/mpsweb"
	"github.com/beian/beian/internal/notify"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/sqldb"
)

// The police filing platform simulator: its own database (mps.db beside an SQLite DATABASE_URL, or the same
// PostgreSQL database with its mps_ tables and version table), its review policy, MIIT's public query for the
// ICP check, and the same SMS and mail gateways as everything else.

// mpsDatabaseURL is MPSDatabaseURL or its default.
func (c Config) mpsDatabaseURL() string { return c.simulatorDatabaseURL(c.MPSDatabaseURL, "mps.db") }

// openMPS opens the platform's database (DB itself when they are the same; none when the platform runs in its
// own process).
func (a *App) openMPS(ctx context.Context) error {
	if a.Cfg.Police.Remote() {
		return nil
	}
	if u := a.Cfg.mpsDatabaseURL(); u != a.Cfg.DatabaseURL {
		db, err := sqldb.Open(ctx, u)
		if err != nil {
			return fmt.Errorf("police platform database: %w", err)
		}
		a.MPSDB = db
		return nil
	}
	a.MPSDB = a.DB
	return nil
}

// wireMPS creates and migrates the simulator (mountSite mounts its pages and API), or the HTTP transport to
// `beian mps serve` when BEIAN_MPS_URL is set.
func (a *App) wireMPS(ctx context.Context, sms notify.SMSGateway, mail notify.Mailer) error {
	cfg := a.Cfg
	if cfg.Police.Remote() {
		hc, err := cfg.Police.httpClient()
		if err != nil {
			return err
		}
		c := policehttp.NewClient(cfg.Police.URL, cfg.ProviderID, []byte(cfg.Police.Secret), hc)
		a.police, a.policeLink = c, func() provider.RegulatorLink { return linkOf(c.Status()) }
		return nil
	}
	var icp mps.ICPLookup = icpLookup{a.Sim}
	if a.Sim == nil {
		r, err := icpRegistry(cfg)
		if err != nil {
			return err
		}
		icp = r
	}
	a.MPS = newMPS(a.MPSDB, a.Store.Keys, a.Clock, cfg, a.addWorkdays, icp, mpsSender{sms, mail})
	a.police = a.MPS
	return migrateMPS(ctx, a.MPS, cfg)
}

// newMPS is the police platform simulator of cfg on db.
func newMPS(db *sqldb.DB, keys *secret.Keyring, clk clock.Clock, cfg Config, addWorkdays func(time.Time, int) time.Time,
	icp mps.ICPLookup, send mpsSender) *mps.Simulator {
	return mps.New(db, keys, clk, mps.Config{ProviderIDs: []string{cfg.ProviderID},
		ICP: icp, AddWorkdays: addWorkdays, Send: send, Password: cfg.Password,
		Policy: mps.Policy{Mode: mps.PolicyMode(cfg.MPSPolicy), AfterWorkdays: cfg.MPSPolicyDays}, Demo: cfg.Demo(),
		BaseURL: cfg.BaseURL})
}

// migrateMPS migrates the simulator and, on a first start in demo mode, creates the demo police staff.
func migrateMPS(ctx context.Context, sim *mps.Simulator, cfg Config) error {
	if err := sim.Migrate(ctx); err != nil {
		return err
	}
	if cfg.Seed && cfg.Demo() {
		return seedMPS(ctx, sim)
	}
	return nil
}

// DemoPoliceStaff are the police staff accounts of the demo (password DemoPassword): a provincial unit of
// Guangdong and one of Beijing, which see every subject and website of their province.
var DemoPoliceStaff = []mps.StaffAccount{
	{Username: "police-gd", Name: "陈警官", UnitCode: "440000", UnitName: "广东省公安厅网络警察总队"},
	{Username: "police-bj", Name: "王警官", UnitCode: "110000", UnitName: "北京市公安局网络安全保卫总队"},
}

// seedMPS creates the demo staff accounts once.
func seedMPS(ctx context.Context, sim *mps.Simulator) error {
	for _, s := range DemoPoliceStaff {
		s.Password = DemoPassword
		if _, err := sim.CreateStaff(ctx, s); err != nil && !problem.Is(err, "mps.username_taken") {
			return fmt.Errorf("police platform demo staff: %w", err)
		}
	}
	return nil
}

// icpLookup answers the platform's ICP check from MIIT's public query, never from MIIT's tables.
type icpLookup struct{ sim *miit.Simulator }

func (l icpLookup) LookupICP(ctx context.Context, domain string) (mps.ICPRecord, error) {
	recs, err := l.sim.Query(ctx, miit.Query{Domain: domain})
	if err != nil {
		return mps.ICPRecord{}, err
	}
	for _, r := range recs {
		if r.Kind == "website" || r.Kind == "" {
			return mps.ICPRecord{Filed: true, SubjectName: r.SubjectName, SubjectNumber: r.SubjectNumber,
				ServiceNumber: r.ServiceNumber, ServiceName: r.ServiceName}, nil
		}
	}
	return mps.ICPRecord{}, nil
}

// mpsSender delivers the platform's messages through the project's gateways.
type mpsSender struct {
	sms  notify.SMSGateway
	mail notify.Mailer
}

func (s mpsSender) Send(ctx context.Context, channel, to, subject, body string) error {
	m := notify.Message{Channel: channel, To: to, Subject: subject, Body: body}
	if channel == mps.ChannelEmail {
		m.Sender = "全国互联网安全管理服务平台"
		return s.mail.SendMail(ctx, m)
	}
	m.Sender = mps.SMSSender
	return s.sms.SendSMS(ctx, m)
}

// ProviderName is the access provider's name as the police platform shows it for pushed ICP data.
const ProviderName = "beian 演示接入服务商"

// applyPolice lets the provider push ICP data to the police platform and follow its filings (docs/police.md).
func (a *App) applyPolice(c *provider.Config) {
	c.Police, c.ProviderName, c.PoliceBadgeURL, c.PoliceLink = a.police, ProviderName,
		mpsweb.BadgeIconURL(a.Cfg.policePublicURL()), a.policeLink
}

// policePublicURL is the police platform's address as browsers reach it: BEIAN_MPS_PUBLIC_URL (default
// BEIAN_MPS_URL) when it runs in its own process, else this server's (BEIAN_BASE_URL), where its pages are mounted.
func (c Config) policePublicURL() string {
	if c.Police.Remote() {
		return c.Police.PublicURL
	}
	return c.BaseURL
}
