// Command beian runs the ICP and police filing platform and its operator tools.
//
//	beian serve [--addr HOST:PORT]    run every area (portal, console, MIIT simulator, query) in one process
//	beian miit serve [--addr H:P]     run the MIIT simulator as its own process (the provider sets BEIAN_MIIT_URL)
//	beian mps serve [--addr H:P]      run the police platform simulator as its own process (BEIAN_MPS_URL)
//	beian miit|mps backup|restore     the same for a simulator's own database
//	beian migrate                     apply database migrations and exit
//	beian backup DIR                  consistent copy of the SQLite databases while serving
//	beian restore [-force] DIR        put a backup in place (every node stopped)
//	beian probe URL                   exit 0 when URL answers 200 (container health checks)
//	beian check KIND VALUE...         validate identifiers (resident-id, uscc, domain, icp-number, …)
//	beian rules evaluate ORDER.json   list the materials an order needs and what blocks it
//	beian import FILE / beian export  move the MIIT simulator's registry as JSON lines or CSV
//	beian compliance check URL...     check homepages' filing numbers, links and badges against the registry
//	beian keys                        print fresh encryption keys and a shared secret for production configuration
//	beian keys rotate [--dry-run]     re-encrypt personal data under the primary key
//
// Configuration comes from the environment (DATABASE_URL, BEIAN_MODE, BEIAN_SECRET_KEYS, …; see README.md).
package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/cliargs"
	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/ident"
	"github.com/beian/beian/internal/rules"
	"github.com/beian/beian/internal/secret"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv))
}

const usage = `usage: beian COMMAND [ARGS]

commands:
  serve [--addr HOST:PORT]       run the server (demo data on a first start in demo mode)
  miit serve [--addr HOST:PORT]  run the MIIT simulator alone, with its own database (BEIAN_MIIT_DATABASE_URL),
                                 address (BEIAN_MIIT_ADDR) and shared secret (BEIAN_MIIT_SECRET) or mutual
                                 TLS (BEIAN_MIIT_CA, BEIAN_MIIT_CERT, BEIAN_MIIT_KEY)
  mps serve [--addr HOST:PORT]   run the police platform simulator alone (BEIAN_MPS_DATABASE_URL, BEIAN_MPS_ADDR,
                                 BEIAN_MPS_SECRET or BEIAN_MPS_CA/_CERT/_KEY); it reads MIIT's public query at
                                 BEIAN_MPS_ICP_URL
  miit backup DIR, mps backup DIR
  miit restore [-force] DIR, mps restore [-force] DIR
                                 the same as backup and restore for a simulator in its own process
  migrate                        apply database migrations and exit
  backup DIR                     consistent copy of the SQLite databases while the server runs
  restore [-force] DIR           put a backup in place; stop every node first
  probe URL                      exit 0 when URL answers 200 (health check, e.g. …/readyz)
  check KIND VALUE...            validate identifiers; KIND: resident-id uscc org-code mobile landline
                                 email domain icp-number police-number website-name
  rules evaluate ORDER.json [--date YYYY-MM-DD]
                                 materials and violations of an order in the API's JSON form
  import [--format jsonl|csv] FILE|-
                                 load filed records into the MIIT simulator's registry
  export [--format jsonl|csv] [--output FILE]
                                 write the registry's filed records (personal data in clear)
  compliance check [--json] [--file FILE] [--registry-url URL] URL...
                                 check homepages' filing numbers, links and badges; exit 1 if any fails
  keys                           print fresh BEIAN_SECRET_KEYS, BEIAN_INDEX_KEY, BEIAN_MIIT_SECRET and
                                 BEIAN_MPS_SECRET values
  keys rotate [--dry-run]        re-encrypt personal data under the primary key of BEIAN_SECRET_KEYS
`

func run(args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	lang := i18n.Parse(firstNonEmpty(getenv("LC_ALL"), getenv("LANG")))
	switch args[0] {
	case "serve":
		return serve(args[1:], stdout, stderr, getenv)
	case "miit", "mps":
		return runSimulator(args[0], args[1:], stdout, stderr, getenv)
	case "migrate":
		return migrate(args[1:], stdout, stderr, getenv)
	case "backup":
		return app.RunBackup(app.PartNode, args[1:], stdout, stderr, getenv)
	case "restore":
		return app.RunRestore(app.PartNode, args[1:], stdout, stderr, getenv)
	case "probe":
		return probe(args[1:], stdout, stderr)
	case "check":
		return ident.RunCheck(args[1:], stdout, stderr, lang, time.Now())
	case "import":
		return runImport(args[1:], stdin, stdout, stderr, getenv, lang)
	case "export":
		return runExport(args[1:], stdout, stderr, getenv, lang)
	case "compliance":
		return runCompliance(args[1:], stdin, stdout, stderr, getenv, lang)
	case "rules":
		if len(args) < 2 || args[1] != "evaluate" {
			fmt.Fprint(stderr, "usage: beian rules evaluate ORDER.json [--date YYYY-MM-DD]\n")
			return 2
		}
		return rules.RunEvaluate(args[2:], stdin, stdout, stderr, lang)
	case "keys":
		if len(args) > 1 && args[1] == "rotate" {
			return app.RunKeysRotate(args[2:], stdout, stderr, getenv)
		}
		fs := flag.NewFlagSet("keys", flag.ContinueOnError)
		if _, code, ok := cliargs.Parse(fs, args[1:], "usage: beian keys | beian keys rotate [--dry-run]", stdout, stderr); !ok {
			return code
		}
		keys, index := secret.Generate()
		shared := func() string { b := make([]byte, 32); rand.Read(b); return base64.RawURLEncoding.EncodeToString(b) }
		fmt.Fprintf(stdout, "BEIAN_SECRET_KEYS=%s\nBEIAN_INDEX_KEY=%s\nBEIAN_MIIT_SECRET=%s\nBEIAN_MPS_SECRET=%s\n", keys, index,
			shared(), shared())
		return 0
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "beian: unknown command %q\n\n%s", args[0], usage)
	return 2
}

func firstNonEmpty(vals ...string) string {
	for _, v := range vals {
		if v != "" {
			return v
		}
	}
	return ""
}

func serve(args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	app.TuneGC(getenv)
	cfg, code, ok := serverConfig("serve", "listen address (default BEIAN_ADDR or 127.0.0.1:8080)", args, stdout, stderr,
		getenv, func(c *app.Config, addr string) { c.Addr = addr })
	if !ok {
		return code
	}
	return runServer(stderr, func(ctx context.Context) (server, error) {
		a, err := app.New(ctx, cfg)
		if err != nil {
			return nil, err
		}
		return a, nil
	}, func(s server) {
		a := s.(*app.App)
		slog.Info("beian is serving", "url", a.URL(), "mode", cfg.Mode, "database", a.DB.Dialect)
		if a.Seeded != nil {
			a.Seeded.PrintLogins(stdout, a.URL())
		} else if cfg.Demo() {
			fmt.Fprintf(stdout, "beian demo at %s — demo accounts use the password %s\n", a.URL(), app.DemoPassword)
		}
	})
}

// serverConfig reads the configuration of a server command, whose --addr flag setAddr applies; code is not 0
// when the command should exit with code instead (after --help or a usage or configuration error).
func serverConfig(name, addrHelp string, args []string, stdout, stderr io.Writer, getenv func(string) string,
	setAddr func(*app.Config, string)) (cfg app.Config, code int, ok bool) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	addr := fs.String("addr", "", addrHelp)
	if _, code, ok := cliargs.Parse(fs, args, "usage: beian "+name+" [--addr HOST:PORT]", stdout, stderr); !ok {
		return cfg, code, false
	}
	cfg, err := app.FromEnv(getenv)
	if err != nil {
		fmt.Fprintf(stderr, "beian: configuration: %v\n", err)
		return cfg, 2, false
	}
	if *addr != "" {
		setAddr(&cfg, *addr)
	}
	return cfg, 0, true
}

// server is a process's server: `beian serve`'s app or `beian miit serve`'s simulator.
type server interface {
	Start(ctx context.Context) error
	Close() error
}

// runServer opens and starts a server, announces it, and closes it gracefully on SIGINT or SIGTERM.
func runServer(stderr io.Writer, open func(context.Context) (server, error), announce func(server)) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	s, err := open(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "beian: %v\n", err)
		return 1
	}
	if err := s.Start(ctx); err != nil {
		s.Close()
		fmt.Fprintf(stderr, "beian: %v\n", err)
		return 1
	}
	announce(s)
	<-ctx.Done()
	slog.Info("shutting down")
	if err := s.Close(); err != nil {
		fmt.Fprintf(stderr, "beian: shutdown: %v\n", err)
		return 1
	}
	return 0
}

func migrate(args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	if _, code, ok := cliargs.Parse(fs, args, "usage: beian migrate", stdout, stderr); !ok {
		return code
	}
	cfg, err := app.FromEnv(getenv)
	if err != nil {
		fmt.Fprintf(stderr, "beian: configuration: %v\n", err)
		return 2
	}
	cfg.Seed = false
	a, err := app.New(context.Background(), cfg)
	if err != nil {
		fmt.Fprintf(stderr, "beian: %v\n", err)
		return 1
	}
	a.Close()
	fmt.Fprintln(stderr, "beian: migrations applied")
	return 0
}
