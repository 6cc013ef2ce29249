package providerweb

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/qrsvg"
	"github.com/beian/beian/internal/web"
)

// The JSON API of issue #5: an order's evidence (materials and verifications), the PC → phone hand-off, the
// phone's capture and confirmation (for apps that do not use the HTML pages), verification photos, and the
// reviewer's actions on verifications.

// verificationRoutes registers the routes; apiRoutes calls it.
func (s *Server) verificationRoutes() {
	const applicant, reviewer = provider.RoleApplicant, provider.RoleReviewer
	s.Handle("GET", "/api/v1/orders/{id}/verification", s.Authed(withID(s.orderEvidence)))
	s.Handle("POST", "/api/v1/orders/{id}/verification/links", s.Authed(withID(s.createVerificationLink), applicant))
	s.Handle("POST", "/api/v1/verification-sessions", s.openVerificationSession)
	s.Handle("GET", "/api/v1/verification-sessions/current", s.currentVerificationSession)
	s.Handle("POST", "/api/v1/verification-sessions/current/photo", s.captureVerificationPhoto)
	s.Handle("POST", "/api/v1/verification-sessions/current/confirm", s.confirmVerificationPhoto)
	s.Handle("GET", "/api/v1/verifications/{id}/photo", s.Authed(withID(s.verificationPhoto)))
	s.Handle("POST", "/api/v1/console/orders/{id}/verifications/{vid}/return", s.Authed(withID(s.returnVerification), reviewer))
	s.Handle("POST", "/api/v1/console/orders/{id}/verification-requests", s.Authed(withID(s.requestVerification), reviewer))
}

// SessionHeader carries a phone's verification session in the JSON API (the HTML pages use a cookie).
const SessionHeader = "X-Verification-Session"

// verifyCookie is the phone's verification session in the HTML pages: HttpOnly, limited to /m/.
const verifyCookie = "beian_verify"

// PhonePath is where a QR code points: the phone opens PhonePath?t=TOKEN (no login) and the link is spent. The
// token is in the query, which the access log leaves out.
const PhonePath = "/m/v"

func (s *Server) orderEvidence(w http.ResponseWriter, r *http.Request, a provider.Actor, id int64) {
	ev, err := s.svc.Evidence(r.Context(), a, id)
	web.Respond(w, r, http.StatusOK, ev, err)
}

// linkResponse is a new QR-code link: the URL for the phone and its QR code as inline SVG.
type linkResponse struct {
	*provider.LinkView
	URL   string `json:"url"`
	QRSVG string `json:"qr_svg"`
}

func (s *Server) newLink(r *http.Request, a provider.Actor, orderID int64, person string) (*linkResponse, error) {
	l, err := s.svc.CreateVerificationLink(r.Context(), a, orderID, person)
	if err != nil {
		return nil, err
	}
	u := publicBase(r) + PhonePath + "?t=" + l.Token
	svg, err := qrsvg.SVG(u, qrsvg.Options{Label: i18n.T(web.LangOf(r), "verify.qr_label", nil), Size: 220})
	if err != nil {
		return nil, err
	}
	return &linkResponse{LinkView: l, URL: u, QRSVG: svg}, nil
}

func (s *Server) createVerificationLink(w http.ResponseWriter, r *http.Request, a provider.Actor, id int64) {
	var in struct {
		Person string `json:"person"`
	}
	if err := web.Decode(r, &in); err != nil {
		web.WriteError(w, r, err)
		return
	}
	out, err := s.newLink(r, a, id, in.Person)
	web.Respond(w, r, http.StatusCreated, out, err)
}

// publicBase is the scheme and host the browser used, so that the phone reaches the same site (behind a proxy
// that terminates TLS, X-Forwarded-Proto says https).
func publicBase(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func (s *Server) openVerificationSession(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Token string `json:"token"`
	}
	if err := web.Decode(r, &in); err != nil {
		web.WriteError(w, r, err)
		return
	}
	ps, err := s.svc.OpenVerificationLink(r.Context(), in.Token)
	web.Respond(w, r, http.StatusCreated, ps, err)
}

func (s *Server) currentVerificationSession(w http.ResponseWriter, r *http.Request) {
	v, err := s.svc.VerificationSession(r.Context(), r.Header.Get(SessionHeader))
	web.Respond(w, r, http.StatusOK, v, err)
}

func (s *Server) captureVerificationPhoto(w http.ResponseWriter, r *http.Request) {
	data, err := web.ReadPhoto(w, r)
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	v, err := s.svc.CapturePhoto(r.Context(), r.Header.Get(SessionHeader), data)
	web.Respond(w, r, http.StatusCreated, v, err)
}

func (s *Server) confirmVerificationPhoto(w http.ResponseWriter, r *http.Request) {
	v, err := s.svc.ConfirmPhoto(r.Context(), r.Header.Get(SessionHeader))
	web.Respond(w, r, http.StatusOK, v, err)
}

// verificationPhoto serves a verification photo (?copy=miit: the copy sent to MIIT) to the order's applicant
// or to provider staff; every read is audited.
func (s *Server) verificationPhoto(w http.ResponseWriter, r *http.Request, a provider.Actor, id int64) {
	_, data, err := s.svc.VerificationPhoto(r.Context(), a, id, r.URL.Query().Get("copy") == "miit")
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	servePrivateImage(w, data)
}

func servePrivateImage(w http.ResponseWriter, data []byte) {
	w.Header().Set("Content-Type", "image/jpeg")
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.Write(data)
}

func (s *Server) returnVerification(w http.ResponseWriter, r *http.Request, a provider.Actor, id int64) {
	vid, err := strconv.ParseInt(r.PathValue("vid"), 10, 64)
	if err != nil || vid <= 0 {
		web.WriteError(w, r, problem.New(problem.NotFound, "verification.not_found", "vid"))
		return
	}
	var in struct {
		Note string `json:"note"`
	}
	if err := web.Decode(r, &in); err != nil {
		web.WriteError(w, r, err)
		return
	}
	o, err := s.svc.ReturnVerification(r.Context(), a, id, vid, in.Note)
	web.Respond(w, r, http.StatusOK, o, err)
}

func (s *Server) requestVerification(w http.ResponseWriter, r *http.Request, a provider.Actor, id int64) {
	var in struct {
		Person string `json:"person"`
		Note   string `json:"note"`
	}
	if err := web.Decode(r, &in); err != nil {
		web.WriteError(w, r, err)
		return
	}
	o, err := s.svc.RequestVerification(r.Context(), a, id, in.Person, in.Note)
	web.Respond(w, r, http.StatusOK, o, err)
}

// timeLeft formats how long until t, for the PC page's countdown ("9:41").
func timeLeft(now, t time.Time) string {
	d := t.Sub(now).Round(time.Second)
	if d < 0 {
		d = 0
	}
	return strconv.Itoa(int(d.Minutes())) + ":" + twoDigits(int(d.Seconds())%60)
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}
