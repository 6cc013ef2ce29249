package providerweb

import (
	"net/http"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/web"
)

// The API of what comes after the ICP number (docs/after-filing.md): my filings, orders opened from a filed
// record, confirmations, claims, curtains and channels.

func (s *Server) filedRoutes() {
	const applicant = provider.RoleApplicant
	s.Handle("GET", "/api/v1/filings", s.Authed(s.filings, applicant))
	s.Handle("GET", "/api/v1/filings/{number}", s.Authed(s.filingByNumber, applicant))
	s.Handle("POST", "/api/v1/filings/{number}/orders", s.Authed(s.Idempotent(s.openFromFiled), applicant))
	s.Handle("POST", "/api/v1/claims", s.Authed(s.Idempotent(s.openClaim), applicant))
	s.Handle("POST", "/api/v1/orders/{id}/claim-code", s.Authed(withID(s.sendClaimCode), applicant))
	s.Handle("POST", "/api/v1/orders/{id}/claim-verification", s.Authed(withID(s.verifyClaim), applicant))
	s.Handle("GET", "/api/v1/orders/{id}/consequences", s.Authed(withID(s.consequences)))
	s.Handle("GET", "/api/v1/orders/{id}/curtain-mailings", s.Authed(withID(s.orderMailings)))
	s.Handle("POST", "/api/v1/orders/{id}/curtain-mailings", s.Authed(withID(s.requestCurtain), applicant))
	s.Handle("GET", "/api/v1/channels", s.channelProvinces)
}

// OfferBody is an order type a filed record allows now, or why not.
type OfferBody struct {
	Type    filing.OrderType `json:"type"`
	Allowed bool             `json:"allowed"`
	Reason  *web.APIError    `json:"reason,omitempty"`
}

// FilingBody is one of the applicant's filings with its offers in the request's language.
type FilingBody struct {
	provider.Filing
	Offers   []OfferBody    `json:"offers"`
	Services []FiledService `json:"services"`
}

// FiledService is a filed service with its offers in the request's language.
type FiledService struct {
	provider.FiledEntry
	Offers []OfferBody `json:"offers"`
}

func offersBody(r *http.Request, offers []provider.Offer) []OfferBody {
	out := make([]OfferBody, 0, len(offers))
	for _, o := range offers {
		b := OfferBody{Type: o.Type, Allowed: o.Allowed}
		if o.Refusal != nil {
			e := web.Translate(r, []*problem.Error{o.Refusal})[0]
			b.Reason = &e
		}
		out = append(out, b)
	}
	return out
}

func filingBody(r *http.Request, f provider.Filing) FilingBody {
	b := FilingBody{Filing: f, Offers: offersBody(r, f.Offers), Services: []FiledService{}}
	for _, e := range f.Services {
		b.Services = append(b.Services, FiledService{FiledEntry: e, Offers: offersBody(r, e.Offers)})
	}
	return b
}

func (s *Server) filings(w http.ResponseWriter, r *http.Request, a provider.Actor) {
	list, err := s.svc.MyFilings(r.Context(), a)
	out := make([]FilingBody, 0, len(list))
	for _, f := range list {
		out = append(out, filingBody(r, f))
	}
	web.Respond(w, r, http.StatusOK, map[string]any{"subjects": out}, err)
}

func (s *Server) filingByNumber(w http.ResponseWriter, r *http.Request, a provider.Actor) {
	f, err := s.svc.FilingByNumber(r.Context(), a, r.PathValue("number"))
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, filingBody(r, *f))
}

func (s *Server) openFromFiled(w http.ResponseWriter, r *http.Request, a provider.Actor) {
	var in provider.FiledOrderInput
	if err := web.Decode(r, &in); err != nil {
		web.WriteError(w, r, err)
		return
	}
	in.SubjectNumber = r.PathValue("number")
	o, err := s.svc.OpenFromFiled(r.Context(), a, in, r.Header.Get("Idempotency-Key"))
	web.Respond(w, r, http.StatusCreated, o, err)
}

func (s *Server) openClaim(w http.ResponseWriter, r *http.Request, a provider.Actor) {
	var in provider.ClaimInput
	if err := web.Decode(r, &in); err != nil {
		web.WriteError(w, r, err)
		return
	}
	o, err := s.svc.OpenClaim(r.Context(), a, in, r.Header.Get("Idempotency-Key"))
	web.Respond(w, r, http.StatusCreated, o, err)
}

func (s *Server) sendClaimCode(w http.ResponseWriter, r *http.Request, a provider.Actor, id int64) {
	st, err := s.svc.SendClaimCode(r.Context(), a, id)
	web.Respond(w, r, http.StatusOK, st, err)
}

func (s *Server) verifyClaim(w http.ResponseWriter, r *http.Request, a provider.Actor, id int64) {
	var in struct {
		Code string `json:"code"`
	}
	if err := web.Decode(r, &in); err != nil {
		web.WriteError(w, r, err)
		return
	}
	o, err := s.svc.VerifyClaimCode(r.Context(), a, id, in.Code)
	web.Respond(w, r, http.StatusOK, o, err)
}

// ConfirmationBody says what an irreversible order does, in the request's language, and the phrase that
// confirms it.
type ConfirmationBody struct {
	Irreversible bool           `json:"irreversible"`
	Consequences []web.APIError `json:"consequences"`
	Phrase       string         `json:"phrase,omitempty"`
}

func (s *Server) consequences(w http.ResponseWriter, r *http.Request, a provider.Actor, id int64) {
	c, err := s.svc.Consequences(r.Context(), a, id)
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, ConfirmationBody{Irreversible: c.Irreversible, Phrase: c.Phrase,
		Consequences: web.Translate(r, consequenceProblems(c.Consequences))})
}

func consequenceProblems(cs []provider.Consequence) []*problem.Error {
	out := make([]*problem.Error, 0, len(cs))
	for _, c := range cs {
		out = append(out, &problem.Error{Kind: problem.Invalid, Code: c.Code, Params: c.Params, Text: c.Text})
	}
	return out
}

func (s *Server) orderMailings(w http.ResponseWriter, r *http.Request, a provider.Actor, id int64) {
	list, err := s.svc.Mailings(r.Context(), a, mailingFilter(id, ""))
	web.Respond(w, r, http.StatusOK, map[string]any{"mailings": list}, err)
}

func (s *Server) requestCurtain(w http.ResponseWriter, r *http.Request, a provider.Actor, id int64) {
	var in provider.CurtainRequest
	if err := web.Decode(r, &in); err != nil {
		web.WriteError(w, r, err)
		return
	}
	m, err := s.svc.RequestCurtain(r.Context(), a, id, in)
	web.Respond(w, r, http.StatusCreated, m, err)
}

func (s *Server) channelProvinces(w http.ResponseWriter, r *http.Request) {
	c, err := s.svc.ChannelProvinces(r.Context())
	web.Respond(w, r, http.StatusOK, map[string]any{"channels": c}, err)
}
