package miitweb

import (
	"net/http"

	"github.com/beian/beian/internal/miit"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/web"
)

// appVerification is the simulated Shanghai administration app (Alibaba Cloud's materials guide): multipart fields name, id_number and
// photo. The photo is checked; when it passes, the verification is reported to the provider of every pending
// Shanghai submission that names the person.
func (s *Server) appVerification(w http.ResponseWriter, r *http.Request) {
	data, err := web.ReadPhoto(w, r)
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	out, err := s.miit.AppVerify(r.Context(), miit.AppVerification{Name: r.FormValue("name"),
		IDNumber: r.FormValue("id_number"), Photo: data})
	web.Respond(w, r, http.StatusOK, out, err)
}

// ---- the simulated Shanghai administration app ----------------------------------------------------------

type appData struct {
	Name, IDNumber string
	Reported       int
}

func (s *Server) appPage(w http.ResponseWriter, r *http.Request, v *web.View) {
	s.showApp(w, v, &appData{}, http.StatusOK)
}

func (s *Server) showApp(w http.ResponseWriter, v *web.View, d *appData, status int) {
	v.Area, v.Current = "miit", "app"
	v.Title = v.T("verify.app.title")
	v.D = d
	s.Render(w, v, status, "verify_app")
}

func (s *Server) appSubmit(w http.ResponseWriter, r *http.Request, v *web.View) {
	data, err := web.ReadPhoto(w, r)
	d := &appData{Name: r.FormValue("name"), IDNumber: r.FormValue("id_number")}
	var out *miit.AppOutcome
	if err == nil {
		out, err = s.miit.AppVerify(v.Ctx(), miit.AppVerification{Name: d.Name, IDNumber: d.IDNumber, Photo: data})
	}
	if err != nil {
		if k := problem.KindOf(err); k != problem.Invalid && k != problem.NotFound {
			s.Fail(w, r, v, err)
			return
		}
		v.Errors = s.PageErrors(r, err)
		v.AimErrors("app-form", map[string]web.Input{"name": {ID: "app-name", Label: v.T("verify.app.name")},
			"id_number": {ID: "app-id", Label: v.T("verify.app.id_number")}, "photo": {ID: "app-photo", Label: v.T("verify.phone.take")}})
		s.showApp(w, v, d, http.StatusUnprocessableEntity)
		return
	}
	d.Reported = out.Reported
	s.showApp(w, v, d, http.StatusOK)
}
