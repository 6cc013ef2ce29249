// Package ratelimit limits requests per client with token buckets: each client may make Burst requests at
// once and Rate a second after that. A client is its IP address (an IPv6 client by its /64, which one
// subscriber usually holds whole). Buckets idle long enough to be full again are dropped, so memory follows the
// number of recently active clients. Callers name the client by web.ClientAddr, which believes a trusted
// reverse proxy about the address it forwards for (BEIAN_TRUSTED_PROXIES).
package ratelimit

import (
	"hash/maphash"
	"math"
	"net"
	"net/netip"
	"sync"
	"time"
)

// Limiter holds one token bucket per client.
type Limiter struct {
	rate   float64 // tokens a second
	burst  float64
	now    func() time.Time
	seed   maphash.Seed
	shards [16]shard
}

type shard struct {
	mu      sync.Mutex
	buckets map[netip.Prefix]*bucket
	swept   time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

// New returns a limiter of rate requests a second with bursts of burst (at least 1). now is the clock (nil:
// time.Now).
func New(rate float64, burst int, now func() time.Time) *Limiter {
	if now == nil {
		now = time.Now
	}
	l := &Limiter{rate: rate, burst: math.Max(1, float64(burst)), now: now, seed: maphash.MakeSeed()}
	for i := range l.shards {
		l.shards[i].buckets = map[netip.Prefix]*bucket{}
	}
	return l
}

// Allow takes a token for client; when none is left it returns false and how long until one is.
func (l *Limiter) Allow(client netip.Prefix) (bool, time.Duration) {
	var h maphash.Hash
	h.SetSeed(l.seed)
	b, _ := client.MarshalBinary()
	h.Write(b)
	s := &l.shards[h.Sum64()%uint64(len(l.shards))]
	now := l.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweep(now, l.burst/l.rate)
	bk := s.buckets[client]
	if bk == nil {
		bk = &bucket{tokens: l.burst, last: now}
		s.buckets[client] = bk
	}
	bk.tokens = math.Min(l.burst, bk.tokens+now.Sub(bk.last).Seconds()*l.rate)
	bk.last = now
	if bk.tokens >= 1 {
		bk.tokens--
		return true, 0
	}
	return false, time.Duration((1 - bk.tokens) / l.rate * float64(time.Second))
}

// sweep drops, at most once a minute, the buckets that have been idle long enough (fill seconds) to be full.
func (s *shard) sweep(now time.Time, fill float64) {
	if now.Sub(s.swept) < time.Minute {
		return
	}
	s.swept = now
	for k, b := range s.buckets {
		if now.Sub(b.last).Seconds() >= fill {
			delete(s.buckets, k)
		}
	}
}

// Client returns the client an address names (an IP, or host:port): the IP, an IPv6 one by its /64.
func Client(addr string) netip.Prefix {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		host = addr
	}
	a, err := netip.ParseAddr(host)
	if err != nil {
		return netip.Prefix{}
	}
	a = a.Unmap()
	bits := 32
	if a.Is6() {
		bits = 64
	}
	p, _ := a.Prefix(bits)
	return p
}

// RetryAfter is the value of a Retry-After header for wait: whole seconds, at least 1.
func RetryAfter(wait time.Duration) int {
	return max(1, int(math.Ceil(wait.Seconds())))
}
