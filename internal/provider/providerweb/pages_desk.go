package providerweb

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/provider/store"
	"github.com/beian/beian/internal/web"
	"github.com/beian/beian/internal/web/filingview"
)

// The review desk's pages (docs/after-filing.md): the comparisons, calls and mailings on the order page, the
// list of curtains to send, and the provinces each channel takes.

// deskView is the order page's desk section.
type deskView struct {
	Changes   []changeRow
	SinceLast []changeRow
	Resub     bool
	Filed     bool
	Claimed   []filingview.KV
	Calls     []callRow
	CallForm  *web.Form
	Mailings  []store.Mailing
	Authorize bool
	// AuthorizeReason is what a refused authorization carried, shown again.
	AuthorizeReason string
}

type callRow struct {
	At, Person, Phone, Outcome, Note string
}

func (s *Server) deskOf(v *web.View, o *filing.Order) (*deskView, error) {
	rv, err := s.svc.Review(v.Ctx(), v.Actor, o.ID)
	if err != nil {
		return nil, err
	}
	d := &deskView{Changes: changeRows(v, o, rv.Changes), SinceLast: changeRows(v, o, rv.SinceLast), Resub: rv.Resubmitted,
		Filed: o.Filed != nil, Mailings: rv.Mailings}
	for _, c := range rv.Calls {
		d.Calls = append(d.Calls, callRow{At: web.FormatTime(c.At), Person: personLabel(v, o, c.Person), Phone: c.Phone,
			Outcome: v.T("web.call.outcome." + c.Outcome), Note: c.Note})
	}
	if rv.Claimed != nil {
		subj := rv.Claimed.Subject
		d.Claimed = []filingview.KV{{Label: v.T("web.col.subject"), Value: subj.Name},
			{Label: v.T("web.field.subject.credential_number"), Value: subj.CredentialNumber},
			{Label: v.T("web.group.subject_principal"), Value: subj.Principal.Name + " · " + subj.Principal.Mobile}}
		for _, fs := range rv.Claimed.Services {
			d.Claimed = append(d.Claimed, filingview.KV{Label: fs.Service.Number, Value: fs.Service.Name + " · " + strings.Join(fs.Service.Domains, ", ")})
		}
	}
	if v.Actor.Role == provider.RoleReviewer {
		d.CallForm = s.callForm(v, o, provider.CallInput{})
		d.Authorize = slices.Contains(filing.ActionsFor(o.Type, o.State, filing.RoleReviewer), filing.ActAuthorizeClaim)
	}
	return d, nil
}

// personLabel names a person of the order as the call log shows them.
func personLabel(v *web.View, o *filing.Order, key string) string {
	if key == provider.PersonSubjectPrincipal {
		return v.T("web.group.subject_principal")
	}
	if strings.HasPrefix(key, "services[") {
		i, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(key, "services["), "].principal"))
		if err == nil && i < len(o.Services) {
			return v.T("web.group.service_principal") + " · " + filingview.ServiceTitle(v.Lang, o, i)
		}
	}
	return key
}

func (s *Server) callForm(v *web.View, o *filing.Order, in provider.CallInput) *web.Form {
	people := []web.Option{{Value: provider.PersonSubjectPrincipal, Label: personLabel(v, o, provider.PersonSubjectPrincipal)}}
	for i := range o.Services {
		k := provider.ServicePrincipalKey(i)
		people = append(people, web.Option{Value: k, Label: personLabel(v, o, k)})
	}
	var numbers, outcomes []web.Option
	for _, n := range []string{"mobile", "emergency_mobile", "office_phone"} {
		numbers = append(numbers, web.Option{Value: n, Label: v.T("web.field.principal." + n)})
	}
	for _, oc := range []string{"reached", "no_answer", "busy", "wrong_number", "declined"} {
		outcomes = append(outcomes, web.Option{Value: oc, Label: v.T("web.call.outcome." + oc)})
	}
	return &web.Form{Sections: []*web.Section{{ID: "sec-call", Fields: []*web.Field{
		v.Select("person", in.Person, people, false).Req().Labelled(v.T("web.call.person")),
		v.Select("number", in.Number, numbers, false).Labelled(v.T("web.call.number")),
		v.Select("outcome", in.Outcome, outcomes, true).Req().Labelled(v.T("web.call.outcome")),
		v.Field("textarea", "note", in.Note).Labelled(v.T("web.call.note")).Widen(),
	}}}}
}

// callSubmit logs a call and returns to the order page.
func (s *Server) callSubmit(w http.ResponseWriter, r *http.Request, v *web.View) {
	id, err := web.PathID(r)
	if err != nil {
		s.Fail(w, r, v, err)
		return
	}
	in := provider.CallInput{Person: r.PostFormValue("person"), Number: r.PostFormValue("number"),
		Outcome: r.PostFormValue("outcome"), Note: r.PostFormValue("note")}
	if err = v.Refused(); err == nil {
		_, err = s.svc.LogCall(v.Ctx(), v.Actor, id, in)
	}
	if err != nil {
		if problem.KindOf(err) != problem.Invalid {
			s.Fail(w, r, v, err)
			return
		}
		s.showConsoleOrder(w, r, v, shownAgain{call: &in, err: err}, http.StatusUnprocessableEntity)
		return
	}
	web.Redirect(w, r, "/console/orders/"+strconv.FormatInt(id, 10)+"#calls", "call_logged")
}

// authorizeSubmit authorizes a claim.
func (s *Server) authorizeSubmit(w http.ResponseWriter, r *http.Request, v *web.View) {
	id, err := web.PathID(r)
	if err != nil {
		s.Fail(w, r, v, err)
		return
	}
	reason := r.PostFormValue("reason")
	if err = v.Refused(); err == nil {
		_, err = s.svc.AuthorizeClaim(v.Ctx(), v.Actor, id, reason)
	}
	if err != nil {
		if k := problem.KindOf(err); k != problem.Invalid && k != problem.Conflict {
			s.Fail(w, r, v, err)
			return
		}
		s.showConsoleOrder(w, r, v, shownAgain{authorize: &reason, err: err}, web.StatusFor(err))
		return
	}
	web.Redirect(w, r, "/console/orders/"+strconv.FormatInt(id, 10), "claim_authorized")
}

// ---- curtains to send ---------------------------------------------------------------------------------

type curtainsData struct {
	Requested  []store.Mailing
	Dispatched []store.Mailing
	Failed     int64                    // the mailing whose dispatch was refused
	Typed      provider.CurtainDispatch // what its form carried, shown again
}

func (s *Server) curtainsPage(w http.ResponseWriter, r *http.Request, v *web.View) {
	s.showCurtains(w, r, v, &curtainsData{}, nil, http.StatusOK)
}

func (s *Server) showCurtains(w http.ResponseWriter, r *http.Request, v *web.View, d *curtainsData, errs error, status int) {
	v.Area, v.Current = "console", "curtains"
	var err error
	if d.Requested, err = s.svc.Mailings(v.Ctx(), v.Actor, store.MailingFilter{State: store.MailingRequested}); err != nil {
		s.Fail(w, r, v, err)
		return
	}
	if d.Dispatched, err = s.svc.Mailings(v.Ctx(), v.Actor, store.MailingFilter{State: store.MailingDispatched}); err != nil {
		s.Fail(w, r, v, err)
		return
	}
	if errs != nil {
		v.Errors = s.PageErrors(r, errs)
		n := strconv.FormatInt(d.Failed, 10)
		v.AimErrors("", map[string]web.Input{"carrier": {ID: "carrier-" + n, Label: v.T("web.curtains.carrier")},
			"tracking": {ID: "tracking-" + n, Label: v.T("web.curtains.tracking")}})
	}
	v.Title = v.T("web.nav.curtains")
	v.D = d
	s.Render(w, v, status, "curtains")
}

// dispatchSubmit records a curtain sent.
func (s *Server) dispatchSubmit(w http.ResponseWriter, r *http.Request, v *web.View) {
	id, err := web.PathID(r)
	if err != nil {
		s.Fail(w, r, v, err)
		return
	}
	in := provider.CurtainDispatch{Carrier: r.PostFormValue("carrier"), Tracking: r.PostFormValue("tracking")}
	if err = v.Refused(); err == nil {
		_, err = s.svc.DispatchCurtain(v.Ctx(), v.Actor, id, in)
	}
	if err != nil {
		if k := problem.KindOf(err); k != problem.Invalid && k != problem.Conflict {
			s.Fail(w, r, v, err)
			return
		}
		s.showCurtains(w, r, v, &curtainsData{Failed: id, Typed: in}, err, web.StatusFor(err))
		return
	}
	web.Redirect(w, r, "/console/curtains", "curtain_dispatched")
}

// ---- channels -------------------------------------------------------------------------------------------

type channelsData struct {
	Forms map[string]*web.Form
}

func (s *Server) channelsPage(w http.ResponseWriter, r *http.Request, v *web.View) {
	s.showChannels(w, r, v, "", nil, http.StatusOK)
}

func (s *Server) showChannels(w http.ResponseWriter, r *http.Request, v *web.View, failed string, errs error, status int) {
	v.Area, v.Current = "console", "channels"
	all, err := s.svc.ChannelProvinces(v.Ctx())
	if err != nil {
		s.Fail(w, r, v, err)
		return
	}
	d := &channelsData{Forms: map[string]*web.Form{}}
	for _, ch := range []string{provider.ChannelPC, provider.ChannelPhone} {
		f := &web.Form{Sections: []*web.Section{{ID: "sec-" + ch, Title: v.T("channel." + ch), Fields: []*web.Field{
			v.Checks("provinces", all[ch], []web.OptGroup{{Options: filingview.ProvinceOptions(v.Lang)}}).Labelled(v.T("web.channels.provinces")),
		}}}}
		if ch == failed && errs != nil {
			f.Place(s.PageErrors(r, errs))
			v.SetErrors(f)
		}
		d.Forms[ch] = f
	}
	v.Title = v.T("web.nav.channels")
	v.D = d
	s.Render(w, v, status, "channels")
}

func (s *Server) channelSubmit(w http.ResponseWriter, r *http.Request, v *web.View) {
	if err := r.ParseForm(); err != nil {
		s.Fail(w, r, v, problem.Invalidf("common.invalid_form", ""))
		return
	}
	ch := r.PathValue("channel")
	err := v.Refused()
	if err == nil {
		err = s.svc.SetChannelProvinces(v.Ctx(), v.Actor, ch, r.PostForm["provinces"])
	}
	if err != nil {
		if problem.KindOf(err) != problem.Invalid {
			s.Fail(w, r, v, err)
			return
		}
		s.showChannels(w, r, v, ch, err, http.StatusUnprocessableEntity)
		return
	}
	web.Redirect(w, r, "/console/channels", "saved")
}

// deskPageRoutes registers the pages of what comes after the number, for applicants and the desk.
func (s *Server) deskPageRoutes() {
	const applicant, reviewer, operator = provider.RoleApplicant, provider.RoleReviewer, provider.RoleOperator
	s.HandlePage("GET", "/filings", s.Page(s.filingsPage, applicant))
	s.HandlePage("POST", "/filings/{number}/orders", s.Page(s.openFiledSubmit, applicant))
	s.HandlePage("POST", "/filings/{number}/new-service", s.FormPost(s.newServiceSubmit, applicant))
	s.HandlePage("POST", "/claims", s.FormPost(s.claimOpenSubmit, applicant))
	s.HandlePage("POST", "/orders/{id}/curtain", s.FormPost(s.curtainSubmit, applicant))
	s.HandlePage("POST", "/console/orders/{id}/calls", s.FormPost(s.callSubmit, reviewer))
	s.HandlePage("POST", "/console/orders/{id}/claim", s.FormPost(s.authorizeSubmit, reviewer))
	s.HandlePage("GET", "/console/curtains", s.Page(s.curtainsPage, reviewer, operator))
	s.HandlePage("POST", "/console/curtains/{id}", s.FormPost(s.dispatchSubmit, reviewer))
	s.HandlePage("GET", "/console/channels", s.Page(s.channelsPage, reviewer, operator))
	s.HandlePage("POST", "/console/channels/{channel}", s.FormPost(s.channelSubmit, reviewer, operator))
}
