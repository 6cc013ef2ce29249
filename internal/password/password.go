// Package password hashes and verifies passwords with argon2id, stored as PHC strings so that parameters can be
// raised later without invalidating existing hashes. A semaphore bounds concurrent hashing so that a burst of
// logins cannot exhaust memory (OWASP password storage cheat sheet's Argon2id minimum: t=2, m=19 MiB, p=1; ~75 ms on 2 cores).
package password

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id's cost parameters.
type Params struct {
	Time    uint32
	MemKiB  uint32
	Threads uint8
}

// Default is the OWASP minimum for argon2id (19 MiB, 2 iterations, 1 lane).
var Default = Params{Time: 2, MemKiB: 19 * 1024, Threads: 1}

// Fast is for tests and demo data only.
var Fast = Params{Time: 1, MemKiB: 64, Threads: 1}

var sem = make(chan struct{}, 4)

// Hash returns the PHC string of pw.
func Hash(pw string, p Params) string {
	salt := make([]byte, 16)
	rand.Read(salt)
	sem <- struct{}{}
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.MemKiB, p.Threads, 32)
	<-sem
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.MemKiB, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key))
}

// ErrMalformed means the stored hash is not an argon2id PHC string.
var ErrMalformed = errors.New("password: malformed hash")

// ErrParams means a stored hash asks for cost parameters outside the range Verify accepts: zero rounds or lanes
// would make argon2 panic, and an unbounded memory or time parameter would let one stored hash exhaust the server.
var ErrParams = errors.New("password: hash parameters out of range")

// The accepted ranges: up to RFC 9106's second recommended option (64 MiB) and a few times Default's rounds.
const (
	maxTime    = 10
	maxMemKiB  = 64 * 1024
	maxThreads = 8
	minKeyLen  = 16
	maxKeyLen  = 64
	maxSaltLen = 64
)

// check reports whether p and the salt and key lengths are within the accepted ranges.
func (p Params) check(saltLen, keyLen int) error {
	switch {
	case p.Time < 1 || p.Time > maxTime, p.Threads < 1 || p.Threads > maxThreads,
		p.MemKiB < 8*uint32(p.Threads) || p.MemKiB > maxMemKiB:
		return fmt.Errorf("%w: m=%d,t=%d,p=%d", ErrParams, p.MemKiB, p.Time, p.Threads)
	case saltLen < 8 || saltLen > maxSaltLen || keyLen < minKeyLen || keyLen > maxKeyLen:
		return ErrMalformed
	}
	return nil
}

// Verify reports whether pw matches the PHC string.
func Verify(pw, phc string) (bool, error) {
	parts := strings.Split(phc, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, ErrMalformed
	}
	var p Params
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, ErrMalformed
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.MemKiB, &p.Time, &p.Threads); err != nil {
		return false, ErrMalformed
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil {
		return false, ErrMalformed
	}
	if err := p.check(len(salt), len(want)); err != nil {
		return false, err
	}
	sem <- struct{}{}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.MemKiB, p.Threads, uint32(len(want)))
	<-sem
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}
