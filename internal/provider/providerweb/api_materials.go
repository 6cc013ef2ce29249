package providerweb

import (
	"io"
	"net/http"
	"strings"

	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/web"
)

// uploadMaterial accepts a file as multipart form field "file" or as the raw body; ?code= names the material.
func (s *Server) uploadMaterial(w http.ResponseWriter, r *http.Request, a provider.Actor) {
	r.Body = http.MaxBytesReader(w, r.Body, web.MaxUpload+1<<20) // the multipart envelope; Upload checks the file
	var data []byte
	var err error
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		f, _, ferr := r.FormFile("file")
		if ferr != nil {
			web.WriteError(w, r, problem.Invalidf("material.no_file", "file"))
			return
		}
		defer f.Close()
		data, err = io.ReadAll(f)
	} else {
		data, err = io.ReadAll(r.Body)
	}
	if err != nil {
		web.WriteError(w, r, web.TooLarge("file"))
		return
	}
	code := r.URL.Query().Get("code")
	if code == "" {
		code = r.FormValue("code")
	}
	m, err := s.svc.Upload(r.Context(), a, code, data)
	web.Respond(w, r, http.StatusCreated, m, err)
}

func (s *Server) getMaterial(w http.ResponseWriter, r *http.Request, a provider.Actor, id int64) {
	m, data, err := s.svc.MaterialCopy(r.Context(), a, id, r.URL.Query().Get("variant"))
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", m.Type)
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Write(data)
}
