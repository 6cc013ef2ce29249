package providerweb

// Step 5 of the filing wizard: the materials the rules ask for, and each APP's icon.

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/imaging"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/web"
	"github.com/beian/beian/internal/web/filingview"
)

// requiredMaterials is what the rules ask of o, through the same use case as the evaluation API.
func (s *Server) requiredMaterials(v *web.View, o *filing.Order) ([]provider.Material, error) {
	_, rep, err := s.svc.Evaluate(v.Ctx(), v.Actor, o.ID)
	return rep.Materials, err
}

// materialRows lists the materials the rules ask for (in the page's language), then each APP's icon.
func (s *Server) materialRows(v *web.View, o *filing.Order, required []provider.Material) []filingview.MaterialRow {
	var out []filingview.MaterialRow
	for _, m := range required {
		m = m.Localized(string(v.Lang))
		row := filingview.MaterialRow{Code: m.Code, Name: web.MaterialName(v.Lang, m.Code), Reason: m.Reason, Service: m.Service,
			Document: documentURL(o.ID, m.Code)}
		row.Path = "materials." + m.Code
		if m.Service != nil {
			row.Path += "[" + strconv.Itoa(*m.Service) + "]"
			row.ServiceTitle = filingview.ServiceTitle(v.Lang, o, *m.Service)
		}
		for _, ref := range o.Materials {
			if ref.Code == m.Code && sameIdx(ref.ServiceIdx, m.Service) {
				row.UploadedID = ref.ID
			}
		}
		out = append(out, row)
	}
	for i, svc := range o.Services {
		if svc.Kind == filing.Website {
			continue
		}
		n := i
		row := filingview.MaterialRow{Code: "app_icon", Name: web.MaterialName(v.Lang, "app_icon"), Reason: v.T("web.hint.app_icon"),
			Service: &n, ServiceTitle: filingview.ServiceTitle(v.Lang, o, i),
			Path: "services[" + strconv.Itoa(i) + "].app.icon_material_id"}
		if svc.App != nil {
			row.UploadedID = svc.App.IconMaterialID
		}
		out = append(out, row)
	}
	for i := range out {
		out[i].ID = web.FieldID(out[i].Path)
		setLimit(v, &out[i])
		if out[i].UploadedID != 0 {
			out[i].URL = "/api/v1/materials/" + strconv.FormatInt(out[i].UploadedID, 10)
			out[i].IsImage = true
			if m, err := s.svc.MaterialInfo(v.Ctx(), v.Actor, out[i].UploadedID); err == nil {
				out[i].IsImage = strings.HasPrefix(m.Type, "image/")
			}
		}
	}
	return out
}

func sameIdx(a, b *int) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

// setLimit states on row what its material accepts (provider.MaterialLimit): the types and the size, in the
// file input's accept list, in the card's text and in the message the script shows for a file too large.
func setLimit(v *web.View, row *filingview.MaterialRow) {
	row.Accept, row.MaxBytes, row.Accepts, row.TooLarge = materialLimit(v, row.Code)
}

// materialLimit is what material code accepts: the accept list, the size, and the texts saying so.
func materialLimit(v *web.View, code string) (accept string, maxBytes int, accepts, tooLarge string) {
	l := provider.MaterialLimit(code)
	types := make([]string, len(l.Types))
	for i, t := range l.Types {
		types[i] = string(t)
	}
	maxBytes = min(l.MaxBytes, web.MaxUpload)
	size := imaging.SizeLabel(maxBytes)
	return strings.Join(types, ","), maxBytes, v.Tf("web.materials.accepts", "types", l.Allowed(), "max", size),
		v.Tf("material.too_large", "max", size)
}

// uploadSubmit stores an uploaded material (provider.Upload checks type, size and dimensions) and attaches it.
func (s *Server) uploadSubmit(w http.ResponseWriter, r *http.Request, v *web.View, tl *provider.Timeline) {
	o := tl.Order
	id := strconv.FormatInt(o.ID, 10)
	if !o.State.Editable() {
		s.Fail(w, r, v, problem.New(problem.Conflict, "order.not_editable", "state", "state", i18n.T(v.Lang, "state."+string(o.State), nil)))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, web.MaxUpload+1<<20)
	// The form's action repeats code and service in its query, so that a body over the limit, which cannot be
	// read, is still refused on its material's card.
	parseErr := r.ParseMultipartForm(8 << 20)
	if parseErr != nil && r.FormValue("code") == "" {
		s.showStep(w, r, v, tl, "materials", s.PageErrors(r, web.TooLarge("materials")), http.StatusUnprocessableEntity)
		return
	}
	if parseErr == nil && r.FormValue("action") == "next" {
		web.Redirect(w, r, "/orders/"+id+"/review", "")
		return
	}
	code := r.FormValue("code")
	path := "materials." + code
	var idx *int
	if sv := r.FormValue("service"); sv != "" {
		n, err := strconv.Atoi(sv)
		if err != nil || n < 0 || n >= len(o.Services) {
			s.Fail(w, r, v, problem.New(problem.NotFound, "common.not_found", "service"))
			return
		}
		idx = &n
		path += "[" + sv + "]"
	}
	if code == "app_icon" && idx != nil {
		path = "services[" + strconv.Itoa(*idx) + "].app.icon_material_id"
	}
	m := s.uploadAs(w, r, v, tl, "materials", path, code, parseErr)
	if m == nil {
		return
	}
	c := contentOf(o)
	if code == "app_icon" && idx != nil {
		if c.Services[*idx].App == nil {
			c.Services[*idx].App = &filing.AppInfo{Platforms: []filing.Platform{}}
		}
		c.Services[*idx].App.IconMaterialID = m.ID
	} else {
		attachMaterial(&c, code, idx, m.ID)
	}
	if _, err := s.svc.UpdateOrder(v.Ctx(), v.Actor, o.ID, c); err != nil {
		s.failOn(w, r, v, tl, "materials", path, err)
		return
	}
	web.Redirect(w, r, "/orders/"+id+"/materials#"+web.FieldID(path), "saved")
}
