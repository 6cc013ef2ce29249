package providerweb

import (
	"net/http"

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
	a, err := s.svc.Register(r.Context(), in)
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	web.WriteJSON(w, http.StatusCreated, a)
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
	token, a, err := s.svc.Login(r.Context(), in.Email, in.Password)
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: web.SessionCookie, Value: token, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
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
