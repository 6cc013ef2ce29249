package provider

import (
	"slices"
	"strings"
	"testing"

	"github.com/beian/beian/internal/problem"
)

// The IPs staff type for an instance or an authorization code are checked as a filing's are: a malformed or
// private address is refused on the list's field, the message naming the entry in every language; good ones
// come back normalized.
func TestPublicIPs(t *testing.T) {
	got, err := publicIPs("ips", []string{"203.0.113.9", "198.51.100.1~198.51.100.9"})
	if err != nil || !slices.Equal(got, []string{"203.0.113.9", "198.51.100.1-198.51.100.9"}) {
		t.Fatalf("good addresses: %v %v", got, err)
	}
	if _, err := publicIPs("ips", nil); !problem.Is(err, "common.required") {
		t.Fatalf("no address: %v", err)
	}
	_, err = publicIPs("ips", []string{"203.0.113.9", "203.0.113.300", "10.0.0.1"})
	list := problem.As(err)
	if len(list) != 2 || list[0].Code != "ip.syntax" || list[1].Code != "ip.not_public" {
		t.Fatalf("bad addresses: %v", err)
	}
	for _, e := range list {
		if e.Field != "ips" || e.Kind != problem.Invalid {
			t.Errorf("%s on %q (%v), want an invalid ips", e.Code, e.Field, e.Kind)
		}
		for lang, text := range e.Text {
			if !strings.Contains(text, "203.0.113.300") && !strings.Contains(text, "10.0.0.1") || !strings.Contains(text, "IP") {
				t.Errorf("%s in %s does not name the entry: %q", e.Code, lang, text)
			}
		}
		if len(e.Text) != 3 {
			t.Errorf("%s rendered in %d languages", e.Code, len(e.Text))
		}
	}
}
