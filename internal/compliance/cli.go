package compliance

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/width"

	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/progress"
)

// CLI is what `beian compliance check` needs from its command: where to write, whether stderr is a terminal
// (for the progress bar), how to open the local registry (the database of DATABASE_URL; nil when none is
// configured; it answers police numbers itself when it can) and the police platform to ask with a remote
// registry (--registry-url; nil when none is configured).
type CLI struct {
	Stdout, Stderr io.Writer
	Stdin          io.Reader
	Lang           i18n.Lang
	Progress       bool
	OpenLocal      func(ctx context.Context) (Registry, func(), error)
	Police         PoliceRegistry
}

// cliFlags are the options of `beian compliance check`.
type cliFlags struct {
	json, allowPrivate bool
	file, registryURL  string
	lang               string
	workers            int
	timeout            time.Duration
	resolve            multiFlag
}

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

// RunCheck is `beian compliance check [flags] URL…`: it checks each site and prints a summary table (or the
// reports as JSON with --json). Exit status 0 when every site passes, 1 when any fails (a site whose numbers
// the registry could not verify fails), 2 when nothing was checked: a usage or configuration error, or a local
// registry that could not be opened.
func (c CLI) RunCheck(args []string) int {
	var f cliFlags
	fs := flag.NewFlagSet("compliance check", flag.ContinueOnError)
	fs.SetOutput(c.Stderr)
	help := func(name string) string { return i18n.T(c.Lang, "compliance.cli.flag."+name, nil) }
	fs.Usage = func() {
		fmt.Fprintln(c.Stderr, i18n.T(c.Lang, "compliance.cli.usage", nil))
		fs.PrintDefaults()
	}
	fs.BoolVar(&f.json, "json", false, help("json"))
	fs.StringVar(&f.file, "file", "", help("file"))
	fs.StringVar(&f.registryURL, "registry-url", "", help("registry_url"))
	fs.StringVar(&f.lang, "lang", "", help("lang"))
	fs.IntVar(&f.workers, "workers", 8, help("workers"))
	fs.DurationVar(&f.timeout, "timeout", 15*time.Second, help("timeout"))
	fs.BoolVar(&f.allowPrivate, "allow-private", false, help("allow_private"))
	fs.Var(&f.resolve, "resolve", help("resolve"))
	targets, err := parseInterspersed(fs, args)
	if err != nil {
		return 2
	}
	if f.lang != "" {
		lang, ok := parseLang(f.lang)
		if !ok {
			fmt.Fprintln(c.Stderr, i18n.T(c.Lang, "compliance.cli.lang_invalid", map[string]string{"lang": f.lang}))
			return 2
		}
		c.Lang = lang
	}
	if f.file != "" {
		more, err := c.readTargets(f.file)
		if err != nil {
			fmt.Fprintln(c.Stderr, i18n.T(c.Lang, "compliance.cli.file_unreadable", map[string]string{"file": f.file,
				"reason": reason(err)}))
			return 2
		}
		targets = append(targets, more...)
	}
	if len(targets) == 0 {
		fmt.Fprintf(c.Stderr, "%s\n%s\n", i18n.T(c.Lang, "compliance.cli.no_targets", nil), i18n.T(c.Lang, "compliance.cli.usage", nil))
		return 2
	}
	cfg, bad := f.fetchConfig()
	if bad != "" {
		fmt.Fprintln(c.Stderr, i18n.T(c.Lang, "compliance.cli.resolve_invalid", map[string]string{"value": bad}))
		return 2
	}
	if f.registryURL != "" && !validRegistryURL(f.registryURL) {
		fmt.Fprintln(c.Stderr, i18n.T(c.Lang, "compliance.cli.registry_url_invalid", map[string]string{"url": f.registryURL}))
		return 2
	}
	ctx := context.Background()
	reg, closeReg, status := c.registry(ctx, f.registryURL)
	if reg == nil {
		return status
	}
	defer closeReg()
	bar := progress.New(c.Stderr, i18n.T(c.Lang, "compliance.cli.progress", nil), int64(len(targets)), c.Progress)
	reports := NewChecker(reg, cfg).CheckAll(ctx, targets, f.workers, func(r Report) { bar.Add(1, r.Target) })
	bar.Finish()
	for i := range reports {
		reports[i].Localize(c.Lang)
	}
	if f.json {
		enc := json.NewEncoder(c.Stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		enc.Encode(reports)
	} else {
		c.printTable(reports)
	}
	for _, r := range reports {
		if !r.Pass {
			return 1
		}
	}
	return 0
}

// parseInterspersed parses flags wherever they stand among the arguments and returns the others.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return rest, nil
		}
		rest = append(rest, args[0])
		args = args[1:]
	}
}

// fetchConfig is the fetch configuration of the flags; bad is a --resolve value that is not HOST:PORT=IP:PORT.
func (f cliFlags) fetchConfig() (cfg FetchConfig, bad string) {
	cfg = FetchConfig{Timeout: f.timeout, AllowPrivate: f.allowPrivate}
	for _, r := range f.resolve {
		from, to, ok := strings.Cut(r, "=")
		if !ok || !strings.Contains(from, ":") || !strings.Contains(to, ":") {
			return cfg, r
		}
		if cfg.Resolve == nil {
			cfg.Resolve = map[string]string{}
		}
		cfg.Resolve[from] = to
	}
	return cfg, ""
}

// parseLang reads --lang: one of the supported languages (zh-CN, zh-TW, en; case and zh_CN's underscore do not
// matter). Anything else is refused rather than guessed, so that a typo does not silently give another language.
func parseLang(v string) (i18n.Lang, bool) {
	v = strings.ReplaceAll(strings.TrimSpace(v), "_", "-")
	for _, l := range i18n.Langs {
		if strings.EqualFold(v, string(l)) {
			return l, true
		}
	}
	return "", false
}

// validRegistryURL reports whether u is an http(s) URL with a host, as the address of a running beian.
func validRegistryURL(u string) bool {
	p, err := url.Parse(u)
	return err == nil && (p.Scheme == "http" || p.Scheme == "https") && p.Host != "" && p.Hostname() != "" &&
		p.RawQuery == "" && p.Fragment == ""
}

// registry opens the registry to ask: the remote query when a URL is given, else the local database.
func (c CLI) registry(ctx context.Context, remote string) (Registry, func(), int) {
	if remote != "" {
		var reg Registry = HTTPRegistry{BaseURL: remote}
		if c.Police != nil {
			reg = WithPolice(reg, c.Police)
		}
		return reg, func() {}, 0
	}
	if c.OpenLocal == nil {
		fmt.Fprintln(c.Stderr, i18n.T(c.Lang, "compliance.cli.registry_missing", nil))
		return nil, nil, 2
	}
	reg, closeReg, err := c.OpenLocal(ctx)
	if err != nil { // a configuration that cannot be read or used, a database that cannot be opened: nothing checked
		fmt.Fprintf(c.Stderr, "beian: %v\n", err)
		return nil, nil, 2
	}
	return reg, closeReg, 0
}

// readTargets reads one target a line; blank lines and lines starting with # are skipped.
func (c CLI) readTargets(name string) ([]string, error) {
	var r io.Reader = c.Stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	var out []string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" && !strings.HasPrefix(line, "#") {
			out = append(out, line)
		}
	}
	return out, sc.Err()
}

// printTable prints one line per site, then what to fix on each failing or warned site, then the summary.
func (c CLI) printTable(reports []Report) {
	t := func(key string) string { return i18n.T(c.Lang, "compliance.cli."+key, nil) }
	rows := [][]string{{t("col_site"), t("col_result"), t("col_errors"), t("col_warnings"), t("col_first")}}
	pass := 0
	for _, r := range reports {
		result := t("fail")
		if r.Pass {
			result, pass = t("pass"), pass+1
		}
		rows = append(rows, []string{r.Target, result, strconv.Itoa(r.Count(Error)), strconv.Itoa(r.Count(Warning)), firstProblem(r)})
	}
	writeColumns(c.Stdout, rows, 2)
	for _, r := range reports {
		if r.Count(Error)+r.Count(Warning) == 0 {
			continue
		}
		fmt.Fprintf(c.Stdout, "\n%s\n", r.Target)
		for _, f := range r.Findings {
			if f.Severity == Info {
				continue
			}
			fmt.Fprintf(c.Stdout, "  [%s] %s: %s\n", t("severity_"+string(f.Severity)), f.Code, f.Message)
			if f.Fix != "" {
				fmt.Fprintf(c.Stdout, "      %s %s\n", t("fix"), f.Fix)
			}
		}
	}
	fmt.Fprintf(c.Stdout, "\n%s\n", i18n.T(c.Lang, "compliance.cli.summary", map[string]string{
		"total": strconv.Itoa(len(reports)), "pass": strconv.Itoa(pass), "fail": strconv.Itoa(len(reports) - pass)}))
}

// writeColumns writes rows as left-aligned columns gap spaces apart, padded by display width (a CJK
// character takes two columns of a terminal, text/tabwriter counts it as one); the last column is not padded.
func writeColumns(w io.Writer, rows [][]string, gap int) {
	var widths []int
	for _, row := range rows {
		for i, cell := range row {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], displayWidth(cell))
		}
	}
	var b strings.Builder
	for _, row := range rows {
		b.Reset()
		for i, cell := range row {
			b.WriteString(cell)
			if i < len(row)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-displayWidth(cell)+gap))
			}
		}
		b.WriteByte('\n')
		io.WriteString(w, b.String())
	}
}

// displayWidth is how many terminal columns s takes: two for East Asian wide and full-width characters, none
// for combining marks and other zero-width characters, one for the rest.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) || unicode.Is(unicode.Cf, r):
		case width.LookupRune(r).Kind() == width.EastAsianWide || width.LookupRune(r).Kind() == width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

// firstProblem is the code of the first error, else of the first warning, shortened for the table.
func firstProblem(r Report) string {
	for _, sev := range []Severity{Error, Warning} {
		for _, f := range r.Findings {
			if f.Severity == sev {
				return f.Code
			}
		}
	}
	return "-"
}
