package provider

import (
	"crypto/sha256"
	"sync"
	"time"

	"github.com/beian/beian/internal/provider/store"
)

// authCache remembers recently authenticated tokens for a short time, so that a burst of API calls does not
// look the same token up (a join and two decryptions) on every request. A logout forgets the token at once, on
// this node and, told through Peers, on the others.
type authCache struct {
	mu sync.Mutex
	m  map[[32]byte]authEntry
}

type authEntry struct {
	actor   Actor
	account *store.Account
	until   time.Time
}

const (
	authTTL     = 15 * time.Second
	authEntries = 50_000
)

func (c *authCache) get(token string, now time.Time) (authEntry, bool) {
	k := sha256.Sum256([]byte(token))
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[k]
	if !ok || now.After(e.until) {
		return authEntry{}, false
	}
	return e, true
}

func (c *authCache) put(token string, e authEntry) {
	k := sha256.Sum256([]byte(token))
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= authEntries {
		c.m = make(map[[32]byte]authEntry) // crude but bounded: a full cache starts over
	}
	c.m[k] = e
}

func (c *authCache) forget(token string) { c.forgetKey(sha256.Sum256([]byte(token))) }

func (c *authCache) forgetKey(k [32]byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, k)
}
