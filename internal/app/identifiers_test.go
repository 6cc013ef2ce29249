package app_test

import (
	"strings"
	"testing"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/web"
)

// An identifier typed in another accepted form (a resident ID with a lower-case check letter, a mobile with
// spaces) is kept in the one normal form that `beian check` prints: in the order, on the review page and in
// the submission the administration receives.
func TestIdentifiersNormalisedOnEveryPath(t *testing.T) {
	a := startApp(t, "")
	p := newParties(t, a)
	c, res := p.newApplicant("normal@example.com")
	o := p.open(c, check("normal-demo.cn"), res, filing.NewFiling)
	const id = "44010619850312100X"
	in := content(o)
	in.Subject.LegalRepresentative.IDNumber = strings.ToLower(id)
	in.Subject.Principal.CredentialNumber = strings.ToLower(id)
	in.Subject.Principal.Mobile = "139 2618 4530"
	var saved filing.Order
	c.must(200, "PUT", path("/api/v1/orders/%d", o.ID), in, &saved)
	if saved.Subject.Principal.CredentialNumber != id || saved.Subject.LegalRepresentative.IDNumber != id ||
		saved.Subject.Principal.Mobile != mobile {
		t.Fatalf("saved as typed: %+v", saved.Subject)
	}
	_, page := c.do("GET", path("/orders/%d/review", o.ID), nil, "Cookie", web.SessionCookie+"="+c.token)
	if !strings.Contains(string(page), id) || strings.Contains(string(page), strings.ToLower(id)) {
		t.Fatalf("the review page does not show %s alone: %.3000s", id, page)
	}
	p.forward(c, o.ID)
	if status, body := p.trySMS(mobile, p.smsCode(mobile), id[12:]); status != 200 {
		t.Fatalf("SMS verification: %d %s", status, body)
	}
	var list struct{ Reviews []struct{ ID int64 } }
	p.officer.must(200, "GET", "/miit/api/v1/reviews", nil, &list)
	if len(list.Reviews) != 1 {
		t.Fatalf("officer's queue: %+v", list)
	}
	_, sub := p.officer.do("GET", path("/miit/api/v1/reviews/%d", list.Reviews[0].ID), nil)
	if !strings.Contains(string(sub), id) || strings.Contains(string(sub), strings.ToLower(id)) {
		t.Fatalf("the administration did not receive %s alone: %s", id, sub)
	}
}
