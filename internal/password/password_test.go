package password

import (
	"errors"
	"strings"
	"testing"
)

func TestHashVerify(t *testing.T) {
	h := Hash("正确的密码 1", Fast)
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Fatalf("unexpected PHC string %q", h)
	}
	if ok, err := Verify("正确的密码 1", h); !ok || err != nil {
		t.Fatalf("right password refused: %v", err)
	}
	if ok, _ := Verify("错误的密码", h); ok {
		t.Fatal("wrong password accepted")
	}
	if Hash("x", Fast) == Hash("x", Fast) {
		t.Fatal("salt not random")
	}
	for _, bad := range []string{"", "$argon2i$v=19$m=1,t=1,p=1$AA$AA", "$argon2id$v=19$m=x$AA$AA", "$argon2id$v=19$m=64,t=1,p=1$!!$AA"} {
		if _, err := Verify("x", bad); err == nil {
			t.Errorf("Verify accepted malformed %q", bad)
		}
	}
}

func TestVerifyRefusesOutOfRangeParams(t *testing.T) {
	salt, key := "c2FsdHNhbHRzYWx0", "a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5"
	for _, params := range []string{
		"m=64,t=0,p=0", // made argon2 panic (testdata/fuzz/FuzzVerify)
		"m=64,t=0,p=1",
		"m=64,t=1,p=0",
		"m=4294967295,t=1,p=1", // 4 TiB
		"m=65537,t=1,p=1",
		"m=64,t=11,p=1",
		"m=64,t=1,p=9",
		"m=7,t=1,p=1", // argon2 needs 8 KiB per lane
	} {
		phc := "$argon2id$v=19$" + params + "$" + salt + "$" + key
		if ok, err := Verify("x", phc); ok || !errors.Is(err, ErrParams) {
			t.Errorf("Verify(%s) = %v, %v; want ErrParams", params, ok, err)
		}
	}
	for _, lengths := range []string{salt + "$AA", "AA$" + key, salt + "$" + strings.Repeat("AAAA", 22)} {
		if _, err := Verify("x", "$argon2id$v=19$m=64,t=1,p=1$"+lengths); !errors.Is(err, ErrMalformed) {
			t.Errorf("Verify with salt$key %q: err = %v; want ErrMalformed", lengths, err)
		}
	}
	if ok, err := Verify("pw", Hash("pw", Params{Time: maxTime, MemKiB: 64, Threads: maxThreads})); !ok || err != nil {
		t.Errorf("a hash at the upper bounds is refused: %v", err)
	}
}

func FuzzVerify(f *testing.F) {
	f.Add("pw", Hash("pw", Fast))
	f.Add("", "$argon2id$v=19$m=64,t=1,p=1$$")
	f.Fuzz(func(t *testing.T, pw, phc string) {
		if strings.Contains(phc, "m=") && !strings.Contains(phc, "m=64,") {
			return // do not let the fuzzer ask for gigabytes of memory
		}
		Verify(pw, phc)
	})
}
