// Command beian-load measures beian under load over HTTP on this machine (loopback only).
//
//	beian-load query     [-registry 1000000] [-c 64] [-d 20s] [-db URL]   public query against a hello server
//	beian-load lifecycle [-n 3000] [-c 128] [-db URL | -url URL,URL…]     complete new_filing lifecycles
//	beian-load police    [-n 2000] [-c 64] [-db URL] [-sql N]             police filings to the number (automatic policy)
//	beian-load mixed     [-n 500] [-c 64] [-db URL | -url URL]            new filings, new services, changes, cancellations
//
// It starts a server in-process on 127.0.0.1:0 with a fresh database (SQLite in a temporary directory unless
// -db names one), prepares the data, runs the load and prints the rate; docs/benchmarks.md records the figures.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/password"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: beian-load query|lifecycle|police|mixed [flags]")
		os.Exit(2)
	}
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError})))
	app.TuneGC(os.Getenv) // the server runs in this process: tuned as `beian serve` is
	var err error
	switch os.Args[1] {
	case "query":
		err = query(os.Args[2:])
	case "lifecycle":
		err = lifecycle(os.Args[2:])
	case "police":
		err = policeMode(os.Args[2:])
	case "mixed":
		err = mixed(os.Args[2:])
	case "serve":
		err = serveChild(os.Args[2:])
	case "hello":
		err = helloChild()
	default:
		err = fmt.Errorf("unknown mode %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "beian-load:", err)
		os.Exit(1)
	}
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
