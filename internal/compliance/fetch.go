package compliance

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// FetchConfig limits how a homepage is fetched.
type FetchConfig struct {
	Timeout      time.Duration // the whole fetch of one site, redirects and body included (default 15 s)
	MaxBytes     int64         // the most of a body that is read (default 4 MiB); the rest is not checked
	MaxRedirects int           // default 10
	// AllowPrivate permits loopback, private, link-local and other non-public addresses. Production leaves it
	// off, so that a checked URL cannot make the server reach its own network; tests turn it on.
	AllowPrivate bool
	// Resolve maps "host:port" to the "ip:port" to dial instead, like curl --resolve; the address is still
	// subject to AllowPrivate.
	Resolve map[string]string
	// RootCAs are the certificate authorities to trust (nil: the system's).
	RootCAs   *x509.CertPool
	UserAgent string
}

func (c FetchConfig) withDefaults() FetchConfig {
	if c.Timeout <= 0 {
		c.Timeout = 15 * time.Second
	}
	if c.MaxBytes <= 0 {
		c.MaxBytes = 4 << 20
	}
	if c.MaxRedirects <= 0 {
		c.MaxRedirects = 10
	}
	if c.UserAgent == "" {
		c.UserAgent = "beian-compliance/1 (+https://github.com/beian/beian)"
	}
	return c
}

// Hop is one redirect: the URL that answered and its status.
type Hop struct {
	URL    string `json:"url"`
	Status int    `json:"status"`
}

// Fetched is a homepage as served.
type Fetched struct {
	URL       string `json:"url"` // after redirects
	Status    int    `json:"status"`
	Redirects []Hop  `json:"redirects,omitempty"`
	Charset   string `json:"charset"`
	Bytes     int    `json:"bytes"`
	Truncated bool   `json:"truncated,omitempty"`
	Body      string `json:"-"` // decoded to UTF-8
}

// ErrBlockedAddress is returned when a fetch would reach an address that is not public.
var ErrBlockedAddress = errors.New("address is not public")

// errTooManyRedirects marks a fetch stopped by MaxRedirects.
var errTooManyRedirects = errors.New("too many redirects")

// fetcher fetches homepages with one client.
type fetcher struct {
	cfg    FetchConfig
	client *http.Client
}

func newFetcher(cfg FetchConfig) *fetcher {
	cfg = cfg.withDefaults()
	d := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}
	if !cfg.AllowPrivate {
		d.Control = refusePrivate
	}
	tr := &http.Transport{
		Proxy: nil, // a proxy would dial on our behalf and bypass the address check
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if to, ok := cfg.Resolve[addr]; ok {
				addr = to
			}
			return d.DialContext(ctx, network, addr)
		},
		TLSClientConfig:     &tls.Config{RootCAs: cfg.RootCAs, MinVersion: tls.VersionTLS12},
		TLSHandshakeTimeout: 5 * time.Second,
		// No ResponseHeaderTimeout: the context of the fetch ends at Timeout anyway, and a second timer of the
		// same length raced it, so that a site that never answered over HTTPS was sometimes tried over HTTP
		// with no time left (its context not yet marked done) instead of being reported as timed out.
		MaxIdleConnsPerHost: 2,
		IdleConnTimeout:     30 * time.Second,
	}
	return &fetcher{cfg: cfg, client: &http.Client{Transport: tr, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if len(via) >= cfg.MaxRedirects {
			return errTooManyRedirects
		}
		return nil
	}}}
}

// refusePrivate is the dialer's Control hook: it runs after name resolution, on the address actually dialled,
// so a public name that resolves to a private address is refused too.
func refusePrivate(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: %s", ErrBlockedAddress, address)
	}
	if !publicAddr(ap.Addr()) {
		return fmt.Errorf("%w: %s", ErrBlockedAddress, ap.Addr())
	}
	return nil
}

// sharedSpace is 100.64.0.0/10 (carrier-grade NAT, RFC 6598), which netip does not class as private.
var sharedSpace = netip.MustParsePrefix("100.64.0.0/10")

func publicAddr(a netip.Addr) bool {
	a = a.Unmap()
	return a.IsGlobalUnicast() && !a.IsPrivate() && !sharedSpace.Contains(a)
}

// fetch gets url, following redirects, and reads at most MaxBytes of the body.
func (f *fetcher) fetch(ctx context.Context, url string) (*Fetched, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", f.cfg.UserAgent)
	req.Header.Set("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5")
	req.Header.Set("Accept-Language", "zh-CN,zh;q=0.9")
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	out := &Fetched{URL: resp.Request.URL.String(), Status: resp.StatusCode, Redirects: hops(resp)}
	raw, err := io.ReadAll(io.LimitReader(resp.Body, f.cfg.MaxBytes+1))
	if err != nil {
		return out, err
	}
	if int64(len(raw)) > f.cfg.MaxBytes {
		raw, out.Truncated = raw[:f.cfg.MaxBytes], true
	}
	out.Bytes = len(raw)
	out.Body, out.Charset = decode(raw, resp.Header.Get("Content-Type"))
	return out, nil
}

// hops lists the redirects that led to resp, first first.
func hops(resp *http.Response) []Hop {
	var out []Hop
	for r := resp.Request.Response; r != nil; r = r.Request.Response {
		out = append([]Hop{{URL: r.Request.URL.String(), Status: r.StatusCode}}, out...)
	}
	return out
}

// decode converts a body to UTF-8: the byte order mark, the Content-Type charset or the page's <meta> decide;
// a page that declares nothing is UTF-8 when it is valid UTF-8 and GB18030 otherwise (Chinese sites that
// declare nothing are GBK, and GB18030 reads GBK and GB2312). GBK and GB2312 labels are read as GB18030, their
// superset, so characters outside them do not turn into replacement marks.
func decode(raw []byte, contentType string) (string, string) {
	e, name, certain := charset.DetermineEncoding(raw, contentType)
	if !certain && name == "windows-1252" { // the parser's fallback: nothing was declared
		if utf8.Valid(raw) {
			return string(raw), "utf-8"
		}
		e, name = simplifiedchinese.GB18030, "gb18030"
	}
	switch strings.ToLower(name) {
	case "gbk", "gb2312", "gb18030":
		e, name = simplifiedchinese.GB18030, "gb18030"
	}
	if e == encoding.Nop || name == "utf-8" {
		return strings.ToValidUTF8(string(bytes.TrimPrefix(raw, []byte("\xef\xbb\xbf"))), "\uFFFD"), "utf-8"
	}
	out, err := e.NewDecoder().Bytes(raw)
	if err != nil {
		return strings.ToValidUTF8(string(raw), "\uFFFD"), name
	}
	return string(out), name
}
