package providerweb

// The API of requests for an authorization code: an applicant asks, a reviewer issues or declines.

import (
	"net/http"
	"time"

	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/web"
)

func (s *Server) codeRequestRoutes() {
	const applicant, reviewer, operator = provider.RoleApplicant, provider.RoleReviewer, provider.RoleOperator
	s.Handle("GET", "/api/v1/authorization-code-requests", s.Authed(s.listCodeRequests, applicant))
	s.Handle("POST", "/api/v1/authorization-code-requests", s.Authed(s.requestCode, applicant))
	s.Handle("GET", "/api/v1/console/authorization-code-requests", s.Authed(s.listCodeRequests, reviewer, operator))
	s.Handle("POST", "/api/v1/console/authorization-code-requests/{id}/issue", s.Authed(withID(s.issueRequestedCode), reviewer, operator))
	s.Handle("POST", "/api/v1/console/authorization-code-requests/{id}/decline", s.Authed(withID(s.declineCodeRequest), reviewer, operator))
}

func (s *Server) listCodeRequests(w http.ResponseWriter, r *http.Request, a provider.Actor) {
	list, err := s.svc.CodeRequests(r.Context(), a)
	web.Respond(w, r, http.StatusOK, map[string]any{"requests": list}, err)
}

type codeRequestInput struct {
	Domain string `json:"domain"`
	Reason string `json:"reason"`
}

func (s *Server) requestCode(w http.ResponseWriter, r *http.Request, a provider.Actor) {
	var in codeRequestInput
	if err := web.Decode(r, &in); err != nil {
		web.WriteError(w, r, err)
		return
	}
	req, err := s.svc.RequestAuthorizationCode(r.Context(), a, in.Domain, in.Reason)
	web.Respond(w, r, http.StatusCreated, req, err)
}

type codeRequestIssue struct {
	IPs          []string `json:"ips"`
	ValidityDays int      `json:"validity_days"`
}

func (s *Server) issueRequestedCode(w http.ResponseWriter, r *http.Request, a provider.Actor, id int64) {
	var in codeRequestIssue
	if err := web.Decode(r, &in); err != nil {
		web.WriteError(w, r, err)
		return
	}
	req, err := s.svc.IssueRequestedCode(r.Context(), a, id, in.IPs, time.Duration(in.ValidityDays)*24*time.Hour)
	web.Respond(w, r, http.StatusOK, req, err)
}

func (s *Server) declineCodeRequest(w http.ResponseWriter, r *http.Request, a provider.Actor, id int64) {
	var in struct {
		Reason string `json:"reason"`
	}
	if err := web.Decode(r, &in); err != nil {
		web.WriteError(w, r, err)
		return
	}
	req, err := s.svc.DeclineCodeRequest(r.Context(), a, id, in.Reason)
	web.Respond(w, r, http.StatusOK, req, err)
}
