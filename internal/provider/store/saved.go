package store

import "github.com/beian/beian/internal/sqldb"

// SavedOrder is an order as a committed transaction wrote it: its sealed document and bookkeeping, the row a
// read of the order would return (Store.OpenSaved opens it as Store.Order does). A long poll waiting for the
// order answers from it instead of reading the order again.
type SavedOrder struct{ x orderScan }

// ID is the order's id.
func (v *SavedOrder) ID() int64 { return v.x.id }

// Version is the order's version once the transaction committed.
func (v *SavedOrder) Version() int { return v.x.version }

// OpenSaved unseals a saved order.
func (s *Store) OpenSaved(v *SavedOrder) (*OrderRow, error) { return s.open(&v.x) }

// noteSaved keeps the row SaveOrder writes for an order the transaction read locked (OrderForUpdate), whose
// version the UPDATE's version + 1 then sets to the one known here. Orders saved without that read are not kept.
func (t *Tx) noteSaved(r *OrderRow, payload []byte) {
	v, ok := t.versions[r.Order.ID]
	if !ok {
		return
	}
	v++
	t.versions[r.Order.ID] = v
	if t.saved == nil {
		t.saved = map[int64]*SavedOrder{}
	}
	t.saved[r.Order.ID] = &SavedOrder{x: orderScan{r: OrderRow{SubjectHash: r.SubjectHash, Attempt: r.Attempt},
		id: r.Order.ID, deadline: sqldb.Millis(r.Deadline), submitted: sqldb.Millis(r.SubmittedAt), version: v,
		payload: payload}}
}

// committed hands the orders the transaction saved to Store.Committed.
func (s *Store) committed(t *Tx) {
	if s.Committed == nil || t == nil || len(t.saved) == 0 {
		return
	}
	out := make([]*SavedOrder, 0, len(t.saved))
	for _, v := range t.saved {
		out = append(out, v)
	}
	s.Committed(out)
}
