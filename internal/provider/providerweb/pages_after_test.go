package providerweb

import (
	"slices"
	"strings"
	"testing"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/web"
	"github.com/beian/beian/internal/web/webtest"
)

// Keys the after-filing pages build from values exist for every value.
func TestAfterComposedKeysExist(t *testing.T) {
	var keys []string
	add := func(prefix string, vals ...string) {
		for _, v := range vals {
			keys = append(keys, prefix+v)
		}
	}
	add("web.call.outcome.", "reached", "no_answer", "busy", "wrong_number", "declined")
	add("web.curtain.state.", "requested", "dispatched")
	add("web.access_method.", "cloud_host", "virtual_host", "dedicated_host", "colocation")
	add("web.action.", string(provider.ActCall), string(provider.ActCurtainRequested), string(provider.ActCurtainDispatched),
		string(filing.ActClaimVerified), string(filing.ActAuthorizeClaim))
	add("web.step.", allSteps...)
	add("channel.", provider.ChannelPC, provider.ChannelPhone)
	add("web.flash.", "opened", "code_sent", "claimed", "curtain_requested", "call_logged", "claim_authorized", "curtain_dispatched")
	add("curtain.", "not_needed", "mainland_only", "province_level", "province_unknown", "mobile_invalid", "recipient_too_short",
		"recipient_not_name", "address_too_short", "address_mainland_only", "address_other_province", "address_no_street")
	for _, k := range keys {
		webtest.InEveryCatalog(t, "composed", k)
	}
}

// Each refusal of a curtain request lands beside the input of the field it names, in every language.
func TestCurtainErrorsBesideTheirFields(t *testing.T) {
	s := &Server{}
	for _, lang := range i18n.Langs {
		v := &web.View{Lang: lang}
		for field, code := range map[string]string{"recipient": "curtain.recipient_not_name", "mobile": "curtain.mobile_invalid",
			"province": "curtain.province_level", "address": "curtain.address_no_street"} {
			f := s.curtainForm(v, provider.CurtainRequest{Recipient: "陈伟2", Province: "4403"})
			f.Place([]web.FieldError{{Field: field, Message: i18n.T(lang, code, map[string]string{"min": "4"})}})
			if len(f.Summary) != 1 || f.Summary[0].Target != "f-"+field {
				t.Fatalf("%s %s: summary %+v", lang, field, f.Summary)
			}
			fl, _ := f.Locate(field)
			if fl == nil || fl.Label == "" || strings.HasPrefix(fl.Label, "web.") {
				t.Fatalf("%s %s: field %+v", lang, field, fl)
			}
		}
	}
}

// Each order type has the steps that edit what it changes, and ends with the review.
func TestStepsOf(t *testing.T) {
	filed := &filing.Filed{}
	cases := []struct {
		o    *filing.Order
		want []string
	}{
		{&filing.Order{Type: filing.NewFiling}, []string{"subject", "services", "materials", "review"}},
		{&filing.Order{Type: filing.NewService, Filed: filed}, []string{"services", "materials", "review"}},
		{&filing.Order{Type: filing.ChangeSubject, Filed: filed}, []string{"subject", "materials", "review"}},
		{&filing.Order{Type: filing.ChangeService, Filed: filed}, []string{"services", "materials", "review"}},
		{&filing.Order{Type: filing.ChangeAccess, Filed: filed}, []string{"access", "review"}},
		{&filing.Order{Type: filing.NewAccess, Filed: filed}, []string{"materials", "review"}},
		{&filing.Order{Type: filing.CancelService, Filed: filed}, []string{"review"}},
		{&filing.Order{Type: filing.WithdrawAccess, Filed: filed}, []string{"review"}},
		{&filing.Order{Type: filing.Claim}, []string{"claim", "materials", "review"}},
	}
	for _, c := range cases {
		if got := stepsOf(c.o); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.o.Type, got, c.want)
		}
	}
}
