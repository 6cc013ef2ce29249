package provider

import (
	"reflect"
	"testing"
	"time"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/provider/store"
	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/storetest"
)

// A long poll woken by a change committed on its node answers with the order as that change saved it, equal to
// a read; the next poll on that version, on a single node, starts without reading the order (the hub keeps it
// as recent) and answers it, unchanged, when its wait ends. A reviewer's poll still reads.
func TestLongPollAnswersFromTheSavedOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		r := newRig(t, db)
		a, o := r.draft("poll@example.cn", usccs[0], "poll-demo.cn")
		got := make(chan *filing.Order, 1)
		go func() {
			w, err := r.svc.WaitOrder(r.ctx, a, o.ID, o.Version, 20*time.Second)
			if err != nil {
				t.Error(err)
			}
			got <- w
		}()
		for waiting := false; !waiting; time.Sleep(time.Millisecond) {
			r.svc.changes.mu.Lock()
			waiting = len(r.svc.changes.waiters[o.ID]) > 0
			r.svc.changes.mu.Unlock()
		}
		content := Content{Subject: o.Subject, Services: o.Services}
		content.Subject.Name = "广州长轮询科技有限公司"
		if _, err := r.svc.UpdateOrder(r.ctx, a, o.ID, content); err != nil {
			t.Fatal(err)
		}
		woken := <-got
		read := r.order(a, o.ID)
		if !reflect.DeepEqual(woken, read) {
			t.Fatalf("the poll answered\n%+v\nthe order reads\n%+v", woken, read)
		}

		before := sqldb.ReadCounts()
		again, err := r.svc.WaitOrder(r.ctx, a, o.ID, read.Version, 0)
		if err != nil {
			t.Fatal(err)
		}
		if sent := sqldb.ReadCounts().Sub(before).Statements(); sent != 0 {
			t.Errorf("a poll on the version just saved sent %d statements, want none", sent)
		}
		if !reflect.DeepEqual(again, read) {
			t.Fatalf("the poll answered\n%+v\nthe order reads\n%+v", again, read)
		}
		before = sqldb.ReadCounts()
		if _, err := r.svc.WaitOrder(r.ctx, r.reviewer, o.ID, read.Version, 0); err != nil {
			t.Fatal(err)
		}
		if sent := sqldb.ReadCounts().Sub(before).Statements(); sent == 0 {
			t.Error("a reviewer's poll read nothing")
		}
	})
}

// An order saved without its version known (not read locked in the transaction) is forgotten by the hub, as are
// orders another node announces changed, and all of them when announcements may have been missed.
func TestHubForgetsAnOrderSavedUnread(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		r := newRig(t, db)
		a, o := r.draft("unread@example.cn", usccs[1], "unread-demo.cn")
		ch := r.svc.changes.subscribe(o.ID)
		defer r.svc.changes.unsubscribe(o.ID, ch)
		if _, err := r.svc.UpdateOrder(r.ctx, a, o.ID, Content{Subject: o.Subject, Services: o.Services}); err != nil {
			t.Fatal(err)
		}
		if v := r.svc.changes.recentOrder(o.ID); v == nil || v.Version() != o.Version+1 {
			t.Fatalf("recent after a save: %v", v)
		}
		err := r.st.Update(r.ctx, func(tx *store.Tx) error {
			row, err := r.st.Order(r.ctx, o.ID)
			if err != nil {
				return err
			}
			return tx.SaveOrder(r.ctx, row)
		})
		if err != nil {
			t.Fatal(err)
		}
		if v := r.svc.changes.recentOrder(o.ID); v != nil {
			t.Fatalf("recent after a save without a locked read: version %d", v.Version())
		}
		for _, elsewhere := range []func(){func() { r.svc.Changed(o.ID) }, r.svc.WakeAll} {
			ch := r.svc.changes.subscribe(o.ID)
			if _, err := r.svc.UpdateOrder(r.ctx, a, o.ID, Content{Subject: o.Subject, Services: o.Services}); err != nil {
				t.Fatal(err)
			}
			r.svc.changes.unsubscribe(o.ID, ch)
			if r.svc.changes.recentOrder(o.ID) == nil {
				t.Fatal("not recent after a save")
			}
			elsewhere()
			if v := r.svc.changes.recentOrder(o.ID); v != nil {
				t.Fatalf("recent after a change elsewhere: version %d", v.Version())
			}
		}
	})
}

// draft opens a draft for a new applicant.
func (r *rig) draft(email, uscc, domain string) (Actor, *filing.Order) {
	r.t.Helper()
	a, res := r.applicant(email)
	o, err := r.svc.CreateOrder(r.ctx, a, CreateInput{Check: CheckInput{Province: "44", Nature: "enterprise",
		CredentialType: "business_license", CredentialNumber: uscc, ServiceKind: filing.Website, Domain: domain},
		Resource: filing.ResourceRef{InstanceID: res}}, "")
	if err != nil {
		r.t.Fatal(err)
	}
	return a, o
}
