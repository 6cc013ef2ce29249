package mpsweb

import (
	"embed"
	"html/template"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/beian/beian/internal/web"

	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/mps"
	"github.com/beian/beian/internal/problem"
)

//go:embed templates/*.html
var templateFS embed.FS

// pageRoutes registers the platform's pages on the site.
func (s *Server) pageRoutes() {
	handle := func(pattern string, h http.HandlerFunc) {
		method, path, _ := strings.Cut(pattern, " ")
		s.site.HandlePage(method, path, h)
	}
	const staff, applicant = mps.RoleStaff, mps.RoleApplicant
	handle("GET /mps/{$}", s.pg(s.homePage, "mps.web.title.home"))
	handle("GET /mps/register", s.pg(s.registerPage, "mps.web.title.register"))
	handle("POST /mps/register", s.pg(s.registerSubmit, "mps.web.title.register"))
	handle("GET /mps/login", s.pg(s.loginPage, "mps.web.title.login"))
	handle("POST /mps/login", s.pg(s.loginSubmit, "mps.web.title.login"))
	handle("POST /mps/logout", s.logoutSubmit)
	handle("GET /mps/center", s.pg(s.centerPage, "mps.web.title.center", applicant, staff))
	handle("POST /mps/center/{action}", s.pg(s.centerSubmit, "mps.web.title.center", applicant))
	handle("GET /mps/verify-email", s.pg(s.verifyEmailPage, "mps.web.title.verify_email"))
	handle("GET /mps/subjects/new", s.pg(s.subjectPage, "mps.web.title.subject_new", applicant))
	handle("POST /mps/subjects/new", s.pg(s.subjectSubmit, "mps.web.title.subject_new", applicant))
	handle("GET /mps/subjects/{id}", s.pg(s.recordView(mps.KindSubject), "mps.web.title.subject", applicant))
	handle("GET /mps/websites/new", s.pg(s.websitePage, "mps.web.title.website_new", applicant))
	handle("POST /mps/websites/new", s.pg(s.websiteSubmit, "mps.web.title.website_new", applicant))
	handle("GET /mps/websites/{id}", s.pg(s.recordView(mps.KindWebsite), "mps.web.title.website", applicant))
	handle("POST /mps/data-code", s.pg(s.dataCodeSubmit, "mps.web.title.center", applicant))
	handle("GET /mps/messages", s.pg(s.messagesPage, "mps.web.title.messages", applicant))
	handle("GET /mps/staff", s.pg(s.queuePage, "mps.web.title.queue", staff))
	handle("GET /mps/staff/{kind}/{id}", s.pg(s.recordPage, "mps.web.title.record", staff))
	handle("POST /mps/staff/{kind}/{id}", s.pg(s.recordDecide, "mps.web.title.record", staff))
	handle("GET /mps/materials/{id}", s.materialImage)
	handle("GET /mps/query", s.pg(s.queryPage, "mps.web.title.query"))
	handle("GET /mps/badge.png", serveBadge)
	changeRoutes(handle, s)
}

func (s *Server) homePage(w http.ResponseWriter, r *http.Request, p *page) {
	p.Nav = "home"
	s.render(w, p, http.StatusOK, "home")
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

func (s *Server) registerPage(w http.ResponseWriter, r *http.Request, p *page) {
	p.Nav, p.D = "register", registerForm(p.Lang, mps.Registration{CredentialType: "resident_id"})
	s.render(w, p, http.StatusOK, "form")
}

func (s *Server) registerSubmit(w http.ResponseWriter, r *http.Request, p *page) {
	in := mps.Registration{Username: r.PostFormValue("username"), Password: r.PostFormValue("password"),
		PasswordConfirm: r.PostFormValue("password_confirm"), Name: r.PostFormValue("name"),
		CredentialType: r.PostFormValue("credential_type"), CredentialNumber: r.PostFormValue("credential_number"),
		Mobile: r.PostFormValue("mobile"), Email: r.PostFormValue("email")}
	if _, err := s.Sim.Register(r.Context(), in); err != nil {
		f := registerForm(p.Lang, in)
		p.Nav, p.D, p.Errors = "register", f, f.place(r, err)
		s.render(w, p, web.StatusFor(err), "form")
		return
	}
	web.Redirect(w, r, "/mps/login", "registered")
}

type loginData struct {
	Form *form
	// Image is the captcha picture, a data: URL the server drew (trusted, so html/template keeps it).
	Image template.URL
}

func (s *Server) loginData(r *http.Request, p *page, username string) (*loginData, error) {
	c, err := s.Sim.NewCaptcha(r.Context())
	if err != nil {
		return nil, err
	}
	f := &form{Action: "/mps/login", Submit: "mps.web.login", Sections: []*section{{Fields: []*field{
		text(p.Lang, "username", username, true), pass(p.Lang, "password"), text(p.Lang, "captcha", "", true)}}},
		Hidden: map[string]string{"captcha_id": c.ID, "next": mpsPath(r.FormValue("next"))}}
	return &loginData{Form: f, Image: template.URL(c.Image)}, nil
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request, p *page) {
	d, err := s.loginData(r, p, "")
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	p.Nav, p.D = "login", d
	s.render(w, p, http.StatusOK, "login")
}

func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request, p *page) {
	tok, _, err := s.Sim.Login(r.Context(), r.PostFormValue("username"), r.PostFormValue("password"),
		r.PostFormValue("captcha_id"), r.PostFormValue("captcha"))
	if err != nil {
		d, derr := s.loginData(r, p, r.PostFormValue("username"))
		if derr != nil {
			s.fail(w, r, p, derr)
			return
		}
		p.Nav, p.D, p.Errors = "login", d, d.Form.place(r, err)
		s.render(w, p, web.StatusFor(err), "login")
		return
	}
	setSession(w, r, tok, int(mps.SessionTTL.Seconds()))
	web.Redirect(w, r, mpsPath(r.PostFormValue("next")), "")
}

func (s *Server) logoutSubmit(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(SessionCookie); err == nil {
		s.Sim.Logout(r.Context(), c.Value)
	}
	setSession(w, r, "", -1)
	web.Redirect(w, r, "/mps/", "logged_out")
}

// ---- personal centre: credit verification, subjects, websites -------------------------------------------

type centerData struct {
	Subjects []mps.SubjectSummary
	Websites []mps.WebsiteSummary
	CodeForm *form
	DataForm *form
	Queue    []mps.QueueItem
}

func (s *Server) centerPage(w http.ResponseWriter, r *http.Request, p *page) {
	s.showCenter(w, r, p, http.StatusOK, nil, nil)
}

func (s *Server) showCenter(w http.ResponseWriter, r *http.Request, p *page, status int, codeErr, dataErr error) {
	if p.User.Role == mps.RoleStaff {
		web.Redirect(w, r, "/mps/staff", "")
		return
	}
	d := &centerData{}
	var err error
	if d.Subjects, err = s.Sim.Subjects(r.Context(), p.User.ID); err == nil {
		d.Websites, err = s.Sim.Websites(r.Context(), p.User.ID)
	}
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	d.CodeForm = &form{Action: "/mps/center/mobile", Submit: "mps.web.verify", Sections: []*section{{Fields: []*field{
		text(p.Lang, "code", "", true)}}}}
	// the code with either the principal's mobile or ID number (RedeemDataCode): neither alone is required, and
	// the mobile is the ICP principal's, not the account's (whose hint mps.web.h.mobile would say otherwise)
	mobile, idNumber := typed(p.Lang, "tel", "mobile", r.PostFormValue("mobile")),
		text(p.Lang, "id_number", r.PostFormValue("id_number"), false)
	mobile.Required, mobile.Hint = false, p.t("mps.web.h.data_code_mobile")
	idNumber.Hint = p.t("mps.web.h.data_code_id_number")
	d.DataForm = &form{Action: "/mps/data-code", Submit: "mps.web.redeem", Sections: []*section{{Fields: []*field{
		text(p.Lang, "data_code", r.PostFormValue("data_code"), true), mobile, idNumber}}}}
	p.Errors = append(d.CodeForm.place(r, codeErr), d.DataForm.place(r, dataErr)...)
	p.Nav, p.D = "center", d
	s.render(w, p, status, "center")
}

func (s *Server) centerSubmit(w http.ResponseWriter, r *http.Request, p *page) {
	var err error
	switch r.PathValue("action") {
	case "mobile-code":
		err = s.Sim.SendMobileCode(r.Context(), p.User.ID)
	case "mobile":
		_, err = s.Sim.VerifyMobile(r.Context(), p.User.ID, r.PostFormValue("code"))
	case "email-link":
		err = s.Sim.SendEmailLink(r.Context(), p.User.ID)
	default:
		err = problem.New(problem.NotFound, "mps.not_found", "")
	}
	if err != nil {
		s.showCenter(w, r, p, web.StatusFor(err), err, nil)
		return
	}
	ok := "sent"
	if r.PathValue("action") == "mobile" {
		ok = "verified"
	}
	web.Redirect(w, r, "/mps/center", ok)
}

func (s *Server) verifyEmailPage(w http.ResponseWriter, r *http.Request, p *page) {
	if _, err := s.Sim.VerifyEmail(r.Context(), r.URL.Query().Get("token")); err != nil {
		s.fail(w, r, p, err)
		return
	}
	p.Flash = p.t("mps.web.ok.email_verified")
	s.render(w, p, http.StatusOK, "home")
}

func (s *Server) messagesPage(w http.ResponseWriter, r *http.Request, p *page) {
	msgs, err := s.Sim.Messages(r.Context(), p.User.ID, p.Lang, 100)
	if err != nil {
		s.fail(w, r, p, err)
		return
	}
	for _, m := range msgs {
		if !m.Read {
			s.Sim.MarkRead(r.Context(), p.User.ID, m.ID)
		}
	}
	p.Nav, p.D = "messages", msgs
	s.render(w, p, http.StatusOK, "messages")
}

// ---- public query and badge ----------------------------------------------------------------------------

type queryData struct {
	Kind, Q string
	Asked   bool
	Records []mps.Record
	Errors  []string // the refusal of what was typed, shown beside it
}

func (s *Server) queryPage(w http.ResponseWriter, r *http.Request, p *page) {
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
			d.Records, err = s.Sim.QueryByDomain(r.Context(), d.Q)
		} else {
			d.Records, err = s.Sim.QueryByNumber(r.Context(), d.Q)
		}
		if err != nil {
			st, msgs := problems(r, err)
			for _, m := range msgs {
				if st >= 500 {
					p.Errors = append(p.Errors, pageError{Message: m.Message})
					continue
				}
				// the number's or the domain's refusal: beside the box it was typed in
				d.Errors = append(d.Errors, m.Message)
				p.Errors = append(p.Errors, pageError{Target: "q", Label: p.t("mps.web.query.q"), Message: m.Message})
			}
			status = web.StatusFor(err)
		}
	}
	p.Nav, p.D = "query", d
	s.render(w, p, status, "query")
}

func (s *Server) materialImage(w http.ResponseWriter, r *http.Request) {
	c, err := r.Cookie(SessionCookie)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	u, err := s.Sim.Authenticate(r.Context(), c.Value)
	id, err2 := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || err2 != nil {
		http.NotFound(w, r)
		return
	}
	data, err := s.material(r.Context(), u, id)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "image/jpeg")
	w.Header().Set("Cache-Control", "private, no-store")
	w.Write(data)
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
