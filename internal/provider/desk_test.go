package provider

import (
	"slices"
	"testing"

	"github.com/beian/beian/internal/face"
	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider/store"
	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/storetest"
)

// The reviewer sees a change against the filed record and, after asking for changes, what the applicant
// changed since; calls and mailings show on the order's timeline.
func TestReviewDesk(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		r := newRig(t, db)
		a, res := r.applicant("a@example.cn")
		filed := r.file(a, res, usccs[0], "example.cn")
		subject, site := filed.Result.SubjectNumber, filed.Result.Services[0].Number
		o := r.open(a, FiledOrderInput{Type: filing.ChangeService, SubjectNumber: subject, ServiceNumbers: []string{site}})
		// A curtain is mailed only for the curtain photo: not in the white-background mode, and in curtain mode
		// only once someone must verify for the order (a changed mobile is the same person; the reviewer's
		// request brings the subject principal in).
		addr := CurtainRequest{Recipient: "陈伟", Mobile: "13926184530", Province: "44", Address: "广州市天河区天河路100号"}
		if _, err := r.svc.RequestCurtain(r.ctx, a, o.ID, addr); !problem.Is(err, "curtain.not_needed") {
			t.Fatalf("curtain in white-background mode: %v", err)
		}
		r.svc.cfg.FaceMode = face.Curtain
		if _, err := r.svc.RequestCurtain(r.ctx, a, o.ID, addr); !problem.Is(err, "curtain.not_needed") {
			t.Fatalf("curtain with nobody to verify: %v", err)
		}
		if _, err := r.svc.RequestVerification(r.ctx, r.reviewer, o.ID, PersonSubjectPrincipal, ""); err != nil {
			t.Fatal(err)
		}
		if err := r.edit(a, o.ID, func(c *Content) { c.Services[0].Principal.Mobile = "13600136000" }); err != nil {
			t.Fatal(err)
		}
		r.submit(a, o.ID)
		v, err := r.svc.Review(r.ctx, r.reviewer, o.ID)
		want := []filing.Change{{Field: "services[0].principal.mobile", Old: "13926184530", New: "13600136000"}}
		if err != nil || !slices.Equal(v.Changes, want) || v.Resubmitted || len(v.SinceLast) != 0 {
			t.Fatalf("first review %+v, %v", v, err)
		}
		if _, err := r.svc.Review(r.ctx, a, o.ID); problem.KindOf(err) != problem.Forbidden {
			t.Fatalf("applicant read the review view: %v", err)
		}
		if _, err := r.svc.Decide(r.ctx, r.reviewer, o.ID, Decision{Decision: "request_changes",
			Notes: []filing.Note{{Field: "services[0].remark", Message: "请填写网站实际内容"}}}); err != nil {
			t.Fatal(err)
		}
		if err := r.edit(a, o.ID, func(c *Content) { c.Services[0].Remark = "企业官网，介绍公司产品" }); err != nil {
			t.Fatal(err)
		}
		r.submit(a, o.ID)
		v, _ = r.svc.Review(r.ctx, r.reviewer, o.ID)
		since := []filing.Change{{Field: "services[0].remark", Old: "", New: "企业官网，介绍公司产品"}}
		if !v.Resubmitted || !slices.Equal(v.SinceLast, since) || len(v.Changes) != 2 {
			t.Fatalf("second review %+v", v)
		}

		calls := []struct {
			in   CallInput
			code string
		}{
			{CallInput{Person: "subject_principal", Number: "mobile", Outcome: "reached", Note: "已核实网站用途"}, ""},
			{CallInput{Person: "services[0].principal", Number: "office_phone", Outcome: "no_answer"}, ""},
			{CallInput{Person: "services[3].principal", Outcome: "reached"}, "call.person_unknown"},
			{CallInput{Person: "subject_principal", Number: "fax", Outcome: "reached"}, "call.number_unknown"},
			{CallInput{Person: "subject_principal", Outcome: "happy"}, "call.outcome_unknown"},
			{CallInput{Person: "subject_principal", Outcome: "reached", Note: "bad\x00note"}, "text.control_char"},
		}
		for _, c := range calls {
			call, err := r.svc.LogCall(r.ctx, r.reviewer, o.ID, c.in)
			if c.code != "" {
				if !problem.Is(err, c.code) {
					t.Errorf("%+v: %v, want %s", c.in, err, c.code)
				}
				continue
			}
			if err != nil || call.Phone == "" || call.Phone == "13926184530" {
				t.Errorf("%+v: %+v, %v", c.in, call, err)
			}
		}
		if _, err := r.svc.LogCall(r.ctx, a, o.ID, calls[0].in); problem.KindOf(err) != problem.Forbidden {
			t.Errorf("applicant logged a call: %v", err)
		}
		list, _ := r.svc.Calls(r.ctx, r.reviewer, o.ID)
		if len(list) != 2 || list[0].Note != "已核实网站用途" || list[1].Phone != "020*****0147" {
			t.Fatalf("calls %+v", list)
		}

		mailing := []struct {
			in   CurtainRequest
			code string
		}{
			{CurtainRequest{Recipient: "陈伟", Mobile: "13926184530", Province: "71", Address: "台北市信义路一段1号"}, "curtain.mainland_only"},
			{CurtainRequest{Recipient: "陈伟", Mobile: "12345", Province: "44", Address: "广州市天河区天河路100号"}, "curtain.mobile_invalid"},
			{CurtainRequest{Recipient: "", Mobile: "13926184530", Province: "44", Address: "广州市天河区天河路100号"}, "text.required"},
			{CurtainRequest{Recipient: "陈伟", Mobile: "13926184530", Province: "44", Address: "广州市天河区"}, "curtain.address_too_short"},
			{addr, ""},
			{addr, "curtain.already_requested"},
		}
		var m *store.Mailing
		for _, c := range mailing {
			got, err := r.svc.RequestCurtain(r.ctx, a, o.ID, c.in)
			if c.code != "" {
				if !problem.Is(err, c.code) {
					t.Errorf("%+v: %v, want %s", c.in, err, c.code)
				}
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			m = got
		}
		other, _ := r.applicant("b@example.cn")
		if _, err := r.svc.Mailings(r.ctx, other, store.MailingFilter{OrderID: o.ID}); problem.KindOf(err) != problem.NotFound {
			t.Fatalf("another applicant read the mailings: %v", err)
		}
		if _, err := r.svc.DispatchCurtain(r.ctx, r.reviewer, m.ID, CurtainDispatch{Carrier: "顺丰", Tracking: ""}); !problem.Is(err, "text.required") {
			t.Fatalf("dispatch without tracking: %v", err)
		}
		if _, err := r.svc.DispatchCurtain(r.ctx, r.reviewer, m.ID, CurtainDispatch{Carrier: "顺丰", Tracking: "SF1234567890"}); err != nil {
			t.Fatal(err)
		}
		if _, err := r.svc.DispatchCurtain(r.ctx, r.reviewer, m.ID, CurtainDispatch{Carrier: "顺丰", Tracking: "SF1"}); !problem.Is(err, "curtain.already_dispatched") {
			t.Fatalf("dispatched twice: %v", err)
		}
		seen, _ := r.svc.Mailings(r.ctx, a, store.MailingFilter{OrderID: o.ID})
		if len(seen) != 1 || seen[0].State != store.MailingDispatched || seen[0].Tracking != "SF1234567890" {
			t.Fatalf("applicant's mailings %+v", seen)
		}
		tl, _ := r.svc.OrderTimeline(r.ctx, a, o.ID)
		var actions []filing.Action
		for _, ev := range tl.Events {
			actions = append(actions, ev.Action)
		}
		for _, want := range []filing.Action{ActCall, ActCurtainRequested, ActCurtainDispatched} {
			if !slices.Contains(actions, want) {
				t.Errorf("timeline lacks %s: %v", want, actions)
			}
		}
		if o := r.order(a, o.ID); o.State != filing.Resubmitted {
			t.Fatalf("calls and mailings moved the order to %s", o.State)
		}
	})
}

// Each channel takes the provinces the desk set; the API (no channel) takes every province.
func TestChannels(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		r := newRig(t, db)
		a, _ := r.applicant("a@example.cn")
		phone := []string{"52", "64", "37", "31", "33", "63"} // Baidu Cloud's app in 2019
		if err := r.svc.SetChannelProvinces(r.ctx, a, ChannelPhone, phone); problem.KindOf(err) != problem.Forbidden {
			t.Fatalf("an applicant set the channels: %v", err)
		}
		if err := r.svc.SetChannelProvinces(r.ctx, r.reviewer, ChannelPhone, []string{"44", "99"}); !problem.Is(err, "check.unknown_province") {
			t.Fatalf("unknown province: %v", err)
		}
		if err := r.svc.SetChannelProvinces(r.ctx, r.reviewer, ChannelPhone, phone); err != nil {
			t.Fatal(err)
		}
		in := CheckInput{Province: "44", Nature: "enterprise", CredentialType: "business_license",
			CredentialNumber: usccs[0], ServiceKind: filing.Website, Domain: "example.cn"}
		cases := []struct {
			channel, province, code string
		}{
			{"", "44", ""},
			{ChannelPC, "44", ""},
			{ChannelPhone, "44", "check.channel_province"},
			{ChannelPhone, "33", ""},
			{"fax", "44", "channel.unknown"},
		}
		for _, c := range cases {
			in.Channel, in.Province = c.channel, c.province
			_, err := r.svc.CheckFilingType(r.ctx, a, in)
			if c.code == "" && err != nil || c.code != "" && !problem.Is(err, c.code) {
				t.Errorf("%s %s: %v, want %q", c.channel, c.province, err, c.code)
			}
			if c.code == "check.channel_province" && problem.As(err)[0].Text["zh-CN"] == "" {
				t.Error("the refusal has no text")
			}
		}
		all, _ := r.svc.ChannelProvinces(r.ctx)
		if len(all[ChannelPC]) != 31 || !slices.Equal(all[ChannelPhone], []string{"31", "33", "37", "52", "63", "64"}) {
			t.Fatalf("channels %v", all)
		}
	})
}

// A change asks the face check only of principals who are new to the record.
func TestChangedPersons(t *testing.T) {
	filedP := subjectPerson()
	newP := filing.Principal{Name: "李娜", CredentialType: "resident_id", CredentialNumber: "110105199001010029"}
	svc := filing.Service{Kind: filing.Website, Number: "粤ICP备2026000001号-1", Principal: filedP}
	base := func(t filing.OrderType) *filing.Order {
		subj := filing.Subject{Nature: "enterprise", Principal: filedP}
		return &filing.Order{Type: t, Province: "44", Subject: subj, Services: []filing.Service{svc},
			Filed: &filing.Filed{Subject: subj, Services: []filing.Service{svc}}}
	}
	cases := []struct {
		name string
		o    func() *filing.Order
		keys []string
	}{
		{"service change, same person, new mobile", func() *filing.Order {
			o := base(filing.ChangeService)
			o.Services[0].Principal.Mobile = "13600136000"
			return o
		}, nil},
		{"service change, new person", func() *filing.Order {
			o := base(filing.ChangeService)
			o.Services = []filing.Service{svc}
			o.Services[0].Principal = newP
			return o
		}, []string{"services[0].principal"}},
		{"subject change, same person", func() *filing.Order { return base(filing.ChangeSubject) }, nil},
		{"subject change, new principal", func() *filing.Order {
			o := base(filing.ChangeSubject)
			o.Subject.Principal = newP
			return o
		}, []string{"subject_principal"}},
		{"new filing: everyone", func() *filing.Order {
			o := base(filing.NewFiling)
			o.Filed = nil
			return o
		}, []string{"services[0].principal"}},
	}
	s := New(nil, Config{})
	for _, c := range cases {
		var keys []string
		for _, p := range s.Persons(c.o(), nil) {
			keys = append(keys, p.Key)
		}
		if !slices.Equal(keys, c.keys) {
			t.Errorf("%s: %v, want %v", c.name, keys, c.keys)
		}
	}
}
