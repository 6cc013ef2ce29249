package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

func runArgs(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(""), &out, &errb, func(k string) string { return env[k] })
	return code, out.String(), errb.String()
}

// The command line contract of issue #3: one JSON object per value, exit 0 / 1 / 2, messages per LANG.
func TestCheckCommand(t *testing.T) {
	code, out, _ := runArgs(t, map[string]string{"LANG": "en_US.UTF-8"}, "check", "resident-id", "11010519900101002x", "110105199001010022")
	if code != 1 {
		t.Fatalf("exit %d, want 1 (one invalid value)", code)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("want one line per value, got %q", out)
	}
	var first, second struct {
		Valid      bool
		Normalized string
		Info       map[string]any
		Errors     []struct{ Code, Message string }
	}
	json.Unmarshal([]byte(lines[0]), &first)
	json.Unmarshal([]byte(lines[1]), &second)
	if first.Valid != (len(first.Errors) == 0) || second.Valid {
		t.Fatalf("valid flags: %s", out)
	}
	if len(second.Errors) == 0 || !strings.Contains(second.Errors[0].Message, " ") {
		t.Fatalf("no English message for the bad checksum: %s", lines[1])
	}
	if code, _, _ := runArgs(t, nil, "check", "no-such-kind", "x"); code != 2 {
		t.Fatalf("unknown kind: exit %d, want 2", code)
	}
}

func TestRulesEvaluateCommand(t *testing.T) {
	code, out, errOut := runArgs(t, nil, "rules", "evaluate", "../../internal/rules/testdata/enterprise-guangdong.json", "--date", "2026-11-23")
	if code == 2 {
		t.Fatalf("usage error: %s", errOut)
	}
	var rep struct {
		Materials  []struct{ Code string }
		Violations []struct{ Code string }
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("output %q: %v", out, err)
	}
	found := false
	for _, m := range rep.Materials {
		found = found || m.Code == "guangdong_commitment_letter"
	}
	if !found {
		t.Fatalf("Guangdong commitment letter not listed: %s", out)
	}
	if code, _, _ := runArgs(t, nil, "rules", "nonsense"); code != 2 {
		t.Fatal("bad rules subcommand accepted")
	}
}

func TestUsageAndKeys(t *testing.T) {
	if code, _, _ := runArgs(t, nil); code != 2 {
		t.Fatal("no command: want exit 2")
	}
	if code, _, _ := runArgs(t, nil, "frobnicate"); code != 2 {
		t.Fatal("unknown command: want exit 2")
	}
	code, out, _ := runArgs(t, nil, "keys")
	if code != 0 || !strings.Contains(out, "BEIAN_SECRET_KEYS=1:") || !strings.Contains(out, "BEIAN_INDEX_KEY=") ||
		!regexp.MustCompile(`BEIAN_MIIT_SECRET=[A-Za-z0-9_-]{43}\nBEIAN_MPS_SECRET=[A-Za-z0-9_-]{43}\n$`).MatchString(out) {
		t.Fatalf("keys: %d %q", code, out)
	}
	if code, _, errOut := runArgs(t, map[string]string{"BEIAN_MODE": "production"}, "serve"); code != 2 || !strings.Contains(errOut, "BEIAN_SECRET_KEYS") {
		t.Fatalf("production without keys: %d %q", code, errOut)
	}
}

func TestProbe(t *testing.T) {
	ready := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/readyz":
		case "/page":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprintf(w, "<!DOCTYPE html>\n<html><body>%s</body></html>\n", strings.Repeat("not found ", 500))
		case "/long":
			http.Error(w, strings.Repeat("x", 500)+"\nsecond line", http.StatusInternalServerError)
		default:
			http.Error(w, `{"status":"not_ready"}`, http.StatusServiceUnavailable)
		}
	}))
	defer ready.Close()
	for _, tt := range []struct {
		url  string
		want int
	}{
		{ready.URL + "/readyz", 0},
		{ready.URL + "/other", 1},
		{"http://127.0.0.1:1/readyz", 1},
	} {
		if code, _, errs := runArgs(t, nil, "probe", tt.url); code != tt.want {
			t.Errorf("probe %s: exit %d, want %d (%s)", tt.url, code, tt.want, errs)
		}
	}
	// An error page is reported by its status and at most a short first line, not dumped.
	for path, want := range map[string]string{
		"/other": "beian: probe: 503 Service Unavailable: {\"status\":\"not_ready\"}\n",
		"/page":  "beian: probe: 404 Not Found\n",
		"/long":  "beian: probe: 500 Internal Server Error: " + strings.Repeat("x", 120) + "…\n",
	} {
		if code, _, errs := runArgs(t, nil, "probe", ready.URL+path); code != 1 || errs != want {
			t.Errorf("probe %s: exit %d, stderr %q; want %q", path, code, errs, want)
		}
	}
}
