// Package secret protects personal data at rest (docs/design.md §9): AES-256-GCM sealing under a keyring that supports
// rotation (new data under the primary key, old data still readable), and keyed hashes (HMAC-SHA256) for the
// uniqueness checks and look-ups that must work without decrypting (emergency mobile unique to one subject, …).
package secret

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

const version = 1

// Keyring holds the data-encryption keys by one-byte id and the index key for keyed hashes.
type Keyring struct {
	aeads   map[byte]cipher.AEAD
	primary byte
	index   []byte
}

// ErrUnknownKey means sealed data names a key the keyring does not hold.
var ErrUnknownKey = errors.New("secret: sealed with a key that is not configured")

// New builds a keyring. keys maps an id (0-255) to a 32-byte key; primary seals new data; index (32 bytes) keys
// the hashes and must never change, or look-ups of existing rows stop matching.
func New(keys map[byte][]byte, primary byte, index []byte) (*Keyring, error) {
	if len(index) != 32 {
		return nil, errors.New("secret: the index key must be 32 bytes")
	}
	k := &Keyring{aeads: map[byte]cipher.AEAD{}, primary: primary, index: append([]byte(nil), index...)}
	for id, key := range keys {
		if len(key) != 32 {
			return nil, fmt.Errorf("secret: key %d must be 32 bytes, got %d", id, len(key))
		}
		block, err := aes.NewCipher(key)
		if err != nil {
			return nil, err
		}
		gcm, err := cipher.NewGCM(block)
		if err != nil {
			return nil, err
		}
		k.aeads[id] = gcm
	}
	if _, ok := k.aeads[primary]; !ok {
		return nil, fmt.Errorf("secret: primary key %d is not among the keys", primary)
	}
	return k, nil
}

// Parse reads keys written as "ID:BASE64,ID:BASE64" (the first is primary) and a base64 index key, the form
// used in configuration (BEIAN_SECRET_KEYS, BEIAN_INDEX_KEY).
func Parse(keys, index string) (*Keyring, error) {
	m := map[byte][]byte{}
	var primary byte
	for i, part := range strings.Split(keys, ",") {
		idText, b64, ok := strings.Cut(strings.TrimSpace(part), ":")
		if !ok {
			return nil, fmt.Errorf("secret: key %d is not written as ID:BASE64", i+1)
		}
		id, err := strconv.ParseUint(idText, 10, 8)
		if err != nil {
			return nil, fmt.Errorf("secret: key id %q is not a number from 0 to 255", idText)
		}
		raw, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			return nil, fmt.Errorf("secret: key %d is not valid base64", id)
		}
		if i == 0 {
			primary = byte(id)
		}
		m[byte(id)] = raw
	}
	idx, err := base64.StdEncoding.DecodeString(strings.TrimSpace(index))
	if err != nil {
		return nil, errors.New("secret: the index key is not valid base64")
	}
	return New(m, primary, idx)
}

// Generate returns a fresh configuration (keys, index) in the form Parse reads.
func Generate() (keys, index string) {
	return "1:" + base64.StdEncoding.EncodeToString(random(32)), base64.StdEncoding.EncodeToString(random(32))
}

func random(n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return b
}

// Seal encrypts plaintext under the primary key. purpose (e.g. "orders.payload") is bound as associated data,
// so a value cannot be moved to another column unnoticed.
func (k *Keyring) Seal(plaintext []byte, purpose string) []byte {
	return k.AppendSeal(nil, plaintext, purpose)
}

// AppendSeal appends to dst what Seal returns, so that a caller sealing large values one after the other can
// reuse one buffer; dst and plaintext must not overlap.
func (k *Keyring) AppendSeal(dst, plaintext []byte, purpose string) []byte {
	gcm := k.aeads[k.primary]
	dst = slices.Grow(dst, 2+gcm.NonceSize()+len(plaintext)+gcm.Overhead())
	dst = append(dst, version, k.primary)
	nonce := dst[len(dst) : len(dst)+gcm.NonceSize()]
	if _, err := rand.Read(nonce); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	dst = dst[:len(dst)+len(nonce)]
	return gcm.Seal(dst, nonce, plaintext, []byte(purpose))
}

// Open decrypts what Seal produced for the same purpose.
func (k *Keyring) Open(sealed []byte, purpose string) ([]byte, error) {
	if len(sealed) < 2 || sealed[0] != version {
		return nil, errors.New("secret: not sealed data")
	}
	gcm, ok := k.aeads[sealed[1]]
	if !ok {
		return nil, ErrUnknownKey
	}
	ns := gcm.NonceSize()
	if len(sealed) < 2+ns+gcm.Overhead() {
		return nil, errors.New("secret: sealed data is truncated")
	}
	return gcm.Open(nil, sealed[2:2+ns], sealed[2+ns:], []byte(purpose))
}

// SealString and OpenString are Seal and Open for text; the empty string stays empty (nothing to protect).
func (k *Keyring) SealString(s, purpose string) []byte {
	if s == "" {
		return nil
	}
	return k.Seal([]byte(s), purpose)
}

// OpenString opens a value sealed by SealString.
func (k *Keyring) OpenString(sealed []byte, purpose string) (string, error) {
	if len(sealed) == 0 {
		return "", nil
	}
	b, err := k.Open(sealed, purpose)
	return string(b), err
}

// Primary is the id of the key that seals new data.
func (k *Keyring) Primary() byte { return k.primary }

// Stale reports whether sealed data is under a key other than the primary, i.e. due for re-encryption.
func (k *Keyring) Stale(sealed []byte) bool {
	return len(sealed) >= 2 && sealed[1] != k.primary
}

// Hash returns the keyed hash of value for look-ups, separated by kind ("mobile", "email", "credential", …)
// so equal strings of different kinds never collide.
func (k *Keyring) Hash(kind, value string) []byte { return k.HashBytes(kind, []byte(value)) }

// HashBytes is Hash of a value held as bytes (a file), without copying it into a string first.
func (k *Keyring) HashBytes(kind string, value []byte) []byte {
	m := hmac.New(sha256.New, k.index)
	m.Write([]byte(kind))
	m.Write([]byte{0})
	m.Write(value)
	return m.Sum(nil)
}
