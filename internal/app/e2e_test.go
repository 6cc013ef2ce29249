package app_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/storetest"
	"github.com/beian/beian/internal/workday"
)

// parties of one running server.
type parties struct {
	t                                   *testing.T
	a                                   *app.App
	public, reviewer, officer, operator *client
	verified                            map[string]string // phone → the last code it verified with
}

func newParties(t *testing.T, a *app.App) *parties {
	base := a.URL()
	return &parties{t: t, a: a, public: &client{t: t, base: base},
		reviewer: login(t, base, "reviewer@beian.local", app.DemoPassword),
		officer:  login(t, base, "officer@beian.local", app.DemoPassword),
		operator: login(t, base, "operator@beian.local", app.DemoPassword), verified: map[string]string{}}
}

// approvalYears matches the year in a filing number the administration approved since from on a's clock: the
// year of approval in Beijing, which is from's year unless New Year came in Beijing meanwhile (the app runs on
// the real clock, so a number approved in 2027 says 2027).
func approvalYears(a *app.App, from time.Time) string {
	y0, y1 := from.In(workday.Location()).Year(), a.Clock.Now().In(workday.Location()).Year()
	if y0 == y1 {
		return fmt.Sprint(y0)
	}
	return fmt.Sprintf("(?:%d|%d)", y0, y1)
}

// newApplicant registers and logs in an applicant and gives them a prepaid instance with quota, bought on the
// app's clock (a test that advanced it a year files on an instance bought then, not one expired by then).
func (p *parties) newApplicant(email string) (*client, int64) {
	c := &client{t: p.t, base: p.a.URL()}
	c.must(202, "POST", "/api/v1/accounts", map[string]string{"email": email, "name": "陈伟", "mobile": "13926184530",
		"password": "correct horse 1"}, nil)
	c = login(p.t, p.a.URL(), email, "correct horse 1")
	var acc struct{ ID int64 }
	c.must(200, "GET", "/api/v1/me", nil, &acc)
	now := p.a.Clock.Now()
	var res struct{ ID int64 }
	p.operator.must(201, "POST", "/api/v1/console/resources", map[string]any{"owner_id": acc.ID, "name": "ecs-test",
		"ips": []string{"203.0.113.77"}, "billing": "prepaid", "starts_at": now, "expires_at": now.AddDate(1, 0, 0),
		"quota_total": 5}, &res)
	return c, res.ID
}

const (
	uscc      = "91440101MA9W87654R"
	legalRep  = "440106199207154565"
	mobile    = "13926184530"
	emergency = "13751208469"
)

func check(domain string) provider.CheckInput {
	return provider.CheckInput{Province: "44", Nature: "enterprise", CredentialType: "business_license",
		CredentialNumber: uscc, ServiceKind: filing.Website, Domain: domain}
}

func principal() filing.Principal {
	return filing.Principal{Name: "陈伟", CredentialType: "resident_id", CredentialNumber: legalRep,
		CredentialValidFrom: "2015-01-01", CredentialValidTo: "2035-01-01", OfficePhone: "020-83920147",
		Mobile: mobile, EmergencyMobile: emergency, Email: "chenwei@gz-demo.cn"}
}

// content is a complete, valid Guangdong enterprise filing for o's services.
func content(o *filing.Order) provider.Content {
	subj := o.Subject
	subj.Name = "广州示例云科技有限公司"
	subj.CredentialAddress = "广州市天河区天河路100号"
	subj.CommunicationAddress = "广东省广州市天河区天河路100号"
	subj.Investor = "陈伟"
	subj.LegalRepresentative = &filing.LegalRepresentative{Name: "陈伟", IDNumber: legalRep}
	subj.Principal = principal()
	services := make([]filing.Service, len(o.Services))
	for i, s := range o.Services {
		s.Languages, s.PrincipalSameAsSubject = []string{"zh-Hans"}, true
		if s.Kind == filing.Website {
			s.Name, s.Content = "广州示例云科技官网", []string{"unit_portal"}
		}
		services[i] = s
	}
	return provider.Content{Subject: subj, Services: services, AgreementsAccepted: true}
}

func (p *parties) open(c *client, in provider.CheckInput, resourceID int64, wantType filing.OrderType) *filing.Order {
	var res provider.CheckResult
	c.must(200, "POST", "/api/v1/filing-type-checks", in, &res)
	if res.OrderType != wantType {
		p.t.Fatalf("filing type = %s, want %s", res.OrderType, wantType)
	}
	var o filing.Order
	c.must(201, "POST", "/api/v1/orders", provider.CreateInput{Check: in, Resource: filing.ResourceRef{InstanceID: resourceID}}, &o)
	return &o
}

func (p *parties) state(c *client, id int64) filing.State {
	var o filing.Order
	c.must(200, "GET", path("/api/v1/orders/%d", id), nil, &o)
	return o.State
}

func (p *parties) waitState(c *client, id int64, want filing.State) {
	p.t.Helper()
	eventually(p.t, string(want), func() bool { return p.state(c, id) == want })
}

var codeRE = regexp.MustCompile(`(\d{6})`)

// smsCode reads the code of the latest message from 12381 to phone in the development outbox. The simulator
// texts the code after its commit, so the order may show sms_pending a moment before it is sent: until then the
// latest message is an earlier order's, whose code this phone already verified with (trySMS), and is passed over.
func (p *parties) smsCode(phone string) string {
	p.t.Helper()
	code := ""
	eventually(p.t, "a new SMS code from 12381 to "+phone, func() bool {
		var out struct {
			Messages []struct{ Sender, Body string }
		}
		p.operator.must(200, "GET", "/api/v1/dev/messages?to="+phone, nil, &out)
		for _, m := range out.Messages {
			if m.Sender == "12381" {
				code = codeRE.FindString(m.Body)
				if page := p.a.Cfg.BaseURL + "/miit/verify"; code != "" && !strings.Contains(m.Body, page) {
					p.t.Fatalf("the SMS does not name the simulator's verification page %s: %s", page, m.Body)
				}
				return code != "" && code != p.verified[phone]
			}
		}
		return false
	})
	return code
}

// forward takes a draft through provider review to SMS verification.
func (p *parties) forward(c *client, id int64) {
	c.must(200, "POST", path("/api/v1/orders/%d/submit", id), nil, nil)
	p.reviewer.must(200, "POST", path("/api/v1/console/orders/%d/decisions", id), provider.Decision{Decision: "approve"}, nil)
	p.waitState(c, id, filing.SMSPending)
}

func (p *parties) verify(phone string) {
	if status, body := p.trySMS(phone, p.smsCode(phone), legalRep[12:]); status != 200 {
		p.t.Fatalf("SMS verification of %s: %d %s", phone, status, body)
	}
}

// trySMS enters a code on the simulator's verification API as the public would, solving a fresh image challenge
// (read through the operator's demo hook, as no page shows it).
func (p *parties) trySMS(phone, code, last6 string) (int, []byte) {
	p.t.Helper()
	var c struct{ ID string }
	p.public.must(201, "POST", "/miit/api/v1/captchas", nil, &c)
	var answer struct{ Answer string }
	p.operator.must(200, "GET", "/miit/api/v1/dev/captchas/"+c.ID, nil, &answer)
	status, body := p.public.do("POST", "/miit/api/v1/sms-verifications", map[string]string{"phone": phone, "code": code,
		"id_last6": last6, "captcha_id": c.ID, "captcha": answer.Answer})
	if status == 200 {
		p.verified[phone] = code
	}
	return status, body
}

// officerDecide approves or rejects the submission of provider order id at the administration.
func (p *parties) officerDecide(id int64, approve bool) {
	p.officer.must(200, "POST", path("/miit/api/v1/reviews/%d/decision", p.reviewOf(id)),
		map[string]any{"approve": approve, "reason": "网站名称与主办单位不符"}, nil)
}

// reviewOf is the administration's review of the submission of provider order id.
func (p *parties) reviewOf(id int64) int64 {
	p.t.Helper()
	var list struct {
		Reviews []struct {
			ID              int64 `json:"id"`
			ProviderOrderID int64 `json:"provider_order_id"`
		}
	}
	p.officer.must(200, "GET", "/miit/api/v1/reviews", nil, &list)
	for _, r := range list.Reviews {
		if r.ProviderOrderID == id {
			return r.ID
		}
	}
	p.t.Fatalf("order %d not in the officer's queue: %+v", id, list.Reviews)
	return 0
}

// The core lifecycle of issue #2, over HTTP, on every database.
func TestLifecycleEndToEnd(t *testing.T) {
	for name, url := range storetest.URLs(t) {
		t.Run(name, func(t *testing.T) {
			a := startApp(t, url)
			p := newParties(t, a)
			applicant, resourceID := p.newApplicant("chenwei@example.com")

			o := p.open(applicant, check("guangzhou-demo.cn"), resourceID, filing.NewFiling)
			if o.State != filing.Draft || o.Subject.CredentialNumber != uscc || o.Services[0].IPs[0] != "203.0.113.77" {
				t.Fatalf("draft: %+v", o)
			}
			// Another applicant cannot see or touch it.
			other, _ := p.newApplicant("other@example.com")
			for _, pth := range []string{"/api/v1/orders/%d", "/api/v1/orders/%d/timeline", "/api/v1/orders/%d/evaluation"} {
				if codes := other.errorCodes(404, "GET", path(pth, o.ID), nil); !hasCode(codes, "order.not_found") {
					t.Fatalf("other applicant on %s: %v", pth, codes)
				}
			}
			other.errorCodes(404, "POST", path("/api/v1/orders/%d/submit", o.ID), nil)

			// Submitting an incomplete draft is refused and changes nothing.
			applicant.errorCodes(422, "POST", path("/api/v1/orders/%d/submit", o.ID), nil)
			if st := p.state(applicant, o.ID); st != filing.Draft {
				t.Fatalf("refused submit changed state to %s", st)
			}

			c := content(o)
			c.Subject.CommunicationAddress = "广东省广州市天河区" // not precise to the house number: refused
			applicant.must(200, "PUT", path("/api/v1/orders/%d", o.ID), c, nil)
			if codes := applicant.errorCodes(422, "POST", path("/api/v1/orders/%d/submit", o.ID), nil); !hasCode(codes, "field.address_imprecise") {
				t.Fatalf("imprecise address: %v", codes)
			}
			c.Subject.CommunicationAddress = "广东省广州市天河区天河路1号" // the reviewer will ask for the unit
			applicant.must(200, "PUT", path("/api/v1/orders/%d", o.ID), c, nil)
			var ev struct {
				Materials  []struct{ Code string }
				Violations []struct{ Code, Field string }
			}
			applicant.must(200, "GET", path("/api/v1/orders/%d/evaluation", o.ID), nil, &ev)
			if !hasMaterial(ev.Materials, "guangdong_commitment_letter") {
				t.Fatalf("Guangdong commitment letter not required: %+v", ev.Materials)
			}
			applicant.must(200, "POST", path("/api/v1/orders/%d/submit", o.ID), nil, nil)

			p.reviewer.must(200, "POST", path("/api/v1/console/orders/%d/decisions", o.ID), provider.Decision{
				Decision: "request_changes", Notes: []filing.Note{{Field: "subject.communication_address", Message: "请填写到楼栋和房号"}}}, nil)
			var tl provider.Timeline
			applicant.must(200, "GET", path("/api/v1/orders/%d/timeline", o.ID), nil, &tl)
			last := tl.Events[len(tl.Events)-1]
			if tl.Order.State != filing.NeedsChanges || len(last.Notes) != 1 || last.Notes[0].Field != "subject.communication_address" {
				t.Fatalf("needs changes not recorded: %+v", last)
			}
			c.Subject.CommunicationAddress = "广东省广州市天河区天河路100号"
			applicant.must(200, "PUT", path("/api/v1/orders/%d", o.ID), c, nil)
			applicant.must(200, "POST", path("/api/v1/orders/%d/submit", o.ID), nil, nil)
			if st := p.state(applicant, o.ID); st != filing.Resubmitted {
				t.Fatalf("after fix: %s", st)
			}
			p.reviewer.must(200, "POST", path("/api/v1/console/orders/%d/decisions", o.ID), provider.Decision{Decision: "approve"}, nil)
			p.waitState(applicant, o.ID, filing.SMSPending)
			// Withdrawal is still possible here (until administration review), shown on a second order below.
			p.verify(mobile)
			p.waitState(applicant, o.ID, filing.AdministrationReview)
			applicant.errorCodes(409, "POST", path("/api/v1/orders/%d/withdraw", o.ID), nil)

			approving := a.Clock.Now()
			p.officerDecide(o.ID, true)
			p.waitState(applicant, o.ID, filing.Approved)
			var done filing.Order
			applicant.must(200, "GET", path("/api/v1/orders/%d", o.ID), nil, &done)
			number := done.Services[0].Number
			if !regexp.MustCompile(`^粤ICP备` + approvalYears(a, approving) + `\d{6}号-1$`).MatchString(number) {
				t.Fatalf("service number %q", number)
			}
			var q struct {
				Records []struct {
					ServiceNumber string `json:"service_number"`
				}
			}
			p.public.must(200, "GET", "/api/v1/query?domain=guangzhou-demo.cn", nil, &q)
			if len(q.Records) != 1 || q.Records[0].ServiceNumber != number {
				t.Fatalf("public query: %+v", q)
			}

			// A new website and an APP for the same subject share its sequence: -2, then -3A.
			o2 := p.open(applicant, check("guangzhou-demo2.cn"), resourceID, filing.NewService)
			c2 := content(o2)
			icon := uploadIcon(t, applicant)
			c2.Services = append(c2.Services, appService(icon))
			applicant.must(200, "PUT", path("/api/v1/orders/%d", o2.ID), c2, nil)
			p.forward(applicant, o2.ID)
			p.verify(mobile)
			p.waitState(applicant, o2.ID, filing.AdministrationReview)
			p.officerDecide(o2.ID, true)
			p.waitState(applicant, o2.ID, filing.Approved)
			applicant.must(200, "GET", path("/api/v1/orders/%d", o2.ID), nil, &done)
			subject := strings.TrimSuffix(number, "-1")
			if done.Services[0].Number != subject+"-2" || done.Services[1].Number != subject+"-3A" {
				t.Fatalf("numbers %q %q, want %s-2 and %s-3A", done.Services[0].Number, done.Services[1].Number, subject, subject)
			}
		})
	}
}

func appService(icon int64) filing.Service {
	return filing.Service{Kind: filing.App, Name: "示例云助手", Domains: []string{"api.guangzhou-demo.cn"},
		IPs: []string{"203.0.113.77"}, Content: []string{"life.local_services"}, Languages: []string{"zh-Hans"}, PrincipalSameAsSubject: true,
		App: &filing.AppInfo{IconMaterialID: icon, Platforms: []filing.Platform{{Platform: "android", Package: "cn.gzdemo.assistant",
			PublicKey: "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA", Signature: "9f:86:d0:81:88:4c:7d:65:9a:2f:ea:a0:c5:5a:d0:15"}}}}
}

func hasMaterial(ms []struct{ Code string }, code string) bool {
	for _, m := range ms {
		if m.Code == code {
			return true
		}
	}
	return false
}

// uploadIcon uploads a 128×128 PNG icon and returns its material id.
func uploadIcon(t *testing.T, c *client) int64 {
	img := image.NewRGBA(image.Rect(0, 0, 128, 128))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 7)
	}
	var buf bytes.Buffer
	png.Encode(&buf, img)
	req, _ := http.NewRequest("POST", c.base+"/api/v1/materials?code=app_icon", &buf)
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", "image/png")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var m struct{ ID int64 }
	if resp.StatusCode != 201 {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("upload icon: %d %s", resp.StatusCode, b)
	}
	json.NewDecoder(resp.Body).Decode(&m)
	return m.ID
}
