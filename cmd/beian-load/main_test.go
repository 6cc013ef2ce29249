package main

import (
	"bytes"
	"strings"
	"testing"
)

func runLoad(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := run(args, &out, &errb)
	return code, out.String(), errb.String()
}

// --help lists the modes (exit 0), an unknown mode lists them too (exit 2), and counts below 1 are refused
// before anything runs: -c 0 reported a rate for nothing done, -c -3 panicked.
func TestCommandLine(t *testing.T) {
	for _, help := range []string{"--help", "-h", "help"} {
		if code, out, _ := runLoad(help); code != 0 || !strings.Contains(out, "lifecycle ") || !strings.Contains(out, "police ") {
			t.Errorf("%s: exit %d, %q; want the modes, exit 0", help, code, out)
		}
	}
	if code, _, errOut := runLoad("frobnicate"); code != 2 || !strings.Contains(errOut, `unknown mode "frobnicate"`) ||
		!strings.Contains(errOut, "mixed ") {
		t.Errorf("unknown mode: exit %d, %q; want the modes, exit 2", code, errOut)
	}
	for args, want := range map[string]string{
		"lifecycle -n 5 -c 0": "lifecycle: -c must be at least 1, got 0",
		"police -c -3":        "police: -c must be at least 1, got -3",
		"mixed -n 0":          "mixed: -n must be at least 1, got 0",
		"query -registry 0":   "query: -registry must be at least 1, got 0",
		"query -d -1s":        "query: -d must be more than 0, got -1s",
		"lifecycle -sql -1":   "lifecycle: -sql must be 0 or more, got -1",
		"police extra":        `police: unexpected argument "extra"`,
	} {
		if code, out, errOut := runLoad(strings.Fields(args)...); code != 2 || out != "" || !strings.Contains(errOut, "beian-load: "+want) {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want %q, exit 2", args, code, out, errOut, want)
		}
	}
}
