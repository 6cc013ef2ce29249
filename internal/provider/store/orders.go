package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/sqldb"
)

const purposeOrder = "orders.payload"

// OrderRow is an order with the bookkeeping kept beside its sealed document.
type OrderRow struct {
	Order       *filing.Order
	SubjectHash []byte
	Deadline    time.Time // when the current step is due (zero: none)
	Attempt     int       // uploads to the regulator so far
	SubmittedAt time.Time
}

// OrderSummary is what lists show; it needs no decryption.
type OrderSummary struct {
	ID          int64            `json:"id"`
	ApplicantID int64            `json:"applicant_id"`
	Type        filing.OrderType `json:"type"`
	State       filing.State     `json:"state"`
	Province    string           `json:"province"`
	Nature      string           `json:"nature"`
	SubjectName string           `json:"subject_name"`
	Deadline    *time.Time       `json:"deadline,omitempty"`
	SubmittedAt *time.Time       `json:"submitted_at,omitempty"`
	UpdatedAt   time.Time        `json:"updated_at"`
}

// SubjectHash is the keyed hash that identifies a subject by its credential.
func (s *Store) SubjectHash(credentialType, credentialNumber string) []byte {
	return s.Keys.Hash("subject", credentialType+"\x00"+credentialNumber)
}

func (s *Store) seal(o *filing.Order) ([]byte, error) {
	b, err := json.Marshal(o)
	if err != nil {
		return nil, err
	}
	return s.Keys.Seal(b, purposeOrder), nil
}

// CreateOrder inserts a new order. A subject with an order in flight is a Conflict
// ("order.subject_in_flight", Alibaba Cloud's materials guide); a repeated idempotency key returns ErrDuplicateKey.
func (t *Tx) CreateOrder(ctx context.Context, r *OrderRow, idemKey string) error {
	o := r.Order
	payload, err := t.s.seal(o)
	if err != nil {
		return err
	}
	var key any
	if idemKey != "" {
		key = idemKey
	}
	var resource any
	if o.Resource.InstanceID != 0 {
		resource = o.Resource.InstanceID
	}
	id, err := insertID(ctx, t.tx, `INSERT INTO orders (applicant_id, type, state, province, nature, subject_name,
		subject_hash, in_flight, idempotency_key, resource_id, created_at, updated_at, version, payload_enc)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $12, $8, $9, $10, $10, 1, $11)`,
		o.ApplicantID, o.Type, o.State, o.Province, o.Subject.Nature, o.Subject.Name, r.SubjectHash, key, resource,
		sqldb.Millis(o.CreatedAt), payload, inFlight(o))
	if sqldb.IsUniqueViolation(err) {
		if idemKey != "" && isIdempotencyViolation(err) {
			return ErrDuplicateKey
		}
		return problem.New(problem.Conflict, "order.subject_in_flight", "subject.credential_number")
	}
	if err != nil {
		return err
	}
	o.ID, o.Version = id, 1 // the sealed document has no id yet; scanOrder takes it from its column
	return nil
}

// inFlight is the in_flight column: 1 while the order holds its subject (one order at a time per subject).
func inFlight(o *filing.Order) int {
	if o.HoldsSubject() {
		return 1
	}
	return 0
}

// ErrDuplicateKey means an order was already created with this idempotency key.
var ErrDuplicateKey = errors.New("store: idempotency key already used")

func isIdempotencyViolation(err error) bool {
	s := err.Error()
	return strings.Contains(s, "idempotency") // SQLite names the columns, PostgreSQL the index
}

// OrderIDByIdempotencyKey finds the order an applicant created with key (a read, outside any transaction: the
// order, once created, keeps its key).
func (s *Store) OrderIDByIdempotencyKey(ctx context.Context, applicantID int64, key string) (int64, error) {
	var id int64
	err := s.R.QueryRowContext(ctx, `SELECT id FROM orders WHERE applicant_id = $1 AND idempotency_key = $2`,
		applicantID, key).Scan(&id)
	return id, notFound(err, "order.not_found")
}

// SaveOrder writes the order's document and bookkeeping and bumps its version.
func (t *Tx) SaveOrder(ctx context.Context, r *OrderRow) error {
	o := r.Order
	payload, err := t.s.seal(o)
	if err != nil {
		return err
	}
	var resource any
	if o.Resource.InstanceID != 0 {
		resource = o.Resource.InstanceID
	}
	t.noteSaved(r, payload)
	return t.later.Hold(ctx, savedOrder, `UPDATE orders SET type = $2, state = $3, province = $4, nature = $5,
		subject_name = $6, subject_hash = $7, in_flight = $8, resource_id = $9, attempt = $10, deadline_at = $11,
		submitted_at = $12, updated_at = $13, version = version + 1, payload_enc = $14 WHERE id = $1`,
		o.ID, o.Type, o.State, o.Province, o.Subject.Nature, o.Subject.Name, r.SubjectHash, inFlight(o), resource,
		r.Attempt, sqldb.Millis(r.Deadline), sqldb.Millis(r.SubmittedAt), sqldb.Millis(o.UpdatedAt), payload)
}

// savedOrder checks SaveOrder's UPDATE, which on PostgreSQL is sent with the transaction's held INSERTs
// (sqldb.Deferred.Hold): a unique violation is the order's only when it names the one-order-in-flight index.
func savedOrder(res sql.Result, err error) error {
	if sqldb.IsUniqueViolation(err) && (strings.Contains(err.Error(), "orders_one_in_flight") ||
		strings.Contains(err.Error(), "orders.subject_hash")) {
		return problem.New(problem.Conflict, "order.subject_in_flight", "subject.credential_number")
	}
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return problem.New(problem.NotFound, "order.not_found", "")
	}
	return nil
}

const orderColumns = `id, subject_hash, attempt, deadline_at, submitted_at, version, payload_enc`

// orderScan receives orderColumns.
type orderScan struct {
	r                       OrderRow
	id, deadline, submitted int64
	version                 int
	payload                 []byte
}

func (x *orderScan) dest() []any {
	return []any{&x.id, &x.r.SubjectHash, &x.r.Attempt, &x.deadline, &x.submitted, &x.version, &x.payload}
}

// open unseals the scanned order.
func (s *Store) open(x *orderScan) (*OrderRow, error) {
	plain, err := s.Keys.Open(x.payload, purposeOrder)
	if err != nil {
		return nil, err
	}
	var o filing.Order
	if err := json.Unmarshal(plain, &o); err != nil {
		return nil, err
	}
	o.ID, o.Version = x.id, x.version
	r := x.r
	r.Order, r.Deadline, r.SubmittedAt = &o, sqldb.Time(x.deadline), sqldb.Time(x.submitted)
	return &r, nil
}

func (s *Store) scanOrder(row *sql.Row) (*OrderRow, error) {
	var x orderScan
	if err := row.Scan(x.dest()...); err != nil {
		return nil, notFound(err, "order.not_found")
	}
	return s.open(&x)
}

// OrderForUpdate loads and locks an order inside a write transaction, and with it its applicant's account, which
// the notices of the transaction need (Tx.Account).
func (t *Tx) OrderForUpdate(ctx context.Context, id int64) (*OrderRow, error) {
	var x orderScan
	a, err := t.s.scanAccount(t.tx.QueryRowContext(ctx, `SELECT o.`+strings.ReplaceAll(orderColumns, ", ", ", o.")+
		`, a.`+strings.ReplaceAll(accountColumns, ", ", ", a.")+` FROM orders o JOIN accounts a ON a.id = o.applicant_id
		WHERE o.id = $1`+t.s.ForUpdateOf("o"), id), x.dest()...)
	if err != nil {
		return nil, notFound(err, "order.not_found")
	}
	t.applicant = a
	if t.versions == nil {
		t.versions = map[int64]int{}
	}
	t.versions[id] = x.version
	return t.s.open(&x)
}

// Order loads an order.
func (s *Store) Order(ctx context.Context, id int64) (*OrderRow, error) {
	return s.scanOrder(s.R.QueryRowContext(ctx, `SELECT `+orderColumns+` FROM orders WHERE id = $1`, id))
}

// OrderVersion returns an order's version without reading the order (a long poll's recheck).
func (s *Store) OrderVersion(ctx context.Context, id int64) (int, error) {
	var v int
	err := s.R.QueryRowContext(ctx, `SELECT version FROM orders WHERE id = $1`, id).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, problem.New(problem.NotFound, "order.not_found", "")
	}
	return v, err
}

// AppendEvent records a transition with the next sequence number of its order, at the end of the transaction
// on PostgreSQL (Tx.later): its number then counts the events of the order held before it.
func (t *Tx) AppendEvent(ctx context.Context, ev *filing.Event) error {
	notes := ""
	if len(ev.Notes) > 0 {
		b, _ := json.Marshal(ev.Notes)
		notes = string(b)
	}
	var deadline int64
	if ev.Deadline != nil {
		deadline = sqldb.Millis(*ev.Deadline)
	}
	next := 1
	if t.later.Holding() {
		if t.events == nil {
			t.events = map[int64]int{}
		}
		t.events[ev.OrderID]++
		next = t.events[ev.OrderID]
	}
	return t.later.Add(ctx, `INSERT INTO order_events (order_id, seq, from_state, to_state, action,
		actor_role, actor_id, reason, notes, at, deadline_at)
		SELECT $1, COALESCE(MAX(seq), 0) + $11, $2, $3, $4, $5, $6, $7, $8, $9, $10 FROM order_events WHERE order_id = $1`,
		ev.OrderID, ev.From, ev.To, ev.Action, ev.ActorRole, ev.ActorID, ev.Reason, notes, sqldb.Millis(ev.At), deadline, next)
}

// Events returns an order's history, oldest first.
func (s *Store) Events(ctx context.Context, orderID int64) ([]filing.Event, error) {
	rows, err := s.R.QueryContext(ctx, `SELECT seq, from_state, to_state, action, actor_role, actor_id, reason, notes,
		at, deadline_at FROM order_events WHERE order_id = $1 ORDER BY seq`, orderID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []filing.Event
	for rows.Next() {
		ev := filing.Event{OrderID: orderID}
		var notes string
		var at, deadline int64
		if err := rows.Scan(&ev.Seq, &ev.From, &ev.To, &ev.Action, &ev.ActorRole, &ev.ActorID, &ev.Reason, &notes,
			&at, &deadline); err != nil {
			return nil, err
		}
		if notes != "" {
			if err := json.Unmarshal([]byte(notes), &ev.Notes); err != nil {
				return nil, err
			}
			for _, n := range ev.Notes {
				ev.Fields = append(ev.Fields, n.Field)
			}
		}
		ev.At = sqldb.Time(at)
		if deadline != 0 {
			d := sqldb.Time(deadline)
			ev.Deadline = &d
		}
		out = append(out, ev)
	}
	return out, rows.Err()
}

// OrderFilter selects orders for lists.
type OrderFilter struct {
	ApplicantID int64          // 0: any
	States      []filing.State // empty: any
	Province    string
	Type        filing.OrderType
	Limit       int
	Offset      int
	ByDeadline  bool // the reviewer queue: overdue and soonest first
}

// Orders lists order summaries and the total matching count.
func (s *Store) Orders(ctx context.Context, f OrderFilter) ([]OrderSummary, int, error) {
	where, args := "1 = 1", []any{}
	add := func(cond string, v any) {
		args = append(args, v)
		where += " AND " + replaceN(cond, len(args))
	}
	if f.ApplicantID != 0 {
		add("applicant_id = $N", f.ApplicantID)
	}
	if f.Province != "" {
		add("province = $N", f.Province)
	}
	if f.Type != "" {
		add("type = $N", string(f.Type))
	}
	if len(f.States) > 0 {
		where += " AND state IN (" + sqldb.Placeholders(len(args)+1, len(f.States)) + ")"
		for _, st := range f.States {
			args = append(args, string(st))
		}
	}
	var total int
	if err := s.R.QueryRowContext(ctx, `SELECT count(*) FROM orders WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	order := "id DESC"
	if f.ByDeadline {
		order = "CASE WHEN deadline_at = 0 THEN 1 ELSE 0 END, deadline_at, id"
	}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	rows, err := s.R.QueryContext(ctx, `SELECT id, applicant_id, type, state, province, nature, subject_name,
		deadline_at, submitted_at, updated_at FROM orders WHERE `+where+` ORDER BY `+order+
		` LIMIT `+itoa(f.Limit)+` OFFSET `+itoa(f.Offset), args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	out := []OrderSummary{}
	for rows.Next() {
		var o OrderSummary
		var deadline, submitted, updated int64
		if err := rows.Scan(&o.ID, &o.ApplicantID, &o.Type, &o.State, &o.Province, &o.Nature, &o.SubjectName,
			&deadline, &submitted, &updated); err != nil {
			return nil, 0, err
		}
		if deadline != 0 {
			d := sqldb.Time(deadline)
			o.Deadline = &d
		}
		if submitted != 0 {
			d := sqldb.Time(submitted)
			o.SubmittedAt = &d
		}
		o.UpdatedAt = sqldb.Time(updated)
		out = append(out, o)
	}
	return out, total, rows.Err()
}

// CountByState counts orders per state (the console's counters).
func (s *Store) CountByState(ctx context.Context) (map[filing.State]int, error) {
	rows, err := s.R.QueryContext(ctx, `SELECT state, count(*) FROM orders GROUP BY state`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[filing.State]int{}
	for rows.Next() {
		var st filing.State
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		out[st] = n
	}
	return out, rows.Err()
}

// SubjectInFlight reports whether the subject has an order in flight.
func (s *Store) SubjectInFlight(ctx context.Context, subjectHash []byte) (bool, error) {
	var n int
	err := s.R.QueryRowContext(ctx, `SELECT count(*) FROM orders WHERE subject_hash = $1 AND in_flight = 1`, subjectHash).Scan(&n)
	return n > 0, err
}

// SubjectEverOrdered reports whether any order, in flight or finished, was ever made for the subject.
func (s *Store) SubjectEverOrdered(ctx context.Context, subjectHash []byte) (bool, error) {
	var n int
	err := s.R.QueryRowContext(ctx, `SELECT count(*) FROM orders WHERE subject_hash = $1`, subjectHash).Scan(&n)
	return n > 0, err
}
