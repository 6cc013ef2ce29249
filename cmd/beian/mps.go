package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/beian/beian/internal/app"
)

// serveMPS is `beian mps serve`: the police platform simulator as its own process, reached by the provider over
// HTTP.
func serveMPS(args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	cfg, code := serverConfig("mps serve", "listen address (default BEIAN_MPS_ADDR or 127.0.0.1:8082)", args, stderr,
		getenv, func(c *app.Config, addr string) { c.Police.Addr = addr })
	if code != 0 {
		return code
	}
	return runServer(stderr, func(ctx context.Context) (server, error) {
		m, err := app.NewMPS(ctx, cfg)
		if err != nil {
			return nil, err
		}
		return m, nil
	}, func(s server) {
		m := s.(*app.MPS)
		slog.Info("police platform simulator is serving", "url", m.URL(), "provider", cfg.ProviderID, "database", m.DB.Dialect,
			"icp_query", cfg.ICPQueryURL)
		if cfg.Demo() {
			fmt.Fprintf(stdout, "police platform simulator at %s — staff police-gd and police-bj use the password %s\n",
				m.URL(), app.DemoPassword)
		}
	})
}
