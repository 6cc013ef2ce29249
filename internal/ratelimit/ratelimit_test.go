package ratelimit

import (
	"net/netip"
	"testing"
	"time"
)

func TestAllowBurstThenRate(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := New(2, 3, func() time.Time { return now })
	a := netip.MustParsePrefix("203.0.113.7/32")
	b := netip.MustParsePrefix("203.0.113.8/32")
	for i := range 3 {
		if ok, _ := l.Allow(a); !ok {
			t.Fatalf("request %d of the burst refused", i)
		}
	}
	ok, wait := l.Allow(a)
	if ok || wait != 500*time.Millisecond {
		t.Fatalf("4th: ok %v, wait %s; want refused, 500ms", ok, wait)
	}
	if ok, _ := l.Allow(b); !ok {
		t.Fatal("another client is limited too")
	}
	now = now.Add(500 * time.Millisecond)
	if ok, _ := l.Allow(a); !ok {
		t.Fatal("a token should have come back after 500ms")
	}
	if ok, _ := l.Allow(a); ok {
		t.Fatal("only one token came back")
	}
	now = now.Add(2 * time.Minute) // idle: the bucket is dropped, and full again
	for i := range 3 {
		if ok, _ := l.Allow(a); !ok {
			t.Fatalf("after idling, request %d refused", i)
		}
	}
	if n := len(l.shards[0].buckets) + len(l.shards[1].buckets); n > 2 {
		t.Fatalf("buckets kept: %d", n)
	}
}

func TestClient(t *testing.T) {
	for remote, want := range map[string]string{
		"203.0.113.7:5555":           "203.0.113.7/32",
		"[2001:db8:1:2:3:4:5:6]:443": "2001:db8:1:2::/64",
		"[::ffff:203.0.113.7]:80":    "203.0.113.7/32",
		"not an address":             "invalid Prefix",
	} {
		if got := Client(remote).String(); got != want {
			t.Errorf("Client(%q) = %s, want %s", remote, got, want)
		}
	}
}
