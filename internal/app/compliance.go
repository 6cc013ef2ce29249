package app

import (
	"context"
	"log/slog"
	"time"

	"github.com/beian/beian/internal/clock"
	"github.com/beian/beian/internal/provider"
)

// applyCompliance configures the console's homepage compliance checker (docs/compliance.md): in demo mode it
// may fetch private and loopback addresses (a demo's sites are local), in production it may not.
func (a *App) applyCompliance(c *provider.Config) {
	c.SiteFetch = a.Cfg.SiteFetch
	c.SiteFetch.AllowPrivate = a.Cfg.Demo()
	c.BaseURL = a.Cfg.BaseURL
}

// runComplianceSweeps starts the scheduled sweeps and runs the unfinished ones, every interval and whenever a
// sweep is started, until ctx ends. Every node runs it; each sweep is claimed by one of them.
func (a *App) runComplianceSweeps(ctx context.Context, interval time.Duration) {
	clock.EveryOrKicked(ctx, interval, a.Service.SweepKicks(), slog.Default(), "compliance sweeps",
		a.Service.RunComplianceSweeps)
}
