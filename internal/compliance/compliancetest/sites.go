// Package compliancetest serves real homepages on loopback for the tests of the compliance checker's callers
// (the provider's sweeps, the console): each host's page can change during a test, and a host can be held so
// that a sweep is seen while it runs. The checker reaches the hosts by name through FetchConfig.Resolve.
package compliancetest

import (
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/beian/beian/internal/compliance"
)

// Sites is one plain HTTP server answering for every host by its Host header.
type Sites struct {
	mu    sync.Mutex
	pages map[string]string
	held  map[string]chan struct{}
	srv   *httptest.Server
}

// New starts the server until the test ends.
func New(t testing.TB) *Sites {
	s := &Sites{pages: map[string]string{}, held: map[string]chan struct{}{}}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(func() {
		s.mu.Lock()
		for _, ch := range s.held {
			close(ch)
		}
		s.held = map[string]chan struct{}{}
		s.mu.Unlock()
		s.srv.Close()
	})
	return s
}

func (s *Sites) serve(w http.ResponseWriter, r *http.Request) {
	host, _, err := net.SplitHostPort(r.Host)
	if err != nil {
		host = r.Host
	}
	s.mu.Lock()
	gate := s.held[host]
	s.mu.Unlock()
	if gate != nil {
		select {
		case <-gate:
		case <-r.Context().Done():
			return
		}
	}
	s.mu.Lock()
	body, ok := s.pages[host]
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write([]byte(body))
}

// Set makes host serve body as its homepage.
func (s *Sites) Set(host, body string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pages[host] = body
}

// Hold makes requests to host wait until the returned release is called.
func (s *Sites) Hold(host string) (release func()) {
	ch := make(chan struct{})
	s.mu.Lock()
	s.held[host] = ch
	s.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			if s.held[host] == ch {
				delete(s.held, host)
			}
			s.mu.Unlock()
			close(ch)
		})
	}
}

// FetchConfig reaches hosts over HTTP at this server; HTTPS lands on the same plain server and fails, as for a
// site without a certificate, so that the checker falls back to HTTP. A fetch may take a minute, so that a held
// host stays held on a busy test machine until the test releases it.
func (s *Sites) FetchConfig(hosts ...string) compliance.FetchConfig {
	addr := s.srv.Listener.Addr().String()
	cfg := compliance.FetchConfig{AllowPrivate: true, Timeout: time.Minute, Resolve: map[string]string{}}
	for _, h := range hosts {
		cfg.Resolve[h+":80"], cfg.Resolve[h+":443"] = addr, addr
	}
	return cfg
}

// Homepage is a page titled title whose bottom is footer.
func Homepage(title, footer string) string {
	return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>` + title + `</title></head><body><main><h1>欢迎</h1>` +
		`<p>云计算服务。</p></main>` + footer + `</body></html>`
}

// Footer is a correct footer for an ICP number: the number linked to MIIT's filing system.
func Footer(icp string) string {
	return `<footer><p><a href="` + compliance.MIITURL + `" target="_blank">` + icp + `</a></p></footer>`
}
