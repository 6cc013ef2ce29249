package app_test

import (
	"fmt"
	"testing"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/provider"
)

// A curtain asked for and sent in a real browser, in curtain mode. The applicant's change brings no new principal,
// so the order page offers no curtain; once the reviewer asks the principal to verify, it does. An address that
// names only the province, city and district is refused beside the address, with the rest still typed; the
// applicant completes it, sends it, reloads and sees it waiting. The desk's dispatch without its tracking number
// is refused beside that field, with the carrier still typed; the reviewer types the number, sends it, reloads,
// and sees it among the dispatched ones; the applicant's page shows the tracking number.
func TestBrowserCurtainDispatchRefusal(t *testing.T) {
	browser := newBrowser(t)
	a := startApp(t, "", curtainMode)
	p := newParties(t, a)
	me := login(t, a.URL(), "applicant@beian.local", app.DemoPassword)
	o := p.openFiled(me, demoSubject, provider.FiledOrderInput{Type: filing.ChangeSubject})
	order := path("/orders/%d", o.ID)

	mine := newTab(t, browser, a.URL(), viewports[0])
	mine.login("applicant@beian.local", app.DemoPassword)
	mine.open(order)
	mine.contains("main", "变更主体")
	mine.absent("#curtain")
	p.asksVerification(o.ID)
	mine.reload()
	mine.contains("#curtain", "幕布")
	mine.fill("f-recipient", "张伟")
	mine.fill("f-mobile", "13800138000")
	mine.fill("f-province", "44")
	mine.fill("f-address", "广东省深圳市南山区")
	mine.submit("#btn-curtain")
	mine.refusedBeside("f-address", "街道")
	mine.kept(map[string]string{"f-recipient": "张伟", "f-mobile": "13800138000", "f-province": "44", "f-address": "广东省深圳市南山区"})
	mine.accessible("curtain request refused")
	mine.fill("f-address", "广东省深圳市南山区科技园科苑路8号")
	mine.submit("#btn-curtain")
	mine.reload()
	mine.contains("#curtain", "待寄出", "张伟", "广东省深圳市南山区科技园科苑路8号")
	mine.absent("#btn-curtain")

	var ms struct{ Mailings []struct{ ID int64 } }
	p.reviewer.must(200, "GET", "/api/v1/console/curtain-mailings?state=requested", nil, &ms)
	if len(ms.Mailings) != 1 {
		t.Fatalf("mailings to send: %+v", ms.Mailings)
	}
	id := ms.Mailings[0].ID
	carrier, tracking := fmt.Sprintf("carrier-%d", id), fmt.Sprintf("tracking-%d", id)

	desk := newTab(t, browser, a.URL(), viewports[0])
	desk.login("reviewer@beian.local", app.DemoPassword)
	desk.open("/console/curtains")
	desk.contains("main", "张伟", "广东省深圳市南山区科技园科苑路8号")
	desk.fill(carrier, "顺丰速运")
	desk.submit(fmt.Sprintf(`form[action="/console/curtains/%d"] button[type=submit]`, id))
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
	desk.submit(fmt.Sprintf(`form[action="/console/curtains/%d"] button[type=submit]`, id))
	desk.reload()
	desk.contains(`section[aria-labelledby="sent-title"]`, "张伟", "顺丰速运", "SF1234567890")
	if left := desk.eval(`String(document.querySelectorAll('form[action="/console/curtains/` + fmt.Sprint(id) + `"]').length)`); left != "0" {
		t.Error("after the reload the mailing is still waiting to be sent")
	}

	mine.reload()
	mine.contains("#curtain", "已寄出", "顺丰速运", "SF1234567890")
}
