package app_test

import (
	"context"
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/beian/beian/internal/app"
)

// Changes on the police platform in a real browser: staff return an application with a note on its IP
// addresses; the applicant reads the note on the application's page, opens the correction form (filled with
// what was filed), corrects the addresses and submits again; staff approve; the applicant then cancels the
// filed website, first without ticking the confirmation (refused beside the box, nothing changes), then with it.
// The applicant, subject and application are set up over the API (TestPoliceFilingOverHTTP covers that path).
// On a desktop and on a phone; screenshots go to docs/screenshots when BEIAN_SCREENSHOTS=1.
func TestBrowserPoliceChange(t *testing.T) {
	browser := newBrowser(t)
	for _, vp := range viewports {
		t.Run(vp.name, func(t *testing.T) { policeChange(t, browser, vp) })
	}
}

func policeChange(t *testing.T, browser context.Context, vp viewport) {
	a := startApp(t, "")
	base := a.URL()
	operator := login(t, base, "operator@beian.local", app.DemoPassword)
	user := mpsVerifiedUser(t, base, operator, map[string]string{"username": "linfang", "password": "Lin2026abc",
		"name": "林芳", "credential_number": "440305198503121231", "mobile": "13900139008", "email": "linfang@example-sz.cn"})
	var subj, site struct{ ID int64 }
	user.must(201, "POST", "/mps/api/v1/subjects", map[string]any{"nature": "enterprise", "name": "深圳市示例网络科技有限公司",
		"credential_type": "business_license", "credential_number": "91440300MA5F12342Q", "investor": "林芳",
		"area_code": "440305", "address": "广东省深圳市南山区科技园路1号", "office_phone": "0755-86001234",
		"principal": map[string]string{"name": "林芳", "credential_type": "resident_id", "credential_number": "440305198503121231",
			"mobile": "13900139008", "email": "linfang@example-sz.cn", "residence": "广东省深圳市南山区科技园路1号"},
		"materials": mpsUpload(t, user, "unit_credential", "legal_id_front", "legal_id_back", "legal_id_handheld")}, &subj)
	user.must(201, "POST", "/mps/api/v1/websites", map[string]any{"subject_id": subj.ID, "name": "示例科技官方网站",
		"domains": []string{"example-sz.cn"}, "icp_number": "粤ICP备2025000001号-1", "opened_on": time.Now().Format(time.DateOnly),
		"access_provider": "示例云计算有限公司", "ips": []string{"203.0.113.10"}, "service_types": []string{"02"},
		"principal_same_as_subject": true, "notice_read": true, "materials": mpsUpload(t, user,
			"domain_certificate", "principal_id_front", "principal_id_back", "principal_id_handheld")}, &site)
	staff := mpsLogin(t, base, operator, "police-gd", app.DemoPassword)
	staff.must(200, "POST", path("/mps/api/v1/staff/subjects/%d/decisions", subj.ID), map[string]string{"action": "approve"}, nil)
	staff.must(200, "POST", path("/mps/api/v1/staff/websites/%d/decisions", site.ID), map[string]any{"action": "return",
		"notes": []map[string]string{{"field": "ips", "text": "IP 地址与接入服务商登记的不一致"}}}, nil)

	b := newTab(t, browser, base, vp)
	b.policeLogin(operator, "linfang", "Lin2026abc")
	page := fmt.Sprintf("/mps/websites/%d", site.ID)
	b.open(page)
	b.contains("#status", "已退回", "IP 地址与接入服务商登记的不一致")
	b.submit("#edit-link")
	if got := b.eval(`document.getElementById('ips').value`); got != "203.0.113.10" {
		t.Fatalf("the correction form does not show the filed addresses: %q", got)
	}
	b.fill("ips", "203.0.113.300") // a typo first: refused beside the field, nothing saved
	b.submit("#mps-submit")
	b.contains("#f-ips .error", "IP")
	b.shot("police-resubmit", "#f-ips")
	b.fill("ips", "203.0.113.77")
	b.submit("#mps-submit")
	b.contains(".flash", "已提交")
	b.contains("#status", "待审核")
	b.contains("main", "203.0.113.77", "修改后重新提交")

	staff.must(200, "POST", path("/mps/api/v1/staff/websites/%d/decisions", site.ID), map[string]string{"action": "approve"}, nil)
	b.reload()
	number := b.text("#police-number")
	if !regexp.MustCompile(`^粤公网安备\d{14}号$`).MatchString(number) {
		t.Fatalf("police number %q", number)
	}
	b.fill("reason", "网站停止运营")
	b.submit("#cancel #mps-submit") // without the confirmation
	b.contains("#f-confirm .error", "请勾选确认")
	b.shot("police-cancel", "#cancel")
	if got := b.eval(`document.getElementById('reason').value`); got != "网站停止运营" {
		t.Fatalf("the refusal lost the reason: %q", got)
	}
	b.open(page)
	b.contains("#status", "已备案")
	b.fill("reason", "网站停止运营")
	b.tick("confirm")
	b.submit("#cancel #mps-submit")
	b.contains(".flash", "已注销")
	b.contains("#status", "已注销")
	b.contains("#history", "网站停止运营")
	if b.eval(`document.getElementById('badge') ? 'shown' : ''`) != "" {
		t.Fatal("a cancelled website still shows its badge")
	}
	var got struct{ State string }
	user.must(200, "GET", "/mps/api/v1/websites/"+fmt.Sprint(site.ID), nil, &got)
	if got.State != "cancelled" {
		t.Fatalf("over the API the website is %s", got.State)
	}
}
