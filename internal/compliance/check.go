package compliance

import (
	"context"
	"errors"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/html"

	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/ident"
)

// Report is the result of checking one site.
type Report struct {
	Target    string    `json:"target"`
	Domain    string    `json:"domain,omitempty"` // the registrable domain the registry was asked about
	Fetched   *Fetched  `json:"fetched,omitempty"`
	Filing    *Filing   `json:"filing,omitempty"`
	Page      *Page     `json:"page,omitempty"`
	Findings  []Finding `json:"findings"`
	Pass      bool      `json:"pass"` // no finding of severity error
	CheckedAt time.Time `json:"checked_at"`
}

// Localize fills the message of every finding in lang.
func (r *Report) Localize(lang i18n.Lang) {
	for i := range r.Findings {
		r.Findings[i].Message = r.Findings[i].Text(lang)
	}
}

// Count returns how many findings have severity s.
func (r *Report) Count(s Severity) int {
	n := 0
	for _, f := range r.Findings {
		if f.Severity == s {
			n++
		}
	}
	return n
}

// codeUnavailable is the error of a report whose registry could not be asked (Check writes it out, as every
// finding, for TestDocListsEveryFinding).
const codeUnavailable = "registry.unavailable"

// FoundWrong reports whether the report has an error other than the registry's absence: something found wrong
// on the page or in the registry, not only numbers that could not be verified.
func (r *Report) FoundWrong() bool {
	return slices.ContainsFunc(r.Findings, func(f Finding) bool { return f.Severity == Error && f.Code != codeUnavailable })
}

// Checker checks homepages against a registry.
type Checker struct {
	reg   Registry
	fetch *fetcher
	now   func() time.Time
}

// NewChecker returns a checker that asks reg about each domain and fetches with cfg.
func NewChecker(reg Registry, cfg FetchConfig) *Checker {
	return &Checker{reg: reg, fetch: newFetcher(cfg), now: time.Now}
}

// Check checks the homepage of target, a domain ("example.cn", "www.example.cn") or a URL. A domain is tried
// over HTTPS first, then over HTTP; a URL is fetched as given.
func (c *Checker) Check(ctx context.Context, target string) Report {
	rep := Report{Target: strings.TrimSpace(target), CheckedAt: c.now().UTC()}
	urls, domain, ok := targetURLs(rep.Target)
	if !ok {
		rep.add(finding(Error, "target.invalid", "target", rep.Target))
		return rep
	}
	rep.Domain = domain
	filing, err := c.reg.LookupDomain(ctx, domain)
	if err != nil {
		// Without the registry the numbers the page shows cannot be verified: the site does not pass (the page
		// is still read, so that the report says what else to fix).
		rep.add(finding(Error, "registry.unavailable", "reason", err.Error()))
	} else {
		filing.Domain = domain
		rep.Filing = &filing
		rep.add(registryFindings(filing)...)
		if filing.policeErr != nil {
			rep.add(finding(Warning, "police.unavailable", "reason", filing.policeErr.Error()))
		}
	}
	ctx, cancel := context.WithTimeout(ctx, c.fetch.cfg.Timeout)
	defer cancel()
	f, fs := c.fetchFirst(ctx, urls)
	rep.add(fs...)
	if f == nil {
		return rep
	}
	rep.Fetched = f
	if f.Status < 200 || f.Status > 299 {
		return rep // an error page is not the homepage: its footer says nothing
	}
	doc, err := html.Parse(strings.NewReader(f.Body))
	if err != nil { // elements nested more than 512 deep: browsers cope, the parser gives up
		rep.add(finding(Error, "page.unparsable", "url", f.URL, "reason", err.Error()))
		return rep
	}
	page := Extract(doc)
	rep.Page = &page
	rep.add(pageFindings(page, rep.Filing)...)
	return rep
}

func (r *Report) add(fs ...Finding) {
	r.Findings = append(r.Findings, fs...)
	r.Pass = r.Count(Error) == 0
}

// targetURLs returns the URLs to try for target and the registrable domain the registry is asked about.
func targetURLs(target string) (urls []string, domain string, ok bool) {
	if target == "" || strings.ContainsAny(target, " \t\r\n") {
		return nil, "", false
	}
	raw := target
	if !strings.Contains(target, "://") {
		raw = "https://" + target
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, "", false
	}
	r := ident.Domain(u.Hostname(), ident.ForApp)
	reg, _ := r.Info["registrable"].(string)
	if reg == "" {
		return nil, "", false
	}
	if u.Path == "" {
		u.Path = "/"
	}
	urls = []string{u.String()}
	if !strings.Contains(target, "://") {
		u.Scheme = "http"
		urls = append(urls, u.String())
	}
	return urls, reg, true
}

// fetchFirst fetches the first URL that answers; failures before it are notes, the last one is an error.
func (c *Checker) fetchFirst(ctx context.Context, urls []string) (*Fetched, []Finding) {
	var out []Finding
	for i, u := range urls {
		f, err := c.fetch.fetch(ctx, u)
		if err == nil {
			return f, append(out, fetchedFindings(f, c.fetch.cfg)...)
		}
		if i < len(urls)-1 && ctx.Err() == nil {
			out = append(out, finding(Info, "fetch.https_failed", "url", u, "reason", reason(err)))
			continue
		}
		return nil, append(out, fetchError(u, err))
	}
	return nil, out
}

// fetchError turns a failed fetch into a finding with its own code for the cases a user must tell apart.
func fetchError(u string, err error) Finding {
	var ne net.Error
	switch {
	case errors.Is(err, ErrBlockedAddress):
		return finding(Error, "fetch.blocked", "url", u, "reason", reason(err))
	case errors.Is(err, errTooManyRedirects):
		return finding(Error, "fetch.too_many_redirects", "url", u)
	case errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout():
		return finding(Error, "fetch.timeout", "url", u)
	}
	return finding(Error, "fetch.failed", "url", u, "reason", reason(err))
}

// reason is the innermost message of a fetch error, without the URL the finding shows anyway.
func reason(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return err.Error()
}

// fetchedFindings notes the redirects, a truncated body and a status that is not success.
func fetchedFindings(f *Fetched, cfg FetchConfig) []Finding {
	var out []Finding
	if len(f.Redirects) > 0 {
		chain := make([]string, 0, len(f.Redirects)+1)
		for _, h := range f.Redirects {
			chain = append(chain, h.URL+" ("+strconv.Itoa(h.Status)+")")
		}
		chain = append(chain, f.URL)
		out = append(out, finding(Info, "fetch.redirected", "count", strconv.Itoa(len(f.Redirects)),
			"chain", strings.Join(chain, " → ")))
	}
	if f.Status < 200 || f.Status > 299 {
		out = append(out, finding(Error, "fetch.status", "url", f.URL, "status", strconv.Itoa(f.Status)))
	}
	if f.Truncated {
		out = append(out, finding(Warning, "fetch.truncated", "limit", strconv.FormatInt(cfg.MaxBytes, 10)))
	}
	return out
}

// registryFindings: the domain must be filed, and not cancelled.
func registryFindings(f Filing) []Finding {
	switch {
	case f.Filed:
		return nil
	case f.Cancelled:
		return []Finding{finding(Error, "registry.cancelled", "domain", f.Domain, "number", f.ServiceNumber)}
	}
	return []Finding{finding(Error, "registry.not_filed", "domain", f.Domain)}
}
