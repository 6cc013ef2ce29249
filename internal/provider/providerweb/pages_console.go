package providerweb

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/provider/store"
	"github.com/beian/beian/internal/web"
	"github.com/beian/beian/internal/web/filingview"
)

// The reviewer's console (docs/design.md §4.8): the queue by deadline, one order on one screen with its materials beside
// the fields, field notes with common reasons, the decisions; resources, quotas and authorization codes.

// queueStates are what the reviewer has to act on (provider.Queue's default).
var queueStates = []filing.State{filing.Submitted, filing.Resubmitted, filing.Returned}

type queueData struct {
	Filters *web.Form
	Rows    []queueRow
	Counts  []countChip
	Total   int
	Caveat  string // some deadline is estimated (deadlineCaveat)
	// Regulator is the link to a regulator reached over the network (nil: in this process).
	Regulator *provider.RegulatorLink
	Police    *provider.RegulatorLink // the link to the police platform
	State     string
	Prev      string
	Next      string
	// OpenRequests counts the requests for an authorization code waiting for an answer.
	OpenRequests int
}

type queueRow struct {
	store.OrderSummary
	Link    string
	Due     string
	Overdue bool
	Soon    bool
}

type countChip struct {
	State  filing.State
	N      int
	Link   string
	Active bool
}

const queuePage = 50

func (s *Server) queuePage(w http.ResponseWriter, r *http.Request, v *web.View) {
	v.Area, v.Current = "console", "queue"
	q := r.URL.Query()
	state := q.Get("state")
	f := store.OrderFilter{Province: q.Get("province"), Type: filing.OrderType(q.Get("type")), Limit: queuePage,
		Offset: web.QueryInt(r, "offset", 0)}
	if state != "" && state != "all" {
		f.States = []filing.State{filing.State(state)}
	} else if state == "all" {
		f.States = filing.States
	}
	list, total, err := s.svc.Queue(v.Ctx(), v.Actor, f)
	if err != nil {
		s.Fail(w, r, v, err)
		return
	}
	d := &queueData{Total: total, State: state, Regulator: s.svc.RegulatorLink(v.Ctx(), v.Actor),
		Police: s.svc.PoliceLink(v.Actor)}
	reqs, err := s.svc.CodeRequests(v.Ctx(), v.Actor)
	if err != nil {
		s.Fail(w, r, v, err)
		return
	}
	for _, q := range reqs {
		if q.State == store.CodeRequestOpen {
			d.OpenRequests++
		}
	}
	now := s.clock.Now()
	for _, o := range list {
		row := queueRow{OrderSummary: o, Link: "/console/orders/" + strconv.FormatInt(o.ID, 10)}
		if o.Deadline != nil {
			if !now.Before(*o.Deadline) {
				n, _ := s.Calendar().WorkdaysBetween(*o.Deadline, now)
				row.Overdue = true
				row.Due = v.Tf("web.queue.overdue", "n", strconv.Itoa(n+1))
			} else {
				n, _ := s.Calendar().WorkdaysBetween(now, *o.Deadline)
				row.Due = v.Tf("web.queue.left", "n", strconv.Itoa(n))
				row.Soon = n == 0
				if n == 0 {
					row.Due = v.T("web.queue.today")
				}
			}
		}
		if c := s.deadlineCaveat(v, o.Deadline); c != "" {
			d.Caveat = c
		}
		d.Rows = append(d.Rows, row)
	}
	counts, err := s.svc.CountByState(v.Ctx(), v.Actor)
	if err != nil {
		s.Fail(w, r, v, err)
		return
	}
	for _, st := range filing.States {
		if counts[st] == 0 && !slices.Contains(queueStates, st) {
			continue
		}
		qq := url.Values{"state": {string(st)}}
		if f.Province != "" {
			qq.Set("province", f.Province)
		}
		if f.Type != "" {
			qq.Set("type", string(f.Type))
		}
		d.Counts = append(d.Counts, countChip{State: st, N: counts[st], Link: "/console?" + qq.Encode(), Active: state == string(st)})
	}
	states := append([]web.Option{{Value: "", Label: v.T("web.queue.pending")}, {Value: "all", Label: v.T("web.queue.all_states")}},
		filingview.StateOptions(v.Lang, filing.States)...)
	d.Filters = &web.Form{Sections: []*web.Section{{ID: "filters", Fields: []*web.Field{
		v.Select("province", f.Province, filingview.ProvinceOptions(v.Lang), false).Labelled(v.T("web.field.province")),
		v.Select("type", string(f.Type), filingview.OrderTypeOptions(v.Lang), false).Labelled(v.T("web.field.type")),
		v.Select("state", state, states, false).Labelled(v.T("web.field.state")),
	}}}}
	d.Filters.Sections[0].Fields[0].Options = append([]web.Option{{Value: "", Label: v.T("web.all")}}, d.Filters.Sections[0].Fields[0].Options...)
	d.Filters.Sections[0].Fields[1].Options = append([]web.Option{{Value: "", Label: v.T("web.all")}}, d.Filters.Sections[0].Fields[1].Options...)
	if f.Offset > 0 {
		d.Prev = pageLink(r, max(f.Offset-queuePage, 0))
	}
	if f.Offset+queuePage < total {
		d.Next = pageLink(r, f.Offset+queuePage)
	}
	v.D = d
	s.Render(w, v, http.StatusOK, "queue")
}

func pageLink(r *http.Request, offset int) string {
	q := r.URL.Query()
	q.Set("offset", strconv.Itoa(offset))
	return r.URL.Path + "?" + q.Encode()
}

// ---- one order ------------------------------------------------------------------------------------------

type consoleOrderData struct {
	Order        *filing.Order
	Blocks       []filingview.Block
	Materials    []filingview.MaterialRow
	Violations   []web.FieldError
	Notices      []web.FieldError
	Events       []eventView
	Deadline     string
	Caveat       string // the deadline is estimated (deadlineCaveat)
	CanDecide    bool
	CanReforward bool
	Decision     *decisionForm
	IsReviewer   bool
	Desk         *deskView     // pages_desk.go
	Identity     []identityRow // console_identity.go
	Readings     []readingView
}

// decisionForm is the reviewer's form: notes on fields (with common reasons), a reason, the decision.
type decisionForm struct {
	Fields    []web.Option
	Templates []web.Option
	Notes     []noteInput
	Reason    string
	Errors    []web.FieldError
}

// inputs are the form field names of the decision's typed inputs, with their ids: an error on one shows beside it.
func (df *decisionForm) inputs(v *web.View) map[string]web.Input {
	ids := map[string]web.Input{"reason": {ID: "reason", Label: v.T("web.console.reason")}}
	for _, n := range df.Notes {
		k, nth := "note_message_"+strconv.Itoa(n.N), strconv.Itoa(n.N+1)
		ids[k] = web.Input{ID: k, Label: v.Tf("web.console.note_message_n", "n", nth)}
		k = "note_field_" + strconv.Itoa(n.N)
		ids[k] = web.Input{ID: k, Label: v.Tf("web.console.note_field", "n", nth)}
	}
	return ids
}

type noteInput struct {
	N        int
	Field    string
	Template string
	Message  string
}

// reasonTemplates are the common reasons reviewers give, with the field each one usually concerns.
var reasonTemplates = []struct{ key, field string }{
	{"address_house_number", "subject.communication_address"},
	{"credential_address", "subject.credential_address"},
	{"site_name", "services[0].name"},
	{"site_name_subject", "services[0].name"},
	{"mobile_unreachable", "subject.principal.mobile"},
	{"photo_unclear", "materials.subject_credential"},
	{"credential_expired", "subject.principal.credential_valid_to"},
	{"email_invalid", "subject.principal.email"},
	{"content_mismatch", "services[0].content"},
	{"commitment_letter", "materials.guangdong_commitment_letter"},
}

func (s *Server) consoleOrderPage(w http.ResponseWriter, r *http.Request, v *web.View) {
	s.showConsoleOrder(w, r, v, shownAgain{}, http.StatusOK)
}

// shownAgain is what a refused POST of the order page shows again: the decision or the call as typed (nil for
// the blank form) and the errors, beside the form that was sent.
type shownAgain struct {
	decision  *decisionForm
	call      *provider.CallInput
	authorize *string // the reason typed into the claim's authorization
	err       error
}

// ruleRows shows what the rules said, each beside the field it names.
func (s *Server) ruleRows(v *web.View, o *filing.Order, ps []*problem.Error) []web.FieldError {
	var out []web.FieldError
	for _, p := range ps {
		out = append(out, web.FieldError{Field: p.Field, Label: filingview.QualifiedLabel(v.Lang, p.Field, o), Message: web.ProblemText(v.Lang, p)})
	}
	return out
}

func (s *Server) showConsoleOrder(w http.ResponseWriter, r *http.Request, v *web.View, again shownAgain, status int) {
	v.Area, v.Current = "console", "queue"
	o, err := s.order(v, r) // audited: staff see personal data in full
	if err != nil {
		s.Fail(w, r, v, err)
		return
	}
	events, deadline, err := s.svc.OrderHistory(v.Ctx(), v.Actor, o.ID)
	if err != nil {
		s.Fail(w, r, v, err)
		return
	}
	d := &consoleOrderData{Order: o, IsReviewer: v.Actor.Role == provider.RoleReviewer}
	if !deadline.IsZero() {
		d.Deadline, d.Caveat = web.FormatTime(deadline), s.deadlineCaveat(v, &deadline)
	}
	// What every rule says now, the rules across subjects included: the same checks the submission ran.
	rep, err := s.svc.Assess(v.Ctx(), o)
	if err != nil {
		s.Fail(w, r, v, err)
		return
	}
	d.Violations = s.ruleRows(v, o, rep.Violations)
	d.Notices = s.ruleRows(v, o, rep.Notices)
	d.Materials = s.materialRows(v, o, rep.Materials)
	d.Blocks = filingview.Blocks(v, o, d.Materials, s.resourceLabel(v, o))
	d.Events = eventViews(v, o, events, nil)
	if d.Identity, err = s.identityRows(v, o); err != nil {
		s.Fail(w, r, v, err)
		return
	}
	d.Readings = s.readings(v, o)
	actions := filing.ActionsFor(o.Type, o.State, filing.RoleReviewer)
	d.CanDecide = slices.Contains(actions, filing.ActApprove) || slices.Contains(actions, filing.ActRequestChanges)
	d.CanReforward = slices.Contains(actions, filing.ActReforward)
	df := again.decision
	if df == nil {
		df = &decisionForm{}
		for i := 0; i < 3; i++ {
			df.Notes = append(df.Notes, noteInput{N: i})
		}
	}
	df.Fields = append([]web.Option{{Value: "", Label: v.T("web.choose")}}, noteFieldOptions(v, o, d.Materials)...)
	df.Templates = []web.Option{{Value: "", Label: v.T("web.review.template_none")}}
	for _, t := range reasonTemplates {
		df.Templates = append(df.Templates, web.Option{Value: t.key, Label: v.T("web.reason." + t.key + ".title"),
			Hint: v.T("web.reason." + t.key), Data: t.field})
	}
	if again.err != nil && again.call == nil && again.authorize == nil {
		inputs := map[string]web.Input{}
		if d.CanDecide { // else the decision form is the button that sends a returned order again
			inputs = df.inputs(v)
		}
		v.Errors = s.PageErrors(r, again.err)
		df.Errors = v.AimErrors("decision", inputs)
	}
	d.Decision = df
	if d.Desk, err = s.deskOf(v, o); err != nil {
		s.Fail(w, r, v, err)
		return
	}
	if again.authorize != nil {
		d.Desk.AuthorizeReason = *again.authorize
		v.Errors = s.PageErrors(r, again.err)
		v.AimErrors("authorize", map[string]web.Input{"reason": {ID: "authorize-reason", Label: v.T("web.console.reason")}})
	}
	if again.call != nil && d.Desk.CallForm != nil {
		d.Desk.CallForm = s.callForm(v, o, *again.call)
		d.Desk.CallForm.Place(s.PageErrors(r, again.err))
		v.SetErrors(d.Desk.CallForm)
	}
	v.Title = v.Tf("web.order.title", "id", strconv.FormatInt(o.ID, 10))
	v.D = d
	s.Render(w, v, status, "console_order")
}

// resourceLabel names the order's resource: the instance's name and IPs, or the authorization code.
func (s *Server) resourceLabel(v *web.View, o *filing.Order) string {
	if o.Resource.InstanceID == 0 {
		return ""
	}
	list, err := s.svc.Resources(v.Ctx(), v.Actor)
	if err != nil {
		return ""
	}
	for _, r := range list {
		if r.ID == o.Resource.InstanceID {
			return r.Name + " · " + strings.Join(r.IPs, ", ")
		}
	}
	return ""
}

// noteFieldOptions lists every field of the order a note may name.
func noteFieldOptions(v *web.View, o *filing.Order, mats []filingview.MaterialRow) []web.Option {
	paths := []string{"subject.name", "subject.credential_address", "subject.communication_address"}
	if !o.Subject.IsIndividual() {
		paths = append(paths, "subject.investor", "subject.legal_representative.name", "subject.legal_representative.id_number")
	}
	principal := []string{"name", "credential_type", "credential_number", "credential_valid_from", "credential_valid_to",
		"office_phone", "mobile", "emergency_mobile", "email"}
	for _, p := range principal {
		paths = append(paths, "subject.principal."+p)
	}
	for i, svc := range o.Services {
		pre := "services[" + strconv.Itoa(i) + "]"
		paths = append(paths, pre+".name")
		if svc.Kind == filing.Website {
			paths = append(paths, pre+".domains[0]", pre+".home_url")
		} else {
			paths = append(paths, pre+".domains", pre+".app.platforms")
		}
		paths = append(paths, pre+".content", pre+".languages", pre+".pre_approvals", pre+".remark")
		if !svc.PrincipalSameAsSubject {
			for _, p := range principal {
				paths = append(paths, pre+".principal."+p)
			}
		}
	}
	var out []web.Option
	for _, p := range paths {
		out = append(out, web.Option{Value: p, Label: filingview.QualifiedLabel(v.Lang, p, o)})
	}
	for _, m := range mats {
		p := m.Path
		if strings.HasPrefix(p, "materials.") {
			p = "materials." + m.Code
		}
		label := filingview.QualifiedLabel(v.Lang, p, o)
		if m.ServiceTitle != "" {
			label += " · " + m.ServiceTitle
		}
		out = append(out, web.Option{Value: m.Path, Label: label})
	}
	return out
}

// consoleDecide records the reviewer's decision (approve, request_changes with field notes, reject).
func (s *Server) consoleDecide(w http.ResponseWriter, r *http.Request, v *web.View) {
	id, err := web.PathID(r)
	if err != nil {
		s.Fail(w, r, v, err)
		return
	}
	if r.PostFormValue("action") == "reforward" {
		err := v.Refused()
		if err == nil {
			_, err = s.svc.Reforward(v.Ctx(), v.Actor, id)
		}
		if err != nil {
			s.showConsoleOrder(w, r, v, shownAgain{err: err}, web.StatusFor(err))
			return
		}
		web.Redirect(w, r, "/console/orders/"+strconv.FormatInt(id, 10), "decided")
		return
	}
	df := &decisionForm{Reason: strings.TrimSpace(r.PostFormValue("reason"))}
	dec := provider.Decision{Decision: r.PostFormValue("decision"), Reason: df.Reason}
	var sent []noteInput // the rows behind dec.Notes, in order
	for i := 0; ; i++ {
		n := strconv.Itoa(i)
		if _, ok := r.PostForm["note_field_"+n]; !ok {
			break
		}
		in := noteInput{N: i, Field: strings.TrimSpace(r.PostFormValue("note_field_" + n)),
			Template: r.PostFormValue("note_template_" + n), Message: strings.TrimSpace(r.PostFormValue("note_message_" + n))}
		df.Notes = append(df.Notes, in)
		if in.Message == "" && in.Template != "" && i18n.Has("web.reason."+in.Template) {
			// Without the script, the chosen common reason is the message.
			in.Message = i18n.T(v.Lang, "web.reason."+in.Template, nil)
		}
		if in.Field == "" && in.Template != "" {
			for _, t := range reasonTemplates {
				if t.key == in.Template {
					in.Field = t.field
				}
			}
		}
		if in.Field == "" && in.Message == "" {
			continue
		}
		if dec.Decision == "request_changes" {
			dec.Notes = append(dec.Notes, filing.Note{Field: in.Field, Message: in.Message})
			sent = append(sent, in)
		}
	}
	if err = v.Refused(); err == nil {
		_, err = s.svc.Decide(v.Ctx(), v.Actor, id, dec)
	}
	if err != nil {
		s.showConsoleOrder(w, r, v, shownAgain{decision: df, err: aimNotes(err, sent)}, web.StatusFor(err))
		return
	}
	web.Redirect(w, r, "/console", "decided")
}

// aimNotes names the decision's errors on its notes by the inputs of the rows they are about, so that they show
// beside them: a note lacking its field or its text by that input (the service counts only the notes sent, the
// empty rows skipped), the notes as a whole by the first note's field.
func aimNotes(err error, sent []noteInput) error {
	if problem.KindOf(err) != problem.Invalid {
		return err
	}
	var out problem.List
	for _, e := range problem.As(err) {
		aimed := *e
		if e.Field == "notes" {
			aimed.Field = "note_field_0"
		} else if i, ok := noteIndex(e.Field); ok && i < len(sent) {
			aimed.Field = "note_message_" + strconv.Itoa(sent[i].N)
			if sent[i].Field == "" {
				aimed.Field = "note_field_" + strconv.Itoa(sent[i].N)
			}
		}
		out = append(out, &aimed)
	}
	return out
}

// noteIndex is i of the path notes[i].
func noteIndex(path string) (int, bool) {
	n, ok := strings.CutPrefix(path, "notes[")
	if !ok {
		return 0, false
	}
	i, err := strconv.Atoi(strings.TrimSuffix(n, "]"))
	return i, err == nil && i >= 0 && strings.HasSuffix(n, "]")
}
