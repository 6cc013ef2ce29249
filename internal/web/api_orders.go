package web

import (
	"net/http"
	"time"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/provider/store"
)

func (s *Server) checkFilingType(w http.ResponseWriter, r *http.Request, a provider.Actor) {
	var in provider.CheckInput
	if err := decode(r, &in); err != nil {
		writeError(w, r, err)
		return
	}
	res, err := s.svc.CheckFilingType(r.Context(), a, in)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

func (s *Server) listResources(w http.ResponseWriter, r *http.Request, a provider.Actor) {
	list, err := s.svc.Resources(r.Context(), a)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"resources": list})
}

func (s *Server) createOrder(w http.ResponseWriter, r *http.Request, a provider.Actor) {
	var in provider.CreateInput
	if err := decode(r, &in); err != nil {
		writeError(w, r, err)
		return
	}
	o, err := s.svc.CreateOrder(r.Context(), a, in, r.Header.Get("Idempotency-Key"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, o)
}

func (s *Server) listOrders(w http.ResponseWriter, r *http.Request, a provider.Actor) {
	f := store.OrderFilter{Limit: queryInt(r, "limit", 50), Offset: queryInt(r, "offset", 0)}
	if st := r.URL.Query().Get("state"); st != "" {
		f.States = []filing.State{filing.State(st)}
	}
	list, total, err := s.svc.ListOrders(r.Context(), a, f)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"orders": list, "total": total})
}

// withOrderID wraps handlers of /orders/{id}/….
func withOrderID(h func(w http.ResponseWriter, r *http.Request, a provider.Actor, id int64)) func(http.ResponseWriter, *http.Request, provider.Actor) {
	return func(w http.ResponseWriter, r *http.Request, a provider.Actor) {
		id, err := pathID(r)
		if err != nil {
			writeError(w, r, err)
			return
		}
		h(w, r, a, id)
	}
}

// maxWait bounds a long poll (GET /orders/{id}?version=N&wait=30s).
const maxWait = 60 * time.Second

func (s *Server) getOrder(w http.ResponseWriter, r *http.Request, a provider.Actor) {
	withOrderID(func(w http.ResponseWriter, r *http.Request, a provider.Actor, id int64) {
		q := r.URL.Query()
		if q.Get("wait") == "" {
			o, err := s.svc.GetOrder(r.Context(), a, id)
			respond(w, r, http.StatusOK, o, err)
			return
		}
		wait, err := time.ParseDuration(q.Get("wait"))
		if err != nil || wait < 0 || wait > maxWait {
			writeError(w, r, problem.Invalidf("order.bad_wait", "wait"))
			return
		}
		o, err := s.svc.WaitOrder(r.Context(), a, id, queryInt(r, "version", 0), wait)
		respond(w, r, http.StatusOK, o, err)
	})(w, r, a)
}

func (s *Server) updateOrder(w http.ResponseWriter, r *http.Request, a provider.Actor) {
	withOrderID(func(w http.ResponseWriter, r *http.Request, a provider.Actor, id int64) {
		var c provider.Content
		if err := decode(r, &c); err != nil {
			writeError(w, r, err)
			return
		}
		o, err := s.svc.UpdateOrder(r.Context(), a, id, c)
		respond(w, r, http.StatusOK, o, err)
	})(w, r, a)
}

// EvaluationBody is the rules engine's answer for an order (materials needed, violations that block it).
type EvaluationBody struct {
	Materials  []provider.Material `json:"materials"`
	Violations []APIError          `json:"violations"`
	Notices    []APIError          `json:"notices"`
}

func (s *Server) evaluateOrder(w http.ResponseWriter, r *http.Request, a provider.Actor) {
	withOrderID(func(w http.ResponseWriter, r *http.Request, a provider.Actor, id int64) {
		_, rep, err := s.svc.Evaluate(r.Context(), a, id)
		if err != nil {
			writeError(w, r, err)
			return
		}
		materials := make([]provider.Material, len(rep.Materials))
		for i, m := range rep.Materials {
			materials[i] = m.Localized(string(langOf(r)))
		}
		writeJSON(w, http.StatusOK, EvaluationBody{Materials: materials, Violations: translate(r, rep.Violations),
			Notices: translate(r, rep.Notices)})
	})(w, r, a)
}

func (s *Server) submitOrder(w http.ResponseWriter, r *http.Request, a provider.Actor) {
	withOrderID(func(w http.ResponseWriter, r *http.Request, a provider.Actor, id int64) {
		o, err := s.svc.Submit(r.Context(), a, id)
		respond(w, r, http.StatusOK, o, err)
	})(w, r, a)
}

func (s *Server) withdrawOrder(w http.ResponseWriter, r *http.Request, a provider.Actor) {
	withOrderID(func(w http.ResponseWriter, r *http.Request, a provider.Actor, id int64) {
		var in struct {
			Reason string `json:"reason"`
		}
		if r.ContentLength != 0 {
			if err := decode(r, &in); err != nil {
				writeError(w, r, err)
				return
			}
		}
		o, err := s.svc.Withdraw(r.Context(), a, id, in.Reason)
		respond(w, r, http.StatusOK, o, err)
	})(w, r, a)
}

func (s *Server) orderTimeline(w http.ResponseWriter, r *http.Request, a provider.Actor) {
	withOrderID(func(w http.ResponseWriter, r *http.Request, a provider.Actor, id int64) {
		t, err := s.svc.OrderTimeline(r.Context(), a, id)
		respond(w, r, http.StatusOK, t, err)
	})(w, r, a)
}

func (s *Server) inbox(w http.ResponseWriter, r *http.Request, a provider.Actor) {
	list, err := s.svc.Store().Inbox(r.Context(), a.ID, queryInt(r, "limit", 50))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"messages": list})
}

func (s *Server) markRead(w http.ResponseWriter, r *http.Request, a provider.Actor) {
	id, err := pathID(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	ok, err := s.svc.Store().MarkInboxRead(r.Context(), a.ID, id, s.clock.Now())
	if err == nil && !ok {
		err = problem.New(problem.NotFound, "common.not_found", "id")
	}
	respond(w, r, http.StatusOK, map[string]bool{"read": true}, err)
}

func (s *Server) filings(w http.ResponseWriter, r *http.Request, a provider.Actor) {
	list, err := s.svc.Store().FiledSubjects(r.Context(), a.ID)
	if list == nil {
		list = []store.FiledSubject{}
	}
	respond(w, r, http.StatusOK, map[string]any{"subjects": list}, err)
}

func respond(w http.ResponseWriter, r *http.Request, status int, v any, err error) {
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, status, v)
}

// translate renders problems as API errors in the request's language.
func translate(r *http.Request, list []*problem.Error) []APIError {
	out := make([]APIError, 0, len(list))
	lang := langOf(r)
	for _, e := range list {
		if text, ok := e.Text[string(lang)]; ok {
			out = append(out, APIError{Code: e.Code, Field: e.Field, Message: text})
			continue
		}
		params := map[string]string{"field": e.Field}
		for k, v := range e.Params {
			params[k] = v
		}
		out = append(out, APIError{Code: e.Code, Field: e.Field, Message: i18n.T(lang, e.Code, params)})
	}
	return out
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
