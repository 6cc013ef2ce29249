package store_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider/store"
	"github.com/beian/beian/internal/secret"
	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/storetest"
)

func newStore(t *testing.T, db *sqldb.DB) *store.Store {
	t.Helper()
	keys, index := secret.Generate()
	k, err := secret.Parse(keys, index)
	if err != nil {
		t.Fatal(err)
	}
	s := store.New(db, k)
	if err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := s.Migrate(context.Background()); err != nil { // idempotent
		t.Fatal(err)
	}
	return s
}

var now = time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)

func applicant(t *testing.T, s *store.Store, email string) *store.Account {
	t.Helper()
	a := &store.Account{Role: "applicant", Email: email, Name: "张三", Mobile: "13800138000", PasswordHash: "x", CreatedAt: now}
	if err := s.Update(context.Background(), func(tx *store.Tx) error { return tx.CreateAccount(context.Background(), a) }); err != nil {
		t.Fatal(err)
	}
	return a
}

func draft(applicantID int64, credential string) *filing.Order {
	return &filing.Order{ApplicantID: applicantID, Type: filing.NewFiling, State: filing.Draft, Province: "44",
		Subject: filing.Subject{Nature: "enterprise", Name: "广州示例科技有限公司", CredentialType: "business_license",
			CredentialNumber: credential, Principal: filing.Principal{Mobile: "13800138000"}},
		CreatedAt: now, UpdatedAt: now}
}

func TestAccountsAndTokens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		s := newStore(t, db)
		a := applicant(t, s, "Zhang@Example.com")
		err := s.Update(ctx, func(tx *store.Tx) error {
			return tx.CreateAccount(ctx, &store.Account{Role: "applicant", Email: "zhang@example.com", Name: "x", PasswordHash: "x", CreatedAt: now})
		})
		if !errors.Is(err, store.ErrEmailTaken) {
			t.Fatalf("duplicate e-mail (case-insensitive): %v", err)
		}
		got, err := s.AccountByEmail(ctx, "zhang@EXAMPLE.com")
		if err != nil || got.ID != a.ID || got.Mobile != "13800138000" {
			t.Fatalf("by e-mail: %+v %v", got, err)
		}
		token, hash := store.NewToken()
		if err := s.Update(ctx, func(tx *store.Tx) error {
			return tx.CreateToken(ctx, hash, a.ID, store.TokenSession, "", now, now.Add(time.Hour))
		}); err != nil {
			t.Fatal(err)
		}
		if got, kind, err := s.AccountByToken(ctx, token, now); err != nil || got.ID != a.ID || kind != store.TokenSession {
			t.Fatalf("by token: %v %v", got, err)
		}
		if _, _, err := s.AccountByToken(ctx, token, now.Add(2*time.Hour)); problem.KindOf(err) != problem.Unauthenticated {
			t.Fatalf("expired token: %v", err)
		}
	})
}

func TestOneOrderInFlightPerSubject(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		s := newStore(t, db)
		a := applicant(t, s, "a@example.com")
		hash := s.SubjectHash("business_license", "91440101MA5CXXXX1X")
		var wg sync.WaitGroup
		errs := make([]error, 8)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = s.Update(ctx, func(tx *store.Tx) error {
					return tx.CreateOrder(ctx, &store.OrderRow{Order: draft(a.ID, "91440101MA5CXXXX1X"), SubjectHash: hash}, "")
				})
			}()
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case !problem.Is(err, "order.subject_in_flight"):
				t.Fatalf("unexpected error: %v", err)
			}
		}
		if ok != 1 {
			t.Fatalf("%d concurrent orders for one subject were accepted, want 1", ok)
		}
	})
}

func TestOrderRoundTripEventsAndIdempotency(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		s := newStore(t, db)
		a := applicant(t, s, "b@example.com")
		row := &store.OrderRow{Order: draft(a.ID, "91440101MA5CYYYY2Y"), SubjectHash: s.SubjectHash("business_license", "91440101MA5CYYYY2Y")}
		if err := s.Update(ctx, func(tx *store.Tx) error { return tx.CreateOrder(ctx, row, "key-1") }); err != nil {
			t.Fatal(err)
		}
		err := s.Update(ctx, func(tx *store.Tx) error {
			return tx.CreateOrder(ctx, &store.OrderRow{Order: draft(a.ID, "other"), SubjectHash: []byte("other")}, "key-1")
		})
		if err != store.ErrDuplicateKey {
			t.Fatalf("repeated idempotency key: %v", err)
		}
		err = s.Update(ctx, func(tx *store.Tx) error {
			r, err := tx.OrderForUpdate(ctx, row.Order.ID)
			if err != nil {
				return err
			}
			ev, err := r.Order.Transition(filing.ActSubmit, filing.RoleApplicant, a.ID, "", nil, now)
			if err != nil {
				return err
			}
			r.Deadline = now.Add(48 * time.Hour)
			if err := tx.SaveOrder(ctx, r); err != nil {
				return err
			}
			return tx.AppendEvent(ctx, &ev)
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Order(ctx, row.Order.ID)
		if err != nil || got.Order.State != filing.Submitted || got.Order.Subject.Name != "广州示例科技有限公司" || !got.Deadline.Equal(now.Add(48*time.Hour)) {
			t.Fatalf("reloaded: %+v %v", got, err)
		}
		evs, err := s.Events(ctx, row.Order.ID)
		if err != nil || len(evs) != 1 || evs[0].Seq != 1 || evs[0].To != filing.Submitted {
			t.Fatalf("events: %+v %v", evs, err)
		}
		list, total, err := s.Orders(ctx, store.OrderFilter{States: []filing.State{filing.Submitted}, ByDeadline: true})
		if err != nil || total != 1 || list[0].ID != row.Order.ID {
			t.Fatalf("queue: %+v %d %v", list, total, err)
		}
		if _, err := s.Order(ctx, 9999); problem.KindOf(err) != problem.NotFound {
			t.Fatalf("missing order: %v", err)
		}
	})
}

// Personal data never reaches the SQLite file in plaintext.
func TestPersonalDataSealedOnDisk(t *testing.T) {
	db := storetest.SQLite(t)
	s := newStore(t, db)
	ctx := context.Background()
	a := applicant(t, s, "sealed@example.com")
	o := draft(a.ID, "91440101MA5CZZZZ3Z")
	o.Subject.Principal.CredentialNumber = "110105199001010022"
	if err := s.Update(ctx, func(tx *store.Tx) error {
		return tx.CreateOrder(ctx, &store.OrderRow{Order: o, SubjectHash: s.SubjectHash("x", "y")}, "")
	}); err != nil {
		t.Fatal(err)
	}
	db.W.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
	path := strings.TrimPrefix(db.URL, "sqlite:")
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, secretText := range []string{"110105199001010022", "13800138000", "sealed@example.com"} {
		if bytes.Contains(raw, []byte(secretText)) {
			t.Errorf("%s found in plaintext in the database file", secretText)
		}
	}
}
