package web_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// An error beside a field names the field as its form labels it, in every language, even where the catalog has a
// label for the same form name that means something else: the resources form's "name" is the instance's
// name (实例名称), not a person's (姓名), whether it is left empty or holds a refused character.
func TestErrorsNameTheFieldAsTheFormLabelsIt(t *testing.T) {
	base := startApp(t).URL()
	beside := regexp.MustCompile(`(?s)id="f-name-err"[^>]*>(.*?)</`)
	for _, c := range []struct{ lang, want, wrong string }{
		{"zh-CN", "实例名称", "姓名"}, {"zh-TW", "實例名稱", "姓名"}, {"en", "Instance name", "Name"},
	} {
		b := newBrowser(t, base)
		b.lang = c.lang
		b.login(operator)
		for _, name := range []string{" ", "ecs\x00gz"} {
			p := b.post("/console/resources", url.Values{"owner_email": {applicant}, "name": {name}, "region": {"cn-guangzhou"},
				"ips": {"203.0.113.98"}, "billing": {"prepaid"}, "starts_at": {"2026-01-01"}, "expires_at": {"2027-01-01"},
				"quota_total": {"5"}})
			m := beside.FindStringSubmatch(p.body)
			if m == nil {
				t.Fatalf("%s %q: no error beside the instance name (%d)", c.lang, name, p.status)
			}
			rest := strings.ReplaceAll(m[1], c.want, "") // neither the person's name nor the form name "name"
			if !strings.Contains(m[1], c.want) || strings.Contains(rest, c.wrong) || strings.Contains(rest, "name") {
				t.Errorf("%s %q: the error beside the instance name reads %q, want it to name %s", c.lang, name, m[1], c.want)
			}
			if !strings.Contains(summaryRE.FindString(p.body), `<bdi class="err-field">`+c.want+`</bdi>`) {
				t.Errorf("%s %q: the summary does not name %s:\n%s", c.lang, name, c.want, summaryRE.FindString(p.body))
			}
		}
	}
}
