package mpsweb

import (
	"embed"
	"html/template"
	"io"
	"net/http"
	"strconv"

	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/mps"
	"github.com/beian/beian/internal/problem"
)

//go:embed templates/*.html
var templateFS embed.FS

// Pages registers the platform's pages on mux.
func Pages(h *Handler, mux *http.ServeMux) {
	const staff, applicant = mps.RoleStaff, mps.RoleApplicant
	mux.HandleFunc("GET /mps/{$}", h.pg(h.homePage, "mps.web.title.home"))
	mux.HandleFunc("GET /mps/register", h.pg(h.registerPage, "mps.web.title.register"))
	mux.HandleFunc("POST /mps/register", h.pg(h.registerSubmit, "mps.web.title.register"))
	mux.HandleFunc("GET /mps/login", h.pg(h.loginPage, "mps.web.title.login"))
	mux.HandleFunc("POST /mps/login", h.pg(h.loginSubmit, "mps.web.title.login"))
	mux.HandleFunc("POST /mps/logout", h.logoutSubmit)
	mux.HandleFunc("GET /mps/center", h.pg(h.centerPage, "mps.web.title.center", applicant, staff))
	mux.HandleFunc("POST /mps/center/{action}", h.pg(h.centerSubmit, "mps.web.title.center", applicant))
	mux.HandleFunc("GET /mps/verify-email", h.pg(h.verifyEmailPage, "mps.web.title.verify_email"))
	mux.HandleFunc("GET /mps/subjects/new", h.pg(h.subjectPage, "mps.web.title.subject_new", applicant))
	mux.HandleFunc("POST /mps/subjects/new", h.pg(h.subjectSubmit, "mps.web.title.subject_new", applicant))
	mux.HandleFunc("GET /mps/subjects/{id}", h.pg(h.subjectView, "mps.web.title.subject", applicant))
	mux.HandleFunc("GET /mps/websites/new", h.pg(h.websitePage, "mps.web.title.website_new", applicant))
	mux.HandleFunc("POST /mps/websites/new", h.pg(h.websiteSubmit, "mps.web.title.website_new", applicant))
	mux.HandleFunc("GET /mps/websites/{id}", h.pg(h.websiteView, "mps.web.title.website", applicant))
	mux.HandleFunc("POST /mps/data-code", h.pg(h.dataCodeSubmit, "mps.web.title.center", applicant))
	mux.HandleFunc("GET /mps/messages", h.pg(h.messagesPage, "mps.web.title.messages", applicant))
	mux.HandleFunc("GET /mps/staff", h.pg(h.queuePage, "mps.web.title.queue", staff))
	mux.HandleFunc("GET /mps/staff/{kind}/{id}", h.pg(h.recordPage, "mps.web.title.record", staff))
	mux.HandleFunc("POST /mps/staff/{kind}/{id}", h.pg(h.recordDecide, "mps.web.title.record", staff))
	mux.HandleFunc("GET /mps/materials/{id}", h.materialImage)
	mux.HandleFunc("GET /mps/query", h.pg(h.queryPage, "mps.web.title.query"))
	mux.HandleFunc("GET /mps/badge.png", serveBadge)
}

func (h *Handler) homePage(w http.ResponseWriter, r *http.Request, p *page) {
	p.Nav = "home"
	h.render(w, p, http.StatusOK, "home")
}

// ---- accounts ------------------------------------------------------------------------------------------

func registerForm(lang i18n.Lang, in mps.Registration) *form {
	return &form{Action: "/mps/register", Submit: "mps.web.register", Sections: []*section{{Fields: []*field{
		text(lang, "username", in.Username, true), pass(lang, "password"), pass(lang, "password_confirm"),
		text(lang, "name", in.Name, true), personCredentialSelect(lang, "credential_type", in.CredentialType),
		text(lang, "credential_number", in.CredentialNumber, true), typed(lang, "tel", "mobile", in.Mobile),
		typed(lang, "email", "email", in.Email),
	}}}}
}

func (h *Handler) registerPage(w http.ResponseWriter, r *http.Request, p *page) {
	p.Nav, p.D = "register", registerForm(p.Lang, mps.Registration{CredentialType: "resident_id"})
	h.render(w, p, http.StatusOK, "form")
}

func (h *Handler) registerSubmit(w http.ResponseWriter, r *http.Request, p *page) {
	in := mps.Registration{Username: r.PostFormValue("username"), Password: r.PostFormValue("password"),
		PasswordConfirm: r.PostFormValue("password_confirm"), Name: r.PostFormValue("name"),
		CredentialType: r.PostFormValue("credential_type"), CredentialNumber: r.PostFormValue("credential_number"),
		Mobile: r.PostFormValue("mobile"), Email: r.PostFormValue("email")}
	if _, err := h.Sim.Register(r.Context(), in); err != nil {
		f := registerForm(p.Lang, in)
		p.Nav, p.D, p.Errors = "register", f, f.place(r, err)
		h.render(w, p, statusFor(err), "form")
		return
	}
	redirect(w, r, "/mps/login", "registered")
}

type loginData struct {
	Form *form
	// Image is the captcha picture, a data: URL the server drew (trusted, so html/template keeps it).
	Image template.URL
}

func (h *Handler) loginData(r *http.Request, p *page, username string) (*loginData, error) {
	c, err := h.Sim.NewCaptcha(r.Context())
	if err != nil {
		return nil, err
	}
	f := &form{Action: "/mps/login", Submit: "mps.web.login", Sections: []*section{{Fields: []*field{
		text(p.Lang, "username", username, true), pass(p.Lang, "password"), text(p.Lang, "captcha", "", true)}}},
		Hidden: map[string]string{"captcha_id": c.ID, "next": localPath(r.FormValue("next"), "/mps/center")}}
	return &loginData{Form: f, Image: template.URL(c.Image)}, nil
}

func (h *Handler) loginPage(w http.ResponseWriter, r *http.Request, p *page) {
	d, err := h.loginData(r, p, "")
	if err != nil {
		h.fail(w, r, p, err)
		return
	}
	p.Nav, p.D = "login", d
	h.render(w, p, http.StatusOK, "login")
}

func (h *Handler) loginSubmit(w http.ResponseWriter, r *http.Request, p *page) {
	tok, _, err := h.Sim.Login(r.Context(), r.PostFormValue("username"), r.PostFormValue("password"),
		r.PostFormValue("captcha_id"), r.PostFormValue("captcha"))
	if err != nil {
		d, derr := h.loginData(r, p, r.PostFormValue("username"))
		if derr != nil {
			h.fail(w, r, p, derr)
			return
		}
		p.Nav, p.D, p.Errors = "login", d, d.Form.place(r, err)
		h.render(w, p, statusFor(err), "login")
		return
	}
	setSession(w, r, tok, int(mps.SessionTTL.Seconds()))
	redirect(w, r, localPath(r.PostFormValue("next"), "/mps/center"), "")
}

func (h *Handler) logoutSubmit(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(SessionCookie); err == nil {
		h.Sim.Logout(r.Context(), c.Value)
	}
	setSession(w, r, "", -1)
	redirect(w, r, "/mps/", "logged_out")
}

// ---- personal centre: credit verification, subjects, websites -------------------------------------------

type centerData struct {
	Subjects []mps.SubjectSummary
	Websites []mps.WebsiteSummary
	CodeForm *form
	DataForm *form
	Queue    []mps.QueueItem
}

func (h *Handler) centerPage(w http.ResponseWriter, r *http.Request, p *page) {
	h.showCenter(w, r, p, http.StatusOK, nil, nil)
}

func (h *Handler) showCenter(w http.ResponseWriter, r *http.Request, p *page, status int, codeErr, dataErr error) {
	if p.User.Role == mps.RoleStaff {
		redirect(w, r, "/mps/staff", "")
		return
	}
	d := &centerData{}
	var err error
	if d.Subjects, err = h.Sim.Subjects(r.Context(), p.User.ID); err == nil {
		d.Websites, err = h.Sim.Websites(r.Context(), p.User.ID)
	}
	if err != nil {
		h.fail(w, r, p, err)
		return
	}
	d.CodeForm = &form{Action: "/mps/center/mobile", Submit: "mps.web.verify", Sections: []*section{{Fields: []*field{
		text(p.Lang, "code", "", true)}}}}
	d.DataForm = &form{Action: "/mps/data-code", Submit: "mps.web.redeem", Sections: []*section{{Fields: []*field{
		text(p.Lang, "data_code", r.PostFormValue("data_code"), true), typed(p.Lang, "tel", "mobile", r.PostFormValue("mobile")),
		text(p.Lang, "id_number", "", false)}}}}
	p.Errors = append(d.CodeForm.place(r, codeErr), d.DataForm.place(r, dataErr)...)
	p.Nav, p.D = "center", d
	h.render(w, p, status, "center")
}

func (h *Handler) centerSubmit(w http.ResponseWriter, r *http.Request, p *page) {
	var err error
	switch r.PathValue("action") {
	case "mobile-code":
		err = h.Sim.SendMobileCode(r.Context(), p.User.ID)
	case "mobile":
		_, err = h.Sim.VerifyMobile(r.Context(), p.User.ID, r.PostFormValue("code"))
	case "email-link":
		err = h.Sim.SendEmailLink(r.Context(), p.User.ID)
	default:
		err = problem.New(problem.NotFound, "mps.not_found", "")
	}
	if err != nil {
		h.showCenter(w, r, p, statusFor(err), err, nil)
		return
	}
	ok := "sent"
	if r.PathValue("action") == "mobile" {
		ok = "verified"
	}
	redirect(w, r, "/mps/center", ok)
}

func (h *Handler) verifyEmailPage(w http.ResponseWriter, r *http.Request, p *page) {
	if _, err := h.Sim.VerifyEmail(r.Context(), r.URL.Query().Get("token")); err != nil {
		h.fail(w, r, p, err)
		return
	}
	p.Flash = p.t("mps.web.ok.email_verified")
	h.render(w, p, http.StatusOK, "home")
}

func (h *Handler) messagesPage(w http.ResponseWriter, r *http.Request, p *page) {
	msgs, err := h.Sim.Messages(r.Context(), p.User.ID, p.Lang, 100)
	if err != nil {
		h.fail(w, r, p, err)
		return
	}
	for _, m := range msgs {
		if !m.Read {
			h.Sim.MarkRead(r.Context(), p.User.ID, m.ID)
		}
	}
	p.Nav, p.D = "messages", msgs
	h.render(w, p, http.StatusOK, "messages")
}

// ---- public query and badge ----------------------------------------------------------------------------

type queryData struct {
	Kind, Q string
	Asked   bool
	Records []mps.Record
}

func (h *Handler) queryPage(w http.ResponseWriter, r *http.Request, p *page) {
	q := r.URL.Query()
	d := &queryData{Kind: q.Get("kind"), Q: q.Get("q")}
	if d.Kind != "domain" {
		d.Kind = "number"
	}
	status := http.StatusOK
	if _, asked := q["q"]; asked {
		d.Asked = true
		var err error
		if d.Kind == "domain" {
			d.Records, err = h.Sim.QueryByDomain(r.Context(), d.Q)
		} else {
			d.Records, err = h.Sim.QueryByNumber(r.Context(), d.Q)
		}
		if err != nil {
			_, msgs := messages(r, err)
			for _, m := range msgs {
				p.Errors = append(p.Errors, m.Message)
			}
			status = statusFor(err)
		}
	}
	p.Nav, p.D = "query", d
	h.render(w, p, status, "query")
}

func (h *Handler) materialImage(w http.ResponseWriter, r *http.Request) {
	c, err := r.Cookie(SessionCookie)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	u, err := h.Sim.Authenticate(r.Context(), c.Value)
	id, err2 := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || err2 != nil {
		http.NotFound(w, r)
		return
	}
	var data []byte
	if u.Role == mps.RoleStaff {
		data, err = h.Sim.StaffMaterial(r.Context(), u, id)
	} else {
		data, err = h.Sim.OwnMaterial(r.Context(), u.ID, id)
	}
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "image/jpeg")
	w.Header().Set("Cache-Control", "private, no-store")
	w.Write(data)
}

func statusFor(err error) int {
	s, ok := statusOf[problem.KindOf(err)]
	if !ok {
		return http.StatusInternalServerError
	}
	return s
}

// readFile returns an uploaded file of a multipart form, or nil when none was chosen.
func readFile(r *http.Request, name string) []byte {
	f, _, err := r.FormFile(name)
	if err != nil {
		return nil
	}
	defer f.Close()
	b, _ := io.ReadAll(io.LimitReader(f, 2<<20))
	return b
}
