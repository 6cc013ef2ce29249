package compliance

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/miit"
)

// Querier is the public filing query: internal/miit's Simulator in this process.
type Querier interface {
	Query(ctx context.Context, q miit.Query) ([]miit.Record, error)
}

// QueryRegistry answers from the public filing query in this process (the local database).
type QueryRegistry struct{ Q Querier }

// LookupDomain implements Registry.
func (r QueryRegistry) LookupDomain(ctx context.Context, domain string) (Filing, error) {
	recs, err := r.Q.Query(ctx, miit.Query{Domain: domain})
	if err != nil {
		return Filing{}, err
	}
	return filingOf(domain, recs), nil
}

// HTTPRegistry answers from a running beian's public query API (GET /api/v1/query?domain=). When the server
// limits the rate (429), it waits as Retry-After says and asks again, at most three times.
type HTTPRegistry struct {
	BaseURL string // e.g. http://127.0.0.1:8080
	Client  *http.Client
}

// LookupDomain implements Registry.
func (r HTTPRegistry) LookupDomain(ctx context.Context, domain string) (Filing, error) {
	u := strings.TrimRight(r.BaseURL, "/") + "/api/v1/query?domain=" + url.QueryEscape(domain)
	client := r.Client
	if client == nil {
		client = &http.Client{Timeout: 15 * time.Second}
	}
	for attempt := 0; ; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return Filing{}, err
		}
		req.Header.Set("Accept", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			return Filing{}, err
		}
		wait, recs, err := readAnswer(resp)
		if wait > 0 && attempt < 3 {
			select {
			case <-time.After(wait):
				continue
			case <-ctx.Done():
				return Filing{}, ctx.Err()
			}
		}
		if err != nil {
			return Filing{}, err
		}
		return filingOf(domain, recs), nil
	}
}

// readAnswer reads a query answer; wait is set when the server asks to come back later.
func readAnswer(resp *http.Response) (time.Duration, []miit.Record, error) {
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return 0, nil, err
	}
	if resp.StatusCode == http.StatusTooManyRequests {
		secs, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
		return time.Duration(max(secs, 1)) * time.Second, nil, fmt.Errorf("registry: rate limited")
	}
	if resp.StatusCode != http.StatusOK {
		return 0, nil, fmt.Errorf("registry: %s", resp.Status)
	}
	var a miit.Answer
	if err := json.Unmarshal(body, &a); err != nil {
		return 0, nil, fmt.Errorf("registry: %w", err)
	}
	return 0, a.Records, nil
}

// filingOf reads the filing of a domain from the records the query answered: a filed website first, then any
// filed service, then a cancelled website or service.
func filingOf(domain string, recs []miit.Record) Filing {
	best := -1
	rank := func(r miit.Record) int {
		n := 0
		if r.Status != miit.StatusCancelled {
			n += 2
		}
		if r.Kind == filing.Website {
			n++
		}
		return n
	}
	for i, r := range recs {
		if best < 0 || rank(r) > rank(recs[best]) {
			best = i
		}
	}
	if best < 0 {
		return Filing{Domain: domain}
	}
	r := recs[best]
	cancelled := r.Status == miit.StatusCancelled
	return Filing{Domain: domain, Filed: !cancelled, Cancelled: cancelled, SubjectName: r.SubjectName,
		SubjectNumber: r.SubjectNumber, ServiceNumber: r.ServiceNumber, WebsiteName: r.ServiceName}
}
