package app_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/web"
	"github.com/beian/beian/internal/web/filingview"
)

// A "needs changes" notification names the field as the pages do (its label with its section), ends its
// sentences with one full stop, and is written in the language the applicant last chose on the pages.
func TestNotificationsReadLikeThePages(t *testing.T) {
	a := startApp(t, "")
	p := newParties(t, a)
	c, res := p.newApplicant("notes@example.com")
	o := p.open(c, check("notes-demo.cn"), res, filing.NewFiling)
	c.must(200, "PUT", path("/api/v1/orders/%d", o.ID), content(o), nil)
	const field = "subject.communication_address"
	askChanges := func() {
		c.must(200, "POST", path("/api/v1/orders/%d/submit", o.ID), nil, nil)
		p.reviewer.must(200, "POST", path("/api/v1/console/orders/%d/decisions", o.ID), provider.Decision{
			Decision: "request_changes", Notes: []filing.Note{{Field: field, Message: "请填写到楼栋和房号。"}}}, nil)
	}

	askChanges()
	zh := filingview.QualifiedLabel(i18n.ZhCN, field, o) + "：请填写到楼栋和房号。请登录"
	checkNotified(t, p, c, zh)

	// The applicant switches the pages to English: later messages are in English.
	c.do("GET", "/lang?to=en&next=/", nil, "Cookie", web.SessionCookie+"="+c.token)
	askChanges()
	en := "Review notes: " + filingview.QualifiedLabel(i18n.En, field, o) + ": 请填写到楼栋和房号. Log in"
	checkNotified(t, p, c, en)
}

// checkNotified waits until the applicant's SMS, e-mail and inbox each carry want, and none shows a field's
// JSON path or a doubled full stop.
func checkNotified(t *testing.T, p *parties, c *client, want string) {
	t.Helper()
	bad := func(s string) bool {
		return strings.Contains(s, "subject.") || strings.Contains(s, "。。") || strings.Contains(s, "..")
	}
	var seen []string
	for _, to := range []string{mobile, "notes@example.com"} {
		eventually(t, "a message to "+to+" with "+want, func() bool {
			var out struct {
				Messages []struct{ Subject, Body string }
			}
			p.operator.must(200, "GET", "/api/v1/dev/messages?to="+to, nil, &out)
			for _, m := range out.Messages {
				if strings.Contains(m.Body, want) {
					seen = append(seen, m.Body)
					return true
				}
			}
			return false
		})
	}
	var inbox struct {
		Messages []struct{ Title, Body string }
	}
	c.must(200, "GET", "/api/v1/inbox", nil, &inbox)
	found := false
	for _, m := range inbox.Messages {
		found = found || strings.Contains(m.Body, want)
		seen = append(seen, m.Body)
	}
	if !found {
		t.Fatalf("no inbox message with %q in %+v", want, inbox.Messages)
	}
	for _, s := range seen {
		if bad(s) {
			t.Errorf("message shows a field path or a doubled full stop: %q", s)
		}
	}
}

// The 备案成功 message gives the subject's number as well as the website's.
func TestApprovedMessageGivesBothNumbers(t *testing.T) {
	a := startApp(t, "")
	p := newParties(t, a)
	c, res := p.newApplicant("numbers@example.com")
	o := p.open(c, check("numbers-demo.cn"), res, filing.NewFiling)
	c.must(200, "PUT", path("/api/v1/orders/%d", o.ID), content(o), nil)
	p.forward(c, o.ID)
	p.verify(mobile)
	p.waitState(c, o.ID, filing.AdministrationReview)
	approving := a.Clock.Now()
	p.officerDecide(o.ID, true)
	p.waitState(c, o.ID, filing.Approved)
	var inbox struct {
		Messages []struct{ Title, Body string }
	}
	c.must(200, "GET", "/api/v1/inbox", nil, &inbox)
	year := approvalYears(a, approving)
	want := regexp.MustCompile(`主体备案号：粤ICP备` + year + `\d{6}号；网站/APP备案号：粤ICP备` + year + `\d{6}号-1`)
	for _, m := range inbox.Messages {
		if want.MatchString(m.Body) {
			return
		}
	}
	t.Fatalf("no approval message with both numbers in %+v", inbox.Messages)
}
