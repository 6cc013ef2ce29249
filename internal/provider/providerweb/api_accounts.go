package providerweb

import (
	"net/http"
	"strings"

	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/web"
)

func (s *Server) register(w http.ResponseWriter, r *http.Request) {
	var in provider.Registration
	if err := web.Decode(r, &in); err != nil {
		web.WriteError(w, r, err)
		return
	}
	if in.Lang == "" {
		in.Lang = string(web.LangOf(r))
	}
	if _, err := s.svc.Register(r.Context(), in); err != nil {
		web.WriteError(w, r, err)
		return
	}
	// The same answer whether the address was new or already had an account (provider.Register).
	web.WriteJSON(w, http.StatusAccepted, registrationAccepted{Email: strings.TrimSpace(in.Email),
		Message: i18n.T(web.LangOf(r), "account.registered", map[string]string{"email": strings.TrimSpace(in.Email)})})
}

// registrationAccepted is the answer to a registration: a mail went to the address, and a new account can log
// in at once.
type registrationAccepted struct {
	Email   string `json:"email"`
	Message string `json:"message"`
}

type loginInput struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	var in loginInput
	if err := web.Decode(r, &in); err != nil {
		web.WriteError(w, r, err)
		return
	}
	token, a, err := s.svc.Login(r.Context(), in.Email, in.Password, web.ClientAddr(r))
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: web.SessionCookie, Value: token, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: web.SecureCookie(r)})
	web.WriteJSON(w, http.StatusOK, map[string]any{"token": token, "account": a})
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if t := web.Bearer(r); t != "" {
		if err := s.svc.Logout(r.Context(), t); err != nil {
			web.WriteError(w, r, err)
			return
		}
	}
	http.SetCookie(w, &http.Cookie{Name: web.SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true})
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) me(w http.ResponseWriter, r *http.Request, a provider.Actor) {
	_, acc, err := s.svc.Authenticate(r.Context(), web.Bearer(r)) // the session Authed checked (cached)
	web.Respond(w, r, http.StatusOK, acc, err)
}

func (s *Server) createToken(w http.ResponseWriter, r *http.Request, a provider.Actor) {
	var in struct {
		Name string `json:"name"`
	}
	if err := web.Decode(r, &in); err != nil {
		web.WriteError(w, r, err)
		return
	}
	token, err := s.svc.CreateAPIToken(r.Context(), a, in.Name)
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusCreated, map[string]string{"token": token, "name": in.Name})
}
