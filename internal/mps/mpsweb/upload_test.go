package mpsweb

import (
	"bytes"
	"net/http/httptest"
	"strings"
	"testing"
)

// An upload's buffer, given back after use, serves the next upload holding that upload's bytes only: a shorter
// file does not carry the end of a longer one sent before, and a body shorter than its stated length is an
// error, not a buffer with another upload's bytes in it.
func TestReadUploadReusesBuffers(t *testing.T) {
	for i, body := range []string{strings.Repeat("A", 200<<10), strings.Repeat("B", 150<<10), "C", strings.Repeat("D", 300<<10)} {
		r := httptest.NewRequest("POST", "/mps/api/v1/materials", strings.NewReader(body))
		got, err := readUpload(r, 2<<20)
		if err != nil || !bytes.Equal(got, []byte(body)) {
			t.Fatalf("upload %d: %d bytes, %v", i, len(got), err)
		}
		releaseUpload(got)
	}
	r := httptest.NewRequest("POST", "/mps/api/v1/materials", strings.NewReader("short"))
	r.ContentLength = 200 << 10
	if got, err := readUpload(r, 2<<20); err == nil {
		t.Fatalf("a short body read as %d bytes", len(got))
	}
}
