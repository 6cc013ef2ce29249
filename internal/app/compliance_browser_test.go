package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/compliance/compliancetest"
)

// The homepage checker in a real browser, on a desktop and a phone: a reviewer starts a sweep of every filed
// website, watches it finish on the page without reloading, reloads, and opens the failing site's report with
// the HTML to paste; the applicant sees the result on My filings with the footer ready to copy.
func TestBrowserComplianceSweep(t *testing.T) {
	browser := newBrowser(t)
	for _, vp := range viewports {
		t.Run(vp.name, func(t *testing.T) { sweepJourney(t, browser, vp) })
	}
}

func sweepJourney(t *testing.T, browser context.Context, vp viewport) {
	sites := compliancetest.New(t)
	a := startApp(t, "", func(c *app.Config) { c.SiteFetch = sites.FetchConfig(demoSite) })
	sites.Set(demoSite, compliancetest.Homepage("示例科技官方网站", `<footer><p>粤ICP备2025000001号-1</p></footer>`))
	release := sites.Hold(demoSite)
	defer release()

	staff := newTab(t, browser, a.URL(), vp)
	staff.login("reviewer@beian.local", app.DemoPassword)
	staff.open("/console/compliance")
	staff.contains("main", "还没有检查记录")
	staff.accessible("compliance list")
	staff.submit("#btn-sweep")
	staff.contains(".flash", "已开始检查")
	staff.contains("#progress-text", "已检查 0/1 个网站")
	staff.contains("#site-0", demoSite, "待检查")
	staff.eval("window.__samePage = true; ''")
	release()
	staff.waitFor("the sweep shown finished", "!document.getElementById('sweep-finished').hidden", 20*time.Second)
	if staff.eval("String(window.__samePage === true)") != "true" {
		t.Fatal("the page reloaded instead of following the sweep")
	}
	staff.contains("#progress-text", "已检查 1/1 个网站，1 个不通过")
	staff.contains("#site-0 .site-state", "不通过")
	staff.fitsWidth("sweep")
	staff.accessible("sweep finished")
	staff.shot("compliance-sweep", "")
	staff.open(staff.eval("location.pathname")) // a reload shows the same
	staff.contains("#sweep-finished", "检查完成")
	staff.contains("#site-0", "不通过")

	staff.submit("#site-0 a.site-report")
	staff.contains("h1", demoSite)
	staff.contains(`[data-code="icp.link_missing"]`, "没有链接", "https://beian.miit.gov.cn/")
	staff.contains("#footer-snippet", "粤ICP备2025000001号-1", `href="https://beian.miit.gov.cn/"`)
	if staff.eval("String(!document.querySelector('.btn-copy').hidden)") != "true" {
		t.Fatal("no copy button on the report")
	}
	staff.fitsWidth("site report")
	staff.accessible("site report")
	staff.shot("compliance-report", "")

	staff.open("/console/compliance") // the recurring sweep
	staff.contains("main", "检查 #1", "工作人员发起", "已检查 1/1 个网站")
	staff.set("every", "weekly")
	staff.submit("#btn-schedule")
	staff.contains(".flash", "已保存定期检查设置")
	staff.contains("#next-run", "下次检查")
	if staff.eval("document.getElementById('every').value") != "weekly" {
		t.Fatal("the schedule form does not show the saved frequency")
	}
	staff.fitsWidth("compliance list")

	me := newTab(t, browser, a.URL(), vp)
	me.login("applicant@beian.local", app.DemoPassword)
	me.open("/filings")
	me.contains("#site-checks", demoSite, "不通过", "没有链接", "粤ICP备2025000001号-1")
	me.do(chromedp.Click(chromedp.CSS("#site-checks .btn-copy")))
	me.waitFor("the copy button says it copied", "document.querySelector('#site-checks .btn-copy').textContent === '已复制'", 20*time.Second)
	me.fitsWidth("my site checks")
	me.shot("my-site-checks", "#site-checks")
}
