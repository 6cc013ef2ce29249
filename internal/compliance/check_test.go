package compliance

import (
	"context"
	"net/http"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/beian/beian/internal/i18n"
)

// testSites are the homepages every finding is checked against.
func testSites(t *testing.T) []site {
	gbkFooter := strings.ReplaceAll(goodFooter, "©", "版权所有") // GBK has no ©
	gbkPage := `<html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk"><title>示例科技官网</title></head>` +
		`<body>` + intro + gbkFooter + `</body></html>`
	undeclared := `<html><head><title>示例科技官网</title></head><body>` + intro + gbkFooter + `</body></html>`
	return []site{
		{host: "good.cn", https: true, h: html200(page("示例科技官网 - 首页", intro, goodFooter))},
		{host: "www.good.cn", https: true, h: html200(page(goodName, intro, goodFooter))},
		{host: "subject.cn", https: true, h: html200(page(goodName, intro, strings.ReplaceAll(goodFooter, goodICP, goodSubject)))},
		{host: "wrong.cn", https: true, h: html200(page(goodName, intro, strings.ReplaceAll(goodFooter, "2020123456", "2020654321")))},
		{host: "nolink.cn", https: true, h: html200(page(goodName, intro,
			`<footer><p>粤ICP备2020123456号-1</p></footer>`))},
		{host: "otherlink.cn", https: true, h: html200(page(goodName, intro,
			`<footer><a href="http://www.miitbeian.gov.cn/">粤ICP备2020123456号-1</a></footer>`))},
		{host: "httplink.cn", https: true, h: html200(page(goodName, intro,
			`<footer><a href="http://beian.miit.gov.cn/">粤ICP备2020123456号-1</a></footer>`))},
		{host: "top.cn", https: true, h: html200(page(goodName,
			`<div class="banner"><a href="https://beian.miit.gov.cn/">粤ICP备2020123456号-1</a></div>`+repeatFiller(20), ""))},
		{host: "nobadge.cn", https: true, h: html200(page(goodName, intro, strings.Replace(goodFooter, `<img src="/gongan.png" alt="">`, "", 1)))},
		{host: "legacy.cn", https: true, h: html200(page(goodName, intro, strings.Replace(goodFooter,
			"https://beian.mps.gov.cn/#/query/webSearch?code=44010602000123",
			"http://www.beian.gov.cn/portal/registerSystemInfo?recordcode=44010602000123", 1)))},
		{host: "badcode.cn", https: true, h: html200(page(goodName, intro, strings.Replace(goodFooter,
			"code=44010602000123", "code=44010602000999", 1)))},
		{host: "notitle.cn", https: true, h: html200(page("", intro, goodFooter))},
		{host: "othertitle.cn", https: true, h: html200(page("欢迎光临我的博客", intro, goodFooter))},
		{host: "gbk.cn", https: true, h: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html") // the charset is only in the page's <meta>
			w.Write([]byte(gbk(t, gbkPage)))
		}},
		{host: "gbk-undeclared.cn", https: true, h: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte(gbk(t, undeclared)))
		}},
		{host: "httponly.cn", h: html200(page(goodName, intro, goodFooter))},
		{host: "redirect.cn", https: true, h: func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "https://www.redirect.cn/", http.StatusMovedPermanently)
		}},
		{host: "www.redirect.cn", https: true, h: func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/" {
				http.Redirect(w, r, "/zh-cn/index.html", http.StatusFound)
				return
			}
			html200(page(goodName, intro, goodFooter))(w, r)
		}},
		{host: "loop.cn", https: true, h: func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/again"+r.URL.Path, http.StatusFound)
		}},
		{host: "huge.cn", https: true, h: html200(page(goodName, repeatFiller(40_000), goodFooter))},
		{host: "slow.cn", https: true, h: func(w http.ResponseWriter, r *http.Request) {
			<-r.Context().Done() // answers nothing until the checker gives up
		}},
		{host: "script.cn", https: true, h: html200(page(goodName, intro, `<footer id="footer"></footer><script>
			document.getElementById("footer").innerHTML = '<a href="https://beian.miit.gov.cn/">粤ICP备2020123456号-1</a>';
			</script>`))},
		{host: "spa.cn", https: true, h: html200(`<!DOCTYPE html><html><head><title>示例科技官网</title>` +
			`<script src="/app.js"></script></head><body><div id="app"></div></body></html>`)},
		{host: "hidden.cn", https: true, h: html200(page(goodName, intro, `<footer style="display: none">`+goodFooter+`</footer>`))},
		{host: "gone.cn", https: true, h: html200(page(goodName, intro, goodFooter))},
		{host: "unfiled.cn", https: true, h: html200(page(goodName, intro, goodFooter))},
		{host: "status.cn", https: true, h: func(w http.ResponseWriter, r *http.Request) {
			http.Error(w, "maintenance", http.StatusServiceUnavailable)
		}},
	}
}

func testRegistry() mapRegistry {
	reg := mapRegistry{}
	for _, d := range []string{"good.cn", "subject.cn", "wrong.cn", "nolink.cn", "otherlink.cn", "httplink.cn",
		"top.cn", "nobadge.cn", "legacy.cn", "badcode.cn", "notitle.cn", "othertitle.cn", "gbk.cn",
		"gbk-undeclared.cn", "httponly.cn", "redirect.cn", "loop.cn", "huge.cn", "slow.cn", "script.cn", "spa.cn",
		"hidden.cn", "status.cn"} {
		reg[d] = filed(d)
	}
	reg["gone.cn"] = Filing{Domain: "gone.cn", Cancelled: true, ServiceNumber: goodICP}
	return reg
}

func TestCheckSites(t *testing.T) {
	cfg := serveSites(t, testSites(t))
	// A site is judged by what it answers, however slowly a busy machine serves it (a second was not always
	// enough for huge.cn under the race detector); slow.cn, which answers nothing, times out at any timeout.
	cfg.Timeout, cfg.MaxBytes = time.Minute, 256<<10
	c := NewChecker(testRegistry(), cfg)
	hang := cfg
	hang.Timeout = 100 * time.Millisecond
	hung := NewChecker(testRegistry(), hang)
	cases := []struct {
		target string
		want   []string // error and warning codes, in order
		info   []string // info codes that must be present
	}{
		{"good.cn", nil, nil},
		{"www.good.cn", nil, nil}, // the registry is asked about good.cn
		{"subject.cn", nil, []string{"icp.subject_number"}},
		{"wrong.cn", []string{"icp.wrong_number"}, nil},
		{"nolink.cn", []string{"icp.link_missing"}, nil},
		{"otherlink.cn", []string{"icp.link_wrong"}, nil},
		{"httplink.cn", []string{"icp.link_http"}, nil},
		{"top.cn", []string{"icp.not_at_bottom"}, nil},
		{"nobadge.cn", []string{"police.badge_missing"}, nil},
		{"legacy.cn", []string{"police.link_legacy"}, nil},
		{"badcode.cn", []string{"police.link_wrong"}, nil},
		{"notitle.cn", []string{"title.missing"}, nil},
		{"othertitle.cn", []string{"title.mismatch"}, nil},
		{"gbk.cn", nil, nil},
		{"gbk-undeclared.cn", nil, nil},
		{"httponly.cn", nil, []string{"fetch.https_failed"}},
		{"redirect.cn", nil, []string{"fetch.redirected"}},
		{"https://loop.cn/", []string{"fetch.too_many_redirects"}, nil},
		{"huge.cn", []string{"fetch.truncated", "icp.missing"}, nil},
		{"slow.cn", []string{"fetch.timeout"}, nil},
		{"script.cn", []string{"icp.script_only"}, nil},
		{"spa.cn", []string{"icp.missing"}, nil},
		{"hidden.cn", []string{"icp.missing"}, nil},
		{"gone.cn", []string{"registry.cancelled"}, nil},
		{"unfiled.cn", []string{"registry.not_filed"}, nil},
		{"status.cn", []string{"fetch.status"}, nil}, // an error page is not judged as the homepage
		{"not a domain", []string{"target.invalid"}, nil},
		{"ftp://good.cn/", []string{"target.invalid"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.target, func(t *testing.T) {
			checker := c
			if tc.target == "slow.cn" {
				checker = hung
			}
			r := checker.Check(context.Background(), tc.target)
			if got := codes(r, false); !slices.Equal(got, tc.want) {
				t.Fatalf("findings %v, want %v (all: %+v)", got, tc.want, r.Findings)
			}
			for _, code := range tc.info {
				if _, ok := findingOf(r, code); !ok {
					t.Errorf("no %s finding in %v", code, codes(r, true))
				}
			}
			wantPass := true
			for _, f := range r.Findings {
				if !i18n.Has("compliance." + f.Code) {
					t.Errorf("finding %s has no message in the catalog", f.Code)
				}
				wantPass = wantPass && f.Severity != Error
			}
			if r.Pass != wantPass {
				t.Errorf("Pass = %v with findings %v", r.Pass, codes(r, true))
			}
		})
	}
}

// The details behind the codes: what was fetched, how it was decoded, the numbers and fixes reported.
func TestCheckDetails(t *testing.T) {
	cfg := serveSites(t, testSites(t))
	c := NewChecker(testRegistry(), cfg)
	ctx := context.Background()

	r := c.Check(ctx, "good.cn")
	if r.Domain != "good.cn" || r.Fetched.URL != "https://good.cn/" || r.Fetched.Charset != "utf-8" {
		t.Errorf("good.cn: domain %q, url %q, charset %q", r.Domain, r.Fetched.URL, r.Fetched.Charset)
	}
	if len(r.Page.ICP) != 1 || r.Page.ICP[0].Number != goodICP || !r.Page.ICP[0].InFooter ||
		r.Page.ICP[0].Href != MIITURL {
		t.Errorf("good.cn ICP mentions: %+v", r.Page.ICP)
	}
	if len(r.Page.Police) != 1 || r.Page.Police[0].Number != goodPolice || !r.Page.Police[0].Badge {
		t.Errorf("good.cn police mentions: %+v", r.Page.Police)
	}

	r = c.Check(ctx, "www.good.cn")
	if r.Domain != "good.cn" || r.Fetched.URL != "https://www.good.cn/" || !r.Pass {
		t.Errorf("www.good.cn: domain %q, url %q, findings %v", r.Domain, r.Fetched.URL, codes(r, true))
	}

	for _, host := range []string{"gbk.cn", "gbk-undeclared.cn"} {
		r = c.Check(ctx, host)
		if r.Fetched.Charset != "gb18030" || r.Page.Title != goodName || len(r.Page.ICP) != 1 {
			t.Errorf("%s: charset %q, title %q, ICP %+v", host, r.Fetched.Charset, r.Page.Title, r.Page.ICP)
		}
	}

	r = c.Check(ctx, "wrong.cn")
	f, _ := findingOf(r, "icp.wrong_number")
	if f.Params["shown"] != "粤ICP备2020654321号-1" || f.Params["filed"] != goodICP || !strings.Contains(f.Fix, goodICP) {
		t.Errorf("wrong.cn: %+v", f)
	}
	r.Localize(i18n.En)
	if f := r.Findings[0]; !strings.Contains(f.Message, "粤ICP备2020654321号-1") || !strings.Contains(f.Message, goodICP) {
		t.Errorf("wrong.cn message: %q", f.Message)
	}

	r = c.Check(ctx, "redirect.cn")
	f, _ = findingOf(r, "fetch.redirected")
	if len(r.Fetched.Redirects) != 2 || r.Fetched.Redirects[0] != (Hop{"https://redirect.cn/", 301}) ||
		r.Fetched.Redirects[1] != (Hop{"https://www.redirect.cn/", 302}) ||
		r.Fetched.URL != "https://www.redirect.cn/zh-cn/index.html" || f.Params["count"] != "2" {
		t.Errorf("redirect.cn: %+v, %+v", r.Fetched, f)
	}

	r = c.Check(ctx, "httponly.cn")
	if r.Fetched.URL != "http://httponly.cn/" || !r.Pass {
		t.Errorf("httponly.cn: %q %v", r.Fetched.URL, codes(r, true))
	}

	r = c.Check(ctx, "nobadge.cn")
	f, _ = findingOf(r, "police.badge_missing")
	if !strings.Contains(f.Fix, "<img ") || !strings.Contains(f.Fix, PoliceQueryURL("44010602000123")) {
		t.Errorf("nobadge.cn fix: %q", f.Fix)
	}
}

// A fetch that would reach a loopback or private address is refused unless allowed, after name resolution.
func TestCheckRefusesPrivateAddresses(t *testing.T) {
	cfg := serveSites(t, testSites(t))
	cfg.AllowPrivate = false
	c := NewChecker(testRegistry(), cfg)
	r := c.Check(context.Background(), "good.cn")
	if got := codes(r, false); !slices.Equal(got, []string{"fetch.blocked"}) {
		t.Fatalf("findings %v", codes(r, true))
	}
	for _, target := range []string{"http://127.0.0.1/", "http://[::1]/", "10.0.0.8"} { // filings are by domain
		if r := c.Check(context.Background(), target); !slices.Equal(codes(r, false), []string{"target.invalid"}) {
			t.Errorf("%s: %v", target, codes(r, true))
		}
	}
}

func TestPublicAddr(t *testing.T) {
	for addr, want := range map[string]bool{"8.8.8.8": true, "2400:3200::1": true, "127.0.0.1": false,
		"10.1.2.3": false, "172.16.0.1": false, "192.168.1.1": false, "169.254.1.1": false, "100.64.0.1": false,
		"0.0.0.0": false, "::1": false, "fe80::1": false, "fc00::1": false, "::ffff:127.0.0.1": false,
		"224.0.0.1": false} {
		if got := publicAddr(netip.MustParseAddr(addr)); got != want {
			t.Errorf("publicAddr(%s) = %v, want %v", addr, got, want)
		}
	}
}

// A page nested deeper than the parser accepts is reported as such, not as a missing footer.
func TestCheckUnparsable(t *testing.T) {
	deep := strings.Repeat("<div>", 600) + goodFooter
	cfg := serveSites(t, []site{{host: "deep.cn", https: true, h: html200(deep)}})
	r := NewChecker(mapRegistry{"deep.cn": filed("deep.cn")}, cfg).Check(context.Background(), "deep.cn")
	if got := codes(r, false); !slices.Equal(got, []string{"page.unparsable"}) {
		t.Fatalf("findings %v", codes(r, true))
	}
}
