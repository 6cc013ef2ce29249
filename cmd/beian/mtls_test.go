package main

import (
	"strings"
	"testing"
	"time"

	"github.com/beian/beian/internal/web/webtest"
	"github.com/beian/beian/internal/wiresign/wiretest"
)

// The documented mutual TLS set-up, as processes: `beian miit serve` with BEIAN_MIIT_CA/_CERT/_KEY and no secret
// listens on HTTPS and answers its health check in plain HTTP on BEIAN_METRICS_ADDR; `beian serve` with its
// client certificate and an https BEIAN_MIIT_URL downloads the simulator's results.
func TestMutualTLSApart(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts two processes")
	}
	pki := wiretest.NewPKI(t)
	server, client := pki.Server(t), pki.Client(t, "beian-demo")
	bin, simAddr := buildBeian(t), freeAddr(t)
	startProc(t, bin, "miit", []string{"miit", "serve"}, "BEIAN_METRICS_ADDR", freeAddr(t), t.TempDir(),
		"BEIAN_MODE=demo", "BEIAN_MIIT_ADDR="+simAddr,
		"BEIAN_MIIT_CA="+server.CA, "BEIAN_MIIT_CERT="+server.Cert, "BEIAN_MIIT_KEY="+server.Key)
	prov := startProc(t, bin, "provider", []string{"serve"}, "BEIAN_ADDR", freeAddr(t), t.TempDir(),
		"BEIAN_MODE=demo", "BEIAN_MIIT_URL=https://"+simAddr,
		"BEIAN_MIIT_CA="+client.CA, "BEIAN_MIIT_CERT="+client.Cert, "BEIAN_MIIT_KEY="+client.Key)
	deadline := time.Now().Add(30 * time.Second)
	for {
		_, body := webtest.Get(t, prov.url+"/metrics")
		if strings.Contains(body, `beian_regulator_request_duration_seconds_count{op="results",outcome="ok"}`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the provider downloaded no results over mutual TLS:\n%s", grepLines(body, "beian_regulator"))
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// grepLines are the lines of s that contain sub.
func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
