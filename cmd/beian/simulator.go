package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/sqldb"
)

// A platform simulator as its own process, reached by the provider over HTTP: `beian miit …` (the MIIT
// simulator) and `beian mps …` (the police platform simulator), each with serve, backup and restore.

// simulator is one of them.
type simulator struct {
	part     app.Part
	title    string // for the log and the terminal
	addrHelp string
	setAddr  func(c *app.Config, addr string)
	open     func(ctx context.Context, cfg app.Config) (simProcess, error)
	logins   string // who can sign in in demo mode, with %s for the password
}

// simProcess is a simulator's running process (app.MIIT, app.MPS).
type simProcess interface {
	server
	URL() string
	Dialect() sqldb.Dialect
}

var simulators = map[string]simulator{
	"miit": {part: app.PartMIIT, title: "MIIT simulator",
		addrHelp: "listen address (default BEIAN_MIIT_ADDR or 127.0.0.1:8081)",
		setAddr:  func(c *app.Config, addr string) { c.Regulator.Addr = addr },
		open:     func(ctx context.Context, cfg app.Config) (simProcess, error) { return opened(app.NewMIIT(ctx, cfg)) },
		logins:   "officer@beian.local and operator@beian.local use the password %s"},
	"mps": {part: app.PartMPS, title: "police platform simulator",
		addrHelp: "listen address (default BEIAN_MPS_ADDR or 127.0.0.1:8082)",
		setAddr:  func(c *app.Config, addr string) { c.Police.Addr = addr },
		open:     func(ctx context.Context, cfg app.Config) (simProcess, error) { return opened(app.NewMPS(ctx, cfg)) },
		logins:   "staff police-gd and police-bj use the password %s"},
}

// opened turns a typed nil of a failed open into a nil interface.
func opened[P simProcess](p P, err error) (simProcess, error) {
	if err != nil {
		return nil, err
	}
	return p, nil
}

// runSimulator is `beian miit|mps serve|backup|restore …`.
func runSimulator(name string, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	sim := simulators[name]
	if len(args) > 0 {
		switch args[0] {
		case "serve":
			return sim.serve(args[1:], stdout, stderr, getenv)
		case "backup":
			return app.RunBackup(sim.part, args[1:], stdout, stderr, getenv)
		case "restore":
			return app.RunRestore(sim.part, args[1:], stdout, stderr, getenv)
		}
	}
	fmt.Fprintf(stderr, "usage: beian %s serve [--addr HOST:PORT] | backup DIR | restore [-force] DIR\n", name)
	return 2
}

// serve runs the simulator until SIGINT or SIGTERM, then shuts it down gracefully.
func (sim simulator) serve(args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	cfg, code, ok := serverConfig(string(sim.part)+" serve", sim.addrHelp, args, stdout, stderr, getenv, sim.setAddr)
	if !ok {
		return code
	}
	return runServer(stderr, func(ctx context.Context) (server, error) { return sim.open(ctx, cfg) }, func(s server) {
		p := s.(simProcess)
		slog.Info(sim.title+" is serving", "url", p.URL(), "provider", cfg.ProviderID, "database", p.Dialect())
		if cfg.Demo() {
			fmt.Fprintf(stdout, "%s at %s — %s\n", sim.title, p.URL(), fmt.Sprintf(sim.logins, app.DemoPassword))
		}
	})
}
