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
	fs.Parse(args)
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
	io.Copy(io.Discard, os.Stdin)
	return nil
}

func helloChild() error {
	url, stop, err := loadtest.Hello()
	if err != nil {
		return err
	}
	defer stop()
	fmt.Println(url)
	io.Copy(io.Discard, os.Stdin)
	return nil
}

// child is a running child server.
type child struct {
	URL   string
	pid   int
	stdin io.Closer
	cmd   *exec.Cmd
}

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
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		in.Close()
		cmd.Wait()
		return nil, fmt.Errorf("%s did not start: %w", mode, err)
	}
	return &child{URL: strings.TrimSpace(line), pid: cmd.Process.Pid, stdin: in, cmd: cmd}, nil
}

// stop closes the child's standard input and waits for it to end.
func (c *child) stop() error {
	c.stdin.Close()
	return c.cmd.Wait()
}

// rss returns the child's resident set size now and at its peak, in bytes.
func (c *child) rss() (now, peak int64) { return loadtest.RSSOf(c.pid) }

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
