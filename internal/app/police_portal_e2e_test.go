package app_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	neturl "net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/police"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/storetest"
)

// The provider's side of the police filing over HTTP, on every database: an applicant's website is filed at
// MIIT, the portal tells the 30-day deadline, the applicant consents and gets a data code, files on the police
// platform with it (API), police staff approve, and the portal shows the police number and the footer.
func TestPolicePortalOverHTTP(t *testing.T) {
	for name, url := range storetest.URLs(t) {
		t.Run(name, func(t *testing.T) {
			a := startApp(t, url, func(c *app.Config) { c.BaseURL = "https://beian.example.cn" })
			p := newParties(t, a)
			applicant, resourceID := p.newApplicant("chenwei@example.com")
			o := p.approvedICP(applicant, resourceID, "gz-police-demo.cn")

			type policeAnswer struct {
				Websites    []provider.PoliceWebsite
				PlatformURL string `json:"platform_url"`
			}
			var got policeAnswer
			applicant.must(200, "GET", path("/api/v1/orders/%d/police", o.ID), nil, &got)
			if len(got.Websites) != 1 || got.Websites[0].Status.State != police.StateNone || got.Websites[0].Domain != "gz-police-demo.cn" ||
				got.Websites[0].DueBy.Before(time.Now().Add(29*24*time.Hour)) || got.PlatformURL != "/mps" {
				t.Fatalf("before consent: %+v", got)
			}
			outboxMatch(t, p.operator, mobile, `(30 日内办理公安联网备案)`) // the SMS after the approval
			other, _ := p.newApplicant("other@example.com")
			other.errorCodes(404, "GET", path("/api/v1/orders/%d/police", o.ID), nil)
			p.reviewer.errorCodes(403, "POST", path("/api/v1/orders/%d/police/pushes", o.ID), map[string]any{"service_index": 0, "consent": true})
			if codes := applicant.errorCodes(422, "POST", path("/api/v1/orders/%d/police/pushes", o.ID),
				map[string]any{"service_index": 0, "consent": false}); !hasCode(codes, "police.consent_missing") {
				t.Fatalf("without consent: %v", codes)
			}
			// the progress page refuses a push without consent, naming the box as its label reads
			pages := newFormClient(t, a.URL(), "zh-CN")
			if status, _ := pages.post("/login", neturl.Values{"email": {"chenwei@example.com"}, "password": {"correct horse 1"},
				"next": {"/"}}); status != 200 {
				t.Fatalf("page login: %d", status)
			}
			for lang, label := range map[string]string{"zh-CN": "同意推送备案数据", "en": "Consent to the push", "zh-TW": "同意推送備案資料"} {
				pages.lang = lang
				status, page := pages.post(path("/orders/%d/police", o.ID), neturl.Values{"service_index": {"0"}})
				summary := regexp.MustCompile(`(?s)id="error-summary".*?</ul>`).FindString(page)
				if status != 422 || !strings.Contains(summary, label) || strings.Contains(summary, ">consent<") {
					t.Fatalf("%s: push without consent: %d %s", lang, status, summary)
				}
			}
			var pushed provider.PoliceWebsite
			applicant.must(200, "POST", path("/api/v1/orders/%d/police/pushes", o.ID), map[string]any{"service_index": 0, "consent": true}, &pushed)
			if pushed.DataCode == nil || pushed.Status.State != police.StateDataPushed {
				t.Fatalf("push %+v", pushed)
			}

			site := fileWithDataCode(t, a.URL(), p.operator, pushed.DataCode.Code)
			staff := mpsLogin(t, a.URL(), p.operator, "police-gd", app.DemoPassword)
			staff.must(200, "POST", path("/mps/api/v1/staff/subjects/%d/decisions", site.SubjectID), map[string]string{"action": "approve"}, nil)
			staff.must(200, "POST", path("/mps/api/v1/staff/websites/%d/decisions", site.ID), map[string]string{"action": "approve"}, nil)

			applicant.must(200, "GET", path("/api/v1/orders/%d/police", o.ID), nil, &got)
			w := got.Websites[0]
			digits := police.Digits(w.Status.PoliceNumber)
			if w.Status.State != police.StateApproved || digits == "" ||
				!strings.Contains(w.FooterHTML, `href="https://beian.miit.gov.cn/"`) || !strings.Contains(w.FooterHTML, o.Services[0].Number) ||
				!strings.Contains(w.FooterHTML, "https://beian.mps.gov.cn/#/query/webSearch?code="+digits) ||
				!strings.Contains(w.FooterHTML, `src="https://beian.example.cn/mps/badge.png"`) { // pasted on the customer's site
				t.Fatalf("after the police approval: %+v", w)
			}
		})
	}
}

// approvedICP takes a new Guangdong enterprise website through the ICP filing to its number.
func (p *parties) approvedICP(c *client, resourceID int64, domain string) *filing.Order {
	o := p.open(c, check(domain), resourceID, filing.NewFiling)
	c.must(200, "PUT", path("/api/v1/orders/%d", o.ID), content(o), nil)
	p.forward(c, o.ID)
	p.verify(mobile)
	p.waitState(c, o.ID, filing.AdministrationReview)
	p.officerDecide(o.ID, true)
	p.waitState(c, o.ID, filing.Approved)
	var done filing.Order
	c.must(200, "GET", path("/api/v1/orders/%d", o.ID), nil, &done)
	return &done
}

type mpsSite struct {
	ID        int64
	SubjectID int64 `json:"subject_id"`
	State     string
}

// fileWithDataCode registers on the police platform, passes credit verification, redeems the data code with the
// subject principal's mobile and submits the pre-filled subject and website, adding only what the ICP data
// does not hold.
func fileWithDataCode(t *testing.T, base string, operator *client, code string) mpsSite {
	t.Helper()
	user := mpsVerifiedUser(t, base, operator, map[string]string{"username": "chenwei", "password": "Chen2026ab",
		"name": "陈伟", "credential_number": legalRep, "mobile": mobile, "email": "chenwei@gz-demo.cn"})

	if codes := user.errorCodes(404, "POST", "/mps/api/v1/data-codes/redeem", map[string]string{"data_code": code,
		"mobile": "13800138000"}); !hasCode(codes, "mps.data_not_found") {
		t.Fatalf("a stranger's mobile: %v", codes)
	}
	var pre struct{ Subject, Website map[string]any }
	user.must(200, "POST", "/mps/api/v1/data-codes/redeem", map[string]string{"data_code": code, "mobile": mobile}, &pre)
	if pre.Subject["name"] != "广州示例云科技有限公司" || pre.Website["icp_number"] == "" {
		t.Fatalf("prefill %+v", pre)
	}
	upload := func(purposes ...string) map[string]int64 { return mpsUpload(t, user, purposes...) }
	subject := pre.Subject
	subject["investor"], subject["area_code"] = "陈伟", "440106"
	subject["principal"].(map[string]any)["residence"] = "广东省广州市天河区天河路100号"
	subject["materials"] = upload("unit_credential", "legal_id_front", "legal_id_back", "legal_id_handheld")
	var subj struct{ ID int64 }
	user.must(201, "POST", "/mps/api/v1/subjects", subject, &subj)
	website := pre.Website
	website["subject_id"], website["opened_on"] = subj.ID, time.Now().Format(time.DateOnly)
	website["ips"], website["service_types"], website["interactive"] = []string{"203.0.113.77"}, []string{"02"}, false
	website["principal_same_as_subject"], website["notice_read"] = true, true
	website["materials"] = upload("domain_certificate", "principal_id_front", "principal_id_back", "principal_id_handheld")
	var site mpsSite
	user.must(201, "POST", "/mps/api/v1/websites", website, &site)
	if site.State != "review" {
		t.Fatalf("website %+v", site)
	}
	return site
}

// mpsVerifiedUser registers a platform user (username, password, name, credential_number, mobile, email of
// acc), logs in and passes credit verification with the SMS code and the e-mail link from the outbox.
func mpsVerifiedUser(t *testing.T, base string, operator *client, acc map[string]string) *client {
	t.Helper()
	public := &client{t: t, base: base}
	public.must(201, "POST", "/mps/api/v1/accounts", map[string]string{"username": acc["username"], "password": acc["password"],
		"password_confirm": acc["password"], "name": acc["name"], "credential_type": "resident_id",
		"credential_number": acc["credential_number"], "mobile": acc["mobile"], "email": acc["email"]}, nil)
	user := mpsLogin(t, base, operator, acc["username"], acc["password"])
	user.must(202, "POST", "/mps/api/v1/credit/mobile-code", nil, nil)
	sms := outboxMatch(t, operator, acc["mobile"], `手机验证码为 (\d{6})`)
	user.must(200, "POST", "/mps/api/v1/credit/mobile", map[string]string{"code": sms}, nil)
	user.must(202, "POST", "/mps/api/v1/credit/email-link", nil, nil)
	token := outboxMatch(t, operator, acc["email"], `token=([A-Za-z0-9_-]+)`)
	public.must(200, "POST", "/mps/api/v1/credit/email", map[string]string{"token": token}, nil)
	return user
}

// mpsUpload uploads one clear JPEG per purpose as the platform user.
func mpsUpload(t *testing.T, user *client, purposes ...string) map[string]int64 {
	t.Helper()
	img := clearJPEG(t)
	out := map[string]int64{}
	for _, p := range purposes {
		req, _ := http.NewRequest("POST", user.base+"/mps/api/v1/materials?purpose="+p, bytes.NewReader(img))
		req.Header.Set("Authorization", "Bearer "+user.token)
		req.Header.Set("Content-Type", "image/jpeg")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var m struct{ ID int64 }
		if resp.StatusCode != 201 || json.Unmarshal(body, &m) != nil {
			t.Fatalf("upload %s: %d %s", p, resp.StatusCode, body)
		}
		out[p] = m.ID
	}
	return out
}
