// Package miitweb is the MIIT simulator's HTTP side: the public SMS verification page of beian.miit.gov.cn,
// the administration officer's queue and decision pages, the public filing query, the simulated Shanghai
// administration app, and their JSON API (under /miit/api/v1, and the public query at /api/v1/query). The
// provider never calls these; it reaches the simulator only through the regulator interface. The shared
// plumbing (page frame, responses, sessions) is internal/web.
package miitweb

import (
	"embed"

	"github.com/beian/beian/internal/access"
	"github.com/beian/beian/internal/clock"
	"github.com/beian/beian/internal/miit"
	"github.com/beian/beian/internal/ratelimit"
	"github.com/beian/beian/internal/web"
)

//go:embed templates/*.html
var templates embed.FS

// Server is the simulator's pages and API, mounted on a shared site.
type Server struct {
	*web.Site
	miit  *miit.Simulator
	clock clock.Clock
	human humanCheck
	// QueryLimit limits the public query (page and API) per client; nil: no limit.
	QueryLimit *ratelimit.Limiter
}

// New registers the simulator's pages and API on site; clk tells the officer's queue which deadlines are past.
func New(site *web.Site, sim *miit.Simulator, clk clock.Clock) *Server {
	s := &Server{Site: site, miit: sim, clock: clk, human: newHumanCheck()}
	site.AddTemplates(templates)
	s.apiRoutes()
	s.pageRoutes()
	return s
}

func (s *Server) apiRoutes() {
	const officer = access.RoleOfficer
	s.Handle("POST", "/miit/api/v1/captchas", s.createCaptcha)
	s.Handle("GET", "/miit/api/v1/dev/captchas/{id}", s.Authed(s.captchaAnswer, access.RoleOperator))
	s.Handle("POST", "/miit/api/v1/sms-verifications", s.verifySMS)
	s.Handle("GET", "/miit/api/v1/reviews", s.Authed(s.reviews, officer))
	s.Handle("GET", "/miit/api/v1/reviews/{id}", s.Authed(s.review, officer))
	s.Handle("POST", "/miit/api/v1/reviews/{id}/decision", s.Authed(s.Idempotent(s.reviewDecision), officer))
	s.Handle("POST", "/miit/api/v1/app-verifications", s.appVerification)
	s.Handle("GET", "/api/v1/query", s.query)
}

func (s *Server) pageRoutes() {
	const officer = access.RoleOfficer
	s.HandlePage("GET", "/miit/verify", s.Page(s.verifyPage))
	s.HandlePage("POST", "/miit/verify", s.FormPost(s.verifySubmit))
	s.HandlePage("GET", "/miit/console", s.Page(s.officerQueuePage, officer))
	s.HandlePage("GET", "/miit/console/reviews/{id}", s.Page(s.officerReviewPage, officer))
	s.HandlePage("POST", "/miit/console/reviews/{id}", s.FormPost(s.officerDecide, officer))
	s.HandlePage("GET", "/miit/console/reviews/{id}/attachments/{n}", s.Page(s.officerAttachment, officer))
	s.HandlePage("GET", "/miit/app", s.Page(s.appPage))
	s.HandlePage("POST", "/miit/app", s.Page(s.appSubmit))
	s.HandlePage("GET", "/query", s.Page(s.queryPage))
}
