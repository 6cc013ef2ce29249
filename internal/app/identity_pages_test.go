package app_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/beian/beian/internal/app"
)

// The reviewer's order page shows each verified person's ID card photo beside the live face photo and, with no
// comparison service configured, says the comparison is by eye (人工比对).
func TestReviewerSeesIDBesideFace(t *testing.T) {
	a := startApp(t, "", func(c *app.Config) { c.Evidence.Require = false })
	p := newParties(t, a)
	c, res := p.newApplicant("identity@example.com")
	o := p.draftReady(c, res, "identity-demo.cn")
	_, ms := p.attachAll(c, o, content(o), false)
	p.verifyPerson(c, o.ID, "subject_principal")
	reviewer := []*http.Cookie{{Name: "beian_session", Value: p.reviewer.token}}

	resp, body := page(t, "GET", a.URL()+path("/console/orders/%d", o.ID), "zh-CN", reviewer, "", nil)
	if resp.StatusCode != 200 {
		t.Fatalf("order page: %d", resp.StatusCode)
	}
	sec := regexp.MustCompile(`(?s)<div class="identity-person" id="identity-subject_principal">.*?</div>\s*</div>`).FindString(body)
	if sec == "" {
		t.Fatalf("no side-by-side block for the subject principal in %s", visible(body))
	}
	var cred string
	for _, m := range ms {
		if m.Code == "subject_principal_credential" {
			cred = path(`src="/api/v1/materials/%d"`, m.ID)
		}
	}
	photo := regexp.MustCompile(`src="/api/v1/verifications/\d+/photo"`)
	if cred == "" || !strings.Contains(sec, cred) || !photo.MatchString(sec) {
		t.Fatalf("the ID card photo (%s) and the face photo are not side by side: %s", cred, sec)
	}
	if !strings.Contains(visible(sec), "人工比对") {
		t.Fatalf("the comparison is not said to be by eye: %s", visible(sec))
	}
}
