package main

import (
	"bytes"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/beian/beian/internal/app"
)

// No Docker daemon runs where the tests run, so the image and the compose file are checked against the binary
// instead: every variable they set is one the binary reads, every command they run is one it accepts, and each
// health check probes the address its service listens on, through the binary the image installs.

// knownEnv is every variable the configuration reads.
func knownEnv(t *testing.T) map[string]bool {
	t.Helper()
	read := map[string]bool{}
	app.FromEnv(func(k string) string { read[k] = true; return "" })
	return read
}

// composeService is one service of compose.yaml, with what it inherits from the x-beian anchor.
type composeService struct {
	name, health string
	command      []string
	env          map[string]string
	ports        []string
}

var (
	topLine     = regexp.MustCompile(`^([a-z-]+):`)
	serviceLine = regexp.MustCompile(`^  ([a-z0-9]+):`)
	envLine     = regexp.MustCompile(`^\s+((?:BEIAN|DATABASE)_[A-Z0-9_]*):\s*"?([^"#]*?)"?\s*(?:#.*)?$`)
	commandLine = regexp.MustCompile(`^\s+command:\s*(\[.*\])`)
	healthLine  = regexp.MustCompile(`^\s+test:\s*(\[.*\])`)
	portLine    = regexp.MustCompile(`^\s+- "(\d+):(\d+)"`)
)

// parseCompose reads the services of compose.yaml line by line (the file keeps one key a line).
func parseCompose(t *testing.T) []composeService {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "compose.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var anchor, cur *composeService
	var out []*composeService
	section := ""
	for _, line := range strings.Split(string(raw), "\n") {
		if m := topLine.FindStringSubmatch(line); m != nil {
			section, cur = m[1], nil
			if section == "x-beian" {
				anchor = &composeService{name: section, env: map[string]string{}}
				cur = anchor
			}
			continue
		}
		if m := serviceLine.FindStringSubmatch(line); m != nil && section == "services" {
			cur = &composeService{name: m[1], env: map[string]string{}}
			out = append(out, cur)
			continue
		}
		if cur == nil {
			continue
		}
		if m := envLine.FindStringSubmatch(line); m != nil {
			cur.env[m[1]] = m[2]
		} else if m := commandLine.FindStringSubmatch(line); m != nil {
			mustJSON(t, m[1], &cur.command)
		} else if m := healthLine.FindStringSubmatch(line); m != nil {
			var test []string
			mustJSON(t, m[1], &test)
			cur.health = strings.Join(test, " ")
		} else if m := portLine.FindStringSubmatch(line); m != nil {
			cur.ports = append(cur.ports, m[2])
		}
	}
	if anchor == nil || len(out) == 0 {
		t.Fatal("compose.yaml: no x-beian anchor or no services")
	}
	var services []composeService
	for _, s := range out {
		if s.name == "postgres" {
			continue
		}
		merged := *s
		merged.env = map[string]string{}
		for k, v := range anchor.env {
			merged.env[k] = v
		}
		for k, v := range s.env {
			merged.env[k] = v
		}
		if merged.health == "" {
			merged.health = anchor.health
		}
		services = append(services, merged)
	}
	return services
}

func mustJSON(t *testing.T, s string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(s), v); err != nil {
		t.Fatalf("compose.yaml: %s: %v", s, err)
	}
}

// listenVar is the variable with the address a command listens on ("" for commands that do not serve).
func listenVar(command []string) string {
	switch strings.Join(command, " ") {
	case "serve":
		return "BEIAN_ADDR"
	case "miit serve":
		return "BEIAN_MIIT_ADDR"
	case "mps serve":
		return "BEIAN_MPS_ADDR"
	}
	return ""
}

// Each service of compose.yaml sets only variables the binary reads, runs a command the binary accepts, and
// probes (with the binary the image installs) the port it listens on and publishes.
func TestComposeMatchesBinary(t *testing.T) {
	known := knownEnv(t)
	binary := dockerfileBinary(t)
	for _, s := range parseCompose(t) {
		t.Run(s.name, func(t *testing.T) {
			for k := range s.env {
				if !known[k] {
					t.Errorf("sets %s, which the binary does not read", k)
				}
			}
			if len(s.command) == 0 {
				t.Fatal("no command")
			}
			v := listenVar(s.command)
			if v == "" {
				if s.command[0] != "migrate" {
					t.Fatalf("command %v: neither a server nor migrate", s.command)
				}
				checkMigrate(t)
				return
			}
			checkServerCommand(t, s.command)
			addr := s.env[v]
			_, port, ok := strings.Cut(addr, ":")
			if !ok {
				t.Fatalf("%s=%q", v, addr)
			}
			probe := strings.Fields(s.health)
			if len(probe) != 4 || probe[0] != "CMD" || probe[1] != binary || probe[2] != "probe" {
				t.Fatalf("health check %q: want CMD %s probe URL", s.health, binary)
			}
			if u, err := url.Parse(probe[3]); err != nil || u.Port() != port || u.Path != "/readyz" {
				t.Errorf("health check probes %s, the service listens on port %s (%s)", probe[3], port, v)
			}
			for _, p := range s.ports {
				if p != port {
					t.Errorf("publishes container port %s, the service listens on %s", p, port)
				}
			}
		})
	}
}

// checkServerCommand runs command with -h: the binary dispatches it to a server's flags (--addr).
func checkServerCommand(t *testing.T, command []string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(append(append([]string{}, command...), "-h"), nil, &out, &errb, func(string) string { return "" })
	if code != 0 || !strings.Contains(out.String(), "-addr") {
		t.Errorf("%v is not a server command of the binary: exit %d: %s%s", command, code, out.String(), errb.String())
	}
}

// checkMigrate runs `beian migrate` on a fresh SQLite directory.
func checkMigrate(t *testing.T) {
	t.Helper()
	dir := t.TempDir()
	env := map[string]string{"BEIAN_DATA_DIR": dir, "BEIAN_SEED": "false"}
	var out, errb bytes.Buffer
	if code := run([]string{"migrate"}, nil, &out, &errb, func(k string) string { return env[k] }); code != 0 {
		t.Errorf("migrate: exit %d: %s", code, errb.String())
	}
}

// dockerfileBinary is where the image installs the binary, checked against its ENTRYPOINT and HEALTHCHECK; the
// variables the image sets are read by the binary.
func dockerfileBinary(t *testing.T) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	df := string(raw)
	m := regexp.MustCompile(`COPY --from=build /out/beian (\S+)`).FindStringSubmatch(df)
	if m == nil {
		t.Fatal("Dockerfile: no COPY of the binary")
	}
	bin := m[1]
	for _, want := range []string{`ENTRYPOINT ["` + bin + `"]`, `CMD ["` + bin + `", "probe", "http://127.0.0.1:8080/readyz"]`,
		"BEIAN_ADDR=0.0.0.0:8080", "EXPOSE 8080"} {
		if !strings.Contains(df, want) {
			t.Errorf("Dockerfile lacks %s", want)
		}
	}
	known := knownEnv(t)
	for _, v := range regexp.MustCompile(`\b(BEIAN_[A-Z0-9_]+)=`).FindAllStringSubmatch(df, -1) {
		if !known[v[1]] {
			t.Errorf("Dockerfile sets %s, which the binary does not read", v[1])
		}
	}
	return bin
}
