package web

import (
	"net/http"

	"github.com/beian/beian/internal/miit"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider"
)

// miitRoutes are the MIIT simulator's own endpoints: the public SMS verification page's action
// (beian.miit.gov.cn, F§2.5) and the administration officer's console. The provider side never calls them; it
// reaches the simulator only through the regulator interface.
func (s *Server) miitRoutes() {
	s.handle("POST", "/miit/api/v1/sms-verifications", s.verifySMS)
	s.handle("GET", "/miit/api/v1/reviews", s.authed(s.reviews, provider.RoleOfficer))
	s.handle("GET", "/miit/api/v1/reviews/{id}", s.authed(s.review, provider.RoleOfficer))
	s.handle("POST", "/miit/api/v1/reviews/{id}/decision", s.authed(s.idempotent(s.reviewDecision), provider.RoleOfficer))
}

type smsInput struct {
	Phone   string `json:"phone"`
	Code    string `json:"code"`
	IDLast6 string `json:"id_last6"`
}

func (s *Server) verifySMS(w http.ResponseWriter, r *http.Request) {
	var in smsInput
	if err := decode(r, &in); err != nil {
		writeError(w, r, err)
		return
	}
	out, err := s.miit.VerifySMS(r.Context(), in.Phone, in.Code, in.IDLast6)
	respond(w, r, http.StatusOK, out, err)
}

func (s *Server) reviews(w http.ResponseWriter, r *http.Request, a provider.Actor) {
	list, total, err := s.miit.Reviews(r.Context(), miit.ReviewFilter{Provinces: a.Provinces, State: r.URL.Query().Get("state"),
		ProviderOrderID: int64(queryInt(r, "provider_order_id", 0)), Limit: queryInt(r, "limit", 50), Offset: queryInt(r, "offset", 0)})
	respond(w, r, http.StatusOK, map[string]any{"reviews": nonNil(list), "total": total}, err)
}

func (s *Server) review(w http.ResponseWriter, r *http.Request, a provider.Actor) {
	id, err := pathID(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	rv, err := s.miit.Review(r.Context(), id, a.Provinces)
	respond(w, r, http.StatusOK, rv, err)
}

type decisionInput struct {
	Approve bool   `json:"approve"`
	Reason  string `json:"reason"`
}

func (s *Server) reviewDecision(w http.ResponseWriter, r *http.Request, a provider.Actor) {
	id, err := pathID(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var in decisionInput
	if err := decode(r, &in); err != nil {
		writeError(w, r, err)
		return
	}
	if err := s.miit.Decide(r.Context(), a.ID, a.Provinces, id, in.Approve, in.Reason); err != nil {
		writeError(w, r, err)
		return
	}
	rv, err := s.miit.Review(r.Context(), id, a.Provinces)
	respond(w, r, http.StatusOK, rv, err)
}

// query is the public filing query by domain, ICP number or subject name (SPEC §6). It returns no personal data.
func (s *Server) query(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	in := miit.Query{Domain: q.Get("domain"), Number: q.Get("number"), SubjectName: q.Get("subject_name")}
	if in.Domain == "" && in.Number == "" && in.SubjectName == "" {
		writeError(w, r, problem.Invalidf("query.empty", "domain"))
		return
	}
	recs, err := s.miit.Query(r.Context(), in)
	respond(w, r, http.StatusOK, map[string]any{"records": nonNil(recs)}, err)
}
