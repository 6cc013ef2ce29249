// Package wiretest is a test server for the signed interfaces' fault tests: it serves the real handler until
// told to misbehave as a network does.
package wiretest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// Modes of a Faulty server besides serving the real handler ("").
const (
	Slow       = "slow"        // answer nothing until the client gives up, whatever its timeout
	ProxyError = "proxy error" // a proxy's 502 HTML page
)

// Faulty serves real, or misbehaves as its mode says: Slow, ProxyError, or any mode starting with "{" is
// answered as that body with status 200.
type Faulty struct {
	*httptest.Server
	mode atomic.Value // the slow handler may still run when the test moves on
}

// NewFaulty starts a server closed when t ends.
func NewFaulty(t testing.TB, real http.Handler) *Faulty {
	f := &Faulty{}
	f.mode.Store("")
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch m := f.mode.Load().(string); {
		case m == Slow:
			io.Copy(io.Discard, r.Body) // the server notices the client leave only once the body is read
			<-r.Context().Done()
			panic(http.ErrAbortHandler) // nothing is sent, not even a status
		case m == ProxyError:
			w.WriteHeader(http.StatusBadGateway)
			io.WriteString(w, "<html>bad gateway</html>")
		case strings.HasPrefix(m, "{"):
			io.WriteString(w, m)
		default:
			real.ServeHTTP(w, r)
		}
	}))
	t.Cleanup(f.Close)
	return f
}

// Set switches the mode ("" serves the real handler again).
func (f *Faulty) Set(mode string) { f.mode.Store(mode) }
