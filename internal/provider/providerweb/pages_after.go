package providerweb

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/web"
	"github.com/beian/beian/internal/web/filingview"
)

// The wizard's steps for orders about a filed record (docs/after-filing.md): only what the order type
// changes is a step; the rest is shown as filed.

// allSteps are every step an order may have after the draft exists.
var allSteps = []string{"claim", "subject", "services", "access", "materials", "review"}

// stepsOf returns the steps of order o.
func stepsOf(o *filing.Order) []string {
	switch {
	case o.Type == filing.Claim:
		return []string{"claim", "materials", "review"}
	case o.Filed == nil:
		return orderSteps
	}
	e := o.Type.Edits()
	var out []string
	if e.Subject {
		out = append(out, "subject")
	}
	if e.Services {
		out = append(out, "services")
	}
	if o.Type == filing.ChangeAccess {
		out = append(out, "access")
	}
	if o.Type.CarriesContent() && o.Type != filing.ChangeAccess {
		out = append(out, "materials")
	}
	return append(out, "review")
}

// stepBarFor is the step bar of an order: the check and the resource, then its own steps, with the
// verification before the review when the order has materials.
func stepBarFor(v *web.View, current string, o *filing.Order) []stepLink {
	if o.Filed == nil && o.Type != filing.Claim {
		return stepBar(v, current, o.ID)
	}
	var keys []string
	for _, k := range stepsOf(o) {
		if k == "review" && slices.Contains(keys, "materials") {
			keys = append(keys, "verification")
		}
		keys = append(keys, k)
	}
	cur := slices.Index(keys, current)
	out := make([]stepLink, 0, len(keys))
	for i, k := range keys {
		l := stepLink{No: i + 1, Key: k, Label: v.T("web.step." + k), State: "todo",
			URL: "/orders/" + strconv.FormatInt(o.ID, 10) + "/" + k}
		switch {
		case i < cur:
			l.State = "done"
		case i == cur:
			l.State, l.Current = "current", true
		}
		out = append(out, l)
	}
	return out
}

// accessForm edits what a change of access changes: each service's IPs, access method and server location.
func (s *Server) accessForm(v *web.View, o *filing.Order) *web.Form {
	f := &web.Form{}
	for i, svc := range o.Services {
		p := "services[" + strconv.Itoa(i) + "]"
		sec := &web.Section{ID: web.FieldID(p), Path: p, Title: filingview.ServiceTitle(v.Lang, o, i)}
		ips := v.Field("textarea", p+".ips", strings.Join(svc.IPs, "\n")).Req().Hinted(v.T("web.hint.access_ips"))
		method := v.Select(p+".access_method", svc.AccessMethod, accessMethods(v), true)
		sec.Fields = append(sec.Fields, ips, method, v.Text(p+".access_location", svc.AccessLocation).Hinted(v.T("web.hint.access_location")))
		f.Sections = append(f.Sections, sec)
	}
	return f
}

// accessMethods are the access methods a provider offers (接入方式).
func accessMethods(v *web.View) []web.Option {
	var out []web.Option
	for _, m := range []string{"cloud_host", "virtual_host", "dedicated_host", "colocation"} {
		out = append(out, web.Option{Value: m, Label: v.T("web.access_method." + m)})
	}
	return out
}

func parseAccess(r *http.Request, c *provider.Content) {
	for i := range c.Services {
		p := "services[" + strconv.Itoa(i) + "]"
		c.Services[i].IPs = nonEmpty(lines(r.PostFormValue(p + ".ips")))
		c.Services[i].AccessMethod = formValue(r, p+".access_method")
		c.Services[i].AccessLocation = formValue(r, p+".access_location")
	}
}

// changeRow is one changed field, labelled.
type changeRow struct {
	Label, Old, New string
}

func changeRows(v *web.View, o *filing.Order, changes []filing.Change) []changeRow {
	out := make([]changeRow, 0, len(changes))
	for _, c := range changes {
		out = append(out, changeRow{Label: filingview.QualifiedLabel(v.Lang, c.Field, o), Old: changeValue(v, c.Field, c.Old),
			New: changeValue(v, c.Field, c.New)})
	}
	return out
}

// changeValue shows a changed value as the forms do: codes by their names.
func changeValue(v *web.View, field, val string) string {
	switch {
	case val == "":
		return "—"
	case strings.HasSuffix(field, ".access_method"):
		return v.T("web.access_method." + val)
	case strings.HasSuffix(field, ".credential_type"):
		return web.CredentialName(v.Lang, val)
	case strings.HasSuffix(field, "principal_same_as_subject"):
		return v.T("web.same_as_subject_principal")
	}
	return val
}

// confirmView is what an irreversible order asks the applicant to confirm, in plain words.
type confirmView struct {
	Consequences []string
	Phrase       string
	Errors       []string // the checkbox was not ticked
}

// confirmBoxID is the id of the confirmation's checkbox on the review step.
const confirmBoxID = "confirm-box"

func (s *Server) confirmOf(v *web.View, r *http.Request, o *filing.Order) (*confirmView, error) {
	if !o.Type.Irreversible() {
		return nil, nil
	}
	c, err := s.svc.Consequences(v.Ctx(), v.Actor, o.ID)
	if err != nil {
		return nil, err
	}
	cv := &confirmView{Phrase: c.Phrase}
	for _, e := range web.Translate(r, consequenceProblems(c.Consequences)) {
		cv.Consequences = append(cv.Consequences, e.Message)
	}
	return cv, nil
}

// ---- claim --------------------------------------------------------------------------------------------

// claimView is the claim step: where the code went, and the form to enter it.
type claimView struct {
	Sent    *provider.ClaimStatus
	Code    *web.Form
	CanSend bool
}

func (s *Server) claimOf(v *web.View, o *filing.Order, sent *provider.ClaimStatus) *claimView {
	return &claimView{Sent: sent, CanSend: o.State.Editable(), Code: &web.Form{Sections: []*web.Section{{ID: "sec-claim-code",
		Fields: []*web.Field{v.Text("code", "").Req().Mode("numeric").Auto("one-time-code").Labelled(v.T("web.claim.code"))}}}}}
}

// claimSubmit sends a code (action=send) or checks the one entered (action=verify).
func (s *Server) claimSubmit(w http.ResponseWriter, r *http.Request, v *web.View, tl *provider.Timeline) {
	o := tl.Order
	id := strconv.FormatInt(o.ID, 10)
	if err := v.Refused(); err != nil {
		s.showStep(w, r, v, tl, "claim", s.PageErrors(r, err), web.StatusFor(err))
		return
	}
	switch r.PostFormValue("action") {
	case "send":
		if _, err := s.svc.SendClaimCode(v.Ctx(), v.Actor, o.ID); err != nil {
			s.showStep(w, r, v, tl, "claim", s.PageErrors(r, err), web.StatusFor(err))
			return
		}
		web.Redirect(w, r, "/orders/"+id+"/claim", "code_sent")
	default:
		_, err := s.svc.VerifyClaimCode(v.Ctx(), v.Actor, o.ID, r.PostFormValue("code"))
		if err != nil {
			s.showStep(w, r, v, tl, "claim", s.PageErrors(r, err), web.StatusFor(err))
			return
		}
		web.Redirect(w, r, "/orders/"+id, "claimed")
	}
}

// ---- new orders from My filings -----------------------------------------------------------------------

// filingsData is the My filings page.
type filingsData struct {
	Filings []filingView
	Claim   *web.Form
	// Checks are the latest homepage checks of the applicant's websites (docs/compliance.md).
	Checks []provider.SiteCheck
}

// filingView is a filing with its buttons: each offer knows the subject and service it opens an order on.
type filingView struct {
	FilingBody
	Buttons  []offerView
	Services []serviceView
}

type serviceView struct {
	FiledService
	Buttons []offerView
}

type offerView struct {
	OfferBody
	Number, Service string
	Danger          bool
}

func offerViews(number, service string, offers []OfferBody) []offerView {
	out := make([]offerView, 0, len(offers))
	for _, o := range offers {
		out = append(out, offerView{OfferBody: o, Number: number, Service: service, Danger: o.Type.Irreversible()})
	}
	return out
}

func filingViewOf(b FilingBody) filingView {
	fv := filingView{FilingBody: b, Buttons: offerViews(b.Number, "", b.Offers)}
	for _, svc := range b.Services {
		fv.Services = append(fv.Services, serviceView{FiledService: svc, Buttons: offerViews(b.Number, svc.Number, svc.Offers)})
	}
	return fv
}

func (s *Server) claimForm(v *web.View, number string) *web.Form {
	return &web.Form{Sections: []*web.Section{{ID: "sec-claim", Fields: []*web.Field{
		v.Text("subject_number", number).Req().Labelled(v.T("web.claim.number")).Placed("粤ICP备2019000001号").
			Hinted(v.T("web.claim.hint")),
	}}}}
}

func (s *Server) filingsPage(w http.ResponseWriter, r *http.Request, v *web.View) {
	s.showFilings(w, r, v, s.claimForm(v, ""), http.StatusOK)
}

func (s *Server) showFilings(w http.ResponseWriter, r *http.Request, v *web.View, claim *web.Form, status int) {
	v.Area, v.Current, v.InlineErrors = "portal", "filings", true
	list, err := s.svc.MyFilings(v.Ctx(), v.Actor)
	if err != nil {
		s.Fail(w, r, v, err)
		return
	}
	d := &filingsData{Claim: claim}
	for _, f := range list {
		d.Filings = append(d.Filings, filingViewOf(filingBody(r, f)))
	}
	if d.Checks, err = s.svc.MySiteChecks(v.Ctx(), v.Actor); err != nil {
		s.Fail(w, r, v, err)
		return
	}
	for _, c := range d.Checks {
		if c.Report != nil {
			c.Report.Localize(v.Lang)
		}
	}
	v.Title = v.T("web.title.filings")
	v.D = d
	s.Render(w, v, status, "filings")
}

// openFiledSubmit opens the order an offer's button names and goes to its first step.
func (s *Server) openFiledSubmit(w http.ResponseWriter, r *http.Request, v *web.View) {
	in := provider.FiledOrderInput{Type: filing.OrderType(r.PostFormValue("type")), SubjectNumber: r.PathValue("number"),
		Channel: channelOf(r)}
	if n := formValue(r, "service"); n != "" {
		in.ServiceNumbers = []string{n}
	}
	if in.Type == filing.NewService || in.Type == filing.NewAccess {
		s.newServicePage(w, r, v, in, nil)
		return
	}
	s.openAndGo(w, r, v, in)
}

func (s *Server) openAndGo(w http.ResponseWriter, r *http.Request, v *web.View, in provider.FiledOrderInput) {
	o, err := s.svc.OpenFromFiled(v.Ctx(), v.Actor, in, formValue(r, "idem"))
	if err != nil {
		if k := problem.KindOf(err); k == problem.Invalid || k == problem.Conflict || k == problem.NotFound {
			web.Redirect(w, r, "/filings?error="+problem.As(err)[0].Code, "")
			return
		}
		s.Fail(w, r, v, err)
		return
	}
	web.Redirect(w, r, "/orders/"+strconv.FormatInt(o.ID, 10)+"/"+stepsOf(o)[0], "opened")
}

// newServiceData is the form of a new service (or a new access) for a filed subject: what the service is
// and the hosting it goes on. The subject is not asked for again.
type newServiceData struct {
	Number  string
	Service string // the filed service of a new access
	Type    filing.OrderType
	Form    *web.Form
	Idem    string
}

func (s *Server) newServicePage(w http.ResponseWriter, r *http.Request, v *web.View, in provider.FiledOrderInput, errs error) {
	v.Area, v.Current, v.InlineErrors = "portal", "filings", true
	d := &newServiceData{Number: in.SubjectNumber, Service: strings.Join(in.ServiceNumbers, ""), Type: in.Type,
		Idem: formValue(r, "idem")}
	if d.Idem == "" {
		d.Idem = newKey()
	}
	list, err := s.svc.Resources(v.Ctx(), v.Actor)
	if err != nil {
		s.Fail(w, r, v, err)
		return
	}
	var opts []web.Option
	for _, res := range list {
		opts = append(opts, web.Option{Value: strconv.FormatInt(res.ID, 10), Label: res.Name + " · " + strings.Join(res.IPs, ", ")})
	}
	sec := &web.Section{ID: "sec-new-service"}
	if in.Type == filing.NewService {
		kind := v.Field("radios", "service_kind", "website").Req()
		for _, k := range []filing.ServiceKind{filing.Website, filing.App, filing.MiniProgram, filing.QuickApp} {
			kind.Options = append(kind.Options, web.Option{Value: string(k), Label: v.T("web.kind." + string(k)),
				Selected: k == in.ServiceKind || in.ServiceKind == "" && k == filing.Website})
		}
		domain := v.Text("domain", in.Domain).Req().Hinted(v.T("web.hint.check_domain")).Placed("example.cn").Auto("off")
		domain.ShowWhen = "service_kind=website"
		app := v.Text("app_name", in.AppName).Req().Hinted(v.T("web.hint.app_name"))
		app.ShowWhen = "service_kind=app,mini_program,quick_app"
		sec.Fields = append(sec.Fields, kind, domain, app)
	} else {
		sec.Fields = append(sec.Fields, v.Static("service", d.Service).Labelled(v.T("web.col.number")))
	}
	sec.Fields = append(sec.Fields, v.Select("resource.instance_id", "", opts, true).Req().Labelled(v.T("web.field.resource")))
	d.Form = &web.Form{Sections: []*web.Section{sec}}
	status := http.StatusOK
	if errs != nil {
		d.Form.Place(s.PageErrors(r, errs))
		v.SetErrors(d.Form)
		status = web.StatusFor(errs)
	}
	v.Title = v.T("rules.order_type." + string(in.Type))
	v.D = d
	s.Render(w, v, status, "new_service")
}

// newServiceSubmit opens the new service (or access) with what the form names.
func (s *Server) newServiceSubmit(w http.ResponseWriter, r *http.Request, v *web.View) {
	in := provider.FiledOrderInput{Type: filing.OrderType(r.PostFormValue("type")), SubjectNumber: r.PathValue("number"),
		ServiceKind: filing.ServiceKind(r.PostFormValue("service_kind")), Domain: formValue(r, "domain"),
		AppName: formValue(r, "app_name"), Channel: channelOf(r)}
	if n := formValue(r, "service"); n != "" {
		in.ServiceNumbers = []string{n}
	}
	if in.ServiceKind == filing.Website {
		in.AppName = ""
	} else {
		in.Domain = ""
	}
	if id, err := strconv.ParseInt(r.PostFormValue("resource.instance_id"), 10, 64); err == nil {
		in.Resource.InstanceID = id
	}
	var o *filing.Order
	err := v.Refused()
	if err == nil {
		o, err = s.svc.OpenFromFiled(v.Ctx(), v.Actor, in, formValue(r, "idem"))
	}
	if err != nil {
		if k := problem.KindOf(err); k == problem.Internal || k == problem.Forbidden {
			s.Fail(w, r, v, err)
			return
		}
		s.newServicePage(w, r, v, in, err)
		return
	}
	web.Redirect(w, r, "/orders/"+strconv.FormatInt(o.ID, 10)+"/"+stepsOf(o)[0], "opened")
}

// claimSubmitNew opens a claim of the number entered.
func (s *Server) claimOpenSubmit(w http.ResponseWriter, r *http.Request, v *web.View) {
	number := formValue(r, "subject_number")
	var o *filing.Order
	err := v.Refused()
	if err == nil {
		o, err = s.svc.OpenClaim(v.Ctx(), v.Actor, provider.ClaimInput{SubjectNumber: number}, "")
	}
	if err != nil {
		if k := problem.KindOf(err); k == problem.Internal || k == problem.Forbidden {
			s.Fail(w, r, v, err)
			return
		}
		f := s.claimForm(v, number)
		f.Place(s.PageErrors(r, err))
		v.SetErrors(f)
		s.showFilings(w, r, v, f, web.StatusFor(err))
		return
	}
	web.Redirect(w, r, "/orders/"+strconv.FormatInt(o.ID, 10)+"/claim", "opened")
}

// channelOf is the channel a page request comes from: the phone when the browser says it is mobile.
func channelOf(r *http.Request) string {
	if strings.Contains(r.UserAgent(), "Mobi") {
		return provider.ChannelPhone
	}
	return provider.ChannelPC
}
