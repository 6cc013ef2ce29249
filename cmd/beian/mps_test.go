package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/loadtest"
	"github.com/beian/beian/internal/police"
	"github.com/beian/beian/internal/police/policehttp"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/web/webtest"
)

// policeWebsites is the provider's answer about an order's police filings.
type policeWebsites struct {
	Websites []provider.PoliceWebsite `json:"websites"`
}

// The police platform runs as its own process (`beian mps serve`, its own SQLite file and address, MIIT's public
// query read over HTTP from the provider's process) and the provider reaches it only over the signed police
// interface: an order gets its ICP number, the applicant pushes the website's data with consent and gets a data
// code, which the platform itself then knows; the provider reads the state back through the interface and sends
// its visitors' /mps/… links to the platform's site. With the platform down, the push is refused with the
// translated "cannot be reached" message, nothing is recorded and the console says the platform cannot be
// reached; once it is back, the same push goes through and the console's warning goes.
func TestPolicePlatformApart(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts two processes")
	}
	bin, provAddr, mpsAddr, mpsDir := buildBeian(t), freeAddr(t), freeAddr(t), t.TempDir()
	startMPS := func() *node {
		return startProc(t, bin, "mps", []string{"mps", "serve"}, "BEIAN_MPS_ADDR", mpsAddr, mpsDir,
			"BEIAN_MODE=demo", "BEIAN_MPS_SECRET="+wireSecret, "BEIAN_MPS_ICP_URL=http://"+provAddr)
	}
	mps := startMPS()
	prov := startProc(t, bin, "provider", []string{"serve"}, "BEIAN_ADDR", provAddr, t.TempDir(),
		"BEIAN_MODE=demo", "BEIAN_MPS_URL="+mps.url, "BEIAN_MPS_SECRET="+wireSecret, "BEIAN_REQUIRE_EVIDENCE=false")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	client := loadtest.NewHTTPClient(4)
	staff, err := loadtest.LoginStaff(ctx, []string{prov.url}, client, app.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	run := fmt.Sprint(time.Now().UnixNano())
	applicant, err := loadtest.NewApplicant(ctx, []string{prov.url}, client, staff, run, 0)
	if err != nil {
		t.Fatal(err)
	}
	var id int64
	staff.AfterSubmit = func(order int64) { id = order }
	if _, err := loadtest.Lifecycle(ctx, applicant, staff, run, 9); err != nil {
		t.Fatal(err)
	}
	domain := fmt.Sprintf("l9-%s.cn", run)
	path := fmt.Sprintf("/api/v1/orders/%d/police", id)

	// down: refused with the translated message, nothing recorded
	mps.stop(os.Kill)
	err = applicant.Do(ctx, "POST", path+"/pushes", map[string]any{"service_index": 0, "consent": true}, nil, "Accept-Language", "en")
	if err == nil || !strings.Contains(err.Error(), "police.unavailable") || !strings.Contains(err.Error(), "cannot be reached") {
		t.Fatalf("push while the platform is down: %v", err)
	}
	if body := consolePage(ctx, t, prov.url); !strings.Contains(body, "police-link-down") {
		t.Fatalf("the console does not say the police platform is unreachable:\n%s", body)
	}

	mps = startMPS()
	var pushed provider.PoliceWebsite
	if err := applicant.Do(ctx, "POST", path+"/pushes", map[string]any{"service_index": 0, "consent": true}, &pushed); err != nil {
		t.Fatal(err)
	}
	if pushed.DataCode == nil || len(pushed.DataCode.Code) != 12 || pushed.Status.State != police.StateDataPushed {
		t.Fatalf("pushed %+v", pushed)
	}
	platform := policehttp.NewClient(mps.url, "beian-demo", []byte(wireSecret), nil)
	st, err := platform.FilingStatus(ctx, police.StatusQuery{DataCode: pushed.DataCode.Code})
	if err != nil || st.State != police.StateDataPushed || st.Domain != domain {
		t.Fatalf("the platform's own state of the code: %+v %v", st, err)
	}
	var read policeWebsites
	if err := applicant.Do(ctx, "GET", path, nil, &read); err != nil || len(read.Websites) != 1 ||
		read.Websites[0].Status.State != police.StateDataPushed || read.Websites[0].DataCode.Code != pushed.DataCode.Code {
		t.Fatalf("read back %+v %v", read, err)
	}
	if body := consolePage(ctx, t, prov.url); strings.Contains(body, "police-link-down") {
		t.Fatal("the console still says the police platform is unreachable")
	}
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(prov.url + "/mps/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != mps.url+"/mps/" {
		t.Fatalf("the provider's link to the platform: HTTP %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	checkPoliceMetrics(t, prov.url, mps.url)
}

// checkPoliceMetrics checks that the provider counted its round trips to the platform (the push refused while
// it was down, the one answered after) and that the platform exports its own routes and queues.
func checkPoliceMetrics(t *testing.T, provURL, mpsURL string) {
	t.Helper()
	for url, wants := range map[string][]string{
		provURL: {`beian_police_request_duration_seconds_count{op="push",outcome="error"} 1`,
			`beian_police_request_duration_seconds_count{op="push",outcome="ok"} 1`,
			`beian_police_request_duration_seconds_count{op="status",outcome="ok"}`},
		mpsURL: {`beian_http_request_duration_seconds_count{code="200",method="POST",route="POST /mps/isp/v1/push"} 1`,
			`beian_mps_records{kind="website",state="review"} 0`, `go_sql_wait_count_total{db_name="mps"}`},
	} {
		_, body := webtest.Get(t, url+"/metrics")
		for _, w := range wants {
			if !strings.Contains(body, w) {
				t.Errorf("%s/metrics lacks %q", url, w)
			}
		}
	}
}
