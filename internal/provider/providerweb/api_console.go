package providerweb

import (
	"net/http"
	"time"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/provider/store"
	"github.com/beian/beian/internal/web"
)

func (s *Server) queue(w http.ResponseWriter, r *http.Request, a provider.Actor) {
	q := r.URL.Query()
	f := store.OrderFilter{Province: q.Get("province"), Type: filing.OrderType(q.Get("type")),
		Limit: web.QueryInt(r, "limit", 50), Offset: web.QueryInt(r, "offset", 0)}
	if st := q.Get("state"); st != "" {
		f.States = []filing.State{filing.State(st)}
	}
	list, total, err := s.svc.Queue(r.Context(), a, f)
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"orders": list, "total": total})
}

func (s *Server) counts(w http.ResponseWriter, r *http.Request, a provider.Actor) {
	c, err := s.svc.CountByState(r.Context(), a)
	web.Respond(w, r, http.StatusOK, map[string]any{"by_state": c}, err)
}

func (s *Server) decide(w http.ResponseWriter, r *http.Request, a provider.Actor, id int64) {
	var d provider.Decision
	if err := web.Decode(r, &d); err != nil {
		web.WriteError(w, r, err)
		return
	}
	o, err := s.svc.Decide(r.Context(), a, id, d)
	web.Respond(w, r, http.StatusOK, o, err)
}

func (s *Server) reforward(w http.ResponseWriter, r *http.Request, a provider.Actor, id int64) {
	o, err := s.svc.Reforward(r.Context(), a, id)
	web.Respond(w, r, http.StatusOK, o, err)
}

func (s *Server) orderAudit(w http.ResponseWriter, r *http.Request, a provider.Actor, id int64) {
	list, err := s.svc.OrderAudit(r.Context(), a, id)
	web.Respond(w, r, http.StatusOK, map[string]any{"entries": list}, err)
}

type resourceInput struct {
	OwnerID    int64     `json:"owner_id"`
	Name       string    `json:"name"`
	Region     string    `json:"region"`
	IPs        []string  `json:"ips"`
	Billing    string    `json:"billing"`
	StartsAt   time.Time `json:"starts_at"`
	ExpiresAt  time.Time `json:"expires_at"`
	QuotaTotal int       `json:"quota_total"`
}

func (s *Server) createResource(w http.ResponseWriter, r *http.Request, a provider.Actor) {
	var in resourceInput
	if err := web.Decode(r, &in); err != nil {
		web.WriteError(w, r, err)
		return
	}
	res, err := s.svc.CreateResource(r.Context(), a, store.Resource{OwnerID: in.OwnerID, Name: in.Name, Region: in.Region,
		IPs: in.IPs, Billing: in.Billing, StartsAt: in.StartsAt, ExpiresAt: in.ExpiresAt, QuotaTotal: in.QuotaTotal})
	web.Respond(w, r, http.StatusCreated, res, err)
}

func (s *Server) listCodes(w http.ResponseWriter, r *http.Request, a provider.Actor) {
	list, err := s.svc.AuthorizationCodes(r.Context(), a)
	web.Respond(w, r, http.StatusOK, map[string]any{"codes": list}, err)
}

type codeInput struct {
	Domain       string   `json:"domain"`
	IPs          []string `json:"ips"`
	ValidityDays int      `json:"validity_days"`
}

func (s *Server) issueCode(w http.ResponseWriter, r *http.Request, a provider.Actor) {
	var in codeInput
	if err := web.Decode(r, &in); err != nil {
		web.WriteError(w, r, err)
		return
	}
	c, err := s.svc.IssueAuthorizationCode(r.Context(), a, in.Domain, in.IPs, time.Duration(in.ValidityDays)*24*time.Hour)
	web.Respond(w, r, http.StatusCreated, c, err)
}

type staffInput struct {
	provider.Registration
	Role      string   `json:"role"`
	Provinces []string `json:"provinces"`
}

func (s *Server) createStaff(w http.ResponseWriter, r *http.Request, a provider.Actor) {
	var in staffInput
	if err := web.Decode(r, &in); err != nil {
		web.WriteError(w, r, err)
		return
	}
	acc, err := s.svc.CreateStaff(r.Context(), a, in.Registration, in.Role, in.Provinces)
	web.Respond(w, r, http.StatusCreated, acc, err)
}
