package app_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/filing"
)

func envOf(dir string) func(string) string {
	env := map[string]string{"DATABASE_URL": "sqlite:" + filepath.Join(dir, "beian.db"), "BEIAN_DATA_DIR": dir}
	return func(k string) string { return env[k] }
}

func runCmd(t *testing.T, cmd func([]string, *bytes.Buffer, *bytes.Buffer) int, args ...string) (int, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := cmd(args, &out, &errb)
	return code, out.String() + errb.String()
}

// A backup taken while the server is serving (and writing) restores into a server that serves the same data: the
// applicant's order, the development outbox and the simulator's pending verification, which still completes.
func TestBackupWhileServingAndRestore(t *testing.T) {
	liveDir := t.TempDir()
	a := startApp(t, "", func(c *app.Config) {
		c.DataDir, c.DatabaseURL = liveDir, "sqlite:"+filepath.Join(liveDir, "beian.db")
	})
	p := newParties(t, a)
	applicant, resourceID := p.newApplicant("backup@example.com")
	o := p.open(applicant, check("backup-demo.cn"), resourceID, filing.NewFiling)
	applicant.must(200, "PUT", path("/api/v1/orders/%d", o.ID), content(o), nil)
	p.forward(applicant, o.ID) // the simulator holds a submission waiting for SMS verification
	code := p.smsCode(mobile)

	base, err := a.Store.CountAccounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// Writers keep registering accounts while the backup runs.
	var stop atomic.Bool
	var wg sync.WaitGroup
	var registered atomic.Int64
	for w := range 4 {
		wg.Go(func() {
			c := &client{t: t, base: a.URL()}
			for i := 0; !stop.Load(); i++ {
				status, _ := c.do("POST", "/api/v1/accounts", map[string]string{"email": fmt.Sprintf("w%d-%d@example.com", w, i),
					"name": "李四", "mobile": "13926184531", "password": "correct horse 1"})
				if status == 202 { // registration answers alike whether or not the address had an account
					registered.Add(1)
				}
			}
		})
	}
	eventually(t, "writers under way", func() bool { return registered.Load() > 5 })
	backupDir := filepath.Join(t.TempDir(), "backup")
	env := envOf(liveDir)
	before := registered.Load()
	status, msg := runCmd(t, func(args []string, out, errb *bytes.Buffer) int {
		return app.RunBackup(app.PartNode, args, out, errb, env)
	}, backupDir)
	stop.Store(true)
	wg.Wait()
	if status != 0 {
		t.Fatalf("backup: %d %s", status, msg)
	}
	if status, msg := runCmd(t, func(args []string, out, errb *bytes.Buffer) int {
		return app.RunBackup(app.PartNode, args, out, errb, env)
	}, backupDir); status == 0 || !strings.Contains(msg, "not empty") {
		t.Errorf("a second backup into the same directory: %d %s", status, msg)
	}
	a.Close()

	newDir := t.TempDir()
	restore := func(args ...string) (int, string) {
		return runCmd(t, func(args []string, out, errb *bytes.Buffer) int {
			return app.RunRestore(app.PartNode, args, out, errb, envOf(newDir))
		}, args...)
	}
	if status, msg := restore(backupDir); status != 0 {
		t.Fatalf("restore: %d %s", status, msg)
	}
	if status, msg := restore(backupDir); status == 0 || !strings.Contains(msg, "-force") {
		t.Errorf("restore over existing databases without -force: %d %s", status, msg)
	}
	b := startApp(t, "", func(c *app.Config) {
		c.DataDir, c.DatabaseURL = newDir, "sqlite:"+filepath.Join(newDir, "beian.db")
	})
	if b.Seeded != nil {
		t.Fatal("the restored server seeded demo data: the restored database looked empty")
	}
	q := newParties(t, b)
	again := login(t, b.URL(), "backup@example.com", "correct horse 1")
	var got filing.Order
	again.must(200, "GET", path("/api/v1/orders/%d", o.ID), nil, &got)
	if got.State != filing.SMSPending || got.Subject.Name != "广州示例云科技有限公司" {
		t.Fatalf("restored order: state %s, subject %q", got.State, got.Subject.Name)
	}
	if q.smsCode(mobile) != code {
		t.Error("the development outbox lost the code sent before the backup")
	}
	q.verify(mobile) // the simulator's side was restored with the submission and its code
	q.waitState(again, o.ID, filing.AdministrationReview)
	n, err := b.Store.CountAccounts(context.Background())
	if err != nil || int64(n) < int64(base)+before {
		t.Fatalf("%d accounts restored (%v), want at least the %d there when the backup began", n, err, int64(base)+before)
	}
}

// PostgreSQL is backed up with its own tools.
func TestBackupRefusesPostgres(t *testing.T) {
	env := func(k string) string {
		if k == "DATABASE_URL" {
			return "postgres://beian@db.example/beian"
		}
		return ""
	}
	var out, errb bytes.Buffer
	if status := app.RunBackup(app.PartNode, []string{t.TempDir()}, &out, &errb, env); status != 1 || !strings.Contains(errb.String(), "pg_dump") {
		t.Fatalf("backup of PostgreSQL: %d %s", status, errb.String())
	}
}
