package mpsweb

import (
	"bytes"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/beian/beian/internal/access"
	"github.com/beian/beian/internal/web"

	"github.com/beian/beian/internal/codes"
	"github.com/beian/beian/internal/mps"
	"github.com/beian/beian/internal/police"
	"github.com/beian/beian/internal/problem"
)

// apiRoutes registers the platform's JSON API on the site's route table.
func (s *Server) apiRoutes() {
	handle := s.site.Handle
	const staff, applicant = mps.RoleStaff, mps.RoleApplicant
	p := "/mps/api/v1"
	handle("POST", p+"/captchas", s.newCaptcha)
	handle("GET", p+"/dev/captchas/{id}", s.site.Authed(s.captchaAnswer, access.RoleOperator))
	handle("POST", p+"/accounts", s.register)
	handle("POST", p+"/session", s.login)
	handle("DELETE", p+"/session", s.logout)
	handle("GET", p+"/me", s.authed(s.me))
	handle("POST", p+"/credit/mobile-code", s.authed(s.sendMobileCode, applicant))
	handle("POST", p+"/credit/mobile", s.authed(s.verifyMobile, applicant))
	handle("POST", p+"/credit/email-link", s.authed(s.sendEmailLink, applicant))
	handle("POST", p+"/credit/email", s.verifyEmail)
	handle("GET", p+"/codes", s.codeLists)
	handle("POST", p+"/materials", s.authed(s.uploadMaterial, applicant))
	handle("GET", p+"/materials/{id}", s.authed(s.getMaterial))
	handle("POST", p+"/data-codes/redeem", s.authed(s.redeem, applicant))
	handle("GET", p+"/subjects", s.authed(s.subjects, applicant))
	handle("POST", p+"/subjects", s.authed(s.submitSubject, applicant))
	handle("GET", p+"/subjects/{id}", s.authed(s.subject, applicant))
	handle("PUT", p+"/subjects/{id}", s.authed(s.updateSubject, applicant))
	handle("POST", p+"/subjects/{id}/cancel", s.authed(s.cancelSubject, applicant))
	handle("GET", p+"/websites", s.authed(s.websites, applicant))
	handle("POST", p+"/websites", s.authed(s.submitWebsite, applicant))
	handle("GET", p+"/websites/{id}", s.authed(s.website, applicant))
	handle("PUT", p+"/websites/{id}", s.authed(s.updateWebsite, applicant))
	handle("POST", p+"/websites/{id}/cancel", s.authed(s.cancelWebsite, applicant))
	handle("GET", p+"/websites/{id}/badge", s.authed(s.badge, applicant))
	handle("GET", p+"/messages", s.authed(s.messages))
	handle("GET", p+"/staff/queue", s.authed(s.queue, staff))
	handle("GET", p+"/staff/{kind}/{id}", s.authed(s.staffRecord, staff))
	handle("POST", p+"/staff/{kind}/{id}/decisions", s.authed(s.decide, staff))
	handle("GET", p+"/query", s.query)
}

func (s *Server) newCaptcha(w http.ResponseWriter, r *http.Request) {
	c, err := s.Sim.NewCaptcha(r.Context())
	web.Respond(w, r, http.StatusCreated, c, err)
}

// captchaAnswer is the demo hook: in demo mode an operator (tests, load runs, demonstrations) reads a captcha's
// answer here, as for the MIIT simulator's challenges; pages never show it.
func (s *Server) captchaAnswer(w http.ResponseWriter, r *http.Request, _ access.Actor) {
	if !s.Demo {
		web.WriteError(w, r, problem.New(problem.NotFound, "mps.not_found", ""))
		return
	}
	a, err := s.Sim.CaptchaAnswer(r.Context(), r.PathValue("id"))
	web.Respond(w, r, http.StatusOK, map[string]string{"answer": a}, err)
}

func (s *Server) register(w http.ResponseWriter, r *http.Request) {
	var in mps.Registration
	if err := web.Decode(r, &in); err != nil {
		web.WriteError(w, r, err)
		return
	}
	u, err := s.Sim.Register(r.Context(), in)
	web.Respond(w, r, http.StatusCreated, u, err)
}

type loginInput struct {
	Username      string `json:"username"`
	Password      string `json:"password"`
	CaptchaID     string `json:"captcha_id"`
	CaptchaAnswer string `json:"captcha_answer"`
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	var in loginInput
	if err := web.Decode(r, &in); err != nil {
		web.WriteError(w, r, err)
		return
	}
	tok, u, err := s.Sim.Login(r.Context(), in.Username, in.Password, in.CaptchaID, in.CaptchaAnswer)
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	setSession(w, r, tok, int(mps.SessionTTL.Seconds()))
	web.WriteJSON(w, http.StatusOK, map[string]any{"token": tok, "user": u})
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if t := token(r); t != "" {
		s.Sim.Logout(r.Context(), t)
	}
	setSession(w, r, "", -1)
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) me(w http.ResponseWriter, r *http.Request, u *mps.User) {
	web.WriteJSON(w, http.StatusOK, u)
}

func (s *Server) sendMobileCode(w http.ResponseWriter, r *http.Request, u *mps.User) {
	web.Respond(w, r, http.StatusAccepted, map[string]string{"sent_to": u.Mobile}, s.Sim.SendMobileCode(r.Context(), u.ID))
}

func (s *Server) verifyMobile(w http.ResponseWriter, r *http.Request, u *mps.User) {
	var in struct {
		Code string `json:"code"`
	}
	if err := web.Decode(r, &in); err != nil {
		web.WriteError(w, r, err)
		return
	}
	out, err := s.Sim.VerifyMobile(r.Context(), u.ID, in.Code)
	web.Respond(w, r, http.StatusOK, out, err)
}

func (s *Server) sendEmailLink(w http.ResponseWriter, r *http.Request, u *mps.User) {
	web.Respond(w, r, http.StatusAccepted, map[string]string{"sent_to": u.Email}, s.Sim.SendEmailLink(r.Context(), u.ID))
}

func (s *Server) verifyEmail(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Token string `json:"token"`
	}
	if err := web.Decode(r, &in); err != nil {
		web.WriteError(w, r, err)
		return
	}
	out, err := s.Sim.VerifyEmail(r.Context(), in.Token)
	web.Respond(w, r, http.StatusOK, out, err)
}

// codeLists returns the platform's code lists with names in the request's language.
func (s *Server) codeLists(w http.ResponseWriter, r *http.Request) {
	lang := web.LangOf(r)
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
	web.WriteJSON(w, http.StatusOK, map[string]any{"natures": natures, "credential_types": credentials,
		"service_types": services, "interactive_kinds": kinds, "materials": materials})
}

// uploadMaterial takes the image as the request body (image/jpeg, at most 512 KB), purpose in the query.
func (s *Server) uploadMaterial(w http.ResponseWriter, r *http.Request, u *mps.User) {
	buf := uploadBufs.Get().(*[]byte)
	defer uploadBufs.Put(buf)
	data, err := readUpload(r, 2<<20, *buf)
	*buf = data[:0] // the buffer, grown if it had to be, serves the next upload
	if err != nil {
		web.WriteError(w, r, problem.Invalidf("imaging.corrupt", "body"))
		return
	}
	id, err := s.Sim.UploadMaterial(r.Context(), u.ID, r.URL.Query().Get("purpose"), data)
	web.Respond(w, r, http.StatusCreated, map[string]any{"id": id}, err)
}

// uploadBufs holds the buffers uploads are read into. The simulator keeps nothing of the bytes it is given
// (it keeps them sealed, in a buffer of its own), so a buffer serves upload after upload rather than a new one
// of the file's size being allocated and zeroed for each.
var uploadBufs = sync.Pool{New: func() any { return new([]byte) }}

// readUpload reads a request body of at most limit bytes into dst's array (grown if too small) and returns it;
// the image checks refuse what is too large, with the file's size. A body that states its length is read
// whole at once.
func readUpload(r *http.Request, limit int64, dst []byte) ([]byte, error) {
	if n := r.ContentLength; n >= 0 && n <= limit {
		b := slices.Grow(dst[:0], int(n))[:n]
		_, err := io.ReadFull(r.Body, b)
		return b, err
	}
	buf := bytes.NewBuffer(dst[:0])
	_, err := buf.ReadFrom(io.LimitReader(r.Body, limit))
	return buf.Bytes(), err
}

func (s *Server) getMaterial(w http.ResponseWriter, r *http.Request, u *mps.User) {
	id, err := web.PathID(r)
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	data, err := s.material(r.Context(), u, id)
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/jpeg")
	w.Header().Set("Cache-Control", "private, no-store")
	w.Write(data)
}

func (s *Server) redeem(w http.ResponseWriter, r *http.Request, u *mps.User) {
	var in struct {
		DataCode string `json:"data_code"`
		Mobile   string `json:"mobile"`
		IDNumber string `json:"id_number"`
	}
	if err := web.Decode(r, &in); err != nil {
		web.WriteError(w, r, err)
		return
	}
	p, err := s.Sim.RedeemDataCode(r.Context(), u.ID, in.DataCode, in.Mobile, in.IDNumber)
	web.Respond(w, r, http.StatusOK, p, err)
}

func (s *Server) subjects(w http.ResponseWriter, r *http.Request, u *mps.User) {
	list, err := s.Sim.Subjects(r.Context(), u.ID)
	web.Respond(w, r, http.StatusOK, map[string]any{"subjects": list}, err)
}

func (s *Server) submitSubject(w http.ResponseWriter, r *http.Request, u *mps.User) {
	var in mps.SubjectInput
	if err := web.Decode(r, &in); err != nil {
		web.WriteError(w, r, err)
		return
	}
	out, err := s.Sim.SubmitSubject(r.Context(), u.ID, in)
	web.Respond(w, r, http.StatusCreated, out, err)
}

func (s *Server) subject(w http.ResponseWriter, r *http.Request, u *mps.User) {
	id, err := web.PathID(r)
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	out, err := s.Sim.Subject(r.Context(), u.ID, id)
	web.Respond(w, r, http.StatusOK, out, err)
}

func (s *Server) updateSubject(w http.ResponseWriter, r *http.Request, u *mps.User) {
	id, err := web.PathID(r)
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	var in mps.SubjectInput
	if err := web.Decode(r, &in); err != nil {
		web.WriteError(w, r, err)
		return
	}
	out, err := s.Sim.UpdateSubject(r.Context(), u.ID, id, in)
	web.Respond(w, r, http.StatusOK, out, err)
}

type cancelInput struct {
	Reason string `json:"reason"`
}

func (s *Server) cancelSubject(w http.ResponseWriter, r *http.Request, u *mps.User) {
	id, err := web.PathID(r)
	var in cancelInput
	if err == nil {
		err = web.Decode(r, &in)
	}
	if err == nil {
		err = s.Sim.CancelSubject(r.Context(), u.ID, id, in.Reason)
	}
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	out, err := s.Sim.Subject(r.Context(), u.ID, id)
	web.Respond(w, r, http.StatusOK, out, err)
}

func (s *Server) websites(w http.ResponseWriter, r *http.Request, u *mps.User) {
	list, err := s.Sim.Websites(r.Context(), u.ID)
	web.Respond(w, r, http.StatusOK, map[string]any{"websites": list}, err)
}

func (s *Server) submitWebsite(w http.ResponseWriter, r *http.Request, u *mps.User) {
	var in mps.WebsiteInput
	if err := web.Decode(r, &in); err != nil {
		web.WriteError(w, r, err)
		return
	}
	out, err := s.Sim.SubmitWebsite(r.Context(), u.ID, in)
	web.Respond(w, r, http.StatusCreated, out, err)
}

func (s *Server) website(w http.ResponseWriter, r *http.Request, u *mps.User) {
	id, err := web.PathID(r)
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	out, err := s.Sim.Website(r.Context(), u.ID, id)
	web.Respond(w, r, http.StatusOK, out, err)
}

func (s *Server) updateWebsite(w http.ResponseWriter, r *http.Request, u *mps.User) {
	id, err := web.PathID(r)
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	var in mps.WebsiteInput
	if err := web.Decode(r, &in); err != nil {
		web.WriteError(w, r, err)
		return
	}
	out, err := s.Sim.UpdateWebsite(r.Context(), u.ID, id, in)
	web.Respond(w, r, http.StatusOK, out, err)
}

func (s *Server) cancelWebsite(w http.ResponseWriter, r *http.Request, u *mps.User) {
	id, err := web.PathID(r)
	var in cancelInput
	if err == nil {
		err = web.Decode(r, &in)
	}
	if err == nil {
		err = s.Sim.CancelWebsite(r.Context(), u.ID, id, in.Reason)
	}
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	out, err := s.Sim.Website(r.Context(), u.ID, id)
	web.Respond(w, r, http.StatusOK, out, err)
}

// Badge is what a filed website places at the bottom centre of its homepage.
type Badge struct {
	Number   string `json:"number"`
	QueryURL string `json:"query_url"`
	IconURL  string `json:"icon_url"`
	HTML     string `json:"html"`
}

// BadgeIcon is where the simulator serves the badge icon, below its public address.
const BadgeIcon = "/mps/badge.png"

// BadgeIconURL is the badge icon's absolute address on the platform at base (its public address), so that it
// works wherever it is pasted; without a base it is the path alone.
func BadgeIconURL(base string) string { return strings.TrimRight(base, "/") + BadgeIcon }

// badgeOf is the badge of a number: the icon's absolute address to download it from, and the snippet as the
// platform hands it out, with the icon the site serves itself once downloaded (备案图标.png).
func (s *Server) badgeOf(number string) Badge {
	return Badge{Number: number, QueryURL: police.QueryURL(police.Digits(number)), IconURL: BadgeIconURL(s.Sim.BaseURL()),
		HTML: police.BadgeHTML(number, "备案图标.png")}
}

func (s *Server) badge(w http.ResponseWriter, r *http.Request, u *mps.User) {
	id, err := web.PathID(r)
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	number, err := s.Sim.PoliceNumber(r.Context(), u.ID, id)
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusOK, s.badgeOf(number))
}

func (s *Server) messages(w http.ResponseWriter, r *http.Request, u *mps.User) {
	list, err := s.Sim.Messages(r.Context(), u.ID, web.LangOf(r), 100)
	web.Respond(w, r, http.StatusOK, map[string]any{"messages": list}, err)
}

func (s *Server) queue(w http.ResponseWriter, r *http.Request, u *mps.User) {
	q, err := s.Sim.Queue(r.Context(), u, r.URL.Query().Get("state"))
	web.Respond(w, r, http.StatusOK, map[string]any{"items": q}, err)
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

func (s *Server) staffRecord(w http.ResponseWriter, r *http.Request, u *mps.User) {
	kind, err := recordKind(r)
	id, err2 := web.PathID(r)
	if err = firstErr(err, err2); err != nil {
		web.WriteError(w, r, err)
		return
	}
	if kind == mps.KindSubject {
		out, err := s.Sim.StaffSubject(r.Context(), u, id)
		web.Respond(w, r, http.StatusOK, map[string]any{"subject": out}, err)
		return
	}
	site, subj, err := s.Sim.StaffWebsite(r.Context(), u, id)
	web.Respond(w, r, http.StatusOK, map[string]any{"website": site, "subject": subj}, err)
}

func (s *Server) decide(w http.ResponseWriter, r *http.Request, u *mps.User) {
	kind, err := recordKind(r)
	id, err2 := web.PathID(r)
	var d mps.Decision
	if err = firstErr(err, err2); err == nil {
		err = web.Decode(r, &d)
	}
	if err == nil {
		err = s.Sim.Decide(r.Context(), u, kind, id, d)
	}
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	s.staffRecord(w, r, u)
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
func (s *Server) query(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var recs []mps.Record
	var err error
	switch {
	case strings.TrimSpace(q.Get("number")) != "":
		recs, err = s.Sim.QueryByNumber(r.Context(), q.Get("number"))
	case strings.TrimSpace(q.Get("domain")) != "":
		recs, err = s.Sim.QueryByDomain(r.Context(), q.Get("domain"))
	default:
		err = problem.Invalidf("mps.query_empty", "number")
	}
	web.Respond(w, r, http.StatusOK, map[string]any{"records": recs}, err)
}
