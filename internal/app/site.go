package app

import (
	"context"
	"log/slog"

	"github.com/beian/beian/internal/miit/miitweb"
	"github.com/beian/beian/internal/mps/mpsweb"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/provider/providerweb"
	"github.com/beian/beian/internal/web"
)

// mountSite puts the provider's, the MIIT simulator's and the police platform simulator's pages and API on one
// shared site. The contexts' HTTP sides meet only here; sign-in and idempotency records are the provider's,
// except on the police platform, which has its own accounts.
func (a *App) mountSite(demo, accessLog bool, worker *provider.Worker) *web.Site {
	site := web.NewSite(providerweb.Sessions(a.Service), providerweb.Idempotency(a.Service))
	site.Demo, site.AccessLog, site.Proxy = demo, accessLog, a.Cfg.Proxy
	p := providerweb.New(site, a.Service, a.Clock)
	p.Adjust, p.Calendar = a.Adjust, a.Calendar
	p.AfterAdvance = func() {
		if a.Sim != nil {
			if err := a.Sim.Sweep(context.Background()); err != nil {
				slog.Error("simulator sweep after clock advance", "err", err)
			}
		}
		if a.MPS != nil {
			if err := a.MPS.Sweep(context.Background()); err != nil {
				slog.Error("police platform sweep after clock advance", "err", err)
			}
		}
		if _, err := a.Service.SendPoliceReminders(context.Background()); err != nil {
			slog.Error("police filing reminders after clock advance", "err", err)
		}
		a.Service.KickSweeps()
		worker.Kick()
	}
	if a.Sim != nil { // else the simulator serves its pages and API from its own process
		a.mountMIIT(site)
	}
	if a.MPS != nil { // else the police platform serves its pages and API from its own process
		mpsweb.New(site, a.MPS, demo)
	}
	return site
}

// mountMIIT puts the simulator's pages and API on site.
func (a *App) mountMIIT(site *web.Site) {
	m := miitweb.New(site, a.Sim, a.Clock)
	m.QueryLimit = a.Cfg.queryLimiter()
	if a.Cfg.MIITVerifyLimit > 0 {
		m.SetVerifyLimit(a.Cfg.MIITVerifyLimit)
	}
}

// Routes lists "METHOD PATH" of every JSON API route of the whole site (for the OpenAPI test).
func Routes() []string {
	site := web.NewSite(nil, nil)
	providerweb.New(site, nil, nil)
	miitweb.New(site, nil, nil)
	mpsweb.New(site, nil, false)
	return site.Routes()
}
