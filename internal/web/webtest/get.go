package webtest

import (
	"io"
	"net/http"
	"testing"
)

// Get is the status and body of a GET of url (a probe, a metrics page, a public query).
func Get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
