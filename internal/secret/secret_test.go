package secret

import (
	"bytes"
	"errors"
	"testing"
)

func testKeyring(t *testing.T) *Keyring {
	t.Helper()
	keys, index := Generate()
	k, err := Parse(keys, index)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestSealOpenRoundTripAndPurpose(t *testing.T) {
	k := testKeyring(t)
	plain := []byte("110105199001010022")
	sealed := k.Seal(plain, "principals.credential")
	if bytes.Contains(sealed, plain) {
		t.Fatal("plaintext visible in sealed data")
	}
	got, err := k.Open(sealed, "principals.credential")
	if err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("round trip: %q, %v", got, err)
	}
	if _, err := k.Open(sealed, "orders.payload"); err == nil {
		t.Fatal("opened under another purpose")
	}
	sealed[len(sealed)-1] ^= 1
	if _, err := k.Open(sealed, "principals.credential"); err == nil {
		t.Fatal("tampered data opened")
	}
}

// AppendSeal leaves what dst held and appends what Seal would return: it opens the same, and a buffer reused
// for another plaintext (shorter, then longer than its capacity) seals that one.
func TestAppendSealReusesItsBuffer(t *testing.T) {
	k := testKeyring(t)
	buf := []byte("kept:")
	for _, plain := range [][]byte{[]byte("110105199001010022"), []byte("x"), bytes.Repeat([]byte("long "), 100)} {
		buf = k.AppendSeal(buf[:5], plain, "mps.material")
		if string(buf[:5]) != "kept:" {
			t.Fatalf("prefix overwritten: %q", buf[:5])
		}
		if want := len(k.Seal(plain, "mps.material")); len(buf)-5 != want {
			t.Fatalf("appended %d bytes, Seal returns %d", len(buf)-5, want)
		}
		got, err := k.Open(buf[5:], "mps.material")
		if err != nil || !bytes.Equal(got, plain) {
			t.Fatalf("round trip of %q: %q, %v", plain, got, err)
		}
	}
}

func TestRotation(t *testing.T) {
	old, _ := New(map[byte][]byte{1: bytes.Repeat([]byte{1}, 32)}, 1, bytes.Repeat([]byte{9}, 32))
	sealed := old.Seal([]byte("13800138000"), "p")
	rotated, err := New(map[byte][]byte{1: bytes.Repeat([]byte{1}, 32), 2: bytes.Repeat([]byte{2}, 32)}, 2, bytes.Repeat([]byte{9}, 32))
	if err != nil {
		t.Fatal(err)
	}
	if !rotated.Stale(sealed) {
		t.Fatal("data under the old key not reported stale")
	}
	if got, err := rotated.Open(sealed, "p"); err != nil || string(got) != "13800138000" {
		t.Fatalf("old data unreadable after rotation: %v", err)
	}
	if rotated.Stale(rotated.Seal([]byte("x"), "p")) {
		t.Fatal("new data stale")
	}
	if !bytes.Equal(old.Hash("mobile", "13800138000"), rotated.Hash("mobile", "13800138000")) {
		t.Fatal("hashes changed with rotation; look-ups would break")
	}
	dropped, _ := New(map[byte][]byte{2: bytes.Repeat([]byte{2}, 32)}, 2, bytes.Repeat([]byte{9}, 32))
	if _, err := dropped.Open(sealed, "p"); !errors.Is(err, ErrUnknownKey) {
		t.Fatalf("err = %v, want ErrUnknownKey", err)
	}
}

func TestHashSeparatesKinds(t *testing.T) {
	k := testKeyring(t)
	if bytes.Equal(k.Hash("mobile", "1"), k.Hash("email", "1")) {
		t.Fatal("kinds collide")
	}
	if !bytes.Equal(k.Hash("mobile", "1"), k.Hash("mobile", "1")) {
		t.Fatal("hash not deterministic")
	}
}

func TestParseErrors(t *testing.T) {
	for _, c := range []struct{ keys, index string }{
		{"", "AAAA"},
		{"x:AAAA", "AAAA"},
		{"1:%%%", "AAAA"},
		{"1:AAAA", "AAAA"}, // short key
	} {
		if _, err := Parse(c.keys, c.index); err == nil {
			t.Errorf("Parse(%q, %q) accepted", c.keys, c.index)
		}
	}
}

func TestHashBytesIsHash(t *testing.T) {
	k := testKeyring(t)
	if !bytes.Equal(k.HashBytes("file", []byte("abc")), k.Hash("file", "abc")) ||
		bytes.Equal(k.HashBytes("file", []byte("abc")), k.HashBytes("file", []byte("abd"))) {
		t.Fatal("HashBytes differs from Hash of the same bytes, or is equal for different bytes")
	}
}
