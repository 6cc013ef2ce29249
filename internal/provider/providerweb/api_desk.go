package providerweb

import (
	"net/http"

	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/provider/store"
	"github.com/beian/beian/internal/web"
)

// The review desk's API (docs/after-filing.md): the reviewer's diffs, calls, curtain mailings, claim
// authorization and the provinces each channel takes.

func (s *Server) deskRoutes() {
	const reviewer, operator = provider.RoleReviewer, provider.RoleOperator
	s.Handle("GET", "/api/v1/console/orders/{id}/review", s.Authed(withID(s.reviewView), reviewer, operator))
	s.Handle("GET", "/api/v1/console/orders/{id}/calls", s.Authed(withID(s.listCalls), reviewer, operator))
	s.Handle("POST", "/api/v1/console/orders/{id}/calls", s.Authed(s.Idempotent(withID(s.logCall)), reviewer))
	s.Handle("POST", "/api/v1/console/orders/{id}/claim-authorization", s.Authed(s.Idempotent(withID(s.authorizeClaim)), reviewer))
	s.Handle("GET", "/api/v1/console/curtain-mailings", s.Authed(s.deskMailings, reviewer, operator))
	s.Handle("POST", "/api/v1/console/curtain-mailings/{id}/dispatch", s.Authed(s.Idempotent(withID(s.dispatchCurtain)), reviewer))
	s.Handle("PUT", "/api/v1/console/channels/{channel}", s.Authed(s.setChannel, reviewer, operator))
}

func (s *Server) reviewView(w http.ResponseWriter, r *http.Request, a provider.Actor, id int64) {
	v, err := s.svc.Review(r.Context(), a, id)
	web.Respond(w, r, http.StatusOK, v, err)
}

func (s *Server) listCalls(w http.ResponseWriter, r *http.Request, a provider.Actor, id int64) {
	list, err := s.svc.Calls(r.Context(), a, id)
	web.Respond(w, r, http.StatusOK, map[string]any{"calls": list}, err)
}

func (s *Server) logCall(w http.ResponseWriter, r *http.Request, a provider.Actor, id int64) {
	var in provider.CallInput
	if err := web.Decode(r, &in); err != nil {
		web.WriteError(w, r, err)
		return
	}
	c, err := s.svc.LogCall(r.Context(), a, id, in)
	web.Respond(w, r, http.StatusCreated, c, err)
}

func (s *Server) authorizeClaim(w http.ResponseWriter, r *http.Request, a provider.Actor, id int64) {
	var in struct {
		Reason string `json:"reason"`
	}
	if err := web.Decode(r, &in); err != nil {
		web.WriteError(w, r, err)
		return
	}
	o, err := s.svc.AuthorizeClaim(r.Context(), a, id, in.Reason)
	web.Respond(w, r, http.StatusOK, o, err)
}

func mailingFilter(orderID int64, state string) store.MailingFilter {
	return store.MailingFilter{OrderID: orderID, State: state}
}

func (s *Server) deskMailings(w http.ResponseWriter, r *http.Request, a provider.Actor) {
	list, err := s.svc.Mailings(r.Context(), a, mailingFilter(int64(web.QueryInt(r, "order_id", 0)), r.URL.Query().Get("state")))
	web.Respond(w, r, http.StatusOK, map[string]any{"mailings": list}, err)
}

func (s *Server) dispatchCurtain(w http.ResponseWriter, r *http.Request, a provider.Actor, id int64) {
	var in provider.CurtainDispatch
	if err := web.Decode(r, &in); err != nil {
		web.WriteError(w, r, err)
		return
	}
	m, err := s.svc.DispatchCurtain(r.Context(), a, id, in)
	web.Respond(w, r, http.StatusOK, m, err)
}

func (s *Server) setChannel(w http.ResponseWriter, r *http.Request, a provider.Actor) {
	var in struct {
		Provinces []string `json:"provinces"`
	}
	if err := web.Decode(r, &in); err != nil {
		web.WriteError(w, r, err)
		return
	}
	ch := r.PathValue("channel")
	if err := s.svc.SetChannelProvinces(r.Context(), a, ch, in.Provinces); err != nil {
		web.WriteError(w, r, err)
		return
	}
	all, err := s.svc.ChannelProvinces(r.Context())
	web.Respond(w, r, http.StatusOK, map[string]any{"channel": ch, "provinces": all[ch]}, err)
}
