package progress

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

func TestBarDrawsOnlyWhenEnabled(t *testing.T) {
	var off bytes.Buffer
	b := New(&off, "import", 10, false)
	b.Add(5, "x")
	b.Finish()
	if off.Len() != 0 || b.Done() != 5 {
		t.Fatalf("disabled bar wrote %q, done %d", off.String(), b.Done())
	}
	var on bytes.Buffer
	b = New(&on, "import", 10, true)
	b.Add(5, "a.cn")
	b.Finish()
	out := on.String()
	if !strings.Contains(out, "[###############...............] 5/10") || !strings.Contains(out, "a.cn") ||
		!strings.HasSuffix(out, "\n") {
		t.Fatalf("bar %q", out)
	}
}

func TestIsTerminal(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "out")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if IsTerminal(f) || IsTerminal(&bytes.Buffer{}) {
		t.Fatal("a file or a buffer is not a terminal")
	}
}
