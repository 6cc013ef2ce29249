package main

import (
	"strings"
	"testing"
	"time"

	"github.com/beian/beian/internal/apptest"
)

// runWithin is runLoad that fails the test when the run takes longer than d (it hung).
func runWithin(t *testing.T, d time.Duration, args ...string) (int, string) {
	t.Helper()
	type result struct {
		code   int
		errOut string
	}
	done := make(chan result, 1)
	go func() {
		code, _, errOut := runLoad(args...)
		done <- result{code, errOut}
	}()
	select {
	case r := <-done:
		return r.code, r.errOut
	case <-time.After(d):
		t.Fatalf("beian-load %s still running after %s", strings.Join(args, " "), d)
		return 0, ""
	}
}

// -url against a node whose MIIT simulator runs apart: without -miit-url the run is refused at once, naming
// the simulator and the flag (it waited for codes that never reach the node's outbox); with it, the
// lifecycles complete. -miit-url without -url, or against a node that runs the simulator inside, is refused.
func TestURLWithSimulatorApart(t *testing.T) {
	a, sim := apptest.StartApart(t)
	node := a.URL()
	code, errOut := runWithin(t, 30*time.Second, "lifecycle", "-n", "2", "-c", "1", "-url", node)
	if code != 1 || !strings.Contains(errOut, "-miit-url") || !strings.Contains(errOut, sim) {
		t.Fatalf("without -miit-url: exit %d, %q; want exit 1 naming %s and -miit-url", code, errOut, sim)
	}
	if code, errOut := runWithin(t, 2*time.Minute, "lifecycle", "-n", "2", "-c", "2", "-url", node, "-miit-url", sim); code != 0 {
		t.Fatalf("with -miit-url: exit %d, %q", code, errOut)
	}
	if code, errOut := runWithin(t, 30*time.Second, "mixed", "-miit-url", sim); code != 2 || !strings.Contains(errOut, "-miit-url needs -url") {
		t.Fatalf("-miit-url without -url: exit %d, %q", code, errOut)
	}
	inside := apptest.Start(t, "").URL()
	code, errOut = runWithin(t, 30*time.Second, "lifecycle", "-n", "1", "-c", "1", "-url", inside, "-miit-url", sim)
	if code != 1 || !strings.Contains(errOut, "runs the MIIT simulator inside") {
		t.Fatalf("-miit-url with the simulator inside: exit %d, %q", code, errOut)
	}
}
