package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"strings"
	"time"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/cleantext"
	"github.com/beian/beian/internal/cliargs"
	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/progress"
	"github.com/beian/beian/internal/registryio"
)

// runImport is `beian import [--format jsonl|csv] FILE|-`: load registry records into the MIIT simulator's
// registry of the configured database.
func runImport(args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string, lang i18n.Lang) int {
	fs := flag.NewFlagSet("import", flag.ContinueOnError)
	format := fs.String("format", "", "jsonl or csv (default: from the file name, jsonl for -)")
	pos, code, ok := cliargs.Parse(fs, args, "usage: beian import [--format jsonl|csv] FILE|-", stdout, stderr, "FILE")
	if !ok {
		return code
	}
	name := pos[0]
	in := stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			fmt.Fprintf(stderr, "beian: %v\n", err)
			return 2
		}
		defer f.Close()
		in = f
	}
	if *format == "" {
		*format = registryio.FormatOf(name)
	}
	r, err := registryio.NewReader(in, *format)
	if err != nil {
		fmt.Fprintf(stderr, "beian: %s\n", describe(err, lang))
		return 2
	}
	return withRegistryApp(stderr, getenv, lang, func(ctx context.Context, a *app.App) (int, string, error) {
		bar := progress.New(stderr, "import", 0, progress.IsTerminal(stderr))
		defer bar.Finish()
		c, err := registryio.Import(ctx, a.Sim, r, bar)
		return c.Read, fmt.Sprintf(": %d loaded, %d already filed or repeated (skipped)", c.Loaded, c.Read-c.Loaded), err
	}, "imported")
}

// dropStep is the step of dropBehind (dropbehind_linux.go): the export's output leaves the file cache 64 MB at
// a time, and holds at most two steps of it there.
const dropStep = 64 << 20

// runExport is `beian export [--format jsonl|csv] [--output FILE]`: write the filed records of the MIIT
// simulator's registry (standard output by default).
func runExport(args []string, stdout, stderr io.Writer, getenv func(string) string, lang i18n.Lang) int {
	fs := flag.NewFlagSet("export", flag.ContinueOnError)
	format := fs.String("format", "", "jsonl or csv (default: from the output name, jsonl for standard output)")
	output := fs.String("output", "-", "file to write, - for standard output")
	if _, code, ok := cliargs.Parse(fs, args, "usage: beian export [--format jsonl|csv] [--output FILE]", stdout, stderr); !ok {
		return code
	}
	if !localRegistry(getenv) { // a mistyped BEIAN_DATA_DIR: no empty databases created, no empty export
		cfg, _ := app.FromEnv(getenv)
		fmt.Fprintf(stderr, "beian: export: no database in %s: set BEIAN_DATA_DIR to the directory `beian serve` uses, or DATABASE_URL\n",
			cfg.DataDir)
		return 2
	}
	if *format == "" {
		*format = registryio.FormatOf(*output)
	}
	out := stdout
	if *output != "-" {
		f, err := os.OpenFile(*output, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600) // personal data: owner only
		if err == nil {
			err = f.Chmod(0o600) // also a file that was there, before a record is written
			if err != nil {
				f.Close()
			}
		}
		if err != nil {
			fmt.Fprintf(stderr, "beian: %v\n", err)
			return 2
		}
		defer f.Close()
		out = dropBehind(f, dropStep)
	}
	w, err := registryio.NewWriter(out, *format)
	if err != nil {
		fmt.Fprintf(stderr, "beian: %v\n", err)
		return 2
	}
	return withRegistryApp(stderr, getenv, lang, func(ctx context.Context, a *app.App) (int, string, error) {
		bar := progress.New(stderr, "export", 0, progress.IsTerminal(stderr))
		defer bar.Finish()
		n, err := registryio.Export(ctx, a.Sim, w, bar)
		return n, "", err
	}, "exported")
}

// withRegistryApp opens the configured databases (migrating them, no demo data), runs fn and reports the
// count, rate and fn's detail on stderr, and fn's error in lang (describe).
func withRegistryApp(stderr io.Writer, getenv func(string) string, lang i18n.Lang,
	fn func(context.Context, *app.App) (n int, detail string, err error), verb string) int {
	cfg, err := app.FromEnv(getenv)
	if err != nil {
		fmt.Fprintf(stderr, "beian: configuration: %v\n", err)
		return 2
	}
	if cfg.Regulator.Remote() {
		fmt.Fprintf(stderr, "beian: %v\n", app.ErrRemoteSimulator)
		return 2
	}
	cfg.Seed = false
	ctx := context.Background()
	a, err := app.New(ctx, cfg)
	if err != nil {
		fmt.Fprintf(stderr, "beian: %v\n", err)
		return 1
	}
	defer a.Close()
	t0 := time.Now()
	n, detail, err := fn(ctx, a)
	el := time.Since(t0)
	fmt.Fprintf(stderr, "beian: %s %d records in %s (%.0f/s)%s\n", verb, n, el.Round(time.Millisecond),
		float64(n)/el.Seconds(), detail)
	if err != nil {
		fmt.Fprintf(stderr, "beian: %s\n", describe(err, lang))
		return 1
	}
	return 0
}

// describe words err for the operator: a rule broken by an input record in lang, with its line and field
// ("line 2: “subject.name” contains an invisible control … (common.text_control_char)"; a message that does not
// name its field is preceded by it: "line 3: “credential_number”: …"); anything else as it is.
func describe(err error, lang i18n.Lang) string {
	var p *problem.Error
	if !errors.As(err, &p) {
		return err.Error()
	}
	params := maps.Clone(p.Params)
	if params == nil {
		params = map[string]string{}
	}
	if _, ok := params["field"]; !ok {
		params["field"] = p.Field
	}
	msg := i18n.T(lang, p.Code, params)
	if p.Field != "" && !strings.Contains(msg, p.Field) { // a rule's message that does not name its field (ident's)
		msg = i18n.T(lang, "miit.import_at_field", map[string]string{"field": p.Field, "message": msg})
	}
	msg += " (" + p.Code + ")"
	if p.Code == cleantext.CodeInvalidUTF8 {
		msg += " " + i18n.T(lang, "miit.import_utf8_hint", nil)
	}
	if le := (*registryio.LineError)(nil); errors.As(err, &le) {
		return fmt.Sprintf("line %d: %s", le.Line, msg)
	}
	return msg
}
