package app_test

import (
	"context"
	"testing"

	"github.com/beian/beian/internal/app"
)

// The services step after the number, as the demo applicant sees it: a change of a filed website shows that
// website to change and no button to add another (the order cannot take one), says why, and saves the change;
// a new website for the filed subject, an order that adds services, still offers to add more.
func TestBrowserServicesAddOnlyWhereAllowed(t *testing.T) {
	browser := newBrowser(t)
	for _, vp := range viewports {
		t.Run(vp.name, func(t *testing.T) { servicesAdd(t, browser, vp) })
	}
}

func servicesAdd(t *testing.T, browser context.Context, vp viewport) {
	a := startApp(t, "")
	me := newTab(t, browser, a.URL(), vp)
	me.login("applicant@beian.local", app.DemoPassword)

	// 变更网站/APP: the filed website, its domain, and nothing to add.
	me.open("/filings")
	me.submit(`[id="svc-` + demoSubject + `-1"] button[data-type="change_service"]`)
	me.contains("h1", "网站/APP信息")
	me.contains("#f-services-0", "网站 1")
	if name, domain := me.value("f-services-0-name"), me.value("f-services-0-domains-0"); name != "示例科技官方网站" || domain != "example-sz.cn" {
		t.Fatalf("the change does not show the filed website: name %q, domain %q", name, domain)
	}
	me.absent("#btn-add-website")
	me.absent("#btn-add-app")
	me.absent("#f-services-1")
	me.contains("#no-more-services", "不能添加其他网站/APP", "我的备案")
	me.fitsWidth("services step of a change")

	// The change is saved, kept over a reload, and shown on the review against the filed value.
	me.fill("f-services-0-name", "示例科技官方网站（新版）")
	me.submit("#btn-save")
	me.absent("#error-summary")
	me.reload()
	if got := me.value("f-services-0-name"); got != "示例科技官方网站（新版）" {
		t.Fatalf("after saving and reloading the name reads %q", got)
	}
	me.open(orderPathRE.FindString(me.eval("location.pathname")) + "review")
	me.contains("#changes", "示例科技官方网站", "示例科技官方网站（新版）")

	// 新增网站/APP for the same subject, once the change is withdrawn (one order of a subject at a time): its
	// services step offers both buttons, and adding works.
	login(t, a.URL(), "applicant@beian.local", app.DemoPassword).must(200, "POST",
		path("/api/v1/orders/%d/withdraw", orderID(t, me.eval("location.pathname"))), map[string]string{"reason": "改为新增网站"}, nil)
	me.open("/filings")
	me.submit(`[id="filing-` + demoSubject + `"] .offers button[data-type="new_service"]`)
	me.set("f-domain", "example-sz3.cn")
	me.eval(`(function(){var s=document.getElementById('f-resource-instance_id');s.value=s.options[1].value;return ''})()`)
	me.submit("#btn-open")
	me.contains("h1", "网站/APP信息")
	me.contains("#btn-add-app", "APP")
	me.absent("#no-more-services")
	me.submit("#btn-add-website")
	me.contains("#f-services-1", "网站 2")
	if got := me.eval(`String(!!document.getElementById("f-services-1-domains-0"))`); got != "true" {
		t.Fatal("the website added has no domain to enter")
	}
}
