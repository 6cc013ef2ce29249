package provider_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/beian/beian/internal/clock"
	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/loadtest"
	"github.com/beian/beian/internal/mps"
	"github.com/beian/beian/internal/password"
	"github.com/beian/beian/internal/police"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/regulator"
	"github.com/beian/beian/internal/secret"
	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/storetest"
)

// The provider's side of the police filing on a real database, with the real police platform simulator behind
// the police interface: the deadline told at approval, consent and push, the data code, the state, reminders.

// policeWorld is a world whose provider talks to a police platform simulator, on an adjustable clock.
func policeWorld(t *testing.T, db *sqldb.DB) (*world, *mps.Simulator, *clock.Adjustable) {
	t.Helper()
	return policeWorldVia(t, db, func(sim *mps.Simulator) police.Platform { return sim })
}

// policeWorldVia is policeWorld with the provider reaching the simulator through link(sim).
func policeWorldVia(t *testing.T, db *sqldb.DB, link func(*mps.Simulator) police.Platform) (*world, *mps.Simulator, *clock.Adjustable) {
	t.Helper()
	clk := clock.NewAdjustable(nil)
	keys, index := secret.Generate()
	k, err := secret.Parse(keys, index)
	if err != nil {
		t.Fatal(err)
	}
	sim := mps.New(db, k, clk, mps.Config{ProviderIDs: []string{providerID}, Password: password.Fast})
	if err := sim.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	w := newWorldWith(t, db, func(c *provider.Config) {
		c.Clock, c.Police, c.ProviderName, c.PoliceBadgeURL = clk, link(sim), "测试接入商", "/mps/badge.png"
	})
	return w, sim, clk
}

// approved takes a fresh order of subject n through provider review and feeds it the administration's results
// up to approval, as the worker would apply them.
func (w *world) approved(t *testing.T, n int) *filing.Order {
	t.Helper()
	ctx := context.Background()
	o, err := w.svc.CreateOrder(ctx, w.applicant, provider.CreateInput{Check: check(n, fmt.Sprintf("police%d.cn", n)),
		Resource: filing.ResourceRef{InstanceID: w.resource}}, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.UpdateOrder(ctx, w.applicant, o.ID, loadtest.Content(o, n)); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.Submit(ctx, w.applicant, o.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := w.svc.Decide(ctx, w.reviewer, o.ID, provider.Decision{Decision: "approve"}); err != nil {
		t.Fatal(err)
	}
	number := fmt.Sprintf("粤ICP备2026%06d号", n)
	for _, res := range []regulator.Result{
		{Action: filing.ActForwarded}, {Action: filing.ActSMSVerified},
		{Action: filing.ActAdminApprove, Code: 1001, SubjectNumber: number,
			Services: []filing.Issued{{Index: 0, Domain: fmt.Sprintf("police%d.cn", n), Number: number + "-1"}}},
	} {
		res.ProviderOrderID, res.Attempt, res.At = o.ID, 1, time.Now()
		if err := w.svc.ApplyResult(ctx, res); err != nil {
			t.Fatalf("%s: %v", res.Action, err)
		}
	}
	got, err := w.svc.GetOrder(ctx, w.applicant, o.ID)
	if err != nil || got.State != filing.Approved {
		t.Fatalf("order %+v %v", got, err)
	}
	return got
}

func TestPoliceFilingFollowUp(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w, sim, clk := policeWorld(t, db)
		ctx := context.Background()
		o := w.approved(t, 81)

		// the approval told the deadline in-app (and queued SMS and e-mail)
		inbox, err := w.svc.Inbox(ctx, w.applicant, 10)
		if err != nil || len(inbox) == 0 || !strings.Contains(inbox[0].Title, "30") || !strings.Contains(inbox[0].Body, "police81.cn") {
			t.Fatalf("inbox %+v %v", inbox, err)
		}
		ws, err := w.svc.PoliceFilings(ctx, w.applicant, o.ID)
		if err != nil || len(ws) != 1 || ws[0].Status.State != police.StateNone || ws[0].DataCode != nil ||
			ws[0].DueBy.Sub(clk.Now()) > provider.PoliceDeadline || ws[0].DueBy.Sub(clk.Now()) < provider.PoliceDeadline-time.Hour {
			t.Fatalf("before the push: %+v %v", ws, err)
		}

		refusals := []struct {
			name    string
			by      provider.Actor
			index   int
			consent bool
			code    string
			kind    problem.Kind
		}{
			{"without consent", w.applicant, 0, false, "police.consent_missing", problem.Invalid},
			{"a service the order did not file", w.applicant, 3, true, "police.not_filed", problem.NotFound},
			{"a reviewer cannot consent for the applicant", w.reviewer, 0, true, "", problem.Forbidden},
		}
		for _, c := range refusals {
			t.Run(c.name, func(t *testing.T) {
				_, err := w.svc.PushToPolice(ctx, c.by, o.ID, c.index, c.consent)
				if problem.KindOf(err) != c.kind || c.code != "" && !problem.Is(err, c.code) {
					t.Fatalf("error %v, want %s %s", err, c.kind, c.code)
				}
				if ws, _ := w.svc.PoliceFilings(ctx, w.applicant, o.ID); ws[0].ConsentAt != nil || ws[0].DataCode != nil {
					t.Fatalf("a refused push left %+v", ws[0])
				}
			})
		}
		other, err := w.svc.Register(ctx, provider.Registration{Email: "other@example.com", Name: "李娜", Password: "a long password"})
		if err != nil {
			t.Fatal(err)
		}
		stranger := provider.Actor{ID: other.ID, Role: provider.RoleApplicant}
		if _, err := w.svc.PoliceFilings(ctx, stranger, o.ID); problem.KindOf(err) != problem.NotFound {
			t.Fatalf("another applicant reads the police filing: %v", err)
		}
		if _, err := w.svc.PushToPolice(ctx, stranger, o.ID, 0, true); problem.KindOf(err) != problem.NotFound {
			t.Fatalf("another applicant pushes: %v", err)
		}

		pushed, err := w.svc.PushToPolice(ctx, w.applicant, o.ID, 0, true)
		if err != nil || pushed.DataCode == nil || len(pushed.DataCode.Code) != 12 || pushed.ConsentAt == nil ||
			pushed.Status.State != police.StateDataPushed || pushed.FooterHTML != "" {
			t.Fatalf("push: %+v %v", pushed, err)
		}
		if got := pushed.DataCode.ExpiresAt.Sub(clk.Now()); got < police.DataCodeValidity-time.Minute || got > police.DataCodeValidity {
			t.Fatalf("data code valid for %s", got)
		}
		again, err := w.svc.PushToPolice(ctx, w.applicant, o.ID, 0, true)
		if err != nil || again.DataCode.Code != pushed.DataCode.Code {
			t.Fatalf("a second push gave %+v %v", again, err)
		}
		audit, err := w.svc.OrderAudit(ctx, w.operator, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range audit {
			actions = append(actions, e.Action)
		}
		if strings.Count(strings.Join(actions, " "), "police.consent") != 2 || strings.Count(strings.Join(actions, " "), "police.push") != 2 {
			t.Fatalf("audit %v", actions)
		}
		// the platform received the provider's data: the code pre-fills the subject and website there
		u, err := sim.Register(ctx, mps.Registration{Username: "chenwei81", Password: "Chen2026ab", PasswordConfirm: "Chen2026ab",
			Name: "陈伟", CredentialType: "resident_id", CredentialNumber: loadtest.ResidentID(81),
			Mobile: loadtest.Mobile(81, 0), Email: "p81@load.example.com"})
		if err != nil {
			t.Fatal(err)
		}
		pre, err := sim.RedeemDataCode(ctx, u.ID, pushed.DataCode.Code, loadtest.Mobile(81, 0), "")
		if err != nil || pre.Subject.Name != o.Subject.Name || pre.Subject.Nature != "enterprise" ||
			pre.Website.ICPNumber != o.Services[0].Number || pre.Website.AccessProvider != "测试接入商" {
			t.Fatalf("prefill %+v %v", pre, err)
		}
	})
}

func TestPoliceReminders(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w, _, clk := policeWorld(t, db)
		ctx := context.Background()
		o := w.approved(t, 82)
		cases := []struct {
			name    string
			advance time.Duration
			want    int
		}{
			{"three weeks after approval: not yet", 21 * 24 * time.Hour, 0},
			{"a week before the deadline: reminded", 2 * 24 * time.Hour, 1},
			{"once only", 24 * time.Hour, 0},
		}
		for _, c := range cases {
			if _, err := clk.Advance(c.advance); err != nil {
				t.Fatal(err)
			}
			n, err := w.svc.SendPoliceReminders(ctx)
			if err != nil || n != c.want {
				t.Fatalf("%s: %d reminders, %v", c.name, n, err)
			}
		}
		inbox, _ := w.svc.Inbox(ctx, w.applicant, 1)
		if len(inbox) != 1 || inbox[0].OrderID != o.ID || !strings.Contains(inbox[0].Body, "police82.cn") {
			t.Fatalf("reminder message %+v", inbox)
		}
		ws, _ := w.svc.PoliceFilings(ctx, w.applicant, o.ID)
		if !ws[0].Reminded {
			t.Fatalf("not marked reminded: %+v", ws[0])
		}
	})
}
