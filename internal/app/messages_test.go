package app_test

import (
	"strings"
	"testing"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/web"
)

// One finding per cause, in the applicant's words: a unit's credential for the principal is reported once
// (not by the field checks and the rules in two wordings), and messages name code-list entries, not codes.
func TestFindingsOncePerCauseInApplicantsWords(t *testing.T) {
	a := startApp(t, "")
	p := newParties(t, a)
	c, res := p.newApplicant("words@example.com")

	in := check("words-demo.cn")
	in.CredentialType = "resident_id"
	var refused struct {
		Error struct{ Code, Message string }
	}
	c.must(422, "POST", "/api/v1/filing-type-checks", in, &refused)
	if m := refused.Error.Message; refused.Error.Code != "check.credential_not_allowed" || !strings.Contains(m, "企业") ||
		!strings.Contains(m, "居民身份证") || strings.Contains(m, "enterprise") || strings.Contains(m, "resident_id") {
		t.Fatalf("credential not allowed for the nature: %+v", refused.Error)
	}

	o := p.open(c, check("words-demo.cn"), res, filing.NewFiling)
	content := content(o)
	content.Subject.Principal.CredentialType = "business_license"
	c.must(200, "PUT", path("/api/v1/orders/%d", o.ID), content, nil)
	var ev struct {
		Violations []struct{ Code, Field, Message string }
	}
	c.must(200, "GET", path("/api/v1/orders/%d/evaluation", o.ID), nil, &ev)
	var on []string
	for _, v := range ev.Violations {
		if v.Field == "subject.principal.credential_type" {
			on = append(on, v.Message)
		}
	}
	if len(on) != 1 || !strings.Contains(on[0], "营业执照") || strings.Contains(on[0], "business_license") {
		t.Fatalf("want one finding naming 营业执照 on the principal's credential type, got %q", on)
	}
}

// A withdrawn order does not show the applicant's own reason as the reviewer's (审核意见).
func TestWithdrawnOrderShowsNoReviewNotes(t *testing.T) {
	a := startApp(t, "")
	p := newParties(t, a)
	c, res := p.newApplicant("withdraw@example.com")
	o := p.open(c, check("withdraw-demo.cn"), res, filing.NewFiling)
	c.must(200, "PUT", path("/api/v1/orders/%d", o.ID), content(o), nil)
	c.must(200, "POST", path("/api/v1/orders/%d/submit", o.ID), nil, nil)
	c.must(200, "POST", path("/api/v1/orders/%d/withdraw", o.ID), map[string]string{"reason": "域名还没有实名认证"}, nil)
	_, page := c.do("GET", path("/orders/%d", o.ID), nil, "Cookie", web.SessionCookie+"="+c.token)
	if s := string(page); strings.Contains(s, "审核意见") || !strings.Contains(s, "已撤销") {
		t.Fatalf("withdrawn order's page shows review notes or no state: %.2000s", s)
	}
}
