// Package captcha issues the image challenges (图形验证码) a public form asks before it accepts an attempt: a
// random number of Digits digits drawn as a noisy PNG, valid for a while, consumed by the first answer whether
// right or wrong, so that each guess costs a new image. Challenges are kept in memory (a node answers only the
// challenges it issued; the MIIT simulator runs on one node) and bounded in number, the oldest dropped first.
//
// It raises the cost of automated guessing; it is not meant to resist a determined OCR, and gives no
// accessible alternative beyond a new image (as the page it simulates).
package captcha

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"math/big"
	"strings"
	"sync"
	"time"
)

// Digits is the length of an answer.
const Digits = 5

// Store holds the outstanding challenges.
type Store struct {
	mu    sync.Mutex
	ttl   time.Duration
	max   int
	now   func() time.Time
	items map[string]challenge
	order []string // ids by age, for dropping the oldest
}

type challenge struct {
	answer  string
	expires time.Time
}

// New returns a store whose challenges last ttl, at most max at once.
func New(ttl time.Duration, max int) *Store {
	return &Store{ttl: ttl, max: max, now: time.Now, items: map[string]challenge{}}
}

// Challenge is one issued challenge: its id (sent back with the answer) and its image (PNG).
type Challenge struct {
	ID    string
	Image []byte
}

// New issues a challenge.
func (s *Store) New() Challenge {
	var answer strings.Builder
	for range Digits {
		n, _ := rand.Int(rand.Reader, big.NewInt(10))
		answer.WriteByte(byte('0' + n.Int64()))
	}
	idb := make([]byte, 16)
	rand.Read(idb)
	id := hex.EncodeToString(idb)
	s.mu.Lock()
	s.dropExpired()
	for len(s.order) >= s.max {
		delete(s.items, s.order[0])
		s.order = s.order[1:]
	}
	s.items[id] = challenge{answer: answer.String(), expires: s.now().Add(s.ttl)}
	s.order = append(s.order, id)
	s.mu.Unlock()
	return Challenge{ID: id, Image: render(answer.String())}
}

// dropExpired removes the challenges past their time from the front of the age order (s.mu held).
func (s *Store) dropExpired() {
	now := s.now()
	for len(s.order) > 0 {
		c, ok := s.items[s.order[0]]
		if ok && c.expires.After(now) {
			return
		}
		delete(s.items, s.order[0])
		s.order = s.order[1:]
	}
}

// Check consumes the challenge id and reports whether answer (spaces ignored) was its answer in time.
func (s *Store) Check(id, answer string) bool {
	s.mu.Lock()
	c, ok := s.items[id]
	delete(s.items, id) // its id stays in s.order until it is the oldest; a missing item is skipped then
	s.mu.Unlock()
	answer = strings.Join(strings.Fields(answer), "")
	return ok && s.now().Before(c.expires) && subtle.ConstantTimeCompare([]byte(answer), []byte(c.answer)) == 1
}

// Answer is a challenge's answer without consuming it: for the demo tools and tests only, never for a page.
func (s *Store) Answer(id string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.items[id]
	if !ok || !s.now().Before(c.expires) {
		return "", false
	}
	return c.answer, true
}
