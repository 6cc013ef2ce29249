package provider

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider/store"
	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/storetest"
)

// newcomer registers an applicant with no instance, reading messages in lang.
func (r *rig) newcomer(email, mobile string, lang i18n.Lang) Actor {
	r.t.Helper()
	a, err := r.svc.Register(r.ctx, Registration{Email: email, Name: "王芳", Mobile: mobile, Password: "correct horse 1"})
	if err != nil {
		r.t.Fatal(err)
	}
	by := Actor{ID: a.ID, Role: RoleApplicant}
	if err := r.svc.SetLang(r.ctx, by, lang); err != nil {
		r.t.Fatal(err)
	}
	return by
}

// A request for an authorization code: what is refused, one open request per account and domain, and who may
// ask and answer.
func TestCodeRequestRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		r := newRig(t, db)
		a := r.newcomer("new@example.cn", "13912345670", i18n.ZhCN)
		b := r.newcomer("other@example.cn", "13912345671", i18n.ZhCN)
		if _, err := r.svc.RequestAuthorizationCode(r.ctx, a, "Taken.CN", "网站在自建机房"); err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name, domain, reason string
			by                   Actor
			code, field          string
		}{
			{"no reason", "a.cn", "  ", a, "common.required", "reason"},
			{"a reason too long", "a.cn", strings.Repeat("长", MaxCodeRequestReason+1), a, "authreq.reason_too_long", "reason"},
			{"a NUL in the reason", "a.cn", "自建\x00机房", a, "common.text_control_char", "reason"},
			{"a right-to-left override in the reason", "a.cn", "自建\u202e机房", a, "common.text_control_char", "reason"},
			{"invalid UTF-8 in the reason", "a.cn", "自建\xff机房", a, "common.text_invalid_utf8", "reason"},
			{"a control character in the domain", "a\x07.cn", "自建机房", a, "common.text_control_char", "domain"},
			{"not a domain", "http://", "自建机房", a, "", "domain"},
			{"the same domain still open, however written", " taken.cn ", "再次申请", a, "authreq.open_exists", "domain"},
			{"a reviewer cannot ask", "b.cn", "自建机房", Actor{ID: r.reviewer.ID, Role: RoleReviewer}, "common.forbidden", ""},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				_, err := r.svc.RequestAuthorizationCode(r.ctx, c.by, c.domain, c.reason)
				if err == nil {
					t.Fatal("accepted")
				}
				e := problem.As(err)[0]
				if (c.code != "" && e.Code != c.code) || e.Field != c.field {
					t.Fatalf("error %s on %q, want %s on %q", e.Code, e.Field, c.code, c.field)
				}
			})
		}
		// Another account may ask for the same domain; nothing refused above was stored.
		if _, err := r.svc.RequestAuthorizationCode(r.ctx, b, "taken.cn", "我们是同一家公司的另一个账号"); err != nil {
			t.Fatal(err)
		}
		if mine, err := r.svc.CodeRequests(r.ctx, a); err != nil || len(mine) != 1 || mine[0].Domain != "taken.cn" {
			t.Fatalf("a's requests %+v %v", mine, err)
		}
		all, err := r.svc.CodeRequests(r.ctx, r.reviewer)
		if err != nil || len(all) != 2 {
			t.Fatalf("the reviewer sees %+v %v", all, err)
		}
		// Only staff answer; an applicant cannot issue a code for their own request.
		if _, err := r.svc.IssueRequestedCode(r.ctx, a, all[0].ID, []string{"198.51.100.7"}, 0); problem.KindOf(err) != problem.Forbidden {
			t.Fatalf("an applicant issued: %v", err)
		}
		if _, err := r.svc.DeclineCodeRequest(r.ctx, r.reviewer, all[0].ID, "\u200b"); !problem.Is(err, "common.text_control_char") {
			t.Fatalf("a zero-width space as the decline reason: %v", err)
		}
		if _, err := r.svc.IssueRequestedCode(r.ctx, r.reviewer, all[0].ID, nil, 0); !problem.Is(err, "common.required") {
			t.Fatalf("issued with no IPs: %v", err)
		}
		if _, err := r.svc.DeclineCodeRequest(r.ctx, r.reviewer, 99999, "不符合"); problem.KindOf(err) != problem.NotFound {
			t.Fatalf("declined an unknown request: %v", err)
		}
	})
}

var codeInSMS = regexp.MustCompile(`([2-9A-HJKMNP-Z]{16})`)

// The reviewer's answer: an issued code reaches the applicant by SMS and inbox in their language and files their
// domain; a declined request tells the reason; each step is audited; an answered request cannot be answered again.
func TestCodeRequestAnswers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		r := newRig(t, db)
		zh := r.newcomer("zh@example.cn", "13912345672", i18n.ZhCN)
		en := r.newcomer("en@example.cn", "13912345673", i18n.En)
		q1, err := r.svc.RequestAuthorizationCode(r.ctx, zh, "own-server.cn", "网站部署在自建机房，IP 198.51.100.7")
		if err != nil {
			t.Fatal(err)
		}
		q2, err := r.svc.RequestAuthorizationCode(r.ctx, en, "elsewhere.cn", "hosted abroad")
		if err != nil {
			t.Fatal(err)
		}
		issued, err := r.svc.IssueRequestedCode(r.ctx, r.reviewer, q1.ID, []string{"198.51.100.7"}, 10*24*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		declined, err := r.svc.DeclineCodeRequest(r.ctx, r.operator, q2.ID, "请先购买云服务器。")
		if err != nil {
			t.Fatal(err)
		}
		if issued.State != store.CodeRequestIssued || len(issued.Code) != 16 || !issued.CodeExpiresAt.Equal(r.clk.Now().Add(10*24*time.Hour).Truncate(time.Millisecond)) ||
			declined.State != store.CodeRequestDeclined || declined.DeclineReason != "请先购买云服务器。" || declined.Code != "" {
			t.Fatalf("issued %+v, declined %+v", issued, declined)
		}
		for _, id := range []int64{q1.ID, q2.ID} {
			if _, err := r.svc.DeclineCodeRequest(r.ctx, r.reviewer, id, "再试一次"); !problem.Is(err, "authreq.decided") {
				t.Fatalf("answered request %d answered again: %v", id, err)
			}
		}
		r.run()
		cases := []struct {
			who          Actor
			mobile, want string
		}{
			{zh, "13912345672", "您为域名 own-server.cn 申请的备案授权码为 " + issued.Code},
			{en, "13912345673", "for domain elsewhere.cn was declined: 请先购买云服务器."},
		}
		for _, c := range cases {
			inbox, err := r.svc.Inbox(r.ctx, c.who, 5)
			if err != nil || len(inbox) == 0 || !strings.Contains(inbox[0].Body, c.want) {
				t.Fatalf("inbox of %s: %+v %v", c.mobile, inbox, err)
			}
			if sms, ok := r.box.last(c.mobile, regexp.MustCompile(`(.*`+regexp.QuoteMeta(c.want)+`.*)`)); !ok || strings.Contains(sms, "。。") {
				t.Fatalf("SMS to %s: %q %v", c.mobile, sms, ok)
			}
		}
		if got, _ := r.box.last("13912345672", codeInSMS); got != issued.Code {
			t.Fatalf("the code in the SMS is %q, want %s", got, issued.Code)
		}
		for _, c := range []struct {
			id     int64
			action string
		}{{q1.ID, "authreq.issued"}, {q2.ID, "authreq.declined"}} {
			log, err := r.st.AuditLog(r.ctx, codeRequestObject(c.id), 10)
			if err != nil || len(log) != 2 || log[0].Action != c.action || log[1].Action != "authreq.create" {
				t.Fatalf("audit of %d: %+v %v", c.id, log, err)
			}
		}
		// The code files the domain it was asked for, and only that one.
		in := CreateInput{Check: CheckInput{Province: "44", Nature: "enterprise", CredentialType: "business_license",
			CredentialNumber: usccs[0], ServiceKind: filing.Website, Domain: "own-server.cn"},
			Resource: filing.ResourceRef{AuthorizationCode: issued.Code}}
		o, err := r.svc.CreateOrder(r.ctx, zh, in, "")
		if err != nil || len(o.Services[0].IPs) != 1 || o.Services[0].IPs[0] != "198.51.100.7" {
			t.Fatalf("order with the issued code: %+v %v", o, err)
		}
		// Once answered, the same domain may be asked for again.
		if _, err := r.svc.RequestAuthorizationCode(r.ctx, en, "elsewhere.cn", "已购买云服务器，仍需授权码"); err != nil {
			t.Fatalf("asking again after a decline: %v", err)
		}
	})
}
