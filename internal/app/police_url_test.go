package app_test

import (
	"testing"

	"github.com/beian/beian/internal/app"
)

// The police platform's public address (the badge icon's, in the footer a customer pastes on their site) is this
// server's when the platform runs inside it, else BEIAN_MPS_PUBLIC_URL.
func TestPolicePublicURL(t *testing.T) {
	c := app.Config{BaseURL: "https://beian.example.cn"}
	if got := app.PolicePublicURL(c); got != "https://beian.example.cn" {
		t.Errorf("in-process: %q", got)
	}
	c.Police = app.RegulatorConfig{URL: "http://mps:8082", PublicURL: "https://mps.example.cn"}
	if got := app.PolicePublicURL(c); got != "https://mps.example.cn" {
		t.Errorf("own process: %q", got)
	}
}
