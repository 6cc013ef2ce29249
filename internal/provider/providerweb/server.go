// Package providerweb is the provider's HTTP side: the applicant's portal and filing wizard, the reviewer's and
// operator's console, the verification pages, the demo tools and the JSON API under /api/v1. It decodes and
// authorises requests and calls the use cases of provider.Service, the one door to the provider's data; it holds
// no business rule and reads no table itself. The shared plumbing (page frame, responses, sessions) is
// internal/web.
package providerweb

import (
	"embed"

	"github.com/beian/beian/internal/clock"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/web"
	"github.com/beian/beian/internal/workday"
)

//go:embed templates/*.html
var templates embed.FS

// Server is the provider's pages and API, mounted on a shared site.
type Server struct {
	*web.Site
	svc   *provider.Service
	clock clock.Clock
	// Adjust is the adjustable clock in demo mode (nil in production).
	Adjust *clock.Adjustable
	// AfterAdvance runs after the demo clock moved (the simulator sweeps its deadlines then).
	AfterAdvance func()
	// Calendar is the working-day calendar in force (it changes when an operator enters a year).
	Calendar func() *workday.Calendar
}

// New registers the provider's pages and API on site.
func New(site *web.Site, svc *provider.Service, clk clock.Clock) *Server {
	s := &Server{Site: site, svc: svc, clock: clk, Calendar: workday.Default}
	site.AddTemplates(templates)
	s.apiRoutes()
	s.pageRoutes()
	return s
}

func (s *Server) apiRoutes() {
	const (
		applicant = provider.RoleApplicant
		reviewer  = provider.RoleReviewer
		operator  = provider.RoleOperator
	)
	s.Handle("POST", "/api/v1/accounts", s.register)
	s.Handle("POST", "/api/v1/session", s.login)
	s.Handle("DELETE", "/api/v1/session", s.logout)
	s.Handle("GET", "/api/v1/me", s.Authed(s.me))
	s.Handle("POST", "/api/v1/tokens", s.Authed(s.createToken))
	s.Handle("GET", "/api/v1/codes/{list}", s.codeList)

	s.Handle("POST", "/api/v1/filing-type-checks", s.Authed(s.checkFilingType, applicant))
	s.Handle("GET", "/api/v1/resources", s.Authed(s.listResources))
	s.Handle("POST", "/api/v1/orders", s.Authed(s.Idempotent(s.createOrder), applicant))
	s.Handle("GET", "/api/v1/orders", s.Authed(s.listOrders))
	s.Handle("GET", "/api/v1/orders/{id}", s.Authed(withID(s.getOrder)))
	s.Handle("PUT", "/api/v1/orders/{id}", s.Authed(withID(s.updateOrder), applicant))
	s.Handle("GET", "/api/v1/orders/{id}/evaluation", s.Authed(withID(s.evaluateOrder)))
	s.Handle("POST", "/api/v1/orders/{id}/submit", s.Authed(s.Idempotent(withID(s.submitOrder)), applicant))
	s.Handle("POST", "/api/v1/orders/{id}/withdraw", s.Authed(s.Idempotent(withID(s.withdrawOrder)), applicant))
	s.Handle("GET", "/api/v1/orders/{id}/timeline", s.Authed(withID(s.orderTimeline)))
	s.Handle("GET", "/api/v1/orders/{id}/police", s.Authed(withID(s.policeFilings), applicant))
	s.Handle("POST", "/api/v1/orders/{id}/police/pushes", s.Authed(s.Idempotent(withID(s.policePushAPI)), applicant))
	s.Handle("GET", "/api/v1/inbox", s.Authed(s.inbox))
	s.Handle("POST", "/api/v1/inbox/{id}/read", s.Authed(withID(s.markRead)))
	s.Handle("POST", "/api/v1/materials", s.Authed(s.uploadMaterial, applicant))
	s.Handle("GET", "/api/v1/materials/{id}", s.Authed(withID(s.getMaterial)))

	s.Handle("GET", "/api/v1/console/queue", s.Authed(s.queue, reviewer, operator))
	s.Handle("GET", "/api/v1/console/counts", s.Authed(s.counts, reviewer, operator))
	s.Handle("POST", "/api/v1/console/orders/{id}/decisions", s.Authed(s.Idempotent(withID(s.decide)), reviewer))
	s.Handle("POST", "/api/v1/console/orders/{id}/reforward", s.Authed(s.Idempotent(withID(s.reforward)), reviewer))
	s.Handle("GET", "/api/v1/console/orders/{id}/audit", s.Authed(withID(s.orderAudit), reviewer, operator))
	s.Handle("POST", "/api/v1/console/resources", s.Authed(s.createResource, reviewer, operator))
	s.Handle("GET", "/api/v1/console/authorization-codes", s.Authed(s.listCodes, reviewer, operator))
	s.Handle("POST", "/api/v1/console/authorization-codes", s.Authed(s.issueCode, reviewer, operator))
	s.Handle("POST", "/api/v1/console/staff", s.Authed(s.createStaff, operator))
	s.Handle("GET", "/api/v1/console/calendar", s.Authed(s.calendarYears, reviewer, operator))
	s.Handle("PUT", "/api/v1/console/calendar/{year}", s.Authed(s.enterCalendarYear, operator))

	s.verificationRoutes()
	s.recognitionRoutes()
	s.filedRoutes()
	s.deskRoutes()
	s.codeRequestRoutes()
	s.complianceRoutes()

	s.Handle("GET", "/api/v1/dev/messages", s.Authed(s.devMessages, operator))
	s.Handle("GET", "/api/v1/dev/clock", s.Authed(s.getClock, operator))
	s.Handle("POST", "/api/v1/dev/clock", s.Authed(s.advanceClock, operator))
}

// pageRoutes registers the HTML pages (kept out of the API table the OpenAPI test compares).
func (s *Server) pageRoutes() {
	s.HandlePage("GET", "/{$}", s.Page(s.homePage))
	s.HandlePage("GET", "/login", s.Page(s.loginPage))
	s.HandlePage("POST", "/login", s.FormPost(s.loginSubmit))
	s.HandlePage("GET", "/register", s.Page(s.registerPage))
	s.HandlePage("POST", "/register", s.FormPost(s.registerSubmit))
	s.HandlePage("POST", "/logout", s.Page(s.logoutSubmit))

	const applicant = provider.RoleApplicant
	s.HandlePage("GET", "/orders", s.Page(s.ordersPage, applicant))
	s.HandlePage("GET", "/inbox", s.Page(s.inboxPage, applicant))
	s.HandlePage("POST", "/inbox/{id}/read", s.Page(s.inboxRead, applicant))
	s.HandlePage("GET", "/filings/new", s.Page(s.checkPage, applicant))
	s.HandlePage("POST", "/filings/new", s.FormPost(s.checkSubmit, applicant))
	s.HandlePage("GET", "/orders/{id}", s.Page(s.applicantOrder(s.progressPage), applicant))
	s.HandlePage("GET", "/orders/{id}/{step}", s.Page(s.stepPage, applicant))
	s.HandlePage("POST", "/orders/{id}/{step}", s.FormPost(s.stepSubmit, applicant))
	s.HandlePage("GET", "/orders/{id}/withdraw", s.Page(s.applicantOrder(s.withdrawPage), applicant))
	s.HandlePage("POST", "/orders/{id}/withdraw", s.FormPost(s.applicantOrder(s.withdrawSubmit), applicant))
	s.HandlePage("POST", "/orders/{id}/police", s.Page(s.applicantOrder(s.policePush), applicant))

	const reviewer, operator = provider.RoleReviewer, provider.RoleOperator
	s.HandlePage("GET", "/console", s.Page(s.queuePage, reviewer, operator))
	s.HandlePage("GET", "/console/orders/{id}", s.Page(s.consoleOrderPage, reviewer, operator))
	s.HandlePage("POST", "/console/orders/{id}", s.FormPost(s.consoleDecide, reviewer))
	s.HandlePage("GET", "/console/resources", s.Page(s.resourcesPage, reviewer, operator))
	s.HandlePage("POST", "/console/resources", s.FormPost(s.resourceCreate, reviewer, operator))
	s.HandlePage("GET", "/console/codes", s.Page(s.codesPage, reviewer, operator))
	s.HandlePage("POST", "/console/codes", s.FormPost(s.codeIssue, reviewer, operator))
	s.HandlePage("GET", "/console/calendar", s.Page(s.calendarPage, reviewer, operator))
	s.HandlePage("POST", "/console/calendar", s.FormPost(s.calendarEnter, operator))

	s.HandlePage("GET", "/demo", s.Page(s.demoPage, operator))
	s.HandlePage("POST", "/demo/clock", s.Page(s.demoClock, operator))

	s.verifyPageRoutes()
	s.documentPageRoutes()
	s.deskPageRoutes()
	s.codeRequestPageRoutes()
	s.compliancePageRoutes()
}
