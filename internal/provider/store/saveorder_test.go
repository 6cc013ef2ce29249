package store_test

import (
	"context"
	"testing"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider/store"
	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/storetest"
)

// SaveOrder's UPDATE goes with the transaction's event and notices at its end on PostgreSQL
// (sqldb.Deferred.Hold): a statement sent after it still reads what it wrote, one round trip carries the
// transition, and a conflict it meets at the end is still the order's conflict, with nothing of the
// transaction written.
func TestSaveOrderHeldToTheEnd(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		s := newStore(t, db)
		a := applicant(t, s, "held@example.com")
		create := func(cred string) *store.OrderRow {
			r := &store.OrderRow{Order: draft(a.ID, cred), SubjectHash: s.SubjectHash("business_license", cred)}
			if err := s.Update(ctx, func(tx *store.Tx) error { return tx.CreateOrder(ctx, r, "") }); err != nil {
				t.Fatal(err)
			}
			return r
		}
		first, second := create("91440101MA5CAAAA1A"), create("91440101MA5CBBBB2B")
		submit := func(id int64, hash []byte, readBack bool) error {
			return s.Update(ctx, func(tx *store.Tx) error {
				r, err := tx.OrderForUpdate(ctx, id)
				if err != nil {
					return err
				}
				ev, err := r.Order.Transition(filing.ActSubmit, filing.RoleApplicant, a.ID, "", nil, now)
				if err != nil {
					return err
				}
				if hash != nil {
					r.SubjectHash = hash
				}
				if err := tx.SaveOrder(ctx, r); err != nil {
					return err
				}
				if readBack {
					again, err := tx.OrderForUpdate(ctx, id)
					if err != nil {
						return err // the held UPDATE failed: Update reports its error, not this one
					}
					if again.Order.State != filing.Submitted || again.Order.Version != r.Order.Version+1 {
						t.Errorf("read after SaveOrder in its transaction: %+v", again.Order)
					}
				}
				return tx.AppendEvent(ctx, &ev)
			})
		}
		before := sqldb.ReadCounts()
		if err := submit(first.Order.ID, nil, false); err != nil {
			t.Fatal(err)
		}
		if sent := sqldb.ReadCounts().Sub(before); db.Dialect == sqldb.Postgres && sent.Provider != 2 {
			t.Errorf("PostgreSQL: %d statements for a read, a save and an event, want 2", sent.Provider)
		}
		if err := submit(second.Order.ID, first.SubjectHash, false); !problem.Is(err, "order.subject_in_flight") {
			t.Fatalf("saving an order onto a subject with another in flight: %v", err)
		}
		if err := submit(second.Order.ID, first.SubjectHash, true); !problem.Is(err, "order.subject_in_flight") {
			t.Fatalf("the same, read back before the end: %v", err)
		}
		got, err := s.Order(ctx, second.Order.ID)
		if err != nil || got.Order.State != filing.Draft || string(got.SubjectHash) != string(second.SubjectHash) {
			t.Fatalf("the refused order changed: %+v %v", got, err)
		}
		if evs, err := s.Events(ctx, second.Order.ID); err != nil || len(evs) != 0 {
			t.Fatalf("the refused transition left events: %+v %v", evs, err)
		}
		if err := submit(second.Order.ID, nil, true); err != nil {
			t.Fatal(err)
		}
		if evs, err := s.Events(ctx, first.Order.ID); err != nil || len(evs) != 1 || evs[0].To != filing.Submitted {
			t.Fatalf("events: %+v %v", evs, err)
		}
	})
}
