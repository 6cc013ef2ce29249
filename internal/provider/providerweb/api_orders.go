package providerweb

import (
	"net/http"
	"time"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/provider/store"
	"github.com/beian/beian/internal/web"
)

func (s *Server) checkFilingType(w http.ResponseWriter, r *http.Request, a provider.Actor) {
	var in provider.CheckInput
	if err := web.Decode(r, &in); err != nil {
		web.WriteError(w, r, err)
		return
	}
	res, err := s.svc.CheckFilingType(r.Context(), a, in)
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, res)
}

func (s *Server) listResources(w http.ResponseWriter, r *http.Request, a provider.Actor) {
	list, err := s.svc.Resources(r.Context(), a)
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"resources": list})
}

func (s *Server) createOrder(w http.ResponseWriter, r *http.Request, a provider.Actor) {
	var in provider.CreateInput
	if err := web.Decode(r, &in); err != nil {
		web.WriteError(w, r, err)
		return
	}
	o, err := s.svc.CreateOrder(r.Context(), a, in, r.Header.Get("Idempotency-Key"))
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusCreated, o)
}

func (s *Server) listOrders(w http.ResponseWriter, r *http.Request, a provider.Actor) {
	f := store.OrderFilter{Limit: web.QueryInt(r, "limit", 50), Offset: web.QueryInt(r, "offset", 0)}
	if st := r.URL.Query().Get("state"); st != "" {
		f.States = []filing.State{filing.State(st)}
	}
	list, total, err := s.svc.ListOrders(r.Context(), a, f)
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"orders": list, "total": total})
}

// idHandler is an API endpoint of one thing named by the path's {id} (an order, a material, a message, …).
type idHandler func(w http.ResponseWriter, r *http.Request, a provider.Actor, id int64)

// withID adapts such an endpoint for the route table: it reads {id} (not found when it is no id).
func withID(h idHandler) web.ActorHandler {
	return func(w http.ResponseWriter, r *http.Request, a provider.Actor) {
		id, err := web.PathID(r)
		if err != nil {
			web.WriteError(w, r, err)
			return
		}
		h(w, r, a, id)
	}
}

// maxWait bounds a long poll (GET /orders/{id}?version=N&wait=30s).
const maxWait = 60 * time.Second

func (s *Server) getOrder(w http.ResponseWriter, r *http.Request, a provider.Actor, id int64) {
	wait, ok, err := longPollWait(r)
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	if !ok {
		o, err := s.svc.GetOrder(r.Context(), a, id)
		web.Respond(w, r, http.StatusOK, o, err)
		return
	}
	o, err := s.svc.WaitOrder(r.Context(), a, id, web.QueryInt(r, "version", 0), wait)
	web.Respond(w, r, http.StatusOK, o, err)
}

// longPollWait reads ?wait= of a long poll: ok is false without one; a wait that is not a duration up to
// maxWait is order.bad_wait.
func longPollWait(r *http.Request) (time.Duration, bool, error) {
	q := r.URL.Query().Get("wait")
	if q == "" {
		return 0, false, nil
	}
	wait, err := time.ParseDuration(q)
	if err != nil || wait < 0 || wait > maxWait {
		return 0, false, problem.Invalidf("order.bad_wait", "wait")
	}
	return wait, true, nil
}

func (s *Server) updateOrder(w http.ResponseWriter, r *http.Request, a provider.Actor, id int64) {
	var c provider.Content
	if err := web.Decode(r, &c); err != nil {
		web.WriteError(w, r, err)
		return
	}
	o, err := s.svc.UpdateOrder(r.Context(), a, id, c)
	web.Respond(w, r, http.StatusOK, o, err)
}

// EvaluationBody is the rules engine's answer for an order (materials needed, violations that block it).
type EvaluationBody struct {
	Materials  []provider.Material `json:"materials"`
	Violations []web.APIError      `json:"violations"`
	Notices    []web.APIError      `json:"notices"`
}

func (s *Server) evaluateOrder(w http.ResponseWriter, r *http.Request, a provider.Actor, id int64) {
	_, rep, err := s.svc.Evaluate(r.Context(), a, id)
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	materials := make([]provider.Material, len(rep.Materials))
	for i, m := range rep.Materials {
		materials[i] = m.Localized(string(web.LangOf(r)))
	}
	web.WriteJSON(w, http.StatusOK, EvaluationBody{Materials: materials, Violations: web.Translate(r, rep.Violations),
		Notices: web.Translate(r, rep.Notices)})
}

func (s *Server) submitOrder(w http.ResponseWriter, r *http.Request, a provider.Actor, id int64) {
	var in struct {
		// Confirm echoes the confirmation phrase of an irreversible order (GET …/consequences).
		Confirm string `json:"confirm"`
	}
	if r.ContentLength != 0 {
		if err := web.Decode(r, &in); err != nil {
			web.WriteError(w, r, err)
			return
		}
	}
	o, err := s.svc.SubmitConfirmed(r.Context(), a, id, in.Confirm)
	web.Respond(w, r, http.StatusOK, o, err)
}

func (s *Server) withdrawOrder(w http.ResponseWriter, r *http.Request, a provider.Actor, id int64) {
	var in struct {
		Reason string `json:"reason"`
	}
	if r.ContentLength != 0 {
		if err := web.Decode(r, &in); err != nil {
			web.WriteError(w, r, err)
			return
		}
	}
	o, err := s.svc.Withdraw(r.Context(), a, id, in.Reason)
	web.Respond(w, r, http.StatusOK, o, err)
}

func (s *Server) orderTimeline(w http.ResponseWriter, r *http.Request, a provider.Actor, id int64) {
	t, err := s.svc.OrderTimeline(r.Context(), a, id)
	web.Respond(w, r, http.StatusOK, t, err)
}

func (s *Server) inbox(w http.ResponseWriter, r *http.Request, a provider.Actor) {
	list, err := s.svc.Inbox(r.Context(), a, web.QueryInt(r, "limit", 50))
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, map[string]any{"messages": list})
}

func (s *Server) markRead(w http.ResponseWriter, r *http.Request, a provider.Actor, id int64) {
	err := s.svc.MarkInboxRead(r.Context(), a, id)
	web.Respond(w, r, http.StatusOK, map[string]bool{"read": true}, err)
}
