package miitweb

import (
	"net/http"

	"github.com/beian/beian/internal/access"
	"github.com/beian/beian/internal/miit"
	"github.com/beian/beian/internal/web"
)

type smsInput struct {
	Phone   string `json:"phone"`
	Code    string `json:"code"`
	IDLast6 string `json:"id_last6"`
	// CaptchaID and Captcha answer a challenge from POST /miit/api/v1/captchas (each serves one attempt).
	CaptchaID string `json:"captcha_id"`
	Captcha   string `json:"captcha"`
}

func (s *Server) verifySMS(w http.ResponseWriter, r *http.Request) {
	var in smsInput
	if err := web.Decode(r, &in); err != nil {
		web.WriteError(w, r, err)
		return
	}
	if err := s.human.check(r, in.CaptchaID, in.Captcha); err != nil {
		web.WriteError(w, r, err)
		return
	}
	out, err := s.miit.VerifySMS(r.Context(), in.Phone, in.Code, in.IDLast6)
	web.Respond(w, r, http.StatusOK, out, err)
}

func (s *Server) reviews(w http.ResponseWriter, r *http.Request, a access.Actor) {
	list, total, err := s.miit.Reviews(r.Context(), miit.ReviewFilter{Provinces: a.Provinces, State: r.URL.Query().Get("state"),
		ProviderOrderID: int64(web.QueryInt(r, "provider_order_id", 0)), Limit: web.QueryInt(r, "limit", 50), Offset: web.QueryInt(r, "offset", 0)})
	web.Respond(w, r, http.StatusOK, map[string]any{"reviews": web.NonNil(list), "total": total}, err)
}

func (s *Server) review(w http.ResponseWriter, r *http.Request, a access.Actor) {
	id, err := web.PathID(r)
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	rv, err := s.miit.Review(r.Context(), id, a.Provinces)
	web.Respond(w, r, http.StatusOK, rv, err)
}

type decisionInput struct {
	Approve bool   `json:"approve"`
	Reason  string `json:"reason"`
}

func (s *Server) reviewDecision(w http.ResponseWriter, r *http.Request, a access.Actor) {
	id, err := web.PathID(r)
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	var in decisionInput
	if err := web.Decode(r, &in); err != nil {
		web.WriteError(w, r, err)
		return
	}
	if err := s.miit.Decide(r.Context(), a.ID, a.Provinces, id, in.Approve, in.Reason); err != nil {
		web.WriteError(w, r, err)
		return
	}
	rv, err := s.miit.Review(r.Context(), id, a.Provinces)
	web.Respond(w, r, http.StatusOK, rv, err)
}
