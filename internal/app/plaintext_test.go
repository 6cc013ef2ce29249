package app_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/mps"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/storetest"
)

// Personal data is sealed at rest and kept out of the logs (docs/design.md §9): after a whole filing, from registration
// to the issued number and on to the police platform's subject and application, the principal's ID number, mobile and e-mail appear nowhere in plaintext — not in the
// database (every table, on both engines, including SQLite's write-ahead log; the response kept for a request
// sent with an Idempotency-Key too) and not in the log output.
func TestNoPersonalDataInPlaintext(t *testing.T) {
	var logs bytes.Buffer
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	t.Cleanup(func() { slog.SetDefault(prev) })

	for name, url := range storetest.URLs(t) {
		t.Run(name, func(t *testing.T) {
			a := startApp(t, url, func(c *app.Config) { c.AccessLog = true })
			p := newParties(t, a)
			c, res := p.newApplicant("secret-owner@example.com")
			o := p.draftReady(c, res, "secret-demo.cn")
			// A face photo (issue #5): taken on the phone, kept and forwarded; its bytes must not be readable either.
			shot := goodFace(t)
			p.verifyPerson(c, o.ID, "subject_principal")
			vid := p.evidence(c, o.ID).Persons[0].Verification.ID
			_, kept := c.do("GET", path("/api/v1/verifications/%d/photo", vid), nil)
			_, forwarded := c.do("GET", path("/api/v1/verifications/%d/photo?copy=miit", vid), nil)
			// Submitted with an Idempotency-Key: the response kept for retries holds the order and its principals.
			c.must(200, "POST", path("/api/v1/orders/%d/submit", o.ID), nil, nil, "Idempotency-Key", "plain-submit")
			p.reviewer.must(200, "POST", path("/api/v1/console/orders/%d/decisions", o.ID), provider.Decision{Decision: "approve"}, nil)
			p.waitState(c, o.ID, filing.SMSPending)
			p.verify(mobile)
			p.waitState(c, o.ID, filing.AdministrationReview)
			// A wrong try and a query string with a phone number must not leak either.
			p.trySMS(mobile, "999999", "000000")
			p.operator.do("GET", "/api/v1/dev/messages?to="+mobile, nil)
			p.officerDecide(o.ID, true)
			p.waitState(c, o.ID, filing.Approved)
			// Then the police filing of the website: the ICP data pushed with consent, the platform account (the
			// same person, ID number, mobile and e-mail), the subject and the application with their ID photos.
			var pushed provider.PoliceWebsite
			c.must(200, "POST", path("/api/v1/orders/%d/police/pushes", o.ID), map[string]any{"service_index": 0, "consent": true}, &pushed)
			site := fileWithDataCode(t, a.URL(), p.operator, pushed.DataCode.Code)
			staff := mpsLogin(t, a.URL(), p.operator, "police-gd", app.DemoPassword)
			staff.must(200, "POST", path("/mps/api/v1/staff/subjects/%d/decisions", site.SubjectID), map[string]string{"action": "approve"}, nil)
			staff.must(200, "POST", path("/mps/api/v1/staff/websites/%d/decisions", site.ID), map[string]string{"action": "approve"}, nil)

			secrets := []string{legalRep, mobile, emergency, "chenwei@gz-demo.cn", "secret-owner@example.com"}
			dump := databaseText(t, a, url)
			if !strings.Contains(dump, "广州示例云科技有限公司") || !strings.Contains(dump, "公网安备") ||
				!strings.Contains(logs.String(), "/api/v1/orders") || !strings.Contains(logs.String(), "/mps/api/v1/websites") {
				t.Fatal("the dump or the logs are not what the filing wrote: the search below would prove nothing")
			}
			for _, s := range secrets {
				if strings.Contains(dump, s) {
					t.Errorf("%s found in plaintext in the %s database", s, name)
				}
			}
			for _, s := range secrets {
				if strings.Contains(logs.String(), s) {
					t.Errorf("%s found in the logs", s)
				}
			}
			for what, photo := range map[string][]byte{"uploaded face": shot, "kept face": kept, "forwarded face": forwarded,
				"police ID": clearJPEG(t)} {
				if len(photo) < 1000 || !bytes.HasPrefix(photo, []byte{0xFF, 0xD8}) {
					t.Fatalf("%s photo not read back (%d bytes)", what, len(photo))
				}
				for _, form := range photoForms(photo) {
					if strings.Contains(dump, form) {
						t.Errorf("the %s photo's bytes are in plaintext in the %s database", what, name)
					}
				}
			}
		})
	}
}

// photoForms are the ways a photo's bytes would show in the dump if it were stored unsealed: a run of raw bytes
// from the middle of the image data (SQLite BLOB), the same run in hex (PostgreSQL bytea in row_to_json) and a
// run of its base64 (inside a JSON document).
func photoForms(b []byte) []string {
	mid := b[len(b)/2 : len(b)/2+48]
	b64 := base64.StdEncoding.EncodeToString(b)
	return []string{string(mid), hex.EncodeToString(mid), b64[len(b64)/2 : len(b64)/2+64]}
}

// databaseText returns everything the database holds as text: the SQLite files byte for byte, or every row of
// every table of the PostgreSQL schema as JSON.
func databaseText(t *testing.T, a *app.App, url string) string {
	t.Helper()
	if a.DB.Dialect == "sqlite" {
		var all []byte
		for _, db := range []*sqldb.DB{a.DB, a.MIITDB, a.MPSDB} { // the provider's file and the two simulators'
			db.W.Exec("PRAGMA wal_checkpoint(PASSIVE)")
			path := strings.TrimPrefix(db.URL, "sqlite:")
			var read []byte
			for _, f := range []string{path, path + "-wal"} {
				b, err := os.ReadFile(f)
				if err != nil && !os.IsNotExist(err) {
					t.Fatal(err)
				}
				read = append(read, b...)
			}
			if len(read) == 0 {
				t.Fatalf("nothing read from %s", filepath.Base(path))
			}
			all = append(all, read...)
		}
		dir, _ := mps.BlobDir(a.MPSDB.URL) // the police platform's material packs
		packs, _ := filepath.Glob(filepath.Join(dir, "*.pack"))
		if len(packs) == 0 {
			t.Fatal("no material packs beside the police platform's database")
		}
		for _, f := range packs {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, b...)
		}
		return string(all)
	}
	ctx := context.Background()
	rows, err := a.DB.R.QueryContext(ctx, `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		tables = append(tables, n)
	}
	rows.Close()
	if len(tables) < 10 {
		t.Fatalf("only %d tables found", len(tables))
	}
	var b strings.Builder
	for _, tbl := range tables {
		r, err := a.DB.R.QueryContext(ctx, `SELECT row_to_json(x)::text FROM "`+tbl+`" x`)
		if err != nil {
			t.Fatal(err)
		}
		for r.Next() {
			var s sql.NullString
			r.Scan(&s)
			b.WriteString(s.String)
		}
		r.Close()
	}
	return b.String()
}
