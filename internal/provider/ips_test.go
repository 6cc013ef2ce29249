package provider

import (
	"slices"
	"strings"
	"testing"

	"github.com/beian/beian/internal/filing"
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

// A service's entries must lie within the resource's addresses and ranges, of the same family; malformed
// entries are left to the field checks.
func TestIPsOnResource(t *testing.T) {
	resource := []string{"198.51.100.20", "203.0.113.100-203.0.113.110", "2001:db8::1"}
	cases := []struct {
		ips  []string
		want []string // fields of the errors
	}{
		{[]string{"198.51.100.20"}, nil},
		{[]string{"203.0.113.100", "203.0.113.101-203.0.113.110"}, nil},
		{[]string{"2001:DB8::1", " 198.51.100.20 "}, nil},
		{[]string{"999.1.1.1"}, nil},
		{[]string{"8.8.8.8"}, []string{"services[0].ips[0]"}},
		{[]string{"198.51.100.20", "198.51.100.21"}, []string{"services[0].ips[1]"}},
		{[]string{"203.0.113.99-203.0.113.100"}, []string{"services[0].ips[0]"}},
		{[]string{"::ffff:203.0.113.105", "2001:db8::2"}, []string{"services[0].ips[1]"}},
	}
	for _, c := range cases {
		errs := ipsOnResource([]filing.Service{{IPs: c.ips}}, resource)
		var got []string
		for _, e := range errs {
			if e.Code != "order.ip_not_on_resource" || e.Params["resource_ips"] == "" {
				t.Errorf("%v: %+v", c.ips, e)
			}
			got = append(got, e.Field)
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%v: errors on %v, want %v", c.ips, got, c.want)
		}
	}
	if errs := ipsOnResource([]filing.Service{{IPs: []string{"198.51.100.20"}}}, nil); len(errs) != 1 {
		t.Errorf("a resource without addresses holds none: %v", errs)
	}
}
