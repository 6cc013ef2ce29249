package app_test

import (
	"fmt"
	"testing"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/provider"
)

// The review desk sends a curtain in a real browser: a dispatch without its tracking number is refused beside
// that field, with the carrier still typed; the reviewer types the number, sends it, reloads, and sees it
// among the dispatched ones.
func TestBrowserCurtainDispatchRefusal(t *testing.T) {
	browser := newBrowser(t)
	a := startApp(t, "")
	p := newParties(t, a)
	me := login(t, a.URL(), "applicant@beian.local", app.DemoPassword)
	o := p.openFiled(me, demoSubject, provider.FiledOrderInput{Type: filing.ChangeSubject})
	var m struct{ ID int64 }
	me.must(201, "POST", path("/api/v1/orders/%d/curtain-mailings", o.ID), provider.CurtainRequest{
		Recipient: "张伟", Mobile: "13800138000", Province: "44", Address: "深圳市南山区科技园科苑路8号"}, &m)
	carrier, tracking := fmt.Sprintf("carrier-%d", m.ID), fmt.Sprintf("tracking-%d", m.ID)

	desk := newTab(t, browser, a.URL(), viewports[0])
	desk.login("reviewer@beian.local", app.DemoPassword)
	desk.open("/console/curtains")
	desk.contains("main", "张伟", "深圳市南山区科技园科苑路8号")
	desk.fill(carrier, "顺丰速运")
	desk.submit(fmt.Sprintf(`form[action="/console/curtains/%d"] button[type=submit]`, m.ID))
	desk.contains("#error-summary", "运单号")
	desk.contains("#"+tracking+"-err", "必填")
	if inv := desk.eval(`document.getElementById("` + tracking + `").getAttribute("aria-invalid")`); inv != "true" {
		t.Error("the tracking number is not marked invalid")
	}
	if kept := desk.value(carrier); kept != "顺丰速运" {
		t.Errorf("the carrier reads %q after the refusal, want what was typed", kept)
	}
	desk.accessible("curtain dispatch refused")

	desk.fill(tracking, "SF1234567890")
	desk.submit(fmt.Sprintf(`form[action="/console/curtains/%d"] button[type=submit]`, m.ID))
	desk.reload()
	desk.contains(`section[aria-labelledby="sent-title"]`, "张伟", "顺丰速运", "SF1234567890")
	if left := desk.eval(`String(document.querySelectorAll('form[action="/console/curtains/` + fmt.Sprint(m.ID) + `"]').length)`); left != "0" {
		t.Error("after the reload the mailing is still waiting to be sent")
	}
}
