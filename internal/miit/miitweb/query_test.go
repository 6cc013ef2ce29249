package miitweb_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/apptest"
	"github.com/beian/beian/internal/loadtest"
	"github.com/beian/beian/internal/miit"
)

func get(t *testing.T, u string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func answer(t *testing.T, base, query string) (miit.Answer, *http.Response) {
	t.Helper()
	resp, body := get(t, base+"/api/v1/query?"+query)
	var a miit.Answer
	if resp.StatusCode == 200 {
		if err := json.Unmarshal([]byte(body), &a); err != nil {
			t.Fatalf("%s: %v %s", query, err, body)
		}
	}
	return a, resp
}

// The public query over HTTP: hosts below the filed domain, numbers, name prefix page by page with a next
// link, CSV, refusals, and the per-client rate limit with 429 and Retry-After.
func TestPublicQueryHTTP(t *testing.T) {
	a := apptest.Start(t, "", func(c *app.Config) { c.QueryRate, c.QueryBurst = 0.001, 60 })
	if err := a.Sim.LoadRegistry(context.Background(), loadtest.Registry(0, 30, "beian-demo")); err != nil {
		t.Fatal(err)
	}
	base := a.URL()
	subject, _ := loadtest.RegistrySubjectNumber(3)
	for _, q := range []string{"domain=q0000003.cn", "domain=www.q0000003.cn", "domain=a.b.q0000003.cn",
		"number=" + url.QueryEscape(subject), "number=" + url.QueryEscape(subject+"-1")} {
		ans, resp := answer(t, base, q)
		if resp.StatusCode != 200 || len(ans.Records) != 1 || ans.Records[0].SubjectNumber != subject ||
			ans.Records[0].Status != miit.StatusFiled || ans.Records[0].ServiceName != "负载测试第3号网站" {
			t.Errorf("%s: %d %+v", q, resp.StatusCode, ans)
		}
	}

	// 负载测试第1 matches filings 10–19 and 1 (in code-point order "0" < "号"): 11 subjects, pages of 4.
	var names []string
	next := "/api/v1/query?subject_name=" + url.QueryEscape("负载测试第1") + "&limit=4"
	for pages := 0; next != ""; pages++ {
		ans, resp := answer(t, base, strings.TrimPrefix(next, "/api/v1/query?"))
		if pages > 3 || resp.StatusCode != 200 {
			t.Fatalf("page %d: %d", pages, resp.StatusCode)
		}
		for _, r := range ans.Records {
			names = append(names, strings.TrimSuffix(strings.TrimPrefix(r.SubjectName, "负载测试第"), "号科技有限公司"))
		}
		next = ""
		if link := resp.Header.Get("Link"); link != "" {
			next = strings.TrimSuffix(strings.TrimPrefix(link, "<"), `>; rel="next"`)
		}
		if (ans.Next != "") != (next != "") {
			t.Fatalf("next %q but Link %q", ans.Next, link(resp))
		}
	}
	if strings.Join(names, ",") != "10,11,12,13,14,15,16,17,18,19,1" {
		t.Fatalf("name pages gave %v", names)
	}

	resp, body := get(t, base+"/api/v1/query?format=csv&subject_name="+url.QueryEscape("负载测试第2"))
	lines := strings.Split(strings.TrimSpace(body), "\n")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") ||
		!strings.HasPrefix(body, "\ufeffsubject_name,nature,subject_number") || len(lines) != 1+11 ||
		!strings.Contains(body, "\n负载测试第2号科技有限公司,enterprise,") || !strings.HasSuffix(lines[1], ",filed,") {
		t.Fatalf("CSV %d %q:\n%s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}

	for q, code := range map[string]string{"": "miit.query_empty", "limit=0&subject_name=x": "query.limit_invalid",
		"format=xml&domain=q0000003.cn": "query.format_invalid", "domain=not_a_domain": "miit.query_domain_invalid",
		"subject_name=x&after=%21%21": "miit.query_after_invalid", "number=abc": "icp_number.province",
		"number=" + url.QueryEscape("京ICP证030173号"): "icp_number.licence"} {
		resp, body := get(t, base+"/api/v1/query?"+q)
		if resp.StatusCode != 422 || !strings.Contains(body, `"code":"`+code+`"`) {
			t.Errorf("%q: %d %s", q, resp.StatusCode, body)
		}
	}

	resp, body = get(t, base+"/query?kind=subject_name&q="+url.QueryEscape("负载测试第")) // 30 filings: a next page
	if resp.StatusCode != 200 || !strings.Contains(body, `id="query-next"`) || !strings.Contains(body, `id="query-csv"`) {
		t.Errorf("query page: %d", resp.StatusCode)
	}

	// The burst of 60 is spent by now or soon; at 0.001/s a token takes 1,000 s, and however slow the machine,
	// the test refills only a few hundredths of one, so the wait said is close to 1,000 s and the page asked
	// right after is refused too.
	for i := 0; ; i++ {
		resp, body := get(t, base+"/api/v1/query?domain=q0000003.cn")
		if resp.StatusCode == 429 {
			secs, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
			if secs < 900 || secs > 1000 || !strings.Contains(body, `"code":"query.rate_limited"`) {
				t.Fatalf("429: Retry-After %q, %s", resp.Header.Get("Retry-After"), body)
			}
			break
		}
		if i > 60 {
			t.Fatal("no 429 after the burst")
		}
	}
	resp, body = get(t, base+"/query?kind=domain&q=q0000003.cn")
	if secs := resp.Header.Get("Retry-After"); resp.StatusCode != 429 || secs == "" || !strings.Contains(body, secs) {
		t.Errorf("query page over the limit: %d, Retry-After %q", resp.StatusCode, secs)
	}
}

func link(resp *http.Response) string { return resp.Header.Get("Link") }

// A filed name that a spreadsheet would run as a formula comes out of the CSV answer as text (a leading
// apostrophe); the JSON answer keeps it as filed.
func TestPublicQueryCSVNamesAreText(t *testing.T) {
	a := apptest.Start(t, "")
	recs := loadtest.Registry(0, 1, "beian-demo")
	recs[0].Subject.Name = `=HYPERLINK("http://evil.example/","点我")`
	recs[0].Services[0].Name = "+cmd|calc"
	if err := a.Sim.LoadRegistry(context.Background(), recs); err != nil {
		t.Fatal(err)
	}
	domain := recs[0].Services[0].Domains[0]
	resp, body := get(t, a.URL()+"/api/v1/query?format=csv&domain="+domain)
	if resp.StatusCode != 200 || !strings.Contains(body, "\"'=HYPERLINK(\"\"http://evil.example/\"\",\"\"点我\"\")\"") ||
		!strings.Contains(body, ",'+cmd|calc,") {
		t.Fatalf("CSV %d:\n%s", resp.StatusCode, body)
	}
	if ans, _ := answer(t, a.URL(), "domain="+domain); len(ans.Records) != 1 || ans.Records[0].SubjectName != recs[0].Subject.Name {
		t.Fatalf("JSON %+v", ans)
	}
}
