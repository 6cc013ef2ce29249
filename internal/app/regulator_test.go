package app

import (
	"testing"

	"github.com/beian/beian/internal/wiresign"
)

// `beian miit serve` names its own verification page in its SMS: at its public address when set, else where it
// listens, over https with mutual TLS.
func TestRegulatorOwnURL(t *testing.T) {
	for _, c := range []struct {
		cfg  RegulatorConfig
		want string
	}{
		{RegulatorConfig{PublicURL: "https://miit.example.cn", Addr: "127.0.0.1:8081"}, "https://miit.example.cn"},
		{RegulatorConfig{Addr: "127.0.0.1:8081"}, "http://127.0.0.1:8081"},
		{RegulatorConfig{Addr: "10.0.0.5:8443", TLS: wiresign.TLSFiles{CA: "ca.pem", Cert: "c.pem", Key: "k.pem"}},
			"https://10.0.0.5:8443"},
	} {
		if got := c.cfg.ownURL(); got != c.want {
			t.Errorf("%+v: %s, want %s", c.cfg, got, c.want)
		}
	}
}
