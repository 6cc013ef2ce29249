package rules

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/i18n"
)

// maxOrderBytes bounds what the CLI reads: an order is a few kilobytes.
const maxOrderBytes = 10 << 20

// cliError is a usage or input error with its catalog key and parameters.
type cliError struct {
	key    string
	params map[string]string
}

func (e *cliError) Error() string { return e.key }

// RunEvaluate is `beian rules evaluate ORDER.json [--date YYYY-MM-DD]`: it reads an order in the API's JSON
// form (ORDER.json "-" reads standard input), evaluates it on the date (default: today in China) and prints
// {"materials":[…],"violations":[…],"notices":[…]}. Exit status 0: no violations; 1: violations; 2: usage or
// input error, reported on stderr in lang.
func RunEvaluate(args []string, stdin io.Reader, stdout, stderr io.Writer, lang i18n.Lang) int {
	path, on, err := parseEvaluateArgs(args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(stdout, i18n.T(lang, "rules.cli.usage", nil))
		return 0
	}
	var o *filing.Order
	if err == nil {
		o, err = readOrder(path, stdin)
	}
	if err != nil {
		reportCLIError(stderr, lang, err)
		return 2
	}
	rep := EvaluateIn(o, on, lang)
	enc := json.NewEncoder(stdout)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(rep); err != nil {
		reportCLIError(stderr, lang, &cliError{"rules.cli.read_error", map[string]string{"detail": err.Error()}})
		return 2
	}
	if !rep.OK() {
		return 1
	}
	return 0
}

func reportCLIError(w io.Writer, lang i18n.Lang, err error) {
	var ce *cliError
	if !errors.As(err, &ce) {
		ce = &cliError{"rules.cli.read_error", map[string]string{"detail": err.Error()}}
	}
	fmt.Fprintf(w, "beian rules evaluate: %s\n", i18n.T(lang, ce.key, ce.params))
	if ce.key == "rules.cli.bad_args" {
		fmt.Fprintln(w, i18n.T(lang, "rules.cli.usage", nil))
	}
}

// parseEvaluateArgs accepts the order path and --date in any order.
func parseEvaluateArgs(args []string) (path string, on time.Time, err error) {
	fs := flag.NewFlagSet("rules evaluate", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	date := fs.String("date", "", "evaluation date YYYY-MM-DD")
	var pos []string
	for rest := args; ; rest = fs.Args()[1:] {
		if err := fs.Parse(rest); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return "", on, err
			}
			return "", on, &cliError{"rules.cli.bad_args", map[string]string{"detail": err.Error()}}
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
	}
	if len(pos) != 1 {
		return "", on, &cliError{"rules.cli.bad_args", map[string]string{"detail": fmt.Sprintf("want one ORDER.json, got %d", len(pos))}}
	}
	on = time.Now()
	if *date != "" {
		if on, err = time.ParseInLocation(time.DateOnly, *date, chinaTime); err != nil {
			return "", on, &cliError{"rules.cli.bad_date", map[string]string{"date": *date}}
		}
	}
	return pos[0], on, nil
}

func readOrder(path string, stdin io.Reader) (*filing.Order, error) {
	var r io.Reader = stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, &cliError{"rules.cli.read_error", map[string]string{"detail": err.Error()}}
		}
		defer f.Close()
		r = f
	}
	if r == nil {
		r = bytes.NewReader(nil)
	}
	raw, err := io.ReadAll(io.LimitReader(r, maxOrderBytes+1))
	if err != nil {
		return nil, &cliError{"rules.cli.read_error", map[string]string{"detail": err.Error()}}
	}
	if len(raw) > maxOrderBytes {
		return nil, &cliError{"rules.cli.read_error", map[string]string{"detail": "larger than 10 MiB"}}
	}
	return DecodeOrder(raw)
}

// DecodeOrder reads one order in the API's JSON form, refusing unknown fields and trailing data with an error
// whose text is a rules.cli.* catalog key (the CLI renders it).
func DecodeOrder(raw []byte) (*filing.Order, error) {
	var o filing.Order
	d := json.NewDecoder(bytes.NewReader(raw))
	d.DisallowUnknownFields()
	if err := d.Decode(&o); err != nil {
		if field, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
			return nil, &cliError{"rules.cli.unknown_field", map[string]string{"field": strings.Trim(field, `"`)}}
		}
		return nil, &cliError{"rules.cli.bad_json", map[string]string{"detail": err.Error()}}
	}
	if err := d.Decode(&struct{}{}); !errors.Is(err, io.EOF) {
		return nil, &cliError{"rules.cli.trailing", nil}
	}
	return &o, nil
}
