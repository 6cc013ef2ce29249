package compliance

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
)

// mapPolice is the police platform's public query held in memory: domain → police number.
type mapPolice map[string]string

func (m mapPolice) PoliceNumberOf(_ context.Context, domain string) (string, error) {
	if n, ok := m["error"]; ok {
		return "", errors.New(n)
	}
	return m[domain], nil
}

// The police number on the homepage is checked against the police platform's public query: the site's own
// number passes, another number is wrong, a number for a site the platform has no filing of is not filed, and
// a platform that cannot be asked leaves a warning while the ICP checks still run.
func TestCheckPoliceAgainstPlatform(t *testing.T) {
	cfg := serveSites(t, testSites(t))
	cases := []struct {
		pol  mapPolice
		want []string
	}{
		{mapPolice{"good.cn": goodPolice}, nil},
		{mapPolice{"good.cn": "京公网安备11010502000001号"}, []string{"police.wrong_number"}},
		{mapPolice{}, []string{"police.not_filed"}},
		{mapPolice{"error": "connection refused"}, []string{"police.unavailable"}},
	}
	for _, tc := range cases {
		r := NewChecker(WithPolice(testRegistry(), tc.pol), cfg).Check(context.Background(), "good.cn")
		if got := codes(r, false); !slices.Equal(got, tc.want) {
			t.Errorf("%v: findings %v, want %v", tc.pol, got, tc.want)
		}
		if r.Filing == nil || !r.Filing.Filed {
			t.Errorf("%v: the ICP filing was lost: %+v", tc.pol, r.Filing)
		}
	}
	// Without the platform, a number the registry does not know is not judged.
	if r := NewChecker(testRegistry(), cfg).Check(context.Background(), "good.cn"); len(codes(r, false)) != 0 {
		t.Errorf("without the platform: %v", codes(r, false))
	}
}

// HTTPPolice reads the police platform's public query API.
func TestHTTPPolice(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path != "/mps/api/v1/query":
			http.NotFound(w, r)
		case r.URL.Query().Get("domain") == "good.cn":
			w.Write([]byte(`{"records":[{"website_name":"示例","police_number":"` + goodPolice + `"}]}`))
		case r.URL.Query().Get("domain") == "down.cn":
			http.Error(w, "down", http.StatusBadGateway)
		default:
			w.Write([]byte(`{"records":[]}`))
		}
	}))
	defer srv.Close()
	p := HTTPPolice{BaseURL: srv.URL + "/"}
	ctx := context.Background()
	if n, err := p.PoliceNumberOf(ctx, "good.cn"); err != nil || n != goodPolice {
		t.Errorf("good.cn: %q %v", n, err)
	}
	if n, err := p.PoliceNumberOf(ctx, "none.cn"); err != nil || n != "" {
		t.Errorf("none.cn: %q %v", n, err)
	}
	if _, err := p.PoliceNumberOf(ctx, "down.cn"); err == nil {
		t.Error("down.cn: no error")
	}
}
