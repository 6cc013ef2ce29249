package provider

import (
	"slices"
	"strings"
	"testing"

	"github.com/beian/beian/internal/face"
	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider/store"
	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/storetest"
)

// A mailing address is one a courier delivers to in the mainland: each rule refuses with its own code on its
// own field, and addresses as people write them pass.
func TestCurtainAddressRules(t *testing.T) {
	ok := CurtainRequest{Recipient: "陈伟", Mobile: "13926184530", Province: "44", Address: "深圳市南山区科技园科苑路8号"}
	with := func(fn func(*CurtainRequest)) CurtainRequest {
		in := ok
		fn(&in)
		return in
	}
	cases := []struct {
		name        string
		in          CurtainRequest
		code, field string
	}{
		{"as typed", ok, "", ""},
		{"province named first", with(func(c *CurtainRequest) { c.Address = "广东省深圳市南山区科苑路8号" }), "", ""},
		{"short province name first", with(func(c *CurtainRequest) { c.Address = "广东深圳市南山区科苑路8号" }), "", ""},
		{"spaces around", with(func(c *CurtainRequest) { c.Address, c.Province = "  深圳市 南山区 科苑路8号 ", " 44 " }), "", ""},
		{"village", with(func(c *CurtainRequest) { c.Address = "梅州市梅县区松口镇大黄村" }), "", ""},
		{"in English", with(func(c *CurtainRequest) { c.Address = "8 Keyuan Road, Nanshan District, Shenzhen" }), "", ""},
		{"Qinghai's 海南州", with(func(c *CurtainRequest) { c.Province, c.Address = "63", "海南藏族自治州共和县东大街1号" }), "", ""},
		{"name with a dot", with(func(c *CurtainRequest) { c.Recipient = "阿依古丽·买买提" }), "", ""},
		{"latin name", with(func(c *CurtainRequest) { c.Recipient = "Zhang Wei" }), "", ""},

		{"no province", with(func(c *CurtainRequest) { c.Province = "" }), "text.required", "province"},
		{"Hong Kong", with(func(c *CurtainRequest) { c.Province = "81" }), "curtain.mainland_only", "province"},
		{"Macao", with(func(c *CurtainRequest) { c.Province = "82" }), "curtain.mainland_only", "province"},
		{"Taiwan", with(func(c *CurtainRequest) { c.Province = "71" }), "curtain.mainland_only", "province"},
		{"Hong Kong's 6 digits", with(func(c *CurtainRequest) { c.Province = "810000" }), "curtain.mainland_only", "province"},
		{"a city's code", with(func(c *CurtainRequest) { c.Province = "4403" }), "curtain.province_level", "province"},
		{"a district's code", with(func(c *CurtainRequest) { c.Province = "440305" }), "curtain.province_level", "province"},
		{"no such province", with(func(c *CurtainRequest) { c.Province = "99" }), "curtain.province_unknown", "province"},
		{"a province's name", with(func(c *CurtainRequest) { c.Province = "广东" }), "curtain.province_unknown", "province"},

		{"no address", with(func(c *CurtainRequest) { c.Address = " " }), "text.required", "address"},
		{"control character", with(func(c *CurtainRequest) { c.Address = "深圳市南山区\x1b科苑路8号" }), "text.control_char", "address"},
		{"too short", with(func(c *CurtainRequest) { c.Address = "科苑路8号" }), "curtain.address_too_short", "address"},
		{"spaces do not count", with(func(c *CurtainRequest) { c.Address = "科 苑 路 8 号" }), "curtain.address_too_short", "address"},
		{"only the province, repeated", with(func(c *CurtainRequest) { c.Address = "广东省广东省广东省" }), "curtain.address_no_street", "address"},
		{"only province, city and district", with(func(c *CurtainRequest) { c.Address = "广东省深圳市南山区" }), "curtain.address_no_street", "address"},
		{"district and too little", with(func(c *CurtainRequest) { c.Address = "深圳市南山区8号" }), "curtain.address_no_street", "address"},
		{"in Hong Kong", with(func(c *CurtainRequest) { c.Address = "香港九龙尖沙咀弥敦道1号" }), "curtain.address_mainland_only", "address"},
		{"in Taiwan", with(func(c *CurtainRequest) { c.Address = "台灣台北市信義路五段7號" }), "curtain.address_mainland_only", "address"},
		{"in Macau, in English", with(func(c *CurtainRequest) { c.Address = "Macau, Avenida de Almeida Ribeiro 1" }), "curtain.address_mainland_only", "address"},
		{"in another province", with(func(c *CurtainRequest) { c.Address = "北京市朝阳区建国路1号" }), "curtain.address_other_province", "address"},

		{"no recipient", with(func(c *CurtainRequest) { c.Recipient = "" }), "text.required", "recipient"},
		{"one letter", with(func(c *CurtainRequest) { c.Recipient = "陈" }), "curtain.recipient_too_short", "recipient"},
		{"a phone number", with(func(c *CurtainRequest) { c.Recipient = "13926184530" }), "curtain.recipient_not_name", "recipient"},
		{"name and note", with(func(c *CurtainRequest) { c.Recipient = "陈伟（前台）" }), "curtain.recipient_not_name", "recipient"},
		{"name and digits", with(func(c *CurtainRequest) { c.Recipient = "陈伟2" }), "curtain.recipient_not_name", "recipient"},

		{"bad mobile", with(func(c *CurtainRequest) { c.Mobile = "12345" }), "curtain.mobile_invalid", "mobile"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := curtainAddress(c.in)
			if c.code == "" {
				if err != nil {
					t.Fatalf("%+v refused: %v", c.in, err)
				}
				return
			}
			l := problem.As(err)
			if len(l) != 1 || l[0].Code != c.code || l[0].Field != c.field || l[0].Kind != problem.Invalid {
				t.Fatalf("%+v: %v, want only %s on %s", c.in, err, c.code, c.field)
			}
			if !i18n.Has(c.code) {
				t.Fatalf("%s has no message", c.code)
			}
			for _, lang := range []i18n.Lang{i18n.ZhCN, i18n.ZhTW, i18n.En} {
				if msg := i18n.T(lang, c.code, l[0].Params); msg == "" || msg == c.code {
					t.Errorf("%s in %s: %q", c.code, lang, msg)
				}
			}
		})
	}
	// Several faults are all told at once, each beside its field.
	_, err := curtainAddress(CurtainRequest{Recipient: "陈", Mobile: "1", Province: "4403", Address: "南山区"})
	var fields []string
	for _, e := range problem.As(err) {
		fields = append(fields, e.Field)
	}
	if slices.Sort(fields); !slices.Equal(fields, []string{"address", "mobile", "province", "recipient"}) {
		t.Fatalf("all faults: %v", err)
	}
}

// The province the address names elsewhere is told in the reader's language.
func TestCurtainOtherProvinceNamed(t *testing.T) {
	_, err := curtainAddress(CurtainRequest{Recipient: "陈伟", Mobile: "13926184530", Province: "44", Address: "北京市朝阳区建国路1号"})
	l := problem.As(err)
	if len(l) != 1 || l[0].Text["en"] == "" || !containsAll(l[0].Text["en"], "Beijing", "Guangdong") ||
		!containsAll(l[0].Text["zh-CN"], "北京市", "广东省") {
		t.Fatalf("%v: %+v", err, l)
	}
}

func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

// A curtain is offered and accepted only when the order's verification asks for the curtain photo: the
// provider verifies with it, the order is not in Shanghai (the administration's app) and someone verifies.
func TestCurtainOnlyForCurtainPhoto(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		r := newRig(t, db)
		addr := CurtainRequest{Recipient: "陈伟", Mobile: "13926184530", Province: "44", Address: "广州市天河区天河路100号"}
		a, o := r.draft("white@example.cn", usccs[0], "white.cn")
		need := func(o *filing.Order) bool {
			t.Helper()
			n, err := r.svc.CurtainNeeded(r.ctx, o)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		if need(o) {
			t.Fatal("a curtain is needed in white-background mode")
		}
		_, err := r.svc.RequestCurtain(r.ctx, a, o.ID, addr)
		if l := problem.As(err); len(l) != 1 || l[0].Code != "curtain.not_needed" || l[0].Field != "verification" ||
			l[0].Kind != problem.Conflict {
			t.Fatalf("curtain in white-background mode: %v", err)
		}
		if ms, _ := r.st.Mailings(r.ctx, store.MailingFilter{OrderID: o.ID}); len(ms) != 0 {
			t.Fatalf("refused request recorded %+v", ms)
		}

		r.svc.cfg.FaceMode = face.Curtain
		if !need(o) {
			t.Fatal("no curtain needed in curtain mode")
		}
		if _, err := r.svc.RequestCurtain(r.ctx, a, o.ID, addr); err != nil {
			t.Fatalf("curtain in curtain mode: %v", err)
		}

		// Shanghai verifies in the administration's app, whatever the provider's mode.
		sa, res := r.applicant("sh@example.cn")
		sh, err := r.svc.CreateOrder(r.ctx, sa, CreateInput{Check: CheckInput{Province: "31", Nature: "enterprise",
			CredentialType: "business_license", CredentialNumber: usccs[1], ServiceKind: filing.Website, Domain: "sh-demo.cn"},
			Resource: filing.ResourceRef{InstanceID: res}}, "")
		if err != nil {
			t.Fatal(err)
		}
		if need(sh) {
			t.Fatal("a curtain is needed in Shanghai")
		}
		if _, err := r.svc.RequestCurtain(r.ctx, sa, sh.ID, addr); !problem.Is(err, "curtain.not_needed") {
			t.Fatalf("curtain in Shanghai: %v", err)
		}
	})
}
