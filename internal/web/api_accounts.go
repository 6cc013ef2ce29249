package web

import (
	"net/http"
	"strconv"

	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider"
)

func (s *Server) register(w http.ResponseWriter, r *http.Request) {
	var in provider.Registration
	if err := decode(r, &in); err != nil {
		writeError(w, r, err)
		return
	}
	if in.Lang == "" {
		in.Lang = string(langOf(r))
	}
	a, err := s.svc.Register(r.Context(), in)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, a)
}

type loginInput struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	var in loginInput
	if err := decode(r, &in); err != nil {
		writeError(w, r, err)
		return
	}
	token, a, err := s.svc.Login(r.Context(), in.Email, in.Password)
	if err != nil {
		writeError(w, r, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: token, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
	writeJSON(w, http.StatusOK, map[string]any{"token": token, "account": a})
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if t := bearer(r); t != "" {
		if err := s.svc.Logout(r.Context(), t); err != nil {
			writeError(w, r, err)
			return
		}
	}
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true})
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) me(w http.ResponseWriter, r *http.Request, a provider.Actor) {
	writeJSON(w, http.StatusOK, accountOf(r))
}

func (s *Server) createToken(w http.ResponseWriter, r *http.Request, a provider.Actor) {
	var in struct {
		Name string `json:"name"`
	}
	if err := decode(r, &in); err != nil {
		writeError(w, r, err)
		return
	}
	token, err := s.svc.CreateAPIToken(r.Context(), a, in.Name)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]string{"token": token, "name": in.Name})
}

// pathID reads the {id} path value.
func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, problem.New(problem.NotFound, "common.not_found", "id")
	}
	return id, nil
}

// queryInt reads an integer query parameter with a default.
func queryInt(r *http.Request, name string, def int) int {
	if v, err := strconv.Atoi(r.URL.Query().Get(name)); err == nil && v >= 0 {
		return v
	}
	return def
}
