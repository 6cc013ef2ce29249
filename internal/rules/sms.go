package rules

import (
	"slices"
	"time"

	"github.com/beian/beian/internal/filing"
)

// SMS recipients (docs/design.md §4.9 table).
const (
	SMSSubjectPrincipal = "subject_principal"
	SMSServicePrincipal = "service_principal"
)

// SMSRecipients returns which principals receive MIIT's SMS code for an order type (docs/design.md §4.9 table, data/sms.json):
// new filings both principals, new services and accesses the service principal, subject changes and
// cancellations the subject principal; access changes, service cancellations, access withdrawals and claims
// none.
func SMSRecipients(t filing.OrderType) []string {
	return slices.Clone(aux().sms.Recipients[string(t)])
}

// SMSRequired reports whether orders of a province go through MIIT SMS verification on the day of `on`: the
// pilot provinces from 2017-12-18 (Alibaba Cloud's materials guide: 天津、甘肃、西藏、宁夏、海南、新疆、青海), every province from
// 2020-08-17 (Alibaba Cloud's filing notes and Huawei Cloud's first-filing guide; docs/design.md §4.9).
func SMSRequired(province string, on time.Time) bool {
	if _, ok := Province(province); !ok {
		return false
	}
	d, s := DateOf(on), aux().sms
	if d >= s.AllFrom {
		return true
	}
	return d >= s.PilotFrom && slices.Contains(s.PilotProvinces, province)
}

// NeedsSMS reports whether an order goes through SMS verification: its province verifies by SMS on that day
// and its type has recipients.
func NeedsSMS(o *filing.Order, on time.Time) bool {
	return o != nil && SMSRequired(o.Province, on) && len(SMSRecipients(o.Type)) > 0
}
