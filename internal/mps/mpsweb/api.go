package mpsweb

import (
	"io"
	"net/http"
	"strings"

	"github.com/beian/beian/internal/codes"
	"github.com/beian/beian/internal/mps"
	"github.com/beian/beian/internal/police"
	"github.com/beian/beian/internal/problem"
)

// Register adds the platform's JSON API through handle (the server's route table). h may be nil when only the
// table is wanted (the OpenAPI test).
func Register(h *Handler, handle func(method, path string, fn http.HandlerFunc)) {
	if h == nil {
		h = &Handler{}
	}
	const staff, applicant = mps.RoleStaff, mps.RoleApplicant
	p := "/mps/api/v1"
	handle("POST", p+"/captchas", h.newCaptcha)
	handle("GET", p+"/dev/captchas/{id}", h.captchaAnswer)
	handle("POST", p+"/accounts", h.register)
	handle("POST", p+"/session", h.login)
	handle("DELETE", p+"/session", h.logout)
	handle("GET", p+"/me", h.authed(h.me))
	handle("POST", p+"/credit/mobile-code", h.authed(h.sendMobileCode, applicant))
	handle("POST", p+"/credit/mobile", h.authed(h.verifyMobile, applicant))
	handle("POST", p+"/credit/email-link", h.authed(h.sendEmailLink, applicant))
	handle("POST", p+"/credit/email", h.verifyEmail)
	handle("GET", p+"/codes", h.codeLists)
	handle("POST", p+"/materials", h.authed(h.uploadMaterial, applicant))
	handle("GET", p+"/materials/{id}", h.authed(h.getMaterial))
	handle("POST", p+"/data-codes/redeem", h.authed(h.redeem, applicant))
	handle("GET", p+"/subjects", h.authed(h.subjects, applicant))
	handle("POST", p+"/subjects", h.authed(h.submitSubject, applicant))
	handle("GET", p+"/subjects/{id}", h.authed(h.subject, applicant))
	handle("PUT", p+"/subjects/{id}", h.authed(h.updateSubject, applicant))
	handle("POST", p+"/subjects/{id}/cancel", h.authed(h.cancelSubject, applicant))
	handle("GET", p+"/websites", h.authed(h.websites, applicant))
	handle("POST", p+"/websites", h.authed(h.submitWebsite, applicant))
	handle("GET", p+"/websites/{id}", h.authed(h.website, applicant))
	handle("PUT", p+"/websites/{id}", h.authed(h.updateWebsite, applicant))
	handle("POST", p+"/websites/{id}/cancel", h.authed(h.cancelWebsite, applicant))
	handle("GET", p+"/websites/{id}/badge", h.authed(h.badge, applicant))
	handle("GET", p+"/messages", h.authed(h.messages))
	handle("GET", p+"/staff/queue", h.authed(h.queue, staff))
	handle("GET", p+"/staff/{kind}/{id}", h.authed(h.staffRecord, staff))
	handle("POST", p+"/staff/{kind}/{id}/decisions", h.authed(h.decide, staff))
	handle("GET", p+"/query", h.query)
}

func (h *Handler) newCaptcha(w http.ResponseWriter, r *http.Request) {
	c, err := h.Sim.NewCaptcha(r.Context())
	respond(w, r, http.StatusCreated, c, err)
}

// captchaAnswer is the demo hook: tests and demonstrations read the answer here, never from the picture.
func (h *Handler) captchaAnswer(w http.ResponseWriter, r *http.Request) {
	if !h.Demo {
		writeError(w, r, problem.New(problem.NotFound, "mps.not_found", ""))
		return
	}
	a, err := h.Sim.CaptchaAnswer(r.Context(), r.PathValue("id"))
	respond(w, r, http.StatusOK, map[string]string{"answer": a}, err)
}

func (h *Handler) register(w http.ResponseWriter, r *http.Request) {
	var in mps.Registration
	if err := decode(r, &in); err != nil {
		writeError(w, r, err)
		return
	}
	u, err := h.Sim.Register(r.Context(), in)
	respond(w, r, http.StatusCreated, u, err)
}

type loginInput struct {
	Username      string `json:"username"`
	Password      string `json:"password"`
	CaptchaID     string `json:"captcha_id"`
	CaptchaAnswer string `json:"captcha_answer"`
}

func (h *Handler) login(w http.ResponseWriter, r *http.Request) {
	var in loginInput
	if err := decode(r, &in); err != nil {
		writeError(w, r, err)
		return
	}
	tok, u, err := h.Sim.Login(r.Context(), in.Username, in.Password, in.CaptchaID, in.CaptchaAnswer)
	if err != nil {
		writeError(w, r, err)
		return
	}
	setSession(w, r, tok, int(mps.SessionTTL.Seconds()))
	writeJSON(w, http.StatusOK, map[string]any{"token": tok, "user": u})
}

func (h *Handler) logout(w http.ResponseWriter, r *http.Request) {
	if t := token(r); t != "" {
		h.Sim.Logout(r.Context(), t)
	}
	setSession(w, r, "", -1)
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handler) me(w http.ResponseWriter, r *http.Request, u *mps.User) {
	writeJSON(w, http.StatusOK, u)
}

func (h *Handler) sendMobileCode(w http.ResponseWriter, r *http.Request, u *mps.User) {
	respond(w, r, http.StatusAccepted, map[string]string{"sent_to": u.Mobile}, h.Sim.SendMobileCode(r.Context(), u.ID))
}

func (h *Handler) verifyMobile(w http.ResponseWriter, r *http.Request, u *mps.User) {
	var in struct {
		Code string `json:"code"`
	}
	if err := decode(r, &in); err != nil {
		writeError(w, r, err)
		return
	}
	out, err := h.Sim.VerifyMobile(r.Context(), u.ID, in.Code)
	respond(w, r, http.StatusOK, out, err)
}

func (h *Handler) sendEmailLink(w http.ResponseWriter, r *http.Request, u *mps.User) {
	respond(w, r, http.StatusAccepted, map[string]string{"sent_to": u.Email}, h.Sim.SendEmailLink(r.Context(), u.ID))
}

func (h *Handler) verifyEmail(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Token string `json:"token"`
	}
	if err := decode(r, &in); err != nil {
		writeError(w, r, err)
		return
	}
	out, err := h.Sim.VerifyEmail(r.Context(), in.Token)
	respond(w, r, http.StatusOK, out, err)
}

// codeLists returns the platform's code lists with names in the request's language.
func (h *Handler) codeLists(w http.ResponseWriter, r *http.Request) {
	lang := langOf(r)
	type item struct {
		Code string `json:"code"`
		Name string `json:"name"`
	}
	var natures, credentials, services, kinds []item
	for _, n := range codes.PoliceNatures() {
		natures = append(natures, item{n.Name, n.Names.In(lang)})
	}
	for _, c := range codes.CredentialTypes() {
		credentials = append(credentials, item{c.Name, c.Names.In(lang)})
	}
	for _, o := range mps.ServiceTypes() {
		services = append(services, item{o.Code, o.Name(lang)})
	}
	for _, o := range mps.InteractiveKinds() {
		kinds = append(kinds, item{o.Code, o.Name(lang)})
	}
	materials := map[string][]string{}
	for _, n := range codes.PoliceNatures() {
		materials["subject."+n.Name] = mps.SubjectMaterials(n.Name)
		materials["website."+n.Name] = mps.WebsiteMaterials(n.Name)
	}
	writeJSON(w, http.StatusOK, map[string]any{"natures": natures, "credential_types": credentials,
		"service_types": services, "interactive_kinds": kinds, "materials": materials})
}

// uploadMaterial takes the image as the request body (image/jpeg, at most 512 KB), purpose in the query.
func (h *Handler) uploadMaterial(w http.ResponseWriter, r *http.Request, u *mps.User) {
	data, err := io.ReadAll(io.LimitReader(r.Body, 2<<20))
	if err != nil {
		writeError(w, r, problem.Invalidf("imaging.corrupt", "body"))
		return
	}
	id, err := h.Sim.UploadMaterial(r.Context(), u.ID, r.URL.Query().Get("purpose"), data)
	respond(w, r, http.StatusCreated, map[string]any{"id": id}, err)
}

func (h *Handler) getMaterial(w http.ResponseWriter, r *http.Request, u *mps.User) {
	id, err := pathID(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var data []byte
	if u.Role == mps.RoleStaff {
		data, err = h.Sim.StaffMaterial(r.Context(), u, id)
	} else {
		data, err = h.Sim.OwnMaterial(r.Context(), u.ID, id)
	}
	if err != nil {
		writeError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/jpeg")
	w.Header().Set("Cache-Control", "private, no-store")
	w.Write(data)
}

func (h *Handler) redeem(w http.ResponseWriter, r *http.Request, u *mps.User) {
	var in struct {
		DataCode string `json:"data_code"`
		Mobile   string `json:"mobile"`
		IDNumber string `json:"id_number"`
	}
	if err := decode(r, &in); err != nil {
		writeError(w, r, err)
		return
	}
	p, err := h.Sim.RedeemDataCode(r.Context(), u.ID, in.DataCode, in.Mobile, in.IDNumber)
	respond(w, r, http.StatusOK, p, err)
}

func (h *Handler) subjects(w http.ResponseWriter, r *http.Request, u *mps.User) {
	list, err := h.Sim.Subjects(r.Context(), u.ID)
	respond(w, r, http.StatusOK, map[string]any{"subjects": list}, err)
}

func (h *Handler) submitSubject(w http.ResponseWriter, r *http.Request, u *mps.User) {
	var in mps.SubjectInput
	if err := decode(r, &in); err != nil {
		writeError(w, r, err)
		return
	}
	s, err := h.Sim.SubmitSubject(r.Context(), u.ID, in)
	respond(w, r, http.StatusCreated, s, err)
}

func (h *Handler) subject(w http.ResponseWriter, r *http.Request, u *mps.User) {
	id, err := pathID(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	s, err := h.Sim.Subject(r.Context(), u.ID, id)
	respond(w, r, http.StatusOK, s, err)
}

func (h *Handler) updateSubject(w http.ResponseWriter, r *http.Request, u *mps.User) {
	id, err := pathID(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var in mps.SubjectInput
	if err := decode(r, &in); err != nil {
		writeError(w, r, err)
		return
	}
	s, err := h.Sim.UpdateSubject(r.Context(), u.ID, id, in)
	respond(w, r, http.StatusOK, s, err)
}

type cancelInput struct {
	Reason string `json:"reason"`
}

func (h *Handler) cancelSubject(w http.ResponseWriter, r *http.Request, u *mps.User) {
	id, err := pathID(r)
	var in cancelInput
	if err == nil {
		err = decode(r, &in)
	}
	if err == nil {
		err = h.Sim.CancelSubject(r.Context(), u.ID, id, in.Reason)
	}
	if err != nil {
		writeError(w, r, err)
		return
	}
	s, err := h.Sim.Subject(r.Context(), u.ID, id)
	respond(w, r, http.StatusOK, s, err)
}

func (h *Handler) websites(w http.ResponseWriter, r *http.Request, u *mps.User) {
	list, err := h.Sim.Websites(r.Context(), u.ID)
	respond(w, r, http.StatusOK, map[string]any{"websites": list}, err)
}

func (h *Handler) submitWebsite(w http.ResponseWriter, r *http.Request, u *mps.User) {
	var in mps.WebsiteInput
	if err := decode(r, &in); err != nil {
		writeError(w, r, err)
		return
	}
	s, err := h.Sim.SubmitWebsite(r.Context(), u.ID, in)
	respond(w, r, http.StatusCreated, s, err)
}

func (h *Handler) website(w http.ResponseWriter, r *http.Request, u *mps.User) {
	id, err := pathID(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	s, err := h.Sim.Website(r.Context(), u.ID, id)
	respond(w, r, http.StatusOK, s, err)
}

func (h *Handler) updateWebsite(w http.ResponseWriter, r *http.Request, u *mps.User) {
	id, err := pathID(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var in mps.WebsiteInput
	if err := decode(r, &in); err != nil {
		writeError(w, r, err)
		return
	}
	s, err := h.Sim.UpdateWebsite(r.Context(), u.ID, id, in)
	respond(w, r, http.StatusOK, s, err)
}

func (h *Handler) cancelWebsite(w http.ResponseWriter, r *http.Request, u *mps.User) {
	id, err := pathID(r)
	var in cancelInput
	if err == nil {
		err = decode(r, &in)
	}
	if err == nil {
		err = h.Sim.CancelWebsite(r.Context(), u.ID, id, in.Reason)
	}
	if err != nil {
		writeError(w, r, err)
		return
	}
	s, err := h.Sim.Website(r.Context(), u.ID, id)
	respond(w, r, http.StatusOK, s, err)
}

// Badge is what a filed website places at the bottom centre of its homepage.
type Badge struct {
	Number   string `json:"number"`
	QueryURL string `json:"query_url"`
	IconURL  string `json:"icon_url"`
	HTML     string `json:"html"`
}

// BadgeIcon is where the simulator serves the badge icon.
const BadgeIcon = "/mps/badge.png"

func badgeOf(number string) Badge {
	return Badge{Number: number, QueryURL: police.QueryURL(police.Digits(number)), IconURL: BadgeIcon,
		HTML: police.BadgeHTML(number, "备案图标.png")}
}

func (h *Handler) badge(w http.ResponseWriter, r *http.Request, u *mps.User) {
	id, err := pathID(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	site, err := h.Sim.Website(r.Context(), u.ID, id)
	if err == nil && site.PoliceNumber == "" || err == nil && site.State == mps.StateCancelled {
		err = problem.New(problem.Conflict, "mps.not_filed", "")
	}
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, badgeOf(site.PoliceNumber))
}

func (h *Handler) messages(w http.ResponseWriter, r *http.Request, u *mps.User) {
	list, err := h.Sim.Messages(r.Context(), u.ID, langOf(r), 100)
	respond(w, r, http.StatusOK, map[string]any{"messages": list}, err)
}

func (h *Handler) queue(w http.ResponseWriter, r *http.Request, u *mps.User) {
	q, err := h.Sim.Queue(r.Context(), u, r.URL.Query().Get("state"))
	respond(w, r, http.StatusOK, map[string]any{"items": q}, err)
}

func recordKind(r *http.Request) (string, error) {
	switch r.PathValue("kind") {
	case "subjects":
		return mps.KindSubject, nil
	case "websites":
		return mps.KindWebsite, nil
	}
	return "", problem.New(problem.NotFound, "mps.not_found", "")
}

func (h *Handler) staffRecord(w http.ResponseWriter, r *http.Request, u *mps.User) {
	kind, err := recordKind(r)
	id, err2 := pathID(r)
	if err = firstErr(err, err2); err != nil {
		writeError(w, r, err)
		return
	}
	if kind == mps.KindSubject {
		s, err := h.Sim.StaffSubject(r.Context(), u, id)
		respond(w, r, http.StatusOK, map[string]any{"subject": s}, err)
		return
	}
	site, subj, err := h.Sim.StaffWebsite(r.Context(), u, id)
	respond(w, r, http.StatusOK, map[string]any{"website": site, "subject": subj}, err)
}

func (h *Handler) decide(w http.ResponseWriter, r *http.Request, u *mps.User) {
	kind, err := recordKind(r)
	id, err2 := pathID(r)
	var d mps.Decision
	if err = firstErr(err, err2); err == nil {
		err = decode(r, &d)
	}
	if err == nil {
		err = h.Sim.Decide(r.Context(), u, kind, id, d)
	}
	if err != nil {
		writeError(w, r, err)
		return
	}
	h.staffRecord(w, r, u)
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// query is the public query by police number or domain.
func (h *Handler) query(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var recs []mps.Record
	var err error
	switch {
	case strings.TrimSpace(q.Get("number")) != "":
		recs, err = h.Sim.QueryByNumber(r.Context(), q.Get("number"))
	case strings.TrimSpace(q.Get("domain")) != "":
		recs, err = h.Sim.QueryByDomain(r.Context(), q.Get("domain"))
	default:
		err = problem.Invalidf("mps.query_empty", "number")
	}
	respond(w, r, http.StatusOK, map[string]any{"records": recs}, err)
}
