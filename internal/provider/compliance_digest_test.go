package provider

import (
	"encoding/json"
	"testing"

	"github.com/beian/beian/internal/compliance"
	"github.com/beian/beian/internal/provider/store"
)

// A site that failed only because the registry could not be asked is not a new failure for the digest, nor a
// failure that keeps the next sweep's real one out of it.
func TestVerifiedFailure(t *testing.T) {
	site := func(state string, findings ...compliance.Finding) store.SiteResult {
		b, _ := json.Marshal(compliance.Report{Findings: findings})
		return store.SiteResult{State: state, Report: b}
	}
	unavailable := compliance.Finding{Code: "registry.unavailable", Severity: compliance.Error}
	wrong := compliance.Finding{Code: "icp.wrong_number", Severity: compliance.Error}
	warning := compliance.Finding{Code: "title.mismatch", Severity: compliance.Warning}
	for _, c := range []struct {
		name string
		r    store.SiteResult
		want bool
	}{
		{"passed", site(store.SitePass, warning), false},
		{"a wrong number", site(store.SiteFail, wrong), true},
		{"the registry away only", site(store.SiteFail, unavailable, warning), false},
		{"the registry away and a wrong number", site(store.SiteFail, unavailable, wrong), true},
		{"a report that cannot be read", store.SiteResult{State: store.SiteFail, Report: []byte("{")}, true},
	} {
		if got := verifiedFailure(c.r); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}
