package store_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/beian/beian/internal/provider/store"
	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/storetest"
)

// The orders a transaction saved reach Store.Committed once it committed, as a read of them would return them
// (the version the UPDATE set included); a transaction that fails hands over nothing.
func TestCommittedSavedOrders(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		s := newStore(t, db)
		a := applicant(t, s, "saved@example.com")
		r := &store.OrderRow{Order: draft(a.ID, "91440101MA5CCCCC3C"), SubjectHash: s.SubjectHash("business_license", "91440101MA5CCCCC3C")}
		if err := s.Update(ctx, func(tx *store.Tx) error { return tx.CreateOrder(ctx, r, "") }); err != nil {
			t.Fatal(err)
		}
		var got []*store.SavedOrder
		s.Committed = func(v []*store.SavedOrder) { got = append(got, v...) }
		save := func(times int, fail error) error {
			return s.Update(ctx, func(tx *store.Tx) error {
				o, err := tx.OrderForUpdate(ctx, r.Order.ID)
				if err != nil {
					return err
				}
				for i := range times {
					o.Order.Subject.Name = "保存公司" + string(rune('A'+i))
					o.Attempt, o.Deadline = i+1, now.Add(time.Duration(i+1)*time.Hour)
					if err := tx.SaveOrder(ctx, o); err != nil {
						return err
					}
				}
				return fail
			})
		}
		for _, times := range []int{1, 2} {
			got = nil
			if err := save(times, nil); err != nil {
				t.Fatal(err)
			}
			read, err := s.Order(ctx, r.Order.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || got[0].ID() != r.Order.ID || got[0].Version() != read.Order.Version {
				t.Fatalf("saved %d times: handed %d orders, want one at version %d", times, len(got), read.Order.Version)
			}
			opened, err := s.OpenSaved(got[0])
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(opened, read) {
				t.Fatalf("saved %d times: handed\n%+v\nread\n%+v", times, opened, read)
			}
		}
		got = nil
		errRefused := errors.New("refused")
		if err := save(1, errRefused); err != errRefused || len(got) != 0 {
			t.Fatalf("a failed transaction: %v, handed %d orders", err, len(got))
		}
	})
}
