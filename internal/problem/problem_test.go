package problem

import (
	"errors"
	"fmt"
	"testing"
)

func TestAsAndKind(t *testing.T) {
	single := New(NotFound, "order.not_found", "id", "id", "7")
	wrapped := fmt.Errorf("load: %w", single)
	list := List{Invalidf("mobile.format", "subject.principal.mobile"), Invalidf("email.format", "subject.principal.email")}
	foreign := errors.New("disk full")

	cases := []struct {
		name  string
		err   error
		kind  Kind
		count int
		code  string
	}{
		{"single wrapped", wrapped, NotFound, 1, "order.not_found"},
		{"list", list, Invalid, 2, "email.format"},
		{"foreign", foreign, Internal, 1, "internal"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := KindOf(c.err); got != c.kind {
				t.Fatalf("kind = %v, want %v", got, c.kind)
			}
			if got := len(As(c.err)); got != c.count {
				t.Fatalf("count = %d, want %d", got, c.count)
			}
			if !Is(c.err, c.code) {
				t.Fatalf("Is(%q) false", c.code)
			}
		})
	}
	if single.Params["id"] != "7" {
		t.Fatalf("params not kept: %v", single.Params)
	}
	if (List{}).Err() != nil || As(nil) != nil {
		t.Fatal("empty list must be a nil error")
	}
}
