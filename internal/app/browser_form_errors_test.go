package app_test

import (
	"strings"
	"testing"

	"github.com/beian/beian/internal/app"
)

// Registration shows every error at once, each beside its field, and keeps what was typed except the passwords
// (issue #10, item 6): a mistyped confirmation of the password no longer hides the other errors, and a
// character the platform refuses shows the form again too.
func TestBrowserRegisterShowsEveryError(t *testing.T) {
	browser := newBrowser(t)
	a := startApp(t, "")
	reg := newTab(t, browser, a.URL(), viewports[0])
	reg.open("/register")
	ids := []string{"f-email", "f-name", "f-mobile", "f-password", "f-password2"}
	fill := func(values ...string) {
		for i, id := range ids {
			reg.set(id, values[i])
		}
		reg.submit("#btn-register")
	}
	fill("chenwei.example.com", " ", "1392618", "short", "shorter")
	for _, c := range []struct{ field, want string }{
		{"f-email", "邮箱"}, {"f-name", "姓名"}, {"f-mobile", "手机"}, {"f-password", "密码"}, {"f-password2", "密码"},
	} {
		reg.contains("#"+c.field+"-err", c.want)
		if inv := reg.eval(`document.getElementById("` + c.field + `").getAttribute("aria-invalid")`); inv != "true" {
			t.Errorf("%s is not marked invalid", c.field)
		}
	}
	if n := reg.eval(`String(document.querySelectorAll("#error-summary li").length)`); n != "5" {
		t.Errorf("the summary lists %s errors, want 5: %s", n, reg.text("#error-summary"))
	}
	values := func() string {
		return reg.eval(`["f-email","f-name","f-mobile","f-password","f-password2"].map(function(id){return document.getElementById(id).value}).join("|")`)
	}
	if kept := values(); kept != "chenwei.example.com| |1392618||" {
		t.Errorf("after the errors the fields read %q (the passwords must be empty, the rest kept)", kept)
	}
	reg.accessible("register with every error")

	// A formatting character pasted into the name (a right-to-left override) is refused the same way, beside
	// the name, with the rest of what was typed kept.
	fill("zhaoliu@example.com", "赵\u202e六", "13912345671", "Passw0rd!2026", "Passw0rd!2026")
	reg.contains("#f-name-err", "U+202E")
	if inv := reg.eval(`document.getElementById("f-name").getAttribute("aria-invalid")`); inv != "true" {
		t.Error("the name with U+202E is not marked invalid")
	}
	if kept := values(); kept != "zhaoliu@example.com|赵\u202e六|13912345671||" {
		t.Errorf("after the refused character the fields read %q (the passwords must be empty, the rest kept)", kept)
	}

}

// The materials step, reached from the review's list of what blocks the submission, marks every missing
// material on its own card at once, and the summary names each (issue #10, item 6).
func TestBrowserMaterialsShowEveryError(t *testing.T) {
	browser := newBrowser(t)
	a := startApp(t, "", func(c *app.Config) { c.Evidence.Require = true })
	p := newParties(t, a)
	c, res := p.newApplicant("materials@example.com")
	o := p.draftReady(c, res, "materials-demo.cn")
	b := newTab(t, browser, a.URL(), viewports[0])
	b.login("materials@example.com", "correct horse 1")
	b.open(path("/orders/%d/review", o.ID))
	for _, id := range []string{"f-agree_commitment", "f-agree_security", "f-agree_terms"} {
		b.eval(`document.getElementById("` + id + `").checked = true; ""`)
	}
	b.submit("#btn-submit")
	b.submit(`#error-summary a[href*="/materials"]`)
	cards := b.eval(`Array.from(document.querySelectorAll(".material:not(.done)")).map(function(c){return c.id}).join(" ")`)
	if len(strings.Fields(cards)) < 2 {
		t.Fatalf("the draft misses fewer than two materials (%q); the test has nothing to check", cards)
	}
	bare := b.eval(`Array.from(document.querySelectorAll(".material:not(.done)")).filter(function(c){
		var e = document.getElementById(c.id + "-err"); return !e || e.hidden || !e.textContent.trim();
	}).map(function(c){return c.id}).join(" ")`)
	if bare != "" {
		t.Errorf("missing materials without an error on their card: %s (of %s)", bare, cards)
	}
	for _, id := range strings.Fields(cards) {
		if n := b.eval(`String(document.querySelectorAll('#error-summary a[href$="#` + id + `"]').length)`); n == "0" {
			t.Errorf("the summary does not link to %s: %s", id, b.text("#error-summary"))
		}
	}
	b.accessible("materials step with every missing material")
}
