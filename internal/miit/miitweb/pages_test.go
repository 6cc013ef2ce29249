package miitweb

import (
	"testing"

	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/web"
	"github.com/beian/beian/internal/web/webtest"
)

// No template or handler of the simulator's pages may name a key that a catalog lacks.
func TestKeysExist(t *testing.T) {
	webtest.TemplateKeys(t, "templates/*.html", 30)
	webtest.HandlerKeys(t, "*.go", 5)
}

// Keys the pages build from values exist for every value.
func TestComposedKeysExist(t *testing.T) {
	var keys []string
	add := func(prefix string, vals ...string) {
		for _, v := range vals {
			keys = append(keys, prefix+v)
		}
	}
	add("web.miit.state.", miitStates...)
	add("web.miit.sms_state.", "pending", "verified", "void")
	add("web.query.kind.", "domain", "number", "subject_name")
	add("web.title.", "verify", "officer_queue", "query")
	for _, code := range []string{"sms_phone_invalid", "sms_code_invalid", "sms_last6_invalid", "sms_mismatch",
		"sms_locked", "sms_expired", "captcha_wrong", "verify_rate_limited", "review_not_found", "reason_required",
		"not_in_review", "approve_conflict"} {
		if !i18n.Has("miit." + code) {
			add("web.error.miit.", code)
		}
	}
	for _, k := range keys {
		webtest.InEveryCatalog(t, "composed", k)
	}
}

// Every page template of the simulator parses in every language.
func TestTemplatesParse(t *testing.T) {
	site := web.NewSite(nil, nil)
	New(site, nil, nil)
	n, err := site.CheckTemplates()
	if err != nil || n != 6 { // the frame's error page and the simulator's five
		t.Fatalf("CheckTemplates = %d, %v", n, err)
	}
}
