package app

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/beian/beian/internal/compliance"
	"github.com/beian/beian/internal/mps"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/regulator/regulatorhttp"
	"github.com/beian/beian/internal/wiresign"
)

// RegulatorConfig chooses the transport of the regulator interface (Config.Regulator) or of the police
// interface (Config.Police, the same fields under BEIAN_MPS_…). Without URL the simulator runs in this process
// (one command runs everything); with URL the provider reaches `beian miit serve` (`beian mps serve`) over HTTP.
type RegulatorConfig struct {
	// URL is the simulator's address as the provider reaches it (BEIAN_MIIT_URL, e.g. http://miit:8081).
	URL string
	// Secret is the secret shared by the provider and the simulator that signs every call (BEIAN_MIIT_SECRET,
	// at least 16 characters; `beian keys` prints a fresh one). The simulator needs it too.
	Secret string
	// PublicURL is the simulator's address as browsers reach it (BEIAN_MIIT_PUBLIC_URL, default URL): the
	// provider sends its visitors' /miit/… pages (SMS verification, public query) there.
	PublicURL string
	// Addr is where `beian miit serve` listens (BEIAN_MIIT_ADDR, default 127.0.0.1:8081).
	Addr string
	// TLS is mutual TLS, instead of or beside Secret (BEIAN_MIIT_CA, BEIAN_MIIT_CERT, BEIAN_MIIT_KEY): on
	// `beian miit serve` its server certificate, on a process calling it (`beian serve`, `beian mps serve`'s ICP
	// check) the client certificate; CA is the interface's authority, which signs both.
	TLS wiresign.TLSFiles
}

// ownURL is the address browsers reach the simulator's own process at: PublicURL, else where it listens.
func (c RegulatorConfig) ownURL() string {
	if c.PublicURL != "" {
		return c.PublicURL
	}
	if c.TLS.Enabled() {
		return "https://" + c.Addr
	}
	return "http://" + c.Addr
}

// Remote reports whether the simulator runs in its own process.
func (c RegulatorConfig) Remote() bool { return c.URL != "" }

// minSecret is the shortest shared secret accepted.
const minSecret = 16

func regulatorFromEnv(get func(k, def string) string) (RegulatorConfig, []error) {
	return remoteFromEnv(get, "MIIT", "http://miit:8081", "127.0.0.1:8081")
}

// remoteFromEnv reads BEIAN_<name>_URL, _SECRET, _PUBLIC_URL and _ADDR: the address of a platform simulator in its
// own process, as the provider and browsers reach it, the shared secret, and where the simulator listens.
func remoteFromEnv(get func(k, def string) string, name, example, addr string) (RegulatorConfig, []error) {
	env := func(v string) string { return "BEIAN_" + name + "_" + v }
	c := RegulatorConfig{URL: get(env("URL"), ""), Secret: get(env("SECRET"), ""), Addr: get(env("ADDR"), addr),
		TLS: wiresign.TLSFiles{CA: get(env("CA"), ""), Cert: get(env("CERT"), ""), Key: get(env("KEY"), "")}}
	c.PublicURL = strings.TrimRight(get(env("PUBLIC_URL"), c.URL), "/")
	var errs []error
	if err := c.TLS.Check(env("")); err != nil {
		errs = append(errs, err)
	}
	if c.URL != "" {
		for _, v := range []struct{ env, val string }{{env("URL"), c.URL}, {env("PUBLIC_URL"), c.PublicURL}} {
			if !httpURL(v.val) {
				errs = append(errs, fmt.Errorf("%s must be an http or https address such as %s, not %q", v.env, example, v.val))
			}
		}
		if err := c.checkAuth(name); err != nil {
			errs = append(errs, fmt.Errorf("%w, when %s is", err, env("URL")))
		}
		if c.TLS.Enabled() && !strings.HasPrefix(c.URL, "https://") {
			errs = append(errs, fmt.Errorf("%s must be an https address with mutual TLS, not %q", env("URL"), c.URL))
		}
	}
	return c, errs
}

// checkAuth reports a configuration in which the provider could not authenticate to the simulator named
// (MIIT, MPS): by the shared secret, mutual TLS, or both.
func (c RegulatorConfig) checkAuth(name string) error {
	if (c.Secret == "" && !c.TLS.Enabled()) || (c.Secret != "" && len(c.Secret) < minSecret) {
		return fmt.Errorf("BEIAN_%s_SECRET must be set, at least %d characters, or mutual TLS (BEIAN_%s_CA, _CERT and _KEY)",
			name, minSecret, name)
	}
	return nil
}

// secrets is the simulator's map of the provider's shared secret (empty with mutual TLS alone).
func (c RegulatorConfig) secrets(provider string) map[string][]byte {
	return map[string][]byte{provider: []byte(c.Secret)}
}

// serveISP makes the simulator's interface s require client certificates when mutual TLS is configured and
// returns the listener's TLS configuration (nil: plain HTTP).
func (c RegulatorConfig) serveISP(s *wiresign.Server) (*tls.Config, error) {
	if !c.TLS.Enabled() {
		return nil, nil
	}
	s.RequireClientCertificates()
	return c.TLS.ServerConfig()
}

// httpClient is the HTTP client of a process calling the simulator: with the client certificate under mutual
// TLS, else nil (the transport's default).
func (c RegulatorConfig) httpClient() (*http.Client, error) {
	if !c.TLS.Enabled() {
		return nil, nil
	}
	return c.TLS.HTTPClient()
}

func httpURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// pages sends a visitor of the provider's site who follows a link to the simulator's pages (/miit/…: the SMS
// verification page, the public query; /mps/…: the police platform) to the same page on the simulator's own site.
func (c RegulatorConfig) pages() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, c.PublicURL+r.URL.RequestURI(), http.StatusSeeOther)
	})
}

// remoteRegulator is the HTTP transport to the simulator at cfg.URL, calling as provider.
func remoteRegulator(cfg RegulatorConfig, provider string) (*regulatorhttp.Client, error) {
	hc, err := cfg.httpClient()
	if err != nil {
		return nil, err
	}
	return regulatorhttp.NewClient(cfg.URL, provider, []byte(cfg.Secret), hc), nil
}

// icpRegistry is MIIT's public query at cfg.ICPQueryURL for the police platform's ICP check, trusting the
// simulator's authority under mutual TLS.
func icpRegistry(cfg Config) (remoteICP, error) {
	hc, err := cfg.Regulator.httpClient()
	return remoteICP{compliance.HTTPRegistry{BaseURL: cfg.ICPQueryURL, Client: hc}}, err
}

// remoteICP answers the police platform's ICP check from the simulator's public query over HTTP, as the
// in-process icpLookup answers it from the query in this process.
type remoteICP struct{ reg compliance.HTTPRegistry }

func (l remoteICP) LookupICP(ctx context.Context, domain string) (mps.ICPRecord, error) {
	f, err := l.reg.LookupDomain(ctx, domain)
	if err != nil || !f.Filed {
		return mps.ICPRecord{}, err
	}
	return mps.ICPRecord{Filed: true, SubjectName: f.SubjectName, SubjectNumber: f.SubjectNumber,
		ServiceNumber: f.ServiceNumber, ServiceName: f.WebsiteName}, nil
}

// ErrRemoteSimulator refuses a command that needs the simulator's database in a provider configured to reach the
// simulator over the network.
var ErrRemoteSimulator = errors.New("the MIIT simulator runs in its own process (BEIAN_MIIT_URL): run this command with the simulator's configuration, without BEIAN_MIIT_URL")

// regulatorLink is the console's view of the HTTP transport.
func (a *App) regulatorLink() provider.RegulatorLink { return linkOf(a.remote.Status()) }

// linkOf is the console's view of a transport's status.
func linkOf(st wiresign.Status) provider.RegulatorLink {
	return provider.RegulatorLink{Down: st.Down(), Failures: st.Failures, LastOK: st.LastOK, LastFailure: st.LastFailure,
		Error: st.Error}
}
