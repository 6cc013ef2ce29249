package loadtest

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/beian/beian/internal/divisions"
	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/miit"
)

// RegistryDomain is the domain of the i-th generated filing.
func RegistryDomain(i int) string { return fmt.Sprintf("q%07d.cn", i) }

// registryYears are the years generated filings were approved in; with the 31 provinces they give every
// (province, year) its own six-digit serial range, as the real registry has, so that 10,000,000 filings need
// about 20,200 serials of each and subject numbers never repeat. Serials start at serialBase, clear of the
// small numbers of demo data and of filings made during a run.
const (
	registryFirstYear = 2010
	registryYears     = 16
	serialBase        = 500_001
)

// RegistrySubjectNumber returns the subject number and province code of the i-th generated filing: filings
// go round the provinces, then the years, then the serials.
func RegistrySubjectNumber(i int) (number, province string) {
	ps := divisions.Provinces()
	p := ps[i%len(ps)]
	year := registryFirstYear + (i/len(ps))%registryYears
	serial := i/(len(ps)*registryYears) + serialBase
	return fmt.Sprintf("%cICP备%d%06d号", p.Abbr, year, serial), p.Code
}

// Registry returns n filed subjects with one website each, for loading into the simulator's registry: the
// i-th filing (from ≤ i < from+n) is a distinct enterprise of province and year as RegistrySubjectNumber says,
// approved in that year, with the domain RegistryDomain(i).
func Registry(from, n int, providerID string) []miit.SeedRecord {
	recs := make([]miit.SeedRecord, n)
	for k := range recs {
		i := from + k
		subject, province := RegistrySubjectNumber(i)
		year := registryFirstYear + (i/len(divisions.Provinces()))%registryYears
		approved := time.Date(year, time.Month(1+i%12), 1+i%28, 10, 0, 0, 0, time.UTC)
		recs[k] = miit.SeedRecord{Province: province, ApprovedAt: approved, Providers: []string{providerID},
			Subject: filing.Subject{Nature: "enterprise", Name: fmt.Sprintf("负载测试第%d号科技有限公司", i),
				CredentialType: "business_license", CredentialNumber: USCCIn(province, i), Number: subject},
			Services: []filing.Service{{Kind: filing.Website, Name: fmt.Sprintf("负载测试第%d号网站", i),
				Domains: []string{RegistryDomain(i)}, Number: subject + "-1"}}}
	}
	return recs
}

// Result summarises a load run.
type Result struct {
	Requests int64
	Errors   int64
	Elapsed  time.Duration
	P50, P99 time.Duration
}

// PerSecond is the rate of successful requests.
func (r Result) PerSecond() float64 { return float64(r.Requests-r.Errors) / r.Elapsed.Seconds() }

func (r Result) String() string {
	return fmt.Sprintf("%d requests in %s: %.0f/s, %d errors, p50 %s, p99 %s",
		r.Requests, r.Elapsed.Round(time.Millisecond), r.PerSecond(), r.Errors, r.P50, r.P99)
}

// NewHTTPClient returns a client that keeps enough idle connections for c concurrent workers.
func NewHTTPClient(c int) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns, tr.MaxIdleConnsPerHost = c*2, c*2
	return &http.Client{Transport: tr, Timeout: 30 * time.Second}
}

// ByDomain is a URL maker for Queries: the public query by domain of random filings below n.
func ByDomain(base string, n int) func(uint64) string {
	return func(r uint64) string { return base + "/api/v1/query?domain=" + RegistryDomain(int(r%uint64(n))) }
}

// ByNamePrefix is a URL maker for Queries: the public query by a subject name prefix that matches about ten
// filings below n (the name of filing i with its last digit dropped).
func ByNamePrefix(base string, n int) func(uint64) string {
	return func(r uint64) string {
		prefix := fmt.Sprintf("负载测试第%d", 10+int(r%uint64(max(n/10-1, 1))))
		return base + "/api/v1/query?subject_name=" + url.QueryEscape(prefix)
	}
}

// Queries runs c workers, each asking the URLs that urlOf makes from random numbers as fast as answers come,
// for d or until ctx ends.
func Queries(ctx context.Context, c int, d time.Duration, urlOf func(uint64) string) Result {
	return run(ctx, c, d, 0, urlOf)
}

// QueriesAt is Queries at a steady total rate (requests a second, spread evenly over the workers) instead
// of as fast as possible: the latency at a given load.
func QueriesAt(ctx context.Context, c int, d time.Duration, rate float64, urlOf func(uint64) string) Result {
	return run(ctx, c, d, rate, urlOf)
}

func run(ctx context.Context, c int, d time.Duration, rate float64, urlOf func(uint64) string) Result {
	client := NewHTTPClient(c)
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var reqs, errs atomic.Int64
	lat := make([][]time.Duration, c)
	var wg sync.WaitGroup
	start := time.Now()
	for w := 0; w < c; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			seed := uint64(w)*7919 + 1
			var interval time.Duration
			if rate > 0 {
				interval = time.Duration(float64(c) / rate * float64(time.Second))
			}
			next := start.Add(time.Duration(w) * interval / time.Duration(c))
			for ctx.Err() == nil {
				if interval > 0 {
					time.Sleep(time.Until(next))
					next = next.Add(interval)
				}
				seed = seed*6364136223846793005 + 1442695040888963407
				t0 := time.Now()
				if err := get(ctx, client, urlOf(seed>>33)); err != nil {
					if ctx.Err() != nil {
						return
					}
					errs.Add(1)
				}
				reqs.Add(1)
				lat[w] = append(lat[w], time.Since(t0))
			}
		}()
	}
	wg.Wait()
	return summarise(reqs.Load(), errs.Load(), time.Since(start), lat)
}

func get(ctx context.Context, client *http.Client, url string) error {
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	if resp.StatusCode != 200 {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	return nil
}

func summarise(reqs, errs int64, elapsed time.Duration, lat [][]time.Duration) Result {
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	r := Result{Requests: reqs, Errors: errs, Elapsed: elapsed}
	if len(all) > 0 {
		r.P50, r.P99 = all[len(all)/2], all[len(all)*99/100]
	}
	return r
}
