package providerweb

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/web"
	"github.com/beian/beian/internal/web/filingview"
)

// The progress page (docs/design.md §4.2, §4.3 step 8): where the order stands, who acts next and by when, the history,
// the reviewer's notes, and the result.

type progressData struct {
	Order       *filing.Order
	Phases      []phase
	Next        *nextView
	Events      []eventView
	Reason      string
	Notes       []noteView
	CanEdit     bool
	EditURL     string
	CanWithdraw bool
	Numbers     []filingview.KV
	// NumbersTitle heads the numbers; Outcome says what became of them when the order cancelled or withdrew them.
	NumbersTitle string
	Outcome      string
	Footer       string // the homepage footer snippet, once filed (never for a cancellation or withdrawal)
	SMS          bool
	Police       []policeView // the police filings of the filed websites (pages_police.go)
	PoliceNote   string
	Curtain      *curtainView
}

type phase struct {
	Label string
	State string // done | current | todo | failed
}

type nextView struct {
	Who, Step, Deadline, Left string
	Caveat                    string // the deadline is estimated (deadlineCaveat)
	Overdue                   bool
}

type eventView struct {
	At, Action, Actor, Reason, Deadline string
	To                                  filing.State
	ToName                              string // the state entered as the applicant reads it (web.OrderStateName)
	Notes                               []noteView
}

// phases of the lifecycle as the applicant sees them.
var phaseStates = [][]filing.State{
	{filing.Draft},
	{filing.Submitted, filing.Resubmitted, filing.NeedsChanges, filing.ProviderRejected},
	{filing.ProviderApproved, filing.SMSPending, filing.Returned},
	{filing.AdministrationReview, filing.AdministrationRejected},
	{filing.Approved},
}

func phasesOf(v *web.View, t filing.OrderType, st filing.State) []phase {
	labels := []string{"web.phase.fill", "web.phase.provider", "web.phase.sms", "web.phase.administration", "web.phase.done"}
	switch t { // the last phase is what the order ends in
	case filing.CancelSubject, filing.CancelService:
		labels[4] = "web.phase.done_cancel"
	case filing.WithdrawAccess:
		labels[4] = "web.phase.done_withdraw"
	}
	cur := -1
	for i, ss := range phaseStates {
		if slices.Contains(ss, st) {
			cur = i
		}
	}
	out := make([]phase, len(labels))
	for i, l := range labels {
		out[i] = phase{Label: v.T(l), State: "todo"}
		switch {
		case cur < 0:
		case i < cur:
			out[i].State = "done"
		case i == cur:
			out[i].State = "current"
			switch st {
			case filing.NeedsChanges, filing.ProviderRejected, filing.AdministrationRejected, filing.Returned:
				out[i].State = "failed"
			case filing.Approved:
				out[i].State = "done"
			}
		}
	}
	return out
}

func eventViews(v *web.View, o *filing.Order, events []filing.Event, link func(field string) string) []eventView {
	out := make([]eventView, 0, len(events))
	for i := len(events) - 1; i >= 0; i-- {
		e := events[i]
		ev := eventView{At: web.FormatTime(e.At), Action: v.T("web.action." + string(e.Action)), Actor: v.T("web.role." + string(e.ActorRole)),
			Reason: e.Reason, To: e.To, ToName: web.OrderStateName(v.Lang, o.Type, e.To), Deadline: web.FormatPtrTime(e.Deadline)}
		for _, n := range e.Notes {
			nv := noteView{Field: n.Field, Label: filingview.QualifiedLabel(v.Lang, n.Field, o), Message: n.Message}
			if link != nil {
				nv.Link = link(n.Field)
			}
			ev.Notes = append(ev.Notes, nv)
		}
		out = append(out, ev)
	}
	return out
}

func nextOf(v *web.View, n *provider.NextStep) *nextView {
	if n == nil {
		return nil
	}
	nv := &nextView{Who: v.T("web.who." + n.Who), Step: i18n.T(v.Lang, n.Step, nil), Deadline: web.FormatPtrTime(n.Deadline)}
	switch {
	case n.HoursLeft != nil && *n.HoursLeft >= 0:
		nv.Left = v.Tf("web.next.hours_left", "n", strconv.Itoa(*n.HoursLeft))
	case n.HoursLeft != nil:
		nv.Left, nv.Overdue = v.T("web.next.overdue"), true
	case n.WorkdaysLeft != nil:
		nv.Left = v.Tf("web.next.workdays_left", "n", strconv.Itoa(*n.WorkdaysLeft))
	}
	return nv
}

func (s *Server) progressPage(w http.ResponseWriter, r *http.Request, v *web.View, tl *provider.Timeline) {
	s.showProgress(w, r, v, tl, nil, http.StatusOK)
}

// showProgress renders the order page; curtain, when set, is the curtain request form with its errors.
func (s *Server) showProgress(w http.ResponseWriter, r *http.Request, v *web.View, tl *provider.Timeline, curtain *web.Form,
	status int) {
	o := tl.Order
	id := strconv.FormatInt(o.ID, 10)
	d := &progressData{Order: o, Phases: phasesOf(v, o.Type, o.State), Next: nextOf(v, tl.Next), SMS: o.State == filing.SMSPending}
	if d.Next != nil {
		d.Next.Caveat = s.deadlineCaveat(v, tl.Next.Deadline)
	}
	d.CanEdit = o.State.Editable()
	if d.CanEdit {
		d.EditURL = "/orders/" + id + "/" + stepsOf(o)[0]
		if o.State == filing.Draft {
			d.EditURL = "/orders/" + id + "/" + s.firstOpenStep(v, o)
		}
	}
	d.CanWithdraw = slices.Contains(tl.Actions, filing.ActWithdraw)
	link := func(field string) string {
		if !d.CanEdit {
			return ""
		}
		return s.fieldLink(v, o, field, false)
	}
	reason, notes := reviewNotes(tl)
	d.Reason = reason
	for _, n := range notes {
		d.Notes = append(d.Notes, noteView{Field: n.Field, Label: filingview.QualifiedLabel(v.Lang, n.Field, o), Message: n.Message, Link: link(n.Field)})
	}
	if o.Result != nil && o.Result.Reason != "" && d.Reason == "" {
		d.Reason = o.Result.Reason
	}
	d.Events = eventViews(v, o, tl.Events, link)
	if o.State == filing.Approved {
		s.resultNumbers(v, d)
	}
	s.policeSection(v, d)
	var err error
	if d.Curtain, err = s.curtainOf(v, o); err != nil {
		s.Fail(w, r, v, err)
		return
	}
	if curtain != nil && d.Curtain != nil {
		d.Curtain.Form = curtain
		v.SetErrors(curtain)
		v.InlineErrors = true
	}
	v.Title = v.Tf("web.order.title", "id", id)
	v.D = d
	s.Render(w, v, status, "progress")
}

// resultNumbers fills the result of an approved order: the numbers it issued or kept with the footer to display,
// or for a cancellation or a withdrawal of access the numbers it concerned, what became of them and no footer.
func (s *Server) resultNumbers(v *web.View, d *progressData) {
	o := d.Order
	d.NumbersTitle = v.T("web.progress.numbers")
	switch o.Type {
	case filing.CancelSubject, filing.CancelService:
		d.NumbersTitle, d.Outcome = v.T("web.progress.numbers_cancelled"), v.T("web.progress.cancelled_note")
	case filing.WithdrawAccess:
		d.NumbersTitle, d.Outcome = v.T("web.progress.numbers_withdrawn"), v.T("web.progress.withdrawn_note")
	}
	if o.Type.Scope() != filing.ScopeService { // a service's cancellation or withdrawal leaves the subject's number
		d.Numbers = append(d.Numbers, filingview.KV{Label: v.T("web.result.subject_number"), Value: o.Subject.Number})
	}
	for i, svc := range o.Services {
		d.Numbers = append(d.Numbers, filingview.KV{Label: filingview.ServiceTitle(v.Lang, o, i), Value: svc.Number})
		if d.Footer == "" && o.Type.FilesWebsites() && svc.Kind == filing.Website && svc.Number != "" {
			d.Footer = `<a href="https://beian.miit.gov.cn/" target="_blank" rel="noopener">` + svc.Number + `</a>`
		}
	}
}

// firstOpenStep is where a draft is resumed: the subject step until a name is entered, then the services, then
// the review (which lists what is still missing).
func (s *Server) firstOpenStep(v *web.View, o *filing.Order) string {
	switch {
	case o.Filed != nil || o.Type == filing.Claim:
		return stepsOf(o)[0]
	case strings.TrimSpace(o.Subject.Name) == "" || o.Subject.Principal.Mobile == "":
		return "subject"
	case len(o.Services) == 0 || strings.TrimSpace(o.Services[0].Name) == "":
		return "services"
	}
	return "review"
}

// ---- withdrawal -----------------------------------------------------------------------------------------

type withdrawData struct {
	Order   *filing.Order
	Allowed bool
	Form    *web.Form
}

func (s *Server) withdrawForm(v *web.View, reason string) *web.Form {
	rf := v.Field("textarea", "reason", reason).Labelled(v.T("web.withdraw.reason")).Widen()
	rf.Rows = 3
	confirm := v.Checkbox("confirm", false).Labelled(v.T("web.withdraw.confirm")).Req().Widen()
	confirm.Value = "yes"
	return &web.Form{Sections: []*web.Section{{ID: "withdraw", Path: "confirm", Fields: []*web.Field{rf, confirm}}}}
}

func (s *Server) withdrawPage(w http.ResponseWriter, r *http.Request, v *web.View, tl *provider.Timeline) {
	d := &withdrawData{Order: tl.Order, Allowed: slices.Contains(tl.Actions, filing.ActWithdraw), Form: s.withdrawForm(v, "")}
	v.D = d
	status := http.StatusOK
	if !d.Allowed {
		status = http.StatusConflict
	}
	s.Render(w, v, status, "withdraw")
}

func (s *Server) withdrawSubmit(w http.ResponseWriter, r *http.Request, v *web.View, tl *provider.Timeline) {
	o := tl.Order
	reason := strings.TrimSpace(r.PostFormValue("reason"))
	d := &withdrawData{Order: o, Allowed: slices.Contains(tl.Actions, filing.ActWithdraw), Form: s.withdrawForm(v, reason)}
	v.D = d
	err := v.Refused()
	switch {
	case err != nil:
	case r.PostFormValue("confirm") != "yes":
		err = problem.Invalidf("web.error.confirm_required", "confirm")
	default:
		_, err = s.svc.Withdraw(v.Ctx(), v.Actor, o.ID, reason)
	}
	if err != nil {
		d.Form.Place(s.PageErrors(r, err))
		v.SetErrors(d.Form)
		status := http.StatusUnprocessableEntity
		if problem.KindOf(err) == problem.Conflict {
			status = http.StatusConflict
			d.Allowed = false
		}
		s.Render(w, v, status, "withdraw")
		return
	}
	web.Redirect(w, r, "/orders/"+strconv.FormatInt(o.ID, 10), "withdrawn")
}
