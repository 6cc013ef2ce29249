// Package cliargs reads the command line of a beian subcommand the same way for every command: flags and
// positional arguments in any order, -h/--help on standard output with exit status 0, and a named message with
// the usage on standard error, exit status 2, for an unknown flag, a bad flag value or a missing or unexpected
// argument — the command then does nothing.
package cliargs

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// Parse parses args with fs, whose name is the command's ("import", "miit serve"), and returns the positional
// arguments, which must be exactly the ones named by names ("FILE", "DIR"). usage is the command's usage line
// ("usage: beian import [--format jsonl|csv] FILE|-"); fs's flags are listed under it. "--" ends the flags.
// When ok is false the command returns code: 0 after --help, 2 after a usage error, both already reported.
func Parse(fs *flag.FlagSet, args []string, usage string, stdout, stderr io.Writer, names ...string) (pos []string, code int, ok bool) {
	pos, err := parse(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		printUsage(stdout, fs, usage)
		return nil, 0, false
	}
	switch {
	case err != nil:
	case len(pos) < len(names):
		err = fmt.Errorf("missing %s", strings.Join(names[len(pos):], " "))
	case len(pos) > len(names):
		err = fmt.Errorf("unexpected argument %q", pos[len(names)])
	}
	if err != nil {
		fmt.Fprintf(stderr, "beian %s: %v\n", fs.Name(), err)
		printUsage(stderr, fs, usage)
		return nil, 2, false
	}
	return pos, 0, true
}

// parse reads flags and positional arguments in any order.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard) // Parse reports the errors itself
	fs.Usage = func() {}
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

func printUsage(w io.Writer, fs *flag.FlagSet, usage string) {
	fmt.Fprintln(w, strings.TrimRight(usage, "\n"))
	hasFlags := false
	fs.VisitAll(func(*flag.Flag) { hasFlags = true })
	if hasFlags {
		fs.SetOutput(w)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
}
