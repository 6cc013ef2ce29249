package app_test

import "testing"

// Registration shows every error at once, each beside its field, and keeps what was typed except the passwords
// (issue #10, item 6): a mistyped confirmation of the password no longer hides the other errors.
func TestBrowserRegisterShowsEveryError(t *testing.T) {
	browser := newBrowser(t)
	a := startApp(t, "")
	reg := newTab(t, browser, a.URL(), viewports[0])
	reg.open("/register")
	reg.set("f-email", "chenwei.example.com")
	reg.set("f-name", " ")
	reg.set("f-mobile", "1392618")
	reg.set("f-password", "short")
	reg.set("f-password2", "shorter")
	reg.submit("#btn-register")
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
	kept := reg.eval(`["f-email","f-name","f-mobile","f-password","f-password2"].map(function(id){return document.getElementById(id).value}).join("|")`)
	if kept != "chenwei.example.com| |1392618||" {
		t.Errorf("after the errors the fields read %q (the passwords must be empty, the rest kept)", kept)
	}
	reg.accessible("register with every error")

}
