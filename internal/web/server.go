// Package web is the HTTP plumbing the bounded contexts share: the site every context mounts its pages and API
// on (route table, OpenAPI document, health check, cross-origin protection), the middleware (request id,
// language, access log), authentication of a request through Sessions, idempotent POSTs, JSON responses and
// problem errors, and the page frame: the layout and partial templates (the frame itself shared with the police
// platform's pages, which render on their own), the form fields and where errors land, template functions, the
// static assets and the language switch. It knows no context: the provider's portal,
// console and API live in internal/provider/providerweb, the MIIT simulator's pages and API in
// internal/miit/miitweb, and internal/app mounts them together (docs/architecture.md).
package web

import (
	"context"
	"io/fs"
	"net/http"
	"sync"
	"time"

	"github.com/beian/beian/internal/access"
)

// Sessions tells who a session token belongs to; the provider's account service answers it today.
type Sessions interface {
	Authenticate(ctx context.Context, token string) (access.Actor, *User, error)
	// Unread counts the actor's unread inbox messages, for the badge in the page header.
	Unread(ctx context.Context, a access.Actor) int
}

// User is what the page frame shows of the signed-in account.
type User struct {
	ID          int64
	Name, Email string
}

// Site is the HTTP server of one process: the contexts register their routes on it, then Handler serves them.
type Site struct {
	sessions Sessions
	idem     Idempotency
	// Demo enables the demo tools (the pages show their entry points).
	Demo      bool
	AccessLog bool
	// Proxy says which reverse proxies are believed about the scheme and the client's address.
	Proxy Proxy
	// Observe, when set, is told of every answered request with the route pattern that matched (metrics).
	Observe func(r *http.Request, status int, d time.Duration)

	routes []route // the JSON API, compared with the OpenAPI document by a test
	pages  []route // the HTML pages and their files, not in the API table
	sets   []fs.FS // page templates of each context

	tmplOnce sync.Once
	tmpls    templateSet
	tmplErr  error
}

// route is one registered endpoint.
type route struct {
	method, path string
	h            http.HandlerFunc
}

// NewSite returns a site whose requests are authenticated by sessions and whose idempotent POSTs are kept in
// idem.
func NewSite(sessions Sessions, idem Idempotency) *Site {
	return &Site{sessions: sessions, idem: idem}
}

// Handle registers a JSON API endpoint (listed in the OpenAPI document).
func (s *Site) Handle(method, path string, h http.HandlerFunc) {
	s.routes = append(s.routes, route{method, path, h})
}

// HandlePage registers an HTML page or a file a page shows (not part of the JSON API).
func (s *Site) HandlePage(method, path string, h http.HandlerFunc) {
	s.pages = append(s.pages, route{method, path, h})
}

// AddTemplates adds a context's page templates: fsys holds templates/NAME.html, each defining "title" and
// "content", rendered in the shared layout by Render(…, NAME).
func (s *Site) AddTemplates(fsys fs.FS) {
	sub, err := fs.Sub(fsys, "templates")
	if err != nil {
		panic(err) // a build without its embedded templates
	}
	s.sets = append(s.sets, sub)
}

// Handler returns the whole HTTP handler, with cross-origin protection for state-changing requests.
func (s *Site) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range s.routes {
		mux.HandleFunc(rt.method+" "+rt.path, rt.h)
	}
	mux.HandleFunc("GET /api/openapi.json", serveOpenAPI)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { WriteJSON(w, 200, map[string]string{"status": "ok"}) })
	mux.HandleFunc("GET /static/{hash}/{name}", serveStatic)
	mux.HandleFunc("GET /lang", s.switchLang)
	for _, rt := range s.pages {
		mux.HandleFunc(rt.method+" "+rt.path, rt.h)
	}
	mux.HandleFunc("GET /", s.notFound)
	cop := http.NewCrossOriginProtection()
	return s.base(cop.Handler(mux))
}

// Routes lists "METHOD PATH" of every API route (for the OpenAPI test).
func (s *Site) Routes() []string {
	out := make([]string, 0, len(s.routes))
	for _, rt := range s.routes {
		out = append(out, rt.method+" "+rt.path)
	}
	return out
}
