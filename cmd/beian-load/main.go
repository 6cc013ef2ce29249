// Command beian-load measures beian under load over HTTP on this machine (loopback only).
//
//	beian-load query     [-registry 1000000] [-c 64] [-d 20s] [-db URL]   public query against a hello server
//	beian-load lifecycle [-n 3000] [-c 128] [-db URL | -url URL,URL… [-miit-url URL]]  complete new_filing lifecycles
//	beian-load police    [-n 2000] [-c 64] [-db URL] [-sql N]             police filings to the number (automatic policy)
//	beian-load mixed     [-n 500] [-c 64] [-db URL | -url URL [-miit-url URL]]  new filings, new services, changes, cancellations
//
// It starts a server in-process on 127.0.0.1:0 with a fresh database (SQLite in a temporary directory unless
// -db names one), prepares the data, runs the load and prints the rate; docs/benchmarks.md records the figures.
// -url drives running nodes instead; -miit-url names the simulator they use when it runs apart (`beian miit
// serve`), where the tool reads the verification codes and the officer decides.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/password"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const modesUsage = `usage: beian-load MODE [flags]   (beian-load MODE -h lists a mode's flags)

modes:
  query      public query against a registry of -registry filings, -c clients for -d each
  lifecycle  complete new_filing lifecycles (-n, -c, -db or -url [-miit-url])
  police     police filings to the number, automatic policy (-n, -c, -db)
  mixed      new filings, new services, changes, cancellations (-n, -c, -db or -url [-miit-url])
`

// run is beian-load's command line; modes serve and hello are the child processes that query starts.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, modesUsage)
		return 2
	}
	modes := map[string]func([]string) error{"query": query, "lifecycle": lifecycle, "police": policeMode,
		"mixed": mixed, "serve": serveChild, "hello": func([]string) error { return helloChild() }}
	mode, ok := modes[args[0]]
	switch {
	case args[0] == "-h" || args[0] == "--help" || args[0] == "help":
		fmt.Fprint(stdout, modesUsage)
		return 0
	case !ok:
		fmt.Fprintf(stderr, "beian-load: unknown mode %q\n\n%s", args[0], modesUsage)
		return 2
	}
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError})))
	app.TuneGC(os.Getenv) // the server runs in this process: tuned as `beian serve` is
	if err := mode(args[1:]); err != nil {
		fmt.Fprintln(stderr, "beian-load:", err)
		if errors.As(err, new(*usageError)) {
			return 2
		}
		return 1
	}
	return 0
}

// usageError is a bad command line of a mode.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// parseFlags parses a mode's flags (fs exits on -h and on a flag it does not know), refuses arguments, and
// checks that the counts named by atLeastOne (-n, -c, …) are 1 or more, a duration more than 0 and any other
// number not negative: -c 0 ran nothing and reported a rate, -c -3 panicked.
func parseFlags(fs *flag.FlagSet, args []string, atLeastOne ...string) error {
	fs.Parse(args)
	if fs.NArg() > 0 {
		return &usageError{fmt.Sprintf("%s: unexpected argument %q (flags only; beian-load %s -h lists them)",
			fs.Name(), fs.Arg(0), fs.Name())}
	}
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		g, ok := f.Value.(flag.Getter)
		if !ok || err != nil {
			return
		}
		var bad string
		switch v := g.Get().(type) {
		case int:
			if slices.Contains(atLeastOne, f.Name) && v < 1 {
				bad = "at least 1"
			} else if v < 0 {
				bad = "0 or more"
			}
		case time.Duration:
			if v <= 0 {
				bad = "more than 0"
			}
		}
		if bad != "" {
			err = &usageError{fmt.Sprintf("%s: -%s must be %s, got %s", fs.Name(), f.Name, bad, f.Value)}
		}
	})
	return err
}

// start runs a demo-mode server on a free loopback port.
func start(ctx context.Context, dbURL string, tweak func(*app.Config)) (*app.App, func(), error) {
	dir, err := os.MkdirTemp("", "beian-load-")
	if err != nil {
		return nil, nil, err
	}
	if dbURL == "" {
		dbURL = "sqlite:" + filepath.Join(dir, "beian.db")
	}
	cfg := app.Config{Addr: "127.0.0.1:0", DatabaseURL: dbURL, DataDir: dir, Mode: "demo", ProviderID: "beian-demo",
		MIITPolicy: "manual", Seed: true, Password: password.Fast, WorkerInterval: time.Second,
		MIITVerifyLimit: 1 << 30} // every principal verifies from this one address
	if tweak != nil {
		tweak(&cfg)
	}
	a, err := app.New(ctx, cfg)
	if err != nil {
		os.RemoveAll(dir)
		return nil, nil, err
	}
	if err := a.Start(ctx); err != nil {
		a.Close()
		os.RemoveAll(dir)
		return nil, nil, err
	}
	return a, func() { a.Close(); os.RemoveAll(dir) }, nil
}
