package store

import "github.com/beian/beian/internal/sqldb"

// SavedOrder is an order as a committed transaction wrote it: its sealed document and bookkeeping, the row a
// read of the order would return (Store.OpenSaved opens it as Store.Order does). A long poll waiting for the
// order answers from it instead of reading the order again.
type SavedOrder struct {
	x         orderScan
	applicant int64
}

// ID is the order's id.
func (v *SavedOrder) ID() int64 { return v.x.id }

// Version is the order's version once the transaction committed; 0 when the transaction saved the order
// without having read it locked, so that its version is not known here (nothing else of it is kept then).
func (v *SavedOrder) Version() int { return v.x.version }

// ApplicantID is the order's applicant.
func (v *SavedOrder) ApplicantID() int64 { return v.applicant }

// OpenSaved unseals a saved order.
func (s *Store) OpenSaved(v *SavedOrder) (*OrderRow, error) { return s.open(&v.x) }

// noteSaved keeps the row SaveOrder writes for an order the transaction read locked (OrderForUpdate), whose
// version the UPDATE's version + 1 then sets to the one known here; of an order saved without that read, only
// that it changed (version 0).
func (t *Tx) noteSaved(r *OrderRow, payload []byte) {
	if t.saved == nil {
		t.saved = map[int64]*SavedOrder{}
	}
	id := r.Order.ID
	v, ok := t.versions[id]
	if !ok {
		t.saved[id] = &SavedOrder{x: orderScan{id: id}}
		return
	}
	v++
	t.versions[id] = v
	t.saved[id] = &SavedOrder{x: orderScan{r: OrderRow{SubjectHash: r.SubjectHash, Attempt: r.Attempt},
		id: id, deadline: sqldb.Millis(r.Deadline), submitted: sqldb.Millis(r.SubmittedAt), version: v,
		payload: payload}, applicant: r.Order.ApplicantID}
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
