package cliargs

import (
	"bytes"
	"flag"
	"slices"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	for _, tt := range []struct {
		args   []string
		pos    []string
		format string
		code   int
		stderr string
	}{
		{args: []string{"--format", "csv", "a"}, pos: []string{"a"}, format: "csv"},
		{args: []string{"a", "--format", "csv"}, pos: []string{"a"}, format: "csv"}, // flags after the argument
		{args: []string{"-"}, pos: []string{"-"}},                                   // standard input
		{args: []string{"--", "-x"}, pos: []string{"-x"}},
		{args: []string{"a", "--", "--format"}, code: 2, stderr: `beian import: unexpected argument "--format"`},
		{args: []string{}, code: 2, stderr: "beian import: missing FILE"},
		{args: []string{"a", "--bogus"}, code: 2, stderr: "beian import: flag provided but not defined: -bogus"},
		{args: []string{"a", "--format"}, code: 2, stderr: "beian import: flag needs an argument: -format"},
		{args: []string{"a", "-h"}, code: 0},
	} {
		fs := flag.NewFlagSet("import", flag.ContinueOnError)
		format := fs.String("format", "", "jsonl or csv")
		var out, errb bytes.Buffer
		pos, code, ok := Parse(fs, tt.args, "usage: beian import [--format jsonl|csv] FILE|-", &out, &errb, "FILE")
		if ok != (tt.pos != nil) || code != tt.code || !slices.Equal(pos, tt.pos) || ok && *format != tt.format {
			t.Errorf("%q: %q %d %v, format %q; want %q %d, format %q", tt.args, pos, code, ok, *format, tt.pos, tt.code, tt.format)
		}
		if tt.code == 2 && (!strings.HasPrefix(errb.String(), tt.stderr+"\nusage: beian import") || out.Len() != 0) ||
			tt.code == 0 && errb.Len() != 0 {
			t.Errorf("%q: stderr %q, want %q and the usage", tt.args, errb.String(), tt.stderr)
		}
		if help := !ok && tt.code == 0; help != (out.Len() != 0) ||
			help && (!strings.HasPrefix(out.String(), "usage: beian import") || !strings.Contains(out.String(), "-format")) {
			t.Errorf("%q: stdout %q", tt.args, out.String())
		}
	}
}
