package provider

import (
	"crypto/sha256"
	"time"
)

// Peers are the other nodes of a deployment on one PostgreSQL database (internal/cluster). This node tells them
// what it changed, so that their long polls wake at once and their session caches forget a logout, and learns
// the same from them through Changed and ForgetSession.
type Peers interface {
	// OrdersChanged is called after a commit that changed these orders.
	OrdersChanged(ids []int64)
	// SessionEnded is called after a logout, with the session's cache key (SessionKey).
	SessionEnded(key [32]byte)
}

// peerRecheck is how often a long poll re-reads its order when peers announce changes: only a safety net for
// announcements lost while the connection that carries them is being re-established.
const peerRecheck = 10 * time.Second

// SetPeers connects this node to the others; call it before serving.
func (s *Service) SetPeers(p Peers) {
	s.peers = p
	s.changes.peer = p.OrdersChanged
	s.changes.recheck = peerRecheck
}

// Changed wakes the long polls waiting here for orders another node changed.
func (s *Service) Changed(ids ...int64) {
	s.changes.forget(ids...)
	s.changes.wake(ids...)
}

// WakeAll wakes every long poll waiting here, to re-read its order, and forgets the orders kept as recent
// (announcements may have been missed).
func (s *Service) WakeAll() { s.changes.wakeAll() }

// ForgetSession drops a session another node ended from this node's cache.
func (s *Service) ForgetSession(key [32]byte) { s.auth.forgetKey(key) }

// SessionKey is the cache key of a session token (its SHA-256): what nodes tell each other of a logout.
func SessionKey(token string) [32]byte { return sha256.Sum256([]byte(token)) }
