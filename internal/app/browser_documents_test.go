package app_test

import (
	"strings"
	"testing"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/provider"
)

// The documents the platform fills in (issue #10, item 6): a Guangdong order's materials card opens the
// commitment letter pre-filled from the order, whose upload button leads back to that card; the verification
// form is offered, and asks for an upload, only where the rules ask the order for it (a change), so that its
// upload slot exists.
func TestBrowserPrintableDocuments(t *testing.T) {
	browser := newBrowser(t)
	a := startApp(t, "")
	p := newParties(t, a)
	c, res := p.newApplicant("documents@example.com")
	subject, site := p.fileNew(c, res, "documents-demo.cn")
	b := newTab(t, browser, a.URL(), viewports[0])
	b.login("documents@example.com", "correct horse 1")

	// A new website in Guangdong: the letter is generated; the verification form is not asked for.
	o := p.openFiled(c, subject, provider.FiledOrderInput{Type: filing.NewService, ServiceKind: filing.Website,
		Domain: "documents-blog.cn", Resource: filing.ResourceRef{InstanceID: res}})
	b.open(path("/orders/%d/materials", o.ID))
	b.contains("#f-materials-guangdong_commitment_letter", "承诺书", "预填")
	if strings.Contains(b.text("main"), "下载模板") {
		t.Fatal("the materials step still asks for a template it does not offer")
	}
	b.submit("#f-materials-guangdong_commitment_letter-document")
	b.contains("#commitment-letter", "互联网信息服务备案承诺书", "广东省通信管理局", "广州示例云科技有限公司", "documents-blog.cn")
	b.accessible("commitment letter")
	b.submit("#btn-upload-document")
	if loc := b.eval("location.pathname + location.hash"); loc != path("/orders/%d/materials#f-materials-guangdong_commitment_letter", o.ID) {
		t.Fatalf("the letter's upload button leads to %s", loc)
	}
	b.contains("#f-materials-guangdong_commitment_letter", "待上传")
	b.open(path("/orders/%d/verification", o.ID))
	if n := b.eval(`String(document.querySelectorAll("#btn-form").length)`); n != "0" {
		t.Fatal("the verification form is offered to an order whose materials do not include it")
	}
	b.open(path("/orders/%d/verification-form", o.ID))
	b.contains("#document-not-required", "无需上传")
	c.must(200, "POST", path("/api/v1/orders/%d/withdraw", o.ID), map[string]string{"reason": "改为变更网站"}, nil)

	// A change of the website: the rules ask for the verification form, and the page leads to its upload slot.
	o = p.openFiled(c, subject, provider.FiledOrderInput{Type: filing.ChangeService, ServiceNumbers: []string{site}})
	b.open(path("/orders/%d/verification", o.ID))
	b.submit("#btn-form")
	b.contains("#verification-form", "网站备案信息真实性核验单", "documents-demo.cn")
	b.submit("#btn-upload-document")
	b.contains("#f-materials-verification_form", "真实性核验单", "待上传")
	b.contains("#f-materials-verification_form-document", "真实性核验单")
}
