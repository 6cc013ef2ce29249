package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/beian/beian/internal/app"
)

// serveMIIT is `beian miit serve`: the MIIT simulator as its own process, reached by the provider over HTTP.
func serveMIIT(args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	fs := flag.NewFlagSet("miit serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "", "listen address (default BEIAN_MIIT_ADDR or 127.0.0.1:8081)")
	if err := fs.Parse(args); err != nil || fs.NArg() != 0 {
		return 2
	}
	cfg, err := app.FromEnv(getenv)
	if err != nil {
		fmt.Fprintf(stderr, "beian: configuration: %v\n", err)
		return 2
	}
	if *addr != "" {
		cfg.Regulator.Addr = *addr
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m, err := app.NewMIIT(ctx, cfg)
	if err != nil {
		fmt.Fprintf(stderr, "beian: %v\n", err)
		return 1
	}
	if err := m.Start(ctx); err != nil {
		m.Close()
		fmt.Fprintf(stderr, "beian: %v\n", err)
		return 1
	}
	slog.Info("MIIT simulator is serving", "url", m.URL(), "provider", cfg.ProviderID, "database", m.DB.Dialect)
	if cfg.Demo() {
		fmt.Fprintf(stdout, "MIIT simulator at %s — officer@beian.local and operator@beian.local use the password %s\n",
			m.URL(), app.DemoPassword)
	}
	<-ctx.Done()
	slog.Info("shutting down")
	if err := m.Close(); err != nil {
		fmt.Fprintf(stderr, "beian: shutdown: %v\n", err)
		return 1
	}
	return 0
}
