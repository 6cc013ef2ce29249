package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/loadtest"
	"github.com/beian/beian/internal/secret"
	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/storetest"
)

// node is one `beian serve` process.
type node struct {
	url    string
	cmd    *exec.Cmd
	exited chan struct{} // closed once the process has ended and err is set
	err    error         // what cmd.Wait returned
}

// stop signals the process and waits for it to end, returning how it ended.
func (n *node) stop(sig os.Signal) error {
	n.cmd.Process.Signal(sig)
	<-n.exited
	return n.err
}

// buildBeian builds this command into a temporary directory.
func buildBeian(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "beian")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// startNode runs `beian serve` with env on a free port and waits until it is ready.
func startNode(t *testing.T, bin, name string, env ...string) *node {
	t.Helper()
	return startProc(t, bin, name, []string{"serve"}, "BEIAN_ADDR", freeAddr(t), t.TempDir(), env...)
}

// freeAddr is a local address nobody listens on now. Its port lies below the kernel's range of ephemeral ports:
// a port from that range, once the probe's listener is closed, may be handed to any outgoing connection (this
// suite's own, to PostgreSQL) before the child binds it. Ports are not handed out twice in one test binary.
func freeAddr(t *testing.T) string {
	t.Helper()
	freePorts.Lock()
	defer freePorts.Unlock()
	for range 200 {
		port := lowestPort + rand.IntN(ephemeralStart()-lowestPort)
		if freePorts.given[port] {
			continue
		}
		ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
		if err != nil {
			continue
		}
		ln.Close()
		freePorts.given[port] = true
		return ln.Addr().String()
	}
	t.Fatal("no free port below the ephemeral range")
	return ""
}

const lowestPort = 20000

var freePorts = struct {
	sync.Mutex
	given map[int]bool
}{given: map[int]bool{}}

// ephemeralStart is the first port the kernel hands to outgoing connections (Linux's default when it cannot be read).
func ephemeralStart() int {
	b, err := os.ReadFile("/proc/sys/net/ipv4/ip_local_port_range")
	var lo, hi int
	if err == nil {
		_, err = fmt.Sscan(string(b), &lo, &hi)
	}
	if err != nil || lo <= lowestPort+1000 {
		return 32768
	}
	return lo
}

// startProc runs the binary with args and env, listening on addr (given in the variable addrEnv), with its data
// in dir, and waits until it is ready; it is killed when the test ends.
func startProc(t *testing.T, bin, name string, args []string, addrEnv, addr, dir string, env ...string) *node {
	t.Helper()
	log, err := os.CreateTemp(t.TempDir(), name+"-*.log")
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), append(env, addrEnv+"="+addr, "BEIAN_DATA_DIR="+dir)...)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	n := &node{url: "http://" + addr, cmd: cmd, exited: make(chan struct{})}
	go func() {
		n.err = cmd.Wait()
		close(n.exited)
	}()
	t.Cleanup(func() {
		n.stop(os.Kill)
		log.Close()
		if t.Failed() {
			b, _ := os.ReadFile(log.Name())
			t.Logf("log of %s:\n%s", name, b)
		}
	})
	deadline := time.Now().Add(2 * time.Minute)
	for {
		select {
		case <-n.exited: // not ready, and whatever answers on addr is not this process
			t.Fatalf("%s ended before it was ready: %v", name, n.err)
		default:
		}
		resp, err := http.Get(n.url + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return n
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not ready", name)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Two `beian serve` processes on one PostgreSQL database serve one load together; one of them is killed with
// SIGKILL in the middle. Every lifecycle still completes (the client goes on with the other node), and nothing
// acknowledged is lost: each acknowledged order exists once and is filed, every outbox item is delivered, every
// regulator result acknowledged.
func TestTwoNodesOneKilled(t *testing.T) {
	if os.Getenv("TEST_DATABASE_URL") == "" || testing.Short() {
		t.Skip("needs TEST_DATABASE_URL (PostgreSQL) and not -short")
	}
	bin := buildBeian(t)
	url := storetest.PostgresURL(t) + "&pool_max_conns=8"
	keys, index := secret.Generate()
	env := []string{"DATABASE_URL=" + url, "BEIAN_MODE=demo", "BEIAN_SECRET_KEYS=" + keys, "BEIAN_INDEX_KEY=" + index,
		"BEIAN_OUTBOX_LEASE=3s", "BEIAN_REQUIRE_EVIDENCE=false",
		"BEIAN_MIIT_VERIFY_LIMIT=1000000"} // every principal verifies from this one address
	a := startNode(t, bin, "a", env...)
	b := startNode(t, bin, "b", append(env, "BEIAN_SEED=false")...)

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	db, err := sqldb.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	count := func(query string) int {
		var n int
		if err := db.R.QueryRowContext(ctx, query).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := count(`SELECT COALESCE(MAX(id), 0) FROM orders`)

	const lifecycles = 60
	nodes := []string{a.url, b.url}
	staff, err := loadtest.LoginStaff(ctx, nodes, loadtest.NewHTTPClient(8), app.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	type outcome struct {
		r   loadtest.Result
		err error
	}
	done := make(chan outcome, 1)
	go func() {
		r, err := loadtest.Lifecycles(ctx, nodes, staff, fmt.Sprint(time.Now().UnixNano()), lifecycles, 12)
		done <- outcome{r, err}
	}()
	approved := fmt.Sprintf(`SELECT COUNT(*) FROM orders WHERE id > %d AND state = 'approved'`, before)
	var got outcome
	for killed := false; !killed; {
		select {
		case got = <-done:
			t.Fatalf("the load ended before node B was killed: %+v, %v", got.r, got.err)
		case <-time.After(50 * time.Millisecond):
		}
		if count(approved) >= lifecycles/4 {
			if err := b.cmd.Process.Kill(); err != nil { // SIGKILL: no shutdown of any kind
				t.Fatal(err)
			}
			killed = true
		}
	}
	got = <-done
	if got.err != nil || got.r.Errors != 0 {
		t.Fatalf("%d of %d lifecycles failed after node B was killed; first: %v", got.r.Errors, lifecycles, got.err)
	}
	if n := count(fmt.Sprintf(`SELECT COUNT(*) FROM orders WHERE id > %d`, before)); n != lifecycles {
		t.Errorf("%d orders for %d lifecycles", n, lifecycles)
	}
	if n := count(approved); n != lifecycles {
		t.Errorf("%d orders filed, want %d", n, lifecycles)
	}
	deadline := time.Now().Add(time.Minute)
	for {
		pending := count(`SELECT COUNT(*) FROM outbox WHERE done_at = 0`)
		unacked := count(`SELECT COUNT(*) FROM miit_results WHERE acked_at = 0`)
		if pending == 0 && unacked == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d outbox items undelivered, %d regulator results unacknowledged", pending, unacked)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if n := count(`SELECT COUNT(*) FROM outbox WHERE failed = 1`); n != 0 {
		t.Errorf("%d outbox items given up", n)
	}
}
