package password

import (
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
