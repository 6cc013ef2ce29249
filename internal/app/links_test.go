package app_test

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/web"
)

// Every page the demo's parties reach by following links answers, as a first user clicking around would find:
// from each party's home page, breadth first, every link to this site (links only: no form is sent) and every
// stylesheet, script and image a page loads. A link may lead to a page or redirect to one; none may lead to an
// error. Each page is complete in the language asked for (html lang, a title, no catalog key shown instead of
// its text). The parties: a visitor, an applicant, the demo reviewer, administration officer and operator, a
// police platform user and a police officer, in zh-CN and en.
func TestEveryLinkAnswers(t *testing.T) {
	a := startApp(t, "")
	base := a.URL()
	// Something on every desk: a filed website on its way to its police number (data code pushed, subject and
	// application with the police), and another order waiting for the reviewer.
	p := newParties(t, a)
	applicant, resourceID := p.newApplicant("walker@example.com")
	o := p.approvedICP(applicant, resourceID, "walk-demo.cn")
	var pushed struct {
		DataCode struct{ Code string } `json:"data_code"`
	}
	applicant.must(200, "POST", path("/api/v1/orders/%d/police/pushes", o.ID), map[string]any{"service_index": 0, "consent": true}, &pushed)
	fileWithDataCode(t, base, p.operator, pushed.DataCode.Code)
	waiter, res := p.newApplicant("waiting@example.com")
	waiting, cont := p.shanghaiDraft(waiter, res, "walk-waiting.cn")
	cont.Subject.Principal = zhang
	cont.Subject.LegalRepresentative = &filing.LegalRepresentative{Name: zhang.Name, IDNumber: zhang.CredentialNumber}
	waiter.must(200, "PUT", path("/api/v1/orders/%d", waiting.ID), cont, nil)
	waiter.must(200, "POST", path("/api/v1/orders/%d/submit", waiting.ID), nil, nil)

	platformUser := mpsLogin(t, base, p.operator, "chenwei", "Chen2026ab")
	officer := mpsLogin(t, base, p.operator, "police-gd", app.DemoPassword)
	provider := func(c *client) []*http.Cookie { return []*http.Cookie{{Name: web.SessionCookie, Value: c.token}} }
	platform := func(c *client) []*http.Cookie { return []*http.Cookie{{Name: "mps_session", Value: c.token}} }
	parties := []struct {
		name    string
		start   []string
		cookies []*http.Cookie
	}{
		{"visitor", []string{"/", "/query", "/mps/", "/miit/verify"}, nil},
		{"applicant", []string{"/"}, provider(applicant)},
		{"reviewer", []string{"/console"}, provider(p.reviewer)},
		{"officer", []string{"/miit/console"}, provider(p.officer)},
		{"operator", []string{"/demo", "/console"}, provider(p.operator)},
		{"platform user", []string{"/mps/"}, platform(platformUser)},
		{"police officer", []string{"/mps/"}, platform(officer)},
	}
	for _, lang := range []string{"zh-CN", "en"} {
		for _, p := range parties {
			t.Run(lang+"/"+p.name, func(t *testing.T) {
				w := &walker{t: t, base: base, lang: lang, cookies: p.cookies, seen: map[string]bool{}}
				w.walk(p.start)
				if w.pages < 3 {
					t.Fatalf("only %d pages reached: the walk proves nothing", w.pages)
				}
				t.Logf("%d pages, %d assets", w.pages, w.assets)
			})
		}
	}
}

// maxPages bounds one party's walk.
const maxPages = 400

type walker struct {
	t             *testing.T
	base, lang    string
	cookies       []*http.Cookie
	seen          map[string]bool
	pages, assets int
}

// rawKey is a catalog key shown instead of its text: an area of the catalogs, then at least two dotted parts.
var rawKey = regexp.MustCompile(`(?:^|[^\w.])((?:authreq|autofill|checkerweb|common|compliance|compliancepolice|` +
	`documents|filed|ident|identity|imaging|liveness|miit|mps|mpschange|mpsweb|notify|police|policewire|provider|` +
	`query|recognise|rules|verify|web|wire)\.[a-z0-9_]+\.[a-z0-9_.]+)`)

func (w *walker) walk(start []string) {
	queue := slices.Clone(start)
	for _, s := range start {
		w.seen[s] = true
	}
	for len(queue) > 0 && w.pages < maxPages {
		from := queue[0]
		queue = queue[1:]
		for _, link := range w.page(from) {
			if !w.seen[link] {
				w.seen[link] = true
				queue = append(queue, link)
			}
		}
	}
}

// page fetches path and returns the links it leads to: the pages it links to, or where it redirects.
func (w *walker) page(path string) []string {
	resp, body := w.get(path)
	switch {
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		if next, ok := w.internal(path, resp.Header.Get("Location")); ok {
			return []string{next}
		}
		return nil
	case resp.StatusCode != http.StatusOK:
		w.t.Errorf("%s: %d, a link leads to an error: %.300s", path, resp.StatusCode, body)
		return nil
	case !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html"):
		return nil // a download (CSV, an image) that a page links to
	}
	w.pages++
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		w.t.Errorf("%s: %v", path, err)
		return nil
	}
	w.complete(path, doc, body)
	var links []string
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		switch n.Data {
		case "a":
			if next, ok := w.internal(path, attr(n, "href")); ok {
				links = append(links, next)
			}
		case "link", "script", "img":
			if src, ok := w.internal(path, attr(n, "href")+attr(n, "src")); ok && !w.seen[src] {
				w.seen[src] = true
				w.asset(path, src)
			}
		}
	}
	return links
}

// complete checks that a page is whole and in the walker's language.
func (w *walker) complete(path string, doc *html.Node, body string) {
	var lang, title string
	for n := range doc.Descendants() {
		switch {
		case n.Type == html.ElementNode && n.Data == "html":
			lang = attr(n, "lang")
		case n.Type == html.ElementNode && n.Data == "title" && n.FirstChild != nil:
			title = strings.TrimSpace(n.FirstChild.Data)
		}
	}
	if lang != w.lang || title == "" {
		w.t.Errorf("%s: html lang %q (want %s), title %q", path, lang, w.lang, title)
	}
	if m := rawKey.FindStringSubmatch(visible(body)); m != nil {
		w.t.Errorf("%s shows the catalog key %s", path, m[1])
	}
}

func (w *walker) asset(from, path string) {
	resp, body := w.get(path)
	w.assets++
	if resp.StatusCode != http.StatusOK {
		w.t.Errorf("%s loads %s: %d %.200s", from, path, resp.StatusCode, body)
	}
}

func (w *walker) get(path string) (*http.Response, string) {
	w.t.Helper()
	resp, body := page(w.t, "GET", w.base+path, w.lang, w.cookies, "", nil)
	return resp, body
}

// internal resolves ref against the page at path and returns the path and query it names on this site;
// false for other sites, other schemes, in-page anchors, and the language switch (which sets a preference).
func (w *walker) internal(path, ref string) (string, bool) {
	if ref == "" || strings.HasPrefix(ref, "#") {
		return "", false
	}
	b, _ := url.Parse(w.base + path)
	u, err := b.Parse(ref)
	if err != nil {
		w.t.Errorf("%s links to %q: %v", path, ref, err)
		return "", false
	}
	if u.Host != b.Host || (u.Scheme != "http" && u.Scheme != "https") || u.Path == "/lang" || u.Query().Has("lang") {
		return "", false
	}
	u.Fragment = ""
	return u.RequestURI(), true
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}
