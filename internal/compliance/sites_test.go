package compliance

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// The test sites: real homepages served over real HTTP and HTTPS on loopback, reached by name through
// FetchConfig.Resolve as a browser would reach them through DNS.

// mapRegistry is a registry held in memory: the filings the test sites claim.
type mapRegistry map[string]Filing

func (m mapRegistry) LookupDomain(_ context.Context, domain string) (Filing, error) {
	return m[domain], nil
}

const (
	goodICP     = "粤ICP备2020123456号-1"
	goodSubject = "粤ICP备2020123456号"
	goodPolice  = "粤公网安备 44010602000123号"
	goodName    = "示例科技官网"
)

// page returns a homepage with title, body and footer HTML.
func page(title, body, footer string) string {
	return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>` + title + `</title></head><body>` +
		`<header><nav><a href="/">首页</a></nav></header><main>` + body + `</main>` + footer + `</body></html>`
}

const goodFooter = `<footer class="site-footer"><p>© 2026 示例科技有限公司</p>` +
	`<p><a href="https://beian.miit.gov.cn/" target="_blank">粤ICP备2020123456号-1</a></p>` +
	`<p><img src="/gongan.png" alt=""><a href="https://beian.mps.gov.cn/#/query/webSearch?code=44010602000123" ` +
	`rel="noreferrer" target="_blank">粤公网安备44010602000123号</a></p></footer>`

const intro = `<h1>欢迎</h1><p>示例科技提供云计算服务。</p>`

// site is one test homepage: its host, whether it is served over HTTPS, and its handler.
type site struct {
	host  string
	https bool
	h     http.HandlerFunc
}

func html200(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(body))
	}
}

// serveSites starts one HTTPS and one HTTP server answering for every site by Host, and returns the fetch
// configuration that reaches them by name.
func serveSites(t *testing.T, sites []site) FetchConfig {
	t.Helper()
	byHost := map[string]site{}
	names := []string{}
	for _, s := range sites {
		byHost[s.host] = s
		names = append(names, s.host)
	}
	handler := func(tls bool) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			host, _, err := net.SplitHostPort(r.Host)
			if err != nil {
				host = r.Host
			}
			s, ok := byHost[host]
			if !ok || tls != s.https && s.https {
				http.NotFound(w, r)
				return
			}
			s.h(w, r)
		}
	}
	plain := httptest.NewServer(handler(false))
	t.Cleanup(plain.Close)
	secure := httptest.NewUnstartedServer(handler(true))
	cert, pool := selfSigned(t, names)
	secure.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
	secure.StartTLS()
	t.Cleanup(secure.Close)
	cfg := FetchConfig{AllowPrivate: true, RootCAs: pool, Timeout: 5 * time.Second, Resolve: map[string]string{}}
	for _, s := range sites {
		cfg.Resolve[s.host+":80"] = plain.Listener.Addr().String()
		if s.https {
			cfg.Resolve[s.host+":443"] = secure.Listener.Addr().String()
		}
	}
	return cfg
}

// selfSigned makes a certificate for names and a pool that trusts it.
func selfSigned(t *testing.T, names []string) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "beian test sites"},
		DNSNames: names, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, IsCA: true, BasicConstraintsValid: true,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(c)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pool
}

// codes lists the codes of the findings of severity error or warning, and of info when withInfo.
func codes(r Report, withInfo bool) []string {
	var out []string
	for _, f := range r.Findings {
		if f.Severity != Info || withInfo {
			out = append(out, f.Code)
		}
	}
	return out
}

func findingOf(r Report, code string) (Finding, bool) {
	for _, f := range r.Findings {
		if f.Code == code {
			return f, true
		}
	}
	return Finding{}, false
}

func filed(domain string) Filing {
	return Filing{Domain: domain, Filed: true, SubjectName: "示例科技有限公司", SubjectNumber: goodSubject,
		ServiceNumber: goodICP, WebsiteName: goodName}
}

func gbk(t *testing.T, s string) string {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().String(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func repeatFiller(n int) string {
	return strings.Repeat("<p>示例科技提供云计算服务，欢迎访问。</p>\n", n)
}
