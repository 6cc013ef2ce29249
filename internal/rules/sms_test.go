package rules

import (
	"slices"
	"testing"

	"github.com/beian/beian/internal/filing"
)

// docs/design.md §4.9 table (UCloud docs guidance2): whose phone receives the code.
func TestSMSRecipients(t *testing.T) {
	both := []string{SMSSubjectPrincipal, SMSServicePrincipal}
	cases := map[filing.OrderType][]string{
		filing.NewFiling:           both,
		filing.NewService:          {SMSServicePrincipal},
		filing.NewServiceNoSubject: {SMSServicePrincipal},
		filing.NewAccess:           {SMSServicePrincipal},
		filing.ChangeSubject:       {SMSSubjectPrincipal},
		filing.ChangeService:       {SMSServicePrincipal},
		filing.CancelSubject:       {SMSSubjectPrincipal},
		filing.ChangeAccess:        nil,
		filing.CancelService:       nil,
		filing.WithdrawAccess:      nil,
		filing.Claim:               nil,
	}
	for _, typ := range filing.OrderTypes {
		want, listed := cases[typ]
		if !listed {
			t.Errorf("order type %s not in the test table", typ)
		}
		if got := SMSRecipients(typ); !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
			t.Errorf("SMSRecipients(%s) = %v, want %v", typ, got, want)
		}
	}
}

// Pilot from 2017-12-18 in seven provinces (Alibaba Cloud's materials guide, docs/design.md §4.9), everywhere from 2020-08-17 (Alibaba Cloud's filing notes and Huawei Cloud's first-filing guide).
func TestSMSRequired(t *testing.T) {
	cases := []struct {
		prov, date string
		want       bool
	}{
		{"12", "2017-12-17", false},
		{"12", "2017-12-18", true},
		{"65", "2019-01-01", true},
		{"44", "2017-12-18", false},
		{"44", "2020-08-16", false},
		{"44", "2020-08-17", true},
		{"11", "2026-11-20", true},
		{"99", "2026-11-20", false},
	}
	for _, c := range cases {
		if got := SMSRequired(c.prov, at(c.date)); got != c.want {
			t.Errorf("SMSRequired(%s, %s) = %v, want %v", c.prov, c.date, got, c.want)
		}
	}
	if !NeedsSMS(&filing.Order{Province: "44", Type: filing.NewFiling}, day) {
		t.Error("a new filing needs SMS")
	}
	if NeedsSMS(&filing.Order{Province: "44", Type: filing.WithdrawAccess}, day) || NeedsSMS(nil, day) {
		t.Error("withdraw_access needs no SMS (Huawei Cloud's first-filing guide: 取消接入 excepted)")
	}
}
