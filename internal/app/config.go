// Package app wires beian together: configuration from the environment, the database, the provider's use
// cases, the MIIT simulator behind the regulator interface, the notification gateways, the workers and the HTTP
// server (wtf's Main pattern). cmd/beian and the end-to-end tests both start it.
package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/beian/beian/internal/compliance"
	"github.com/beian/beian/internal/password"
	"github.com/beian/beian/internal/secret"
	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/web"
)

// Config is everything an operator can set, read from the environment.
type Config struct {
	Addr        string // BEIAN_ADDR, default 127.0.0.1:8080
	DatabaseURL string // DATABASE_URL, default sqlite:data/beian.db
	// MIITDatabaseURL is the simulated regulator's own database (BEIAN_MIIT_DATABASE_URL). Default: miit.db
	// beside an SQLite DATABASE_URL (a second file, so a second writer), or the same PostgreSQL database.
	MIITDatabaseURL string
	// MPSDatabaseURL is the police platform simulator's own database (BEIAN_MPS_DATABASE_URL). Default: mps.db
	// beside an SQLite DATABASE_URL, or the same PostgreSQL database (its tables are prefixed mps_).
	MPSDatabaseURL string
	// Review in the police platform simulator (BEIAN_MPS_POLICY manual|automatic, BEIAN_MPS_POLICY_DAYS 0-5).
	MPSPolicy     string
	MPSPolicyDays int
	// BaseURL is this server's public address, for links in e-mails (BEIAN_BASE_URL; default http://<BEIAN_ADDR>).
	BaseURL    string
	DataDir    string // BEIAN_DATA_DIR, default ./data (SQLite file, demo keys)
	Mode       string // BEIAN_MODE: demo (default) or production
	SecretKeys string // BEIAN_SECRET_KEYS: "ID:BASE64,…", first is primary; generated in demo mode
	IndexKey   string // BEIAN_INDEX_KEY: base64 of 32 bytes, never rotated
	ProviderID string // BEIAN_PROVIDER_ID: this provider's code at the regulator
	// SMTP (BEIAN_SMTP_HOST, _PORT, _USERNAME, _PASSWORD, _FROM, _FROM_NAME, _TLS); empty host: development outbox.
	SMTPHost, SMTPUsername, SMTPPassword, SMTPFrom, SMTPFromName, SMTPTLS string
	SMTPPort                                                              int
	// SMS gateway (BEIAN_SMS_URL, BEIAN_SMS_TOKEN); empty URL: development outbox.
	SMSURL, SMSToken string
	// Administration review in the simulator (BEIAN_MIIT_POLICY manual|automatic, BEIAN_MIIT_POLICY_DAYS).
	MIITPolicy     string
	MIITPolicyDays int
	// MIITVerifyLimit is how many SMS verification attempts one client address may make in 10 minutes on the
	// simulator's public page and API (BEIAN_MIIT_VERIFY_LIMIT; 0: miitweb.VerifyLimit).
	MIITVerifyLimit int
	// Seed loads the demo data set on a first start (BEIAN_SEED, default true in demo mode).
	Seed      bool
	AccessLog bool // BEIAN_ACCESS_LOG
	// Proxy: the Secure attribute of cookies (BEIAN_COOKIE_SECURE auto|true|false) and the reverse proxies
	// believed about X-Forwarded-Proto and X-Forwarded-For (BEIAN_TRUSTED_PROXIES, CIDRs).
	Proxy web.Proxy
	// Password cost; tests use password.Fast.
	Password password.Params
	// WorkerInterval is how often the background workers look for work without being woken.
	WorkerInterval time.Duration
	// NoWorkers leaves the outbox and the simulator's sweeps to another node (BEIAN_WORKERS=false); the
	// crash-safety test uses it to stop between a commit and its delivery.
	NoWorkers bool
	// Evidence and real-person verification (issue #5); see evidence.go.
	Evidence EvidenceConfig
	// QueryRate and QueryBurst limit the public query per client (BEIAN_QUERY_RATE requests a second, default
	// 10, 0 for no limit; BEIAN_QUERY_BURST, default 30). The zero Config has no limit.
	QueryRate  float64
	QueryBurst int
	// MetricsAddr serves /metrics on its own address instead of beside the application (BEIAN_METRICS_ADDR).
	MetricsAddr string
	// ShutdownTimeout bounds a graceful shutdown (BEIAN_SHUTDOWN_TIMEOUT, default DefaultShutdownTimeout).
	ShutdownTimeout time.Duration
	// OutboxLease is how long an outbox item claimed by a node stays its own (BEIAN_OUTBOX_LEASE, default
	// provider.DefaultLease): after a node died, the others deliver what it had claimed once this has passed.
	OutboxLease time.Duration
	// Recognition of credential photos (issue 14); see recognition.go.
	Recognition RecognitionConfig
	// Regulator is how the provider reaches MIIT: in-process, or over HTTP to `beian miit serve`
	// (regulator.go).
	Regulator RegulatorConfig
	// Police is how the provider reaches the police platform: in-process, or over HTTP to `beian mps serve`
	// (BEIAN_MPS_URL, BEIAN_MPS_SECRET, BEIAN_MPS_PUBLIC_URL, BEIAN_MPS_ADDR default 127.0.0.1:8082; mps.go).
	Police RegulatorConfig
	// ICPQueryURL is where the police platform simulator reads MIIT's public query for its ICP check when MIIT
	// is not in its process (BEIAN_MPS_ICP_URL, default BEIAN_MIIT_URL; e.g. http://miit:8081).
	ICPQueryURL string
	// SiteFetch is how the console's compliance checker fetches homepages; private and loopback addresses are
	// refused in production mode only. Tests reach their local homepages by name through SiteFetch.Resolve.
	SiteFetch compliance.FetchConfig
}

// miitDatabaseURL is MIITDatabaseURL or its default.
func (c Config) miitDatabaseURL() string { return c.simulatorDatabaseURL(c.MIITDatabaseURL, "miit.db") }

// simulatorDatabaseURL is a simulator's database: set when given, else a SQLite file named file beside the
// main SQLite database, else the main database.
func (c Config) simulatorDatabaseURL(set, file string) string {
	if set != "" {
		return set
	}
	if path, ok := sqldb.SQLitePath(c.DatabaseURL); ok {
		return "sqlite:" + filepath.Join(filepath.Dir(path), file)
	}
	return c.DatabaseURL
}

// Demo reports whether demo tools (development outbox reading, clock advance) are on.
func (c Config) Demo() bool { return c.Mode != "production" }

// FromEnv reads the configuration, reporting every bad value at once.
func FromEnv(getenv func(string) string) (Config, error) {
	get := func(k, def string) string {
		if v := getenv(k); v != "" {
			return v
		}
		return def
	}
	c := Config{
		Addr: get("BEIAN_ADDR", "127.0.0.1:8080"), DataDir: get("BEIAN_DATA_DIR", "data"),
		Mode: get("BEIAN_MODE", "demo"), SecretKeys: getenv("BEIAN_SECRET_KEYS"), IndexKey: getenv("BEIAN_INDEX_KEY"),
		ProviderID: get("BEIAN_PROVIDER_ID", "beian-demo"),
		SMTPHost:   getenv("BEIAN_SMTP_HOST"), SMTPUsername: getenv("BEIAN_SMTP_USERNAME"),
		SMTPPassword: getenv("BEIAN_SMTP_PASSWORD"), SMTPFrom: getenv("BEIAN_SMTP_FROM"),
		SMTPFromName: get("BEIAN_SMTP_FROM_NAME", "备案中心"), SMTPTLS: getenv("BEIAN_SMTP_TLS"),
		SMSURL: getenv("BEIAN_SMS_URL"), SMSToken: getenv("BEIAN_SMS_TOKEN"),
		MIITPolicy: get("BEIAN_MIIT_POLICY", "manual"), AccessLog: getenv("BEIAN_ACCESS_LOG") == "true",
		NoWorkers: getenv("BEIAN_WORKERS") == "false",
		Password:  password.Default, WorkerInterval: time.Second,
	}
	c.DatabaseURL = get("DATABASE_URL", "sqlite:"+filepath.Join(c.DataDir, "beian.db"))
	c.MIITDatabaseURL = getenv("BEIAN_MIIT_DATABASE_URL")
	c.MPSDatabaseURL = getenv("BEIAN_MPS_DATABASE_URL")
	c.MPSPolicy = get("BEIAN_MPS_POLICY", "manual")
	c.BaseURL = get("BEIAN_BASE_URL", "http://"+c.Addr)
	c.MetricsAddr = getenv("BEIAN_METRICS_ADDR")
	var errs []error
	c.Evidence, errs = evidenceFromEnv(get)
	var rerrs []error
	c.Recognition, rerrs = recognitionFromEnv(get)
	errs = append(errs, rerrs...)
	var err error
	if c.Proxy, err = web.ParseProxy(getenv("BEIAN_COOKIE_SECURE"), getenv("BEIAN_TRUSTED_PROXIES")); err != nil {
		errs = append(errs, err)
	}
	var qerrs []error
	c.QueryRate, c.QueryBurst, qerrs = queryLimitFromEnv(get)
	errs = append(errs, qerrs...)
	c.Regulator, qerrs = regulatorFromEnv(get)
	errs = append(errs, qerrs...)
	c.Police, qerrs = remoteFromEnv(get, "MPS", "http://mps:8082", "127.0.0.1:8082")
	errs = append(errs, qerrs...)
	if c.ICPQueryURL = get("BEIAN_MPS_ICP_URL", c.Regulator.URL); c.ICPQueryURL != "" && !httpURL(c.ICPQueryURL) {
		errs = append(errs, fmt.Errorf("BEIAN_MPS_ICP_URL must be an http or https address such as http://miit:8081, not %q", c.ICPQueryURL))
	}
	for _, d := range []struct{ env, url string }{{"DATABASE_URL", c.DatabaseURL},
		{"BEIAN_MIIT_DATABASE_URL", c.MIITDatabaseURL}, {"BEIAN_MPS_DATABASE_URL", c.MPSDatabaseURL}} {
		if err := sqldb.CheckURL(d.url); d.url != "" && err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", d.env, err))
		}
	}
	if c.Mode != "demo" && c.Mode != "production" {
		errs = append(errs, fmt.Errorf("BEIAN_MODE must be demo or production, not %q", c.Mode))
	}
	for _, d := range []struct {
		env string
		dst *time.Duration
	}{{"BEIAN_SHUTDOWN_TIMEOUT", &c.ShutdownTimeout}, {"BEIAN_OUTBOX_LEASE", &c.OutboxLease}} {
		if v := getenv(d.env); v != "" {
			t, err := time.ParseDuration(v)
			if err != nil || t <= 0 {
				errs = append(errs, fmt.Errorf("%s must be a duration such as 20s, not %q", d.env, v))
			}
			*d.dst = t
		}
	}
	c.Seed = get("BEIAN_SEED", strconv.FormatBool(c.Demo())) == "true"
	if v := getenv("BEIAN_SMTP_PORT"); v != "" {
		p, err := strconv.Atoi(v)
		if err != nil || p <= 0 || p > 65535 {
			errs = append(errs, fmt.Errorf("BEIAN_SMTP_PORT must be a port number, not %q", v))
		}
		c.SMTPPort = p
	}
	if c.MIITPolicy != "manual" && c.MIITPolicy != "automatic" {
		errs = append(errs, fmt.Errorf("BEIAN_MIIT_POLICY must be manual or automatic, not %q", c.MIITPolicy))
	}
	if c.MPSPolicy != "manual" && c.MPSPolicy != "automatic" {
		errs = append(errs, fmt.Errorf("BEIAN_MPS_POLICY must be manual or automatic, not %q", c.MPSPolicy))
	}
	if v := getenv("BEIAN_MPS_POLICY_DAYS"); v != "" {
		d, err := strconv.Atoi(v)
		if err != nil || d < 0 || d > 5 {
			errs = append(errs, fmt.Errorf("BEIAN_MPS_POLICY_DAYS must be 0 to 5 working days, not %q", v))
		}
		c.MPSPolicyDays = d
	}
	if v := getenv("BEIAN_MIIT_VERIFY_LIMIT"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			errs = append(errs, fmt.Errorf("BEIAN_MIIT_VERIFY_LIMIT must be a positive number of attempts, not %q", v))
		}
		c.MIITVerifyLimit = n
	}
	if v := getenv("BEIAN_MIIT_POLICY_DAYS"); v != "" {
		d, err := strconv.Atoi(v)
		if err != nil || d < 0 || d > 20 {
			errs = append(errs, fmt.Errorf("BEIAN_MIIT_POLICY_DAYS must be 0 to 20 working days, not %q", v))
		}
		c.MIITPolicyDays = d
	}
	if !c.Demo() && (c.SecretKeys == "" || c.IndexKey == "") {
		errs = append(errs, errors.New("BEIAN_SECRET_KEYS and BEIAN_INDEX_KEY are required in production mode (see `beian keys`)"))
	}
	return c, errors.Join(errs...)
}

// Keyring returns the keyring, generating and keeping demo keys in DataDir when none are configured.
func (c Config) Keyring() (*secret.Keyring, error) {
	if c.SecretKeys != "" || c.IndexKey != "" {
		return secret.Parse(c.SecretKeys, c.IndexKey)
	}
	path := filepath.Join(c.DataDir, "demo-keys.json")
	var stored struct{ Keys, Index string }
	raw, err := os.ReadFile(path)
	switch {
	case err == nil:
		if err := json.Unmarshal(raw, &stored); err != nil {
			return nil, fmt.Errorf("read %s: %w", path, err)
		}
	case errors.Is(err, os.ErrNotExist):
		stored.Keys, stored.Index = secret.Generate()
		b, _ := json.Marshal(stored)
		if err := os.MkdirAll(c.DataDir, 0o700); err != nil {
			return nil, err
		}
		if err := os.WriteFile(path, b, 0o600); err != nil {
			return nil, err
		}
	default:
		return nil, err
	}
	return secret.Parse(stored.Keys, stored.Index)
}
