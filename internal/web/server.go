// Package web is beian's HTTP adapter: the JSON API under /api/v1 (portal, console, demo tools), the MIIT
// simulator's endpoints under /miit, the public query, and the OpenAPI document. It decodes and authorises
// requests, calls the use cases, and renders results and errors; it holds no business rules.
package web

import (
	"net/http"

	"github.com/beian/beian/internal/clock"
	"github.com/beian/beian/internal/miit"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/workday"
)

// Server serves every area of beian from one process.
type Server struct {
	svc   *provider.Service
	miit  *miit.Simulator
	clock clock.Clock
	// Demo enables the demo tools: reading the development outbox, advancing the clock.
	Demo bool
	// Adjust is the adjustable clock in demo mode (nil in production).
	Adjust *clock.Adjustable
	// AfterAdvance runs after the demo clock moved (the simulator sweeps its deadlines then).
	AfterAdvance func()
	AccessLog    bool
	// Calendar is the working-day calendar in force (it changes when an operator enters a year).
	Calendar func() *workday.Calendar
	routes   []route
}

// route is one registered endpoint; the OpenAPI test compares this table with the published document.
type route struct {
	method, path string
	h            http.HandlerFunc
}

// New returns a server over the provider's use cases and the MIIT simulator.
func New(svc *provider.Service, sim *miit.Simulator, clk clock.Clock) *Server {
	return &Server{svc: svc, miit: sim, clock: clk, Calendar: workday.Default}
}

// Handler returns the whole HTTP handler, with cross-origin protection for state-changing requests.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	s.routes = nil
	s.apiRoutes()
	s.miitRoutes()
	for _, rt := range s.routes {
		mux.HandleFunc(rt.method+" "+rt.path, rt.h)
	}
	mux.HandleFunc("GET /api/openapi.json", serveOpenAPI)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, map[string]string{"status": "ok"}) })
	s.pageRoutes(mux)
	cop := http.NewCrossOriginProtection()
	return s.base(cop.Handler(mux))
}

func (s *Server) handle(method, path string, h http.HandlerFunc) {
	s.routes = append(s.routes, route{method, path, h})
}

// Routes lists "METHOD PATH" of every API route (for the OpenAPI test).
func (s *Server) Routes() []string {
	if s.routes == nil {
		s.Handler()
	}
	out := make([]string, 0, len(s.routes))
	for _, rt := range s.routes {
		out = append(out, rt.method+" "+rt.path)
	}
	return out
}

func (s *Server) apiRoutes() {
	const (
		applicant = provider.RoleApplicant
		reviewer  = provider.RoleReviewer
		operator  = provider.RoleOperator
	)
	s.handle("POST", "/api/v1/accounts", s.register)
	s.handle("POST", "/api/v1/session", s.login)
	s.handle("DELETE", "/api/v1/session", s.logout)
	s.handle("GET", "/api/v1/me", s.authed(s.me))
	s.handle("POST", "/api/v1/tokens", s.authed(s.createToken))
	s.handle("GET", "/api/v1/codes/{list}", s.codeList)

	s.handle("POST", "/api/v1/filing-type-checks", s.authed(s.checkFilingType, applicant))
	s.handle("GET", "/api/v1/resources", s.authed(s.listResources))
	s.handle("POST", "/api/v1/orders", s.authed(s.idempotent(s.createOrder), applicant))
	s.handle("GET", "/api/v1/orders", s.authed(s.listOrders))
	s.handle("GET", "/api/v1/orders/{id}", s.authed(s.getOrder))
	s.handle("PUT", "/api/v1/orders/{id}", s.authed(s.updateOrder, applicant))
	s.handle("GET", "/api/v1/orders/{id}/evaluation", s.authed(s.evaluateOrder))
	s.handle("POST", "/api/v1/orders/{id}/submit", s.authed(s.idempotent(s.submitOrder), applicant))
	s.handle("POST", "/api/v1/orders/{id}/withdraw", s.authed(s.idempotent(s.withdrawOrder), applicant))
	s.handle("GET", "/api/v1/orders/{id}/timeline", s.authed(s.orderTimeline))
	s.handle("GET", "/api/v1/inbox", s.authed(s.inbox))
	s.handle("POST", "/api/v1/inbox/{id}/read", s.authed(s.markRead))
	s.handle("GET", "/api/v1/filings", s.authed(s.filings, applicant))
	s.handle("POST", "/api/v1/materials", s.authed(s.uploadMaterial, applicant))
	s.handle("GET", "/api/v1/materials/{id}", s.authed(s.getMaterial))

	s.handle("GET", "/api/v1/console/queue", s.authed(s.queue, reviewer, operator))
	s.handle("GET", "/api/v1/console/counts", s.authed(s.counts, reviewer, operator))
	s.handle("POST", "/api/v1/console/orders/{id}/decisions", s.authed(s.idempotent(s.decide), reviewer))
	s.handle("POST", "/api/v1/console/orders/{id}/reforward", s.authed(s.idempotent(s.reforward), reviewer))
	s.handle("GET", "/api/v1/console/orders/{id}/audit", s.authed(s.orderAudit, reviewer, operator))
	s.handle("POST", "/api/v1/console/resources", s.authed(s.createResource, reviewer, operator))
	s.handle("GET", "/api/v1/console/authorization-codes", s.authed(s.listCodes, reviewer, operator))
	s.handle("POST", "/api/v1/console/authorization-codes", s.authed(s.issueCode, reviewer, operator))
	s.handle("POST", "/api/v1/console/staff", s.authed(s.createStaff, operator))
	s.handle("GET", "/api/v1/console/calendar", s.authed(s.calendarYears, reviewer, operator))
	s.handle("PUT", "/api/v1/console/calendar/{year}", s.authed(s.enterCalendarYear, operator))

	s.verificationRoutes()
	s.recognitionRoutes()

	s.handle("GET", "/api/v1/query", s.query)
	s.handle("GET", "/api/v1/dev/messages", s.authed(s.devMessages, operator))
	s.handle("GET", "/api/v1/dev/clock", s.authed(s.getClock, operator))
	s.handle("POST", "/api/v1/dev/clock", s.authed(s.advanceClock, operator))
}
