package app_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/provider"
)

// Review on the police platform in a real browser, as the applicant and the staff do it: the applicant redeems
// the data code with the principal's ID number alone (a mistyped code first: refused beside the code, what was
// typed kept), completes the pre-filled subject choosing one image over 512 KB (refused; the summary names the
// file to choose again, the others say they are kept) and chooses only that one again; staff return the subject
// with notes naming its fields by their labels; the applicant reloads, reads the notes, finds each beside its
// field in the correction form, corrects and submits again. On a desktop and on a phone; screenshots go to
// docs/screenshots when BEIAN_SCREENSHOTS=1.
func TestBrowserPoliceReview(t *testing.T) {
	browser := newBrowser(t)
	for _, vp := range viewports {
		t.Run(vp.name, func(t *testing.T) { policeReview(t, browser, vp) })
	}
}

func policeReview(t *testing.T, browser context.Context, vp viewport) {
	a := startApp(t, "")
	p := newParties(t, a)
	api, resourceID := p.newApplicant("chenwei@example.com")
	o := p.approvedICP(api, resourceID, "gz-police-review.cn")
	var pushed provider.PoliceWebsite
	api.must(200, "POST", path("/api/v1/orders/%d/police/pushes", o.ID), map[string]any{"service_index": 0, "consent": true}, &pushed)
	mpsVerifiedUser(t, a.URL(), p.operator, map[string]string{"username": "chenwei", "password": "Chen2026ab",
		"name": "陈伟", "credential_number": legalRep, "mobile": mobile, "email": "chenwei@gz-demo.cn"})

	b := newTab(t, browser, a.URL(), vp)
	b.policeLogin(p.operator, "chenwei", "Chen2026ab")
	b.open("/mps/center")
	b.contains("#data-code", "与证件号码填写一项即可", "与手机号码填写一项即可")
	b.fill("data_code", "ABCDEFGH2345")
	b.fill("id_number", legalRep)
	b.submit("#data-code #mps-submit")
	b.contains(`[id="data_code-err"]`, "数据不存在")
	b.contains("#error-summary", "数据不存在")
	b.kept(map[string]string{"data_code": "ABCDEFGH2345", "id_number": legalRep, "mobile": ""})
	b.shot("police-data-code", "#data-code")
	b.fill("data_code", pushed.DataCode.Code)
	b.submit("#data-code #mps-submit")
	b.kept(map[string]string{"name": "广州示例云科技有限公司", "principal.mobile": mobile})

	b.fill("investor", "陈伟")
	b.fill("area_code", "440106")
	b.fill("principal.residence", "广东省广州市天河区天河路100号")
	clear, big := jpegFile(t), photoFile(t, bigJPEG(t))
	b.upload(clear, "materials.unit_credential", "materials.legal_id_front", "materials.legal_id_handheld")
	b.upload(big, "materials.legal_id_back")
	b.submit("#mps-submit")
	b.contains("#error-summary", "请重新选择未被接受的文件：法人身份证反面。")
	b.contains(`[id="materials.legal_id_back-err"]`, "512")
	for _, kept := range []string{"unit_credential", "legal_id_front", "legal_id_handheld"} {
		b.contains(`[id="materials.`+kept+`-kept"]`, "已保留之前上传的文件")
	}
	b.absent(`[id="materials.legal_id_back-kept"]`)
	b.describedBy("materials.legal_id_back", "materials.legal_id_back-err")
	b.describedBy("materials.unit_credential", "materials.unit_credential-kept")
	b.kept(map[string]string{"investor": "陈伟", "area_code": "440106", "principal.residence": "广东省广州市天河区天河路100号"})
	b.shot("police-files-again", `[id="f-materials.legal_id_back"]`)
	b.upload(clear, "materials.legal_id_back")
	b.submit("#mps-submit")
	b.contains(".flash", "已提交")
	b.contains("#subject-status", "待审核")
	subject := b.eval("location.pathname")

	staff := newTab(t, browser, a.URL(), vp)
	staff.policeLogin(p.operator, "police-gd", app.DemoPassword)
	staff.open("/mps/staff" + subject[len("/mps"):])
	staff.fill("action", "return")
	staff.fill("reason", "地址不完整")
	staff.fill("notes", "详细地址：请填写到门牌号\n负责人手机号码: 号码无法接通\n请一并核对其他信息")
	staff.submit("#decision #mps-submit")
	staff.contains(".flash", "审核结论已记录")

	b.reload()
	b.contains("#subject-status", "已退回", "详细地址 请填写到门牌号", "负责人手机号码 号码无法接通", "请一并核对其他信息")
	b.submit("#edit-link")
	b.contains(`[id="f-address"] .note`, "审核意见", "请填写到门牌号")
	b.contains(`[id="f-principal.mobile"] .note`, "号码无法接通")
	b.contains(".section > .note", "请一并核对其他信息")
	b.describedBy("address", "address-note")
	b.describedBy("principal.mobile", "principal.mobile-note")
	if n := b.eval(`String(document.querySelectorAll('.field .note').length)`); n != "2" {
		t.Fatalf("%s notes beside fields, want 2", n)
	}
	b.shot("police-notes", `[id="f-address"]`)
	b.fill("address", "广东省广州市天河区天河路100号2栋301室")
	b.submit("#mps-submit")
	b.contains(".flash", "已提交")
	b.reload()
	b.contains("#subject-status", "待审核")
	b.contains("main", "广东省广州市天河区天河路100号2栋301室")
	if notes := b.eval(`String(document.querySelectorAll('#subject-status .note').length)`); notes != "0" {
		t.Fatalf("the notes of the return still show after the correction: %s", notes)
	}
}

// describedBy fails unless the input is described by (aria-describedby) exactly the elements ids, each shown, so
// that a screen reader reads them with it.
func (b *tab) describedBy(input string, ids ...string) {
	b.t.Helper()
	got := b.eval(fmt.Sprintf(`document.getElementById(%q).getAttribute('aria-describedby') || ''`, input))
	if got != strings.Join(ids, " ") {
		b.t.Fatalf("%s is described by %q, want %q", input, got, ids)
	}
	for _, id := range ids {
		if b.eval(fmt.Sprintf(`document.getElementById(%q) ? 'y' : ''`, id)) == "" {
			b.t.Fatalf("%s is described by %s, which the page lacks", input, id)
		}
	}
}
