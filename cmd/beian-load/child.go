package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/loadtest"
	"github.com/beian/beian/internal/password"
)

// The servers measured by `beian-load query` run as child processes of the load generator, so that their
// memory is their own and their start is a real cold start: `beian-load serve` runs beian on an existing data
// directory, `beian-load hello` the bare net/http server. Each prints its URL on a line and runs until its
// standard input closes.

func serveChild(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ExitOnError)
	dir := fs.String("dir", "", "data directory")
	db := fs.String("db", "", "database URL")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg := app.Config{Addr: "127.0.0.1:0", DatabaseURL: *db, DataDir: *dir, Mode: "demo", ProviderID: "beian-demo",
		MIITPolicy: "manual", Password: password.Fast, WorkerInterval: time.Second}
	ctx := context.Background()
	a, err := app.New(ctx, cfg)
	if err != nil {
		return err
	}
	defer a.Close()
	if err := a.Start(ctx); err != nil {
		return err
	}
	fmt.Println(a.URL())
	return profileOnCommand(os.Stdin)
}

// profileOnCommand reads the parent's commands until its input closes: "cpuprofile PATH" starts a CPU profile
// of this process into PATH, "stop" ends it (so that a profile covers one measurement, not the whole run), "gc"
// prints the garbage collections so far and their total pause in nanoseconds, "mem" the Go runtime's memory in
// bytes: heap in use, heap held from the system and not released, goroutine stacks, all it holds.
func profileOnCommand(in io.Reader) error {
	var f *os.File
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		switch cmd, arg, _ := strings.Cut(sc.Text(), " "); cmd {
		case "cpuprofile":
			var err error
			if f, err = os.Create(arg); err != nil {
				return err
			}
			if err := pprof.StartCPUProfile(f); err != nil {
				return err
			}
		case "gc":
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			fmt.Printf("%d %d\n", m.NumGC, m.PauseTotalNs)
		case "mem":
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			fmt.Printf("%d %d %d %d\n", m.HeapInuse, m.HeapSys-m.HeapReleased, m.StackSys, m.Sys-m.HeapReleased)
		case "stop":
			if f != nil {
				pprof.StopCPUProfile()
				f.Close()
				f = nil
			}
		}
	}
	return sc.Err()
}

func helloChild() error {
	url, stop, err := loadtest.Hello()
	if err != nil {
		return err
	}
	defer stop()
	fmt.Println(url)
	return profileOnCommand(os.Stdin)
}

// child is a running child server.
type child struct {
	URL   string
	pid   int
	stdin io.WriteCloser
	out   *bufio.Reader
	cmd   *exec.Cmd
	peak  int64 // the highest peak RSS before the last resetPeak
}

// command sends a line to the child (see profileOnCommand).
func (c *child) command(line string) { io.WriteString(c.stdin, line+"\n") }

// gc asks the child for its garbage collections so far and their total pause.
func (c *child) gc() (n int64, pause time.Duration) {
	c.command("gc")
	line, _ := c.out.ReadString('\n')
	var ns int64
	fmt.Sscan(line, &n, &ns)
	return n, time.Duration(ns)
}

// goMemory asks the child for its Go runtime's memory (see profileOnCommand) and formats it in MB.
func (c *child) goMemory() string {
	c.command("mem")
	line, _ := c.out.ReadString('\n')
	var inuse, held, stacks, all int64
	fmt.Sscan(line, &inuse, &held, &stacks, &all)
	return fmt.Sprintf("Go heap in use %d MB, heap held %d MB, stacks %d MB, runtime total %d MB",
		inuse>>20, held>>20, stacks>>20, all>>20)
}

// resetPeak starts the child's peak RSS (VmHWM) again from its current RSS (Linux: clear_refs 5), so that a
// peak read afterwards is that of the next measurement alone; peak keeps the highest of all.
func (c *child) resetPeak() {
	_, p := c.rss()
	c.peak = max(c.peak, p)
	os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", c.pid), []byte("5"), 0)
}

// cpu is the CPU time the child has used so far.
func (c *child) cpu() time.Duration { return procCPU(c.pid) }

// spawn starts this program in mode and waits for its URL.
func spawn(mode string, args ...string) (*child, error) {
	cmd := exec.Command(os.Args[0], append([]string{mode}, args...)...)
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	br := bufio.NewReader(out)
	line, err := br.ReadString('\n')
	if err != nil {
		in.Close()
		cmd.Wait()
		return nil, fmt.Errorf("%s did not start: %w", mode, err)
	}
	return &child{URL: strings.TrimSpace(line), pid: cmd.Process.Pid, stdin: in, out: br, cmd: cmd}, nil
}

// stop closes the child's standard input and waits for it to end.
func (c *child) stop() error {
	c.stdin.Close()
	return c.cmd.Wait()
}

// rss returns the child's resident set size now and at its peak since the last resetPeak, in bytes.
func (c *child) rss() (now, peak int64) { return loadtest.RSSOf(c.pid) }

// highest returns the child's resident set size now and at its peak since it started, in bytes.
func (c *child) highest() (now, peak int64) {
	now, peak = c.rss()
	return now, max(peak, c.peak)
}

// firstAnswer asks url until it answers 200, and returns how long that took from t0.
func firstAnswer(url string, t0 time.Time) (time.Duration, error) {
	for time.Since(t0) < time.Minute {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return time.Since(t0), nil
			}
		}
		time.Sleep(time.Millisecond)
	}
	return 0, errors.New("no answer within a minute")
}
