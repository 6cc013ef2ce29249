package rules

import (
	"slices"
	"testing"
	"time"

	"github.com/beian/beian/internal/filing"
)

var afterDay = time.Date(2026, 12, 6, 10, 0, 0, 0, chinaTime)

// Jiangsu takes no subject change, service change or service cancellation online; other order types and
// provinces are not refused.
func TestOnlineRefusal(t *testing.T) {
	cases := []struct {
		province string
		typ      filing.OrderType
		refused  bool
	}{
		{"32", filing.ChangeSubject, true},
		{"32", filing.ChangeService, true},
		{"32", filing.CancelService, true},
		{"32", filing.CancelSubject, false},
		{"32", filing.ChangeAccess, false},
		{"32", filing.NewService, false},
		{"44", filing.ChangeSubject, false},
		{"99", filing.ChangeSubject, false},
	}
	for _, c := range cases {
		v, refused := OnlineRefusal(c.province, c.typ, afterDay)
		if refused != c.refused {
			t.Errorf("%s %s: refused %v, want %v", c.province, c.typ, refused, c.refused)
		}
		if refused && (v.Code != "rules.online_change_refused" || v.Message == "" || v.Source == "") {
			t.Errorf("%s %s: violation %+v", c.province, c.typ, v)
		}
	}
	if _, refused := OnlineRefusal("32", filing.ChangeSubject, time.Date(2020, 1, 1, 0, 0, 0, 0, chinaTime)); refused {
		t.Error("refused before the rule is known to apply")
	}
}

func TestEmptySubjectTakesServices(t *testing.T) {
	cases := []struct {
		province string
		on       time.Time
		want     bool
	}{
		{"32", afterDay, true},
		{"11", afterDay, true},
		{"44", afterDay, false},
		{"32", time.Date(2026, 1, 1, 0, 0, 0, 0, chinaTime), false},
	}
	for _, c := range cases {
		if got := EmptySubjectTakesServices(c.province, c.on); got != c.want {
			t.Errorf("%s on %s: %v, want %v", c.province, c.on.Format(time.DateOnly), got, c.want)
		}
	}
	if ps := EmptySubjectProvinces(afterDay); len(ps) != 11 || !slices.Contains(ps, "52") {
		t.Errorf("provinces %v", ps)
	}
}

// A subject change that replaces the credential number asks for the change certificate; one that keeps it
// does not.
func TestChangeProof(t *testing.T) {
	filed := filing.Subject{Nature: "enterprise", Name: "广州示例云科技有限公司", CredentialType: "business_license",
		CredentialNumber: "440101000123456"}
	cases := []struct {
		name   string
		number string
		filed  bool
		want   bool
	}{
		{"new unified code", "91440101MA9W87654R", true, true},
		{"same number, other case", "440101000123456", true, false},
		{"no filed record", "91440101MA9W87654R", false, false},
	}
	for _, c := range cases {
		o := &filing.Order{Type: filing.ChangeSubject, Province: "44", Subject: filed}
		o.Subject.CredentialNumber = c.number
		if c.filed {
			o.Filed = &filing.Filed{Subject: filed}
		}
		got := false
		for _, m := range Evaluate(o, afterDay).Materials {
			got = got || m.Code == "change_proof"
		}
		if got != c.want {
			t.Errorf("%s: change_proof asked %v, want %v", c.name, got, c.want)
		}
	}
}
