package app_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/password"
	"github.com/beian/beian/internal/police"
	"github.com/beian/beian/internal/police/policehttp"
	"github.com/beian/beian/internal/regulator"
	"github.com/beian/beian/internal/regulator/regulatorhttp"
	"github.com/beian/beian/internal/web/webtest"
	"github.com/beian/beian/internal/wiresign/wiretest"
)

// `beian miit serve` with mutual TLS and no shared secret: it listens on https; a provider node holding the
// client certificate downloads the simulator's results over it; a caller without a certificate is refused by
// the interface, while browsers without one still reach the simulator's pages.
func TestSimulatorOverMutualTLS(t *testing.T) {
	pki := wiretest.NewPKI(t)
	dir := t.TempDir()
	m, err := app.NewMIIT(context.Background(), app.Config{DataDir: dir, DatabaseURL: "sqlite:" + filepath.Join(dir, "unused.db"),
		Mode: "demo", ProviderID: "beian-demo", MIITPolicy: "manual", Seed: true, Password: password.Fast,
		Regulator: app.RegulatorConfig{Addr: "127.0.0.1:0", TLS: pki.Server(t)}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	if err := m.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(m.URL(), "https://") {
		t.Fatalf("simulator at %s", m.URL())
	}
	a := startApp(t, "", func(c *app.Config) {
		c.Regulator = app.RegulatorConfig{URL: m.URL(), PublicURL: m.URL(), TLS: pki.Client(t, "beian-demo")}
	})
	eventually(t, "a download of the results over mutual TLS", func() bool {
		_, body := webtest.Get(t, a.URL()+"/metrics")
		return strings.Contains(body, `beian_regulator_request_duration_seconds_count{op="results",outcome="ok"}`)
	})

	browser := trusting(t, pki.CA())
	_, err = regulatorhttp.NewClient(m.URL(), "beian-demo", nil, browser).LookupDomain(context.Background(), "example.cn")
	if !errors.Is(err, regulator.ErrUnavailable) || !strings.Contains(err.Error(), "code 1") {
		t.Fatalf("a call without a client certificate: %v", err)
	}
	resp, err := browser.Get(m.URL() + "/miit/verify")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("the SMS verification page without a client certificate: HTTP %d", resp.StatusCode)
	}
}

// `beian mps serve` with mutual TLS and no shared secret: a provider's client certificate reads a filing's
// state; a call without one is refused.
func TestPolicePlatformOverMutualTLS(t *testing.T) {
	pki := wiretest.NewPKI(t)
	dir := t.TempDir()
	m, err := app.NewMPS(context.Background(), app.Config{DataDir: dir, DatabaseURL: "sqlite:" + filepath.Join(dir, "unused.db"),
		Mode: "demo", ProviderID: "beian-demo", MPSPolicy: "manual", Password: password.Fast, ICPQueryURL: "http://127.0.0.1:1",
		Police: app.RegulatorConfig{Addr: "127.0.0.1:0", TLS: pki.Server(t)}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	if err := m.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	hc, err := pki.Client(t, "beian-demo").HTTPClient()
	if err != nil {
		t.Fatal(err)
	}
	q := police.StatusQuery{Domain: "never-filed.cn"}
	if st, err := policehttp.NewClient(m.URL(), "beian-demo", nil, hc).FilingStatus(context.Background(), q); err != nil ||
		st.State != police.StateNone {
		t.Fatalf("with the provider's certificate: %+v, %v", st, err)
	}
	_, err = policehttp.NewClient(m.URL(), "beian-demo", nil, trusting(t, pki.CA())).FilingStatus(context.Background(), q)
	if !errors.Is(err, police.ErrUnavailable) || !strings.Contains(err.Error(), "code 1") {
		t.Fatalf("a call without a client certificate: %v", err)
	}
}

// trusting is a client that trusts the authority in caFile and presents no certificate.
func trusting(t *testing.T, caFile string) *http.Client {
	t.Helper()
	pem, err := os.ReadFile(caFile)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	return &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
}
