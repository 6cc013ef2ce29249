package app_test

import (
	"bytes"

	"image"
	"image/color"
	"image/jpeg"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/captcha"
	"github.com/beian/beian/internal/ident"
	"github.com/beian/beian/internal/police"
	"github.com/beian/beian/internal/storetest"
)

// One applicant takes the demo's filed website example-sz.cn (粤ICP备2025000001号-1) to a police number over the
// police platform's API: register, captcha login through the demo hook, credit verification by SMS and e-mail
// (read from the development outbox), subject, interactive website application, staff approval of the subject,
// on-site inspection, number, badge, public query; and the provider's view through the police interface.
func TestPoliceFilingOverHTTP(t *testing.T) {
	for name, url := range storetest.URLs(t) {
		t.Run(name, func(t *testing.T) {
			a := startApp(t, url, func(c *app.Config) { c.BaseURL = "https://beian.example.cn" })
			base := a.URL()
			public := &client{t: t, base: base}
			operator := login(t, base, "operator@beian.local", app.DemoPassword)

			// registration: every field required
			codes := public.errorCodes(422, "POST", "/mps/api/v1/accounts", map[string]string{"username": "chenming"})
			if !hasCode(codes, "mps.required") {
				t.Fatalf("empty registration: %v", codes)
			}
			public.must(201, "POST", "/mps/api/v1/accounts", map[string]string{"username": "chenming",
				"password": "Chen2026ab", "password_confirm": "Chen2026ab", "name": "陈明", "credential_type": "resident_id",
				"credential_number": "440305198503121231", "mobile": "13900139000", "email": "chenming@example-sz.cn"}, nil)

			// the login page shows a picture, never the answer
			status, page := public.do("GET", "/mps/login", nil)
			id := regexp.MustCompile(`name="captcha_id" value="([^"]+)"`).FindSubmatch(page)
			if status != 200 || id == nil || !bytes.Contains(page, []byte("data:image/png;base64,")) {
				t.Fatalf("login page %d", status)
			}
			var ans struct{ Answer string }
			if status, _ := public.do("GET", "/mps/api/v1/dev/captchas/"+string(id[1]), nil); status != 401 {
				t.Fatalf("captcha hook without an operator: %d", status)
			}
			operator.must(200, "GET", "/mps/api/v1/dev/captchas/"+string(id[1]), nil, &ans)
			if len(ans.Answer) != captcha.Digits || bytes.Contains(page, []byte(">"+ans.Answer+"<")) || bytes.Contains(page, []byte(`"`+ans.Answer+`"`)) {
				t.Fatalf("captcha answer %q readable from the page", ans.Answer)
			}
			codes = public.errorCodes(422, "POST", "/mps/api/v1/session", map[string]string{"username": "chenming",
				"password": "Chen2026ab", "captcha_id": "nope", "captcha_answer": "ABCD"})
			if !hasCode(codes, "mps.captcha_wrong") {
				t.Fatalf("wrong captcha: %v", codes)
			}
			user := mpsLogin(t, base, operator, "chenming", "Chen2026ab")

			// a subject needs credit verification first
			codes = user.errorCodes(409, "POST", "/mps/api/v1/subjects", map[string]any{})
			if !hasCode(codes, "mps.credit_unverified") {
				t.Fatalf("subject before credit verification: %v", codes)
			}
			user.must(202, "POST", "/mps/api/v1/credit/mobile-code", nil, nil)
			code := outboxMatch(t, operator, "13900139000", `(\d{6})`)
			user.must(200, "POST", "/mps/api/v1/credit/mobile", map[string]string{"code": code}, nil)
			user.must(202, "POST", "/mps/api/v1/credit/email-link", nil, nil)
			token := outboxMatch(t, operator, "chenming@example-sz.cn", `token=([A-Za-z0-9_-]+)`)
			var me struct {
				MobileVerified   bool `json:"mobile_verified"`
				EmailVerified    bool `json:"email_verified"`
				IdentityVerified bool `json:"identity_verified"`
			}
			public.must(200, "POST", "/mps/api/v1/credit/email", map[string]string{"token": token}, &me)
			if !me.MobileVerified || !me.EmailVerified || me.IdentityVerified {
				t.Fatalf("credit %+v", me)
			}

			mats := func(purposes ...string) map[string]int64 { return mpsUpload(t, user, purposes...) }
			person := map[string]string{"name": "陈明", "credential_type": "resident_id",
				"credential_number": "440305198503121231", "mobile": "13900139000", "email": "chenming@example-sz.cn",
				"residence": "广东省深圳市南山区科技园路1号"}
			var subj struct {
				ID    int64
				State string
			}
			user.must(201, "POST", "/mps/api/v1/subjects", map[string]any{"nature": "enterprise",
				"name": "深圳市示例网络科技有限公司", "credential_type": "business_license",
				"credential_number": "91440300MA5F12342Q", "investor": "陈明", "area_code": "440305",
				"address": "广东省深圳市南山区科技园路1号", "office_phone": "0755-86001234", "principal": person,
				"materials": mats("unit_credential", "legal_id_front", "legal_id_back", "legal_id_handheld")}, &subj)
			if subj.State != "review" {
				t.Fatalf("subject %+v", subj)
			}

			website := map[string]any{"subject_id": subj.ID, "name": "示例科技官方网站", "domains": []string{"example-sz.cn"},
				"icp_number": "粤ICP备2025000002号-1", "opened_on": time.Now().Format(time.DateOnly),
				"access_provider": "示例云计算有限公司", "ips": []string{"203.0.113.10"}, "service_types": []string{"03"},
				"interactive": true, "interactive_kinds": []string{"forum", "comments"}, "principal_same_as_subject": true,
				"notice_read": true, "materials": mats("domain_certificate", "principal_id_front", "principal_id_back",
					"principal_id_handheld")}
			codes = user.errorCodes(422, "POST", "/mps/api/v1/websites", website)
			if !hasCode(codes, "mps.icp_number_mismatch") {
				t.Fatalf("wrong ICP number: %v", codes)
			}
			website["icp_number"] = "粤ICP备2025000001号-1"
			var site struct {
				ID           int64
				State        string
				PoliceNumber string `json:"police_number"`
				Data         struct{ Registrar string }
			}
			user.must(201, "POST", "/mps/api/v1/websites", website, &site)
			if site.State != "review" || site.Data.Registrar == "" {
				t.Fatalf("website %+v", site)
			}
			codes = user.errorCodes(409, "POST", "/mps/api/v1/websites", website)
			if !hasCode(codes, "mps.website_in_flight") {
				t.Fatalf("second application: %v", codes)
			}

			staff := mpsLogin(t, base, operator, "police-gd", app.DemoPassword)
			var q struct{ Items []struct{ Kind string } }
			staff.must(200, "GET", "/mps/api/v1/staff/queue", nil, &q)
			if len(q.Items) != 2 {
				t.Fatalf("queue %+v", q)
			}
			staff.must(200, "POST", path("/mps/api/v1/staff/subjects/%d/decisions", subj.ID), map[string]string{"action": "approve"}, nil)
			codes = staff.errorCodes(409, "POST", path("/mps/api/v1/staff/websites/%d/decisions", site.ID), map[string]string{"action": "approve"})
			if !hasCode(codes, "mps.interactive_needs_check") {
				t.Fatalf("approve interactive: %v", codes)
			}
			staff.must(200, "POST", path("/mps/api/v1/staff/websites/%d/decisions", site.ID), map[string]any{
				"action": "schedule_inspection", "appointment": map[string]any{"at": time.Now().Add(26 * time.Hour), "place": "科技园路1号"}}, nil)
			staff.must(200, "POST", path("/mps/api/v1/staff/websites/%d/decisions", site.ID), map[string]any{
				"action": "pass", "reason": "检查合格"}, nil)
			user.must(200, "GET", path("/mps/api/v1/websites/%d", site.ID), nil, &site)
			if site.State != "approved" || !strings.HasPrefix(site.PoliceNumber, "粤公网安备44000002") || !ident.PoliceNumber(site.PoliceNumber).Valid() {
				t.Fatalf("filed website %+v", site)
			}
			var badge struct {
				Number, HTML string
				IconURL      string `json:"icon_url"`
			}
			user.must(200, "GET", path("/mps/api/v1/websites/%d/badge", site.ID), nil, &badge)
			if !strings.Contains(badge.HTML, "https://beian.mps.gov.cn/#/query/webSearch?code="+police.Digits(site.PoliceNumber)) ||
				badge.IconURL != "https://beian.example.cn/mps/badge.png" { // to download from anywhere
				t.Fatalf("badge %+v", badge)
			}
			var recs struct {
				Records []struct{ WebsiteName, Organ string }
			}
			public.must(200, "GET", "/mps/api/v1/query?number="+police.Digits(site.PoliceNumber), nil, &recs)
			if len(recs.Records) != 1 || recs.Records[0].Organ != "广东省" {
				t.Fatalf("query %+v", recs)
			}
			_, page = public.do("GET", "/mps/query?kind=domain&q=www.example-sz.cn", nil)
			if !bytes.Contains(page, []byte(site.PoliceNumber)) {
				t.Fatal("the query page does not show the number")
			}
			st, err := a.MPS.FilingStatus(t.Context(), police.StatusQuery{Domain: "example-sz.cn"})
			if err != nil || st.State != police.StateApproved || st.PoliceNumber != site.PoliceNumber {
				t.Fatalf("police interface %+v %v", st, err)
			}
			user.must(200, "GET", "/mps/api/v1/me", nil, &me)
			if !me.IdentityVerified {
				t.Fatal("identity not verified after the subject's approval")
			}
			if n := len(outboxAll(t, operator, "13900139000")); n < 5 {
				t.Fatalf("only %d texts to the applicant", n)
			}
		})
	}
}

// mpsLogin logs in to the police platform, reading the captcha through the operator's demo hook.
func mpsLogin(t *testing.T, base string, operator *client, username, pw string) *client {
	t.Helper()
	c := &client{t: t, base: base}
	var cap struct{ ID string }
	c.must(201, "POST", "/mps/api/v1/captchas", nil, &cap)
	var ans struct{ Answer string }
	operator.must(200, "GET", "/mps/api/v1/dev/captchas/"+cap.ID, nil, &ans)
	var out struct{ Token string }
	c.must(200, "POST", "/mps/api/v1/session", map[string]string{"username": username, "password": pw,
		"captcha_id": cap.ID, "captcha_answer": " " + ans.Answer}, &out)
	c.token = out.Token
	return c
}

func outboxAll(t *testing.T, operator *client, to string) []string {
	var out struct{ Messages []struct{ Body string } }
	operator.must(200, "GET", "/api/v1/dev/messages?to="+to, nil, &out)
	var bodies []string
	for _, m := range out.Messages {
		bodies = append(bodies, m.Body)
	}
	return bodies
}

// outboxMatch waits for a development-outbox message to `to` matching re and returns its first group.
func outboxMatch(t *testing.T, operator *client, to, re string) string {
	t.Helper()
	rx := regexp.MustCompile(re)
	var got string
	eventually(t, "a message to "+to, func() bool {
		for _, b := range outboxAll(t, operator, to) {
			if m := rx.FindStringSubmatch(b); m != nil {
				got = m[1]
				return true
			}
		}
		return false
	})
	return got
}

// clearJPEG is a sharp, well-lit 800×600 picture well under 512 KB.
func clearJPEG(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 800, 600))
	for y := 0; y < 600; y++ {
		for x := 0; x < 800; x++ {
			v := uint8(200)
			if (x/20+y/20)%2 == 0 {
				v = 60
			}
			img.Set(x, y, color.RGBA{v, v, uint8(x % 256), 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
