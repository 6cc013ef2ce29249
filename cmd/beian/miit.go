package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/beian/beian/internal/app"
)

// serveMIIT is `beian miit serve`: the MIIT simulator as its own process, reached by the provider over HTTP.
func serveMIIT(args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	cfg, code := serverConfig("miit serve", "listen address (default BEIAN_MIIT_ADDR or 127.0.0.1:8081)", args, stderr,
		getenv, func(c *app.Config, addr string) { c.Regulator.Addr = addr })
	if code != 0 {
		return code
	}
	return runServer(stderr, func(ctx context.Context) (server, error) {
		m, err := app.NewMIIT(ctx, cfg)
		if err != nil {
			return nil, err
		}
		return m, nil
	}, func(s server) {
		m := s.(*app.MIIT)
		slog.Info("MIIT simulator is serving", "url", m.URL(), "provider", cfg.ProviderID, "database", m.DB.Dialect)
		if cfg.Demo() {
			fmt.Fprintf(stdout, "MIIT simulator at %s — officer@beian.local and operator@beian.local use the password %s\n",
				m.URL(), app.DemoPassword)
		}
	})
}
