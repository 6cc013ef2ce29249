package providerweb

import (
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/provider/store"
	"github.com/beian/beian/internal/web"
)

// The pages of real-person verification (issue #5, docs/design.md §4.3 step 6): the applicant's PC page with the QR
// code, which follows the phone by itself (polling the JSON status); the phone's pages, opened from the QR
// code without logging in; and the reviewer's page with the verification photos beside the credentials.

// verifyPageRoutes registers the pages; pageRoutes calls it.
func (s *Server) verifyPageRoutes() {
	const applicant, reviewer, operator = provider.RoleApplicant, provider.RoleReviewer, provider.RoleOperator
	s.HandlePage("GET", "/orders/{id}/verification", s.Page(s.verifyPCPage, applicant))
	s.HandlePage("POST", "/orders/{id}/verification", s.Page(s.verifyPCSubmit, applicant))
	s.HandlePage("GET", PhonePath, s.Page(s.phoneOpen))
	s.HandlePage("GET", "/m/verify", s.Page(s.phonePage))
	s.HandlePage("POST", "/m/verify/photo", s.Page(s.phoneCapture))
	s.HandlePage("POST", "/m/verify/confirm", s.Page(s.phoneConfirm))
	// The phone page's live check: the JSON API's liveness endpoints for the page's session cookie.
	s.HandlePage("POST", "/m/verify/liveness", func(w http.ResponseWriter, r *http.Request) {
		c, err := s.svc.StartLiveness(r.Context(), phoneSecret(r))
		web.Respond(w, r, http.StatusCreated, c, err)
	})
	s.HandlePage("POST", "/m/verify/liveness/frames", func(w http.ResponseWriter, r *http.Request) {
		s.livenessFrames(w, r, phoneSecret(r))
	})
	s.HandlePage("GET", "/m/verify/photo/{id}", s.phonePhoto)
	s.HandlePage("GET", "/console/orders/{id}/verification", s.Page(s.verifyConsolePage, reviewer, operator))
	s.HandlePage("POST", "/console/orders/{id}/verification", s.FormPost(s.verifyConsoleSubmit, reviewer))
}

// ---- the applicant's PC page ----------------------------------------------------------------------------

type verifyPCData struct {
	Order    *filing.Order
	Evidence *provider.EvidenceStatus
	Persons  []personRow
	// Link is the QR code just made (shown once: the token is never stored).
	Link     *linkResponse
	LinkLeft string
	// QR is the link's QR code: qrsvg escapes its only text (the label) and writes nothing else from outside.
	QR        template.HTML
	PrevID    int64 // the person's verification before this QR code (the page waits for a newer one)
	Shanghai  bool
	PollURL   string
	Labels    map[string]string // state → label, for the script
	Missing   int               // materials still to upload
	BackURL   string
	MatURL    string
	ReviewURL string
	FormURL   string // the printable verification form, when the rules ask this order for it
}

type personRow struct {
	provider.PersonStatus
	Roles      string
	StateLabel string
	PhotoURL   string
	Capture    map[string]any
	Shown      bool // the QR code below is for this person
}

// personStates are the states of a person's verification the pages name.
var personStates = []string{"missing", "link_pending", "link_opened", "captured", "confirmed", "returned",
	"administration_app", "passed", "failed", "expired", "replaced", "new_capture"}

func (s *Server) verifyPCData(v *web.View, r *http.Request) (*verifyPCData, error) {
	tl, err := s.timeline(v, r)
	if err != nil {
		return nil, err
	}
	ev, err := s.svc.Evidence(v.Ctx(), v.Actor, tl.Order.ID)
	if err != nil {
		return nil, err
	}
	ids := strconv.FormatInt(tl.Order.ID, 10)
	d := &verifyPCData{Order: tl.Order, Evidence: ev, Shanghai: tl.Order.Province == "31",
		PollURL: "/api/v1/orders/" + ids + "/verification", Labels: map[string]string{},
		BackURL: "/orders/" + ids, MatURL: "/orders/" + ids + "/materials", ReviewURL: "/orders/" + ids + "/review"}
	for _, st := range personStates {
		d.Labels[st] = v.T("verify.state." + st)
	}
	for _, m := range ev.Materials {
		if m.MaterialID == 0 {
			d.Missing++
		}
		if m.Code == "verification_form" {
			d.FormURL = documentURL(tl.Order.ID, m.Code)
		}
	}
	d.Persons = personRows(v, ev.Persons, false)
	return d, nil
}

func personRows(v *web.View, ps []provider.PersonStatus, staff bool) []personRow {
	var out []personRow
	for _, p := range ps {
		row := personRow{PersonStatus: p, StateLabel: v.T("verify.state." + p.State)}
		if p.State == "link_pending" && p.Link != nil && p.Link.State == "expired" {
			row.StateLabel = v.T("verify.state.expired")
		}
		var roles []string
		for _, r := range p.Roles {
			roles = append(roles, v.T("verification.role."+r))
		}
		row.Roles = strings.Join(roles, v.T("verify.sep"))
		if p.Verification != nil && len(p.Verification.BlobKey) > 0 && p.Verification.State != store.VerificationCaptured {
			row.PhotoURL = "/api/v1/verifications/" + strconv.FormatInt(p.Verification.ID, 10) + "/photo"
		}
		if staff && p.Verification != nil {
			row.Capture = provider.CaptureHints(p.Verification)
		}
		out = append(out, row)
	}
	return out
}

func (s *Server) verifyPCPage(w http.ResponseWriter, r *http.Request, v *web.View) {
	d, err := s.verifyPCData(v, r)
	if err != nil {
		s.Fail(w, r, v, err)
		return
	}
	s.showVerifyPC(w, v, d, http.StatusOK)
}

func (s *Server) showVerifyPC(w http.ResponseWriter, v *web.View, d *verifyPCData, status int) {
	v.Area, v.Current = "portal", "orders"
	v.Title = v.T("verify.pc.title") + " · " + v.Tf("web.order.title", "id", strconv.FormatInt(d.Order.ID, 10))
	v.D = d
	s.Render(w, v, status, "verify_pc")
}

// verifyPCSubmit makes a QR code for a person (action=qr, also the "refresh" button) and shows it.
func (s *Server) verifyPCSubmit(w http.ResponseWriter, r *http.Request, v *web.View) {
	d, err := s.verifyPCData(v, r)
	if err != nil {
		s.Fail(w, r, v, err)
		return
	}
	person := r.PostFormValue("person")
	link, err := s.newLink(r, v.Actor, d.Order.ID, person)
	if err != nil {
		if k := problem.KindOf(err); k != problem.Invalid && k != problem.Conflict {
			s.Fail(w, r, v, err)
			return
		}
		v.Errors = s.PageErrors(r, err)
		s.showVerifyPC(w, v, d, http.StatusUnprocessableEntity)
		return
	}
	// The state after the new link, for the list.
	if ev, err := s.svc.Evidence(v.Ctx(), v.Actor, d.Order.ID); err == nil {
		d.Evidence = ev
		d.Persons = personRows(v, ev.Persons, false)
	}
	d.Link, d.LinkLeft, d.QR = link, timeLeft(s.clock.Now(), link.ExpiresAt), template.HTML(link.QRSVG)
	for i := range d.Persons {
		if d.Persons[i].Shown = d.Persons[i].Key == link.Person.Key; d.Persons[i].Shown && d.Persons[i].Verification != nil {
			d.PrevID = d.Persons[i].Verification.ID
		}
	}
	s.showVerifyPC(w, v, d, http.StatusOK)
}

// ---- the phone's pages ----------------------------------------------------------------------------------

type phoneData struct {
	Session  *provider.SessionView
	Curtain  bool
	PhotoURL string
	Roles    string
	Expired  bool
}

// phoneOpen spends the link of a QR code and starts the phone's session (a cookie for /m/ only).
func (s *Server) phoneOpen(w http.ResponseWriter, r *http.Request, v *web.View) {
	v.Area = "portal"
	ps, err := s.svc.OpenVerificationLink(v.Ctx(), r.URL.Query().Get("t"))
	if err != nil {
		s.Fail(w, r, v, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: verifyCookie, Value: ps.Secret, Path: "/m/", HttpOnly: true,
		Secure: web.SecureCookie(r), SameSite: http.SameSiteLaxMode, Expires: ps.ExpiresAt,
		MaxAge: int(provider.PhoneSessionTTL.Seconds())})
	http.Redirect(w, r, "/m/verify", http.StatusSeeOther)
}

func phoneSecret(r *http.Request) string {
	if c, err := r.Cookie(verifyCookie); err == nil {
		return c.Value
	}
	return ""
}

func (s *Server) phonePage(w http.ResponseWriter, r *http.Request, v *web.View) {
	s.showPhone(w, r, v, nil, http.StatusOK)
}

func (s *Server) showPhone(w http.ResponseWriter, r *http.Request, v *web.View, errs []web.FieldError, status int) {
	v.Area = "portal"
	sv, err := s.svc.VerificationSession(v.Ctx(), phoneSecret(r))
	if err != nil {
		s.Fail(w, r, v, err)
		return
	}
	d := &phoneData{Session: sv, Curtain: sv.Person.Method == provider.MethodCurtain}
	var roles []string
	for _, x := range sv.Person.Roles {
		roles = append(roles, v.T("verification.role."+x))
	}
	d.Roles = strings.Join(roles, v.T("verify.sep"))
	if sv.Capture != nil {
		d.PhotoURL = "/m/verify/photo/" + strconv.FormatInt(sv.Capture.ID, 10)
	}
	v.Errors = errs
	v.Title = v.T("verify.phone.title")
	v.D = d
	s.Render(w, v, status, "verify_phone")
}

// phoneCapture receives the photo from the camera input; a refused photo is shown with what to fix.
func (s *Server) phoneCapture(w http.ResponseWriter, r *http.Request, v *web.View) {
	data, err := web.ReadPhoto(w, r)
	if err == nil {
		_, err = s.svc.CapturePhoto(v.Ctx(), phoneSecret(r), data)
	}
	if err != nil {
		switch problem.KindOf(err) {
		case problem.Invalid:
			s.showPhone(w, r, v, s.PageErrors(r, err), http.StatusUnprocessableEntity)
		default:
			s.Fail(w, r, v, err)
		}
		return
	}
	http.Redirect(w, r, "/m/verify#confirm", http.StatusSeeOther)
}

func (s *Server) phoneConfirm(w http.ResponseWriter, r *http.Request, v *web.View) {
	if _, err := s.svc.ConfirmPhoto(v.Ctx(), phoneSecret(r)); err != nil {
		if problem.KindOf(err) == problem.Conflict && problem.Is(err, "verification.nothing_to_confirm") {
			s.showPhone(w, r, v, s.PageErrors(r, err), http.StatusConflict)
			return
		}
		s.Fail(w, r, v, err)
		return
	}
	http.Redirect(w, r, "/m/verify#done", http.StatusSeeOther)
}

// phonePhoto shows the phone its captured photo, for confirmation.
func (s *Server) phonePhoto(w http.ResponseWriter, r *http.Request) {
	id, err := web.PathID(r)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	data, err := s.svc.SessionPhoto(r.Context(), phoneSecret(r), id)
	if err != nil {
		w.WriteHeader(web.StatusOf[problem.KindOf(err)])
		return
	}
	servePrivateImage(w, data)
}

// ---- the reviewer's page --------------------------------------------------------------------------------

type verifyConsoleData struct {
	Order       *filing.Order
	Evidence    *provider.EvidenceStatus
	Persons     []personRow
	Credentials []credentialPhoto
	CanReturn   bool
	CanRequest  bool
	LegalRep    bool
	Requested   bool
	BackURL     string
	Typed       verifyTyped // what a refused POST carried, shown again in its form
}

// verifyTyped is the form a reviewer sent and the note they typed, kept when the POST is refused.
type verifyTyped struct {
	Action       string
	Verification int64
	Note         string
}

// typedNoteID is the id of the note input of the form the reviewer sent ("" when the page shows none).
func (d *verifyConsoleData) typedNoteID() string {
	if d.Typed.Action == "request" {
		return "note-lr"
	}
	for _, p := range d.Persons {
		if p.Verification != nil && p.Verification.ID == d.Typed.Verification {
			return "note-" + p.Key
		}
	}
	return ""
}

type credentialPhoto struct {
	Code, Name, URL string
	Service         *int
}

// credentialCodes are the materials shown beside the verification photos.
var credentialCodes = []string{"subject_credential", "subject_principal_credential", "service_principal_credential",
	"handheld_credential_photo", "handheld_unit_credential_photo", "residence_permit"}

func (s *Server) verifyConsoleData(v *web.View, r *http.Request) (*verifyConsoleData, error) {
	o, err := s.order(v, r)
	if err != nil {
		return nil, err
	}
	ev, err := s.svc.Evidence(v.Ctx(), v.Actor, o.ID)
	if err != nil {
		return nil, err
	}
	d := &verifyConsoleData{Order: o, Evidence: ev, Persons: personRows(v, ev.Persons, true),
		BackURL: "/console/orders/" + strconv.FormatInt(o.ID, 10)}
	_, err = filing.Next(o.State, filing.ActRequestChanges, filing.RoleReviewer)
	d.CanReturn = err == nil && v.Actor.Role == provider.RoleReviewer
	d.CanRequest = v.Actor.Role == provider.RoleReviewer && !o.State.Final()
	d.LegalRep = o.Subject.LegalRepresentative != nil && o.Subject.LegalRepresentative.Name != ""
	for _, p := range ev.Persons {
		if p.Key == provider.PersonLegalRepresentative {
			d.Requested = true
		}
	}
	for _, ref := range o.Materials {
		if slices.Contains(credentialCodes, ref.Code) {
			d.Credentials = append(d.Credentials, credentialPhoto{Code: ref.Code, Name: web.MaterialName(v.Lang, ref.Code),
				URL: "/api/v1/materials/" + strconv.FormatInt(ref.ID, 10), Service: ref.ServiceIdx})
		}
	}
	return d, nil
}

func (s *Server) verifyConsolePage(w http.ResponseWriter, r *http.Request, v *web.View) {
	d, err := s.verifyConsoleData(v, r)
	if err != nil {
		s.Fail(w, r, v, err)
		return
	}
	s.showVerifyConsole(w, v, d, http.StatusOK)
}

func (s *Server) showVerifyConsole(w http.ResponseWriter, v *web.View, d *verifyConsoleData, status int) {
	v.Area, v.Current = "console", "queue"
	v.Title = v.T("verify.console.title") + " · " + v.Tf("web.order.title", "id", strconv.FormatInt(d.Order.ID, 10))
	v.D = d
	s.Render(w, v, status, "verify_console")
}

// verifyConsoleSubmit sends a verification back with a note (action=return) or asks for the legal
// representative's verification (action=request).
func (s *Server) verifyConsoleSubmit(w http.ResponseWriter, r *http.Request, v *web.View) {
	id, err := web.PathID(r)
	if err != nil {
		s.Fail(w, r, v, err)
		return
	}
	typed := verifyTyped{Action: r.PostFormValue("action"), Note: r.PostFormValue("note")}
	typed.Verification, _ = strconv.ParseInt(r.PostFormValue("verification"), 10, 64)
	switch {
	case v.Refused() != nil:
		err = v.Refused()
	case typed.Action == "return":
		_, err = s.svc.ReturnVerification(v.Ctx(), v.Actor, id, typed.Verification, typed.Note)
	case typed.Action == "request":
		_, err = s.svc.RequestVerification(v.Ctx(), v.Actor, id, r.PostFormValue("person"), typed.Note)
	default:
		err = problem.Invalidf("common.required", "action", "label", "web.field.verify_action")
	}
	if err != nil {
		if k := problem.KindOf(err); k != problem.Invalid && k != problem.Conflict {
			s.Fail(w, r, v, err)
			return
		}
		d, derr := s.verifyConsoleData(v, r)
		if derr != nil {
			s.Fail(w, r, v, derr)
			return
		}
		d.Typed = typed
		v.Errors = s.PageErrors(r, err)
		ids := map[string]web.Input{}
		if id := d.typedNoteID(); id != "" {
			label := v.T("verify.console.note") // the note sending a photo back, or the one asking for the legal representative's
			if typed.Action == "request" {
				label = v.T("verify.console.request_lr")
			}
			ids["note"] = web.Input{ID: id, Label: label}
		}
		v.AimErrors("", ids)
		s.showVerifyConsole(w, v, d, http.StatusUnprocessableEntity)
		return
	}
	web.Redirect(w, r, "/console/orders/"+strconv.FormatInt(id, 10)+"/verification", "decided")
}
