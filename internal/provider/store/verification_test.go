package store_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider/store"
	"github.com/beian/beian/internal/secret"
	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/storetest"
)

// Both blob stores keep one sealed copy per content, return it only for the key that addresses it, and forget
// what nothing refers to any more.
func TestBlobStores(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		for _, kind := range []string{"db", "dir"} {
			t.Run(kind, func(t *testing.T) {
				ctx := context.Background()
				s := newStore(t, db)
				if kind == "dir" {
					s.Blobs = store.DirBlobs{Dir: t.TempDir()}
				}
				photo := []byte("\xff\xd8\xff pretend JPEG of " + kind)
				k1, err := s.PutBlob(ctx, photo)
				if err != nil {
					t.Fatal(err)
				}
				k2, err := s.PutBlob(ctx, photo) // the same content again: the same address, one copy
				if err != nil || !bytes.Equal(k1, k2) {
					t.Fatalf("second put: %x %v", k2, err)
				}
				got, err := s.Blob(ctx, k1)
				if err != nil || !bytes.Equal(got, photo) {
					t.Fatalf("get: %q %v", got, err)
				}
				bs := s.Blobs
				if bs == nil {
					bs = store.DBBlobs{DB: db}
				}
				raw, err := bs.Get(ctx, k1)
				if err != nil || bytes.Contains(raw, photo) {
					t.Fatalf("the store holds the plaintext: %v", err)
				}
				// A blob stored under another content's address is refused, not shown as that file.
				other := []byte("another file")
				k3, _ := s.PutBlob(ctx, other)
				sealedOther, _ := bs.Get(ctx, k3)
				forged := s.BlobKey([]byte("forged"))
				if err := bs.Put(ctx, forged, sealedOther); err != nil {
					t.Fatal(err)
				}
				if _, err := s.Blob(ctx, forged); err == nil {
					t.Fatal("a blob under the wrong address was returned")
				}
				// Unreferenced blobs are dropped; referenced ones stay.
				a := applicant(t, s, kind+"-blob@example.com")
				m := &store.Material{OwnerID: a.ID, Code: "subject_credential", Type: "image/jpeg", Size: len(photo), BlobKey: k1, CreatedAt: now}
				if err := s.Update(ctx, func(tx *store.Tx) error { return tx.InsertMaterial(ctx, m) }); err != nil {
					t.Fatal(err)
				}
				for _, k := range [][]byte{k1, k3} {
					if err := s.DropUnreferencedBlob(ctx, k); err != nil {
						t.Fatal(err)
					}
				}
				if _, err := s.Blob(ctx, k1); err != nil {
					t.Fatalf("a referenced blob was dropped: %v", err)
				}
				if _, err := s.Blob(ctx, k3); problem.KindOf(err) != problem.NotFound {
					t.Fatalf("an unreferenced blob is still there: %v", err)
				}
			})
		}
	})
}

func TestMaterialsAndVariants(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		s := newStore(t, db)
		a := applicant(t, s, "mat@example.com")
		kept, _ := s.PutBlob(ctx, []byte("kept"))
		small, _ := s.PutBlob(ctx, []byte("small"))
		m := &store.Material{OwnerID: a.ID, Code: "verification_form", Type: "image/jpeg", Size: 4, Width: 2400, Height: 1800,
			BlobKey: kept, CreatedAt: now, Variants: []store.Variant{{Purpose: store.VariantMIIT, Type: "image/jpeg", Size: 5,
				Width: 1600, Height: 1200, BlobKey: small}}}
		if err := s.Update(ctx, func(tx *store.Tx) error { return tx.InsertMaterial(ctx, m) }); err != nil {
			t.Fatal(err)
		}
		got, err := s.Materials(ctx, []int64{m.ID, 999})
		if err != nil || len(got) != 1 || len(got[m.ID].Variants) != 1 || got[m.ID].Variants[0].Width != 1600 {
			t.Fatalf("materials: %+v %v", got, err)
		}
		v, err := s.MaterialVariant(ctx, m.ID, store.VariantMIIT)
		if err != nil || v == nil || !bytes.Equal(v.BlobKey, small) {
			t.Fatalf("variant: %+v %v", v, err)
		}
		if v, err := s.MaterialVariant(ctx, m.ID, store.VariantPolice); v != nil || err != nil {
			t.Fatalf("missing variant: %+v %v", v, err)
		}
		data, err := s.MaterialData(ctx, got[m.ID])
		if err != nil || string(data) != "kept" {
			t.Fatalf("data: %q %v", data, err)
		}
	})
}

func TestVerificationLinksAndRecords(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		s := newStore(t, db)
		a := applicant(t, s, "v@example.com")
		row := &store.OrderRow{Order: draft(a.ID, "91440101MA5CVVVV1V"), SubjectHash: []byte("v")}
		if err := s.Update(ctx, func(tx *store.Tx) error { return tx.CreateOrder(ctx, row, "") }); err != nil {
			t.Fatal(err)
		}
		oid := row.Order.ID
		link := func(token string, at time.Time) *store.VerificationLink {
			l := &store.VerificationLink{OrderID: oid, Person: "subject_principal", CreatedBy: a.ID, CreatedAt: at, ExpiresAt: at.Add(10 * time.Minute)}
			if err := s.Update(ctx, func(tx *store.Tx) error { return tx.CreateVerificationLink(ctx, l, []byte(token)) }); err != nil {
				t.Fatal(err)
			}
			return l
		}
		first := link("t1", now)
		second := link("t2", now.Add(time.Minute)) // "refresh" revokes the first
		var got *store.VerificationLink
		s.Update(ctx, func(tx *store.Tx) error {
			var err error
			got, err = tx.VerificationLinkByToken(ctx, []byte("t1"))
			return err
		})
		if got == nil || got.ID != first.ID || got.RevokedAt.IsZero() {
			t.Fatalf("first link after refresh: %+v", got)
		}
		err := s.Update(ctx, func(tx *store.Tx) error {
			l, err := tx.VerificationLinkByToken(ctx, []byte("t2"))
			if err != nil {
				return err
			}
			if !l.RevokedAt.IsZero() || !l.OpenedAt.IsZero() {
				t.Errorf("second link: %+v", l)
			}
			return tx.OpenVerificationLink(ctx, l.ID, []byte("session"), now.Add(2*time.Minute), now.Add(32*time.Minute))
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.VerificationLinkBySession(ctx, []byte("nope")); !problem.Is(err, "verification.session_unknown") {
			t.Fatalf("unknown session: %v", err)
		}
		bySession, err := s.VerificationLinkBySession(ctx, []byte("session"))
		if err != nil || bySession.ID != second.ID || !bySession.OpenedAt.Equal(now.Add(2*time.Minute)) {
			t.Fatalf("by session: %+v %v", bySession, err)
		}
		latest, err := s.LatestVerificationLinks(ctx, oid)
		if err != nil || latest["subject_principal"].ID != second.ID {
			t.Fatalf("latest: %+v %v", latest, err)
		}
		if err := s.Update(ctx, func(tx *store.Tx) error {
			_, err := tx.VerificationLinkByToken(ctx, []byte("t3"))
			return err
		}); !problem.Is(err, "verification.link_unknown") {
			t.Fatalf("unknown token: %v", err)
		}

		// Captures: a newer one discards the older, whose blob keys come back for clean-up.
		capture := func(blob string) *store.Verification {
			v := &store.Verification{OrderID: oid, Person: "subject_principal", PersonHash: []byte("p"), Method: "face",
				State: store.VerificationCaptured, LinkID: second.ID, BlobKey: []byte(blob), MIITKey: []byte(blob + "-m"), CreatedAt: now}
			var old [][]byte
			if err := s.Update(ctx, func(tx *store.Tx) error {
				var err error
				if old, err = tx.DiscardCaptured(ctx, oid, "subject_principal"); err != nil {
					return err
				}
				return tx.InsertVerification(ctx, v)
			}); err != nil {
				t.Fatal(err)
			}
			if blob == "b2" && (len(old) != 2 || string(old[0]) != "b1") {
				t.Fatalf("discarded keys: %q", old)
			}
			return v
		}
		capture("b1")
		v2 := capture("b2")
		vs, err := s.Verifications(ctx, oid)
		if err != nil || len(vs) != 1 || vs[0].ID != v2.ID {
			t.Fatalf("verifications: %+v %v", vs, err)
		}
		v2.State, v2.ConfirmedAt = store.VerificationConfirmed, now.Add(3*time.Minute)
		if err := s.Update(ctx, func(tx *store.Tx) error { return tx.UpdateVerification(ctx, v2) }); err != nil {
			t.Fatal(err)
		}
		back, err := s.Verification(ctx, v2.ID)
		if err != nil || back.State != store.VerificationConfirmed || !back.ConfirmedAt.Equal(v2.ConfirmedAt) || string(back.BlobKey) != "b2" {
			t.Fatalf("reloaded: %+v %v", back, err)
		}
		// Requests are kept once per person and renewed.
		for _, note := range []string{"first", "second"} {
			if err := s.Update(ctx, func(tx *store.Tx) error {
				return tx.PutVerificationRequest(ctx, oid, store.VerificationRequest{Person: "legal_representative", RequestedBy: 7, Note: note, RequestedAt: now})
			}); err != nil {
				t.Fatal(err)
			}
		}
		reqs, err := s.VerificationRequests(ctx, oid)
		if err != nil || len(reqs) != 1 || reqs[0].Note != "second" {
			t.Fatalf("requests: %+v %v", reqs, err)
		}
	})
}

func keyring(t *testing.T, index string, keys ...string) *secret.Keyring {
	t.Helper()
	k, err := secret.Parse(strings.Join(keys, ","), index)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func randKey(t *testing.T, id string) string {
	keys, _ := secret.Generate()
	_, b64, _ := strings.Cut(keys, ":")
	return id + ":" + b64
}

// Key rotation re-encrypts every sealed column and every blob under the new primary key: afterwards the old
// key can be dropped and everything still reads.
func TestRotateKeys(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		_, index := secret.Generate()
		oldKey, newKey := randKey(t, "1"), randKey(t, "2")
		s := store.New(db, keyring(t, index, oldKey))
		if err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		s.Blobs = nil
		a := applicant(t, s, "rotate@example.com")
		o := draft(a.ID, "91440101MA5CRRRR1R")
		o.Subject.LegalRepresentative = &filing.LegalRepresentative{Name: "陈伟", IDNumber: "440106199207154565"}
		o.Subject.Principal.Name = "陈伟"
		row := &store.OrderRow{Order: o, SubjectHash: s.SubjectHash("business_license", "91440101MA5CRRRR1R")}
		photo := []byte("face photo bytes")
		err := s.Update(ctx, func(tx *store.Tx) error {
			if err := tx.CreateOrder(ctx, row, ""); err != nil {
				return err
			}
			if err := tx.IndexContacts(ctx, row); err != nil {
				return err
			}
			return tx.Enqueue(ctx, "sms", []byte(`{"to":"13800138000"}`), now)
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.RecordDevMessage(ctx, store.DevMessage{Channel: "sms", To: "13800138000", Body: "code 123456", CreatedAt: now}); err != nil {
			t.Fatal(err)
		}
		key, err := s.PutBlob(ctx, photo)
		if err != nil {
			t.Fatal(err)
		}
		dirStore := &store.Store{DB: db, Keys: s.Keys, Blobs: store.DirBlobs{Dir: dir}}
		dirKey, err := dirStore.PutBlob(ctx, photo)
		if err != nil {
			t.Fatal(err)
		}

		// New primary key 2, old key 1 kept for reading.
		rotating := &store.Store{DB: db, Keys: keyring(t, index, newKey, oldKey), Blobs: store.DirBlobs{Dir: dir}}
		stale, err := rotating.RotateKeys(ctx, true)
		if err != nil {
			t.Fatal(err)
		}
		for _, col := range []string{"accounts.email_enc", "accounts.mobile_enc", "orders.payload_enc", "outbox.payload_enc",
			"dev_messages.to_enc", "dev_messages.body_enc", "blobs.data_enc", "subject_contacts.extra_enc", "blob_store"} {
			if stale[col] == 0 {
				t.Errorf("dry run counts nothing stale in %s: %v", col, stale)
			}
		}
		done, err := rotating.RotateKeys(ctx, false)
		if err != nil {
			t.Fatal(err)
		}
		if done["orders.payload_enc"] != stale["orders.payload_enc"] {
			t.Errorf("rotated %v, dry run said %v", done, stale)
		}
		again, err := rotating.RotateKeys(ctx, true)
		if err != nil {
			t.Fatal(err)
		}
		for col, n := range again {
			if n != 0 {
				t.Errorf("%s still has %d values under the old key", col, n)
			}
		}

		// Only the new key now: everything reads.
		only := &store.Store{DB: db, Keys: keyring(t, index, newKey), Blobs: store.DirBlobs{Dir: dir}}
		if got, err := only.AccountByEmail(ctx, "rotate@example.com"); err != nil || got.Mobile != "13800138000" {
			t.Fatalf("account after rotation: %+v %v", got, err)
		}
		if got, err := only.Order(ctx, o.ID); err != nil || got.Order.Subject.Name != o.Subject.Name {
			t.Fatalf("order after rotation: %v", err)
		}
		if msgs, err := only.DevMessages(ctx, "13800138000", 10); err != nil || len(msgs) != 1 || msgs[0].Body != "code 123456" {
			t.Fatalf("dev messages after rotation: %+v %v", msgs, err)
		}
		if _, _, ok, err := only.LegalRepresentativeContacts(ctx, "440106199207154565", []byte("another subject")); err != nil || !ok {
			t.Fatalf("contacts after rotation: %v %v", ok, err)
		}
		if got, err := only.Blob(ctx, dirKey); err != nil || !bytes.Equal(got, photo) {
			t.Fatalf("dir blob after rotation: %v", err)
		}
		dbOnly := &store.Store{DB: db, Keys: only.Keys}
		if got, err := dbOnly.Blob(ctx, key); err != nil || !bytes.Equal(got, photo) {
			t.Fatalf("db blob after rotation: %v", err)
		}
		// Without the new key (the old one only), nothing opens: the rotation really re-encrypted.
		oldOnly := &store.Store{DB: db, Keys: keyring(t, index, oldKey)}
		if _, err := oldOnly.Order(ctx, o.ID); err == nil {
			t.Fatal("the old key still opens the order")
		}
		// A value under a key the keyring does not hold stops rotation with a clear error.
		third := &store.Store{DB: db, Keys: keyring(t, index, randKey(t, "3"))}
		if _, err := third.RotateKeys(ctx, false); err == nil || !strings.Contains(err.Error(), "accounts.email_enc") {
			t.Fatalf("rotation without the current key: %v", err)
		}
	})
}

// Every sealed (…_enc) column of the provider's schema is rotated: a new one cannot be forgotten.
func TestSealedColumnsCoverSchema(t *testing.T) {
	db := storetest.SQLite(t)
	s := newStore(t, db)
	ctx := context.Background()
	rows, err := s.R.QueryContext(ctx, `SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p
		WHERE m.type = 'table' AND (p.name LIKE '%\_enc' ESCAPE '\' OR (m.name = 'blobs' AND p.name = 'data_enc'))`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var listed []string
	for _, c := range store.SealedColumns() {
		listed = append(listed, c.Name())
	}
	n := 0
	for rows.Next() {
		var table, col string
		rows.Scan(&table, &col)
		n++
		if !slices.Contains(listed, table+"."+col) {
			t.Errorf("%s.%s is sealed but not in store.SealedColumns", table, col)
		}
	}
	if n < 8 {
		t.Fatalf("only %d sealed columns found in the schema", n)
	}
}

// DirBlobs writes files under two levels of directories named by the key, never the plaintext.
func TestDirBlobsLayout(t *testing.T) {
	dir := t.TempDir()
	k, _ := secret.Parse(func() string { a, _ := secret.Generate(); return a }(), base64.StdEncoding.EncodeToString(make([]byte, 32)))
	s := &store.Store{Keys: k, Blobs: store.DirBlobs{Dir: dir}}
	key, err := s.PutBlob(context.Background(), []byte("secret scan"))
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return nil
	})
	if len(files) != 1 || filepath.Base(files[0]) == "" || !strings.Contains(files[0], filepath.Join(
		strings.ToLower(hexOf(key)[:2]), hexOf(key)[2:4])) {
		t.Fatalf("files %v", files)
	}
	b, _ := os.ReadFile(files[0])
	if bytes.Contains(b, []byte("secret scan")) {
		t.Fatal("plaintext on disk")
	}
}

func hexOf(b []byte) string {
	const digits = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, digits[c>>4], digits[c&15])
	}
	return string(out)
}
