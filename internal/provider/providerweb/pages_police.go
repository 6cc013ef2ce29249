package providerweb

import (
	"net/http"
	"strconv"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/web"
)

// The police filing on the applicant's progress page (docs/police.md): the 30-day deadline, the consent to push
// the ICP data with the data code it returns, the state read through the police interface and, once numbered,
// the footer with both numbers. The API under /api/v1/orders/{id}/police does the same for integrators.

// PlatformURL is where the applicant files with the police (the simulator's pages in this build).
const PlatformURL = "/mps"

type policeView struct {
	OrderID      int64
	Index        int
	Name, Domain string
	ICPNumber    string
	Due          string
	Reminded     bool
	State        string // police.State
	StateLabel   string
	Overdue      string
	Consented    string
	DataCode     string
	CodeExpires  string
	Number       string
	Footer       string
	PlatformURL  string
}

func policeViews(v *web.View, orderID int64, ws []provider.PoliceWebsite) []policeView {
	out := make([]policeView, 0, len(ws))
	for _, w := range ws {
		pv := policeView{OrderID: orderID, Index: w.ServiceIndex, Name: w.Name, Domain: w.Domain, ICPNumber: w.ICPNumber,
			Due: web.FormatTime(w.DueBy), Reminded: w.Reminded, State: string(w.Status.State),
			StateLabel: v.T("web.police.state." + string(w.Status.State)), Number: w.Status.PoliceNumber,
			Footer: w.FooterHTML, PlatformURL: PlatformURL}
		if w.Status.Overdue {
			pv.Overdue = v.Tf("web.police.overdue", "due", web.FormatTime(w.Status.DueBy))
		}
		if w.ConsentAt != nil {
			pv.Consented = v.Tf("web.police.consented", "at", web.FormatTime(*w.ConsentAt))
		}
		if w.DataCode != nil {
			pv.DataCode = w.DataCode.Code
			pv.CodeExpires = v.Tf("web.police.data_code_expires", "at", web.FormatTime(w.DataCode.ExpiresAt))
		}
		out = append(out, pv)
	}
	return out
}

// policeSection fills the progress page's police part for an approved order that keeps its websites filed; a platform that does not answer
// leaves a note instead of failing the page.
func (s *Server) policeSection(v *web.View, d *progressData) {
	if d.Order.State != filing.Approved || !d.Order.Type.FilesWebsites() { // a cancelled or withdrawn site files nothing
		return
	}
	ws, err := s.svc.PoliceFilings(v.Ctx(), v.Actor, d.Order.ID)
	if err != nil {
		d.PoliceNote = v.T("web.police.unavailable")
		return
	}
	d.Police = policeViews(v, d.Order.ID, ws)
}

// policePush is the consent form's POST: push, then back to the progress page with the data code.
func (s *Server) policePush(w http.ResponseWriter, r *http.Request, v *web.View, tl *provider.Timeline) {
	index, _ := strconv.Atoi(r.PostFormValue("service_index"))
	_, err := s.svc.PushToPolice(v.Ctx(), v.Actor, tl.Order.ID, index, r.PostFormValue("consent") == "yes")
	if err != nil {
		v.Errors = s.PageErrors(r, err)
		for i := range v.Errors {
			v.Errors[i].Target = "#police-consent-" + strconv.Itoa(index)
		}
		s.showProgress(w, r, v, tl, nil, web.StatusFor(err))
		return
	}
	web.Redirect(w, r, "/orders/"+strconv.FormatInt(tl.Order.ID, 10)+"#police", "police_pushed")
}

// ---- API --------------------------------------------------------------------------------------------------

func (s *Server) policeFilings(w http.ResponseWriter, r *http.Request, a provider.Actor, id int64) {
	ws, err := s.svc.PoliceFilings(r.Context(), a, id)
	web.Respond(w, r, http.StatusOK, map[string]any{"websites": ws, "platform_url": PlatformURL}, err)
}

func (s *Server) policePushAPI(w http.ResponseWriter, r *http.Request, a provider.Actor, id int64) {
	var in struct {
		ServiceIndex int  `json:"service_index"`
		Consent      bool `json:"consent"`
	}
	if err := web.Decode(r, &in); err != nil {
		web.WriteError(w, r, err)
		return
	}
	ws, err := s.svc.PushToPolice(r.Context(), a, id, in.ServiceIndex, in.Consent)
	web.Respond(w, r, http.StatusOK, ws, err)
}
