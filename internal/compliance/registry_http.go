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
)

// QueryRecord is one record of the public filing query's answer (GET /api/v1/query), as far as the check
// needs it.
type QueryRecord struct {
	SubjectName   string `json:"subject_name"`
	SubjectNumber string `json:"subject_number"`
	ServiceNumber string `json:"service_number"`
	ServiceName   string `json:"service_name"`
	Kind          string `json:"kind"`   // website, app, mini_program, quick_app
	Status        string `json:"status"` // filed or cancelled
}

// HTTPRegistry answers from a running beian's public query API (GET /api/v1/query?domain=). When the server
// limits the rate (429), it waits as Retry-After says and asks again, at most three times.
type HTTPRegistry struct {
	BaseURL string // e.g. http://127.0.0.1:8080
	Client  *http.Client
}

// LookupDomain implements Registry.
func (r HTTPRegistry) LookupDomain(ctx context.Context, domain string) (Filing, error) {
	var a struct {
		Records []QueryRecord `json:"records"`
	}
	u := strings.TrimRight(r.BaseURL, "/") + "/api/v1/query?domain=" + url.QueryEscape(domain)
	if err := getAnswer(ctx, r.Client, u, "registry", &a); err != nil {
		return Filing{}, err
	}
	return FilingOf(domain, a.Records), nil
}

// getAnswer asks a public query API (the registry's or the police platform's) at u and decodes its JSON answer
// into v. When the server limits the rate (429), it waits as Retry-After says and asks again, at most three
// times; who names the service in errors.
func getAnswer(ctx context.Context, client *http.Client, u, who string, v any) error {
	if client == nil {
		client = &http.Client{Timeout: 15 * time.Second}
	}
	for attempt := 0; ; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return err
		}
		req.Header.Set("Accept", "application/json")
		resp, err := client.Do(req)
		if err != nil {
			return err
		}
		wait, err := readAnswer(resp, who, v)
		if wait > 0 && attempt < 3 {
			select {
			case <-time.After(wait):
				continue
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		return err
	}
}

// readAnswer reads a query answer into v; wait is set when the server asks to come back later.
func readAnswer(resp *http.Response, who string, v any) (time.Duration, error) {
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return 0, err
	}
	if resp.StatusCode == http.StatusTooManyRequests {
		secs, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
		return time.Duration(max(secs, 1)) * time.Second, fmt.Errorf("%s: rate limited", who)
	}
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("%s: %s", who, resp.Status)
	}
	if err := json.Unmarshal(body, v); err != nil {
		return 0, fmt.Errorf("%s: %w", who, err)
	}
	return 0, nil
}

// FilingOf reads the filing of a domain from the records the query answered: a filed website first, then any
// filed service, then a cancelled website or service.
func FilingOf(domain string, recs []QueryRecord) Filing {
	best := -1
	rank := func(r QueryRecord) int {
		n := 0
		if r.Status != "cancelled" {
			n += 2
		}
		if r.Kind == "website" {
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
	cancelled := r.Status == "cancelled"
	return Filing{Domain: domain, Filed: !cancelled, Cancelled: cancelled, SubjectName: r.SubjectName,
		SubjectNumber: r.SubjectNumber, ServiceNumber: r.ServiceNumber, WebsiteName: r.ServiceName}
}
