package imaging

import (
	"crypto/sha256"
	"sync"
)

// Memo remembers, by SHA-256 of the bytes, the files that passed a check, so that the same file sent again (an
// applicant attaching the same scan to a second record, a retried upload) is not decoded again. Only passes
// are remembered: a refused file is checked again and gets its refusal again. It keeps the newest n.
type Memo struct {
	mu    sync.Mutex
	seen  map[[sha256.Size]byte]struct{}
	order [][sha256.Size]byte // ring of the remembered hashes, oldest at next
	next  int
}

// NewMemo returns a memo of at most n files (32 bytes of hash each, plus the map's own cost).
func NewMemo(n int) *Memo {
	return &Memo{seen: make(map[[sha256.Size]byte]struct{}, n), order: make([][sha256.Size]byte, 0, n)}
}

// Check runs check on b unless b already passed it in the same scope, and remembers b when it passes. A memo
// serves one check (the hash does not include the limit). The scope keeps one party's files apart from
// another's: with the user as scope, how fast an upload is answered tells nobody whether someone else sent
// that file before.
func (m *Memo) Check(scope string, b []byte, check func([]byte) error) error {
	d := sha256.New()
	d.Write([]byte(scope))
	d.Write([]byte{0})
	d.Write(b)
	var h [sha256.Size]byte
	d.Sum(h[:0])
	m.mu.Lock()
	_, ok := m.seen[h]
	m.mu.Unlock()
	if ok {
		return nil
	}
	if err := check(b); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.seen[h]; ok {
		return nil
	}
	if len(m.order) < cap(m.order) {
		m.order = append(m.order, h)
	} else {
		delete(m.seen, m.order[m.next])
		m.order[m.next] = h
		m.next = (m.next + 1) % len(m.order)
	}
	m.seen[h] = struct{}{}
	return nil
}
