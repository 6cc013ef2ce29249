package providerweb

import (
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"time"

	"github.com/beian/beian/internal/face"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/recognise"
	"github.com/beian/beian/internal/web"
)

// The JSON API of issue 14: credential recognition (the wizard uploads the credential photo as a material,
// then asks for it to be read and fills the form from the fields), and the phone's live face check (a
// challenge of two actions, then the frames). What was read and the recapture signs are kept with the
// material: GET /api/v1/materials/{id}?variant=recognition|recapture (audited).

// recognitionRoutes registers the routes; apiRoutes calls it.
func (s *Server) recognitionRoutes() {
	s.Handle("GET", "/api/v1/recognition", s.recognitionStatus)
	s.Handle("POST", "/api/v1/materials/{id}/recognition", s.Authed(withID(s.recogniseMaterial), provider.RoleApplicant))
	s.Handle("POST", "/api/v1/verification-sessions/current/liveness", s.startLiveness)
	s.Handle("POST", "/api/v1/verification-sessions/current/liveness/frames", s.submitLiveness)
}

// recognitionStatus tells the wizard whether to offer recognition, and which kinds.
func (s *Server) recognitionStatus(w http.ResponseWriter, r *http.Request) {
	web.WriteJSON(w, http.StatusOK, map[string]any{"on": s.svc.RecognitionOn(), "kinds": recognise.Kinds})
}

func (s *Server) recogniseMaterial(w http.ResponseWriter, r *http.Request, a provider.Actor, id int64) {
	var in struct {
		Kind recognise.Kind `json:"kind"`
	}
	if err := web.Decode(r, &in); err != nil {
		web.WriteError(w, r, err)
		return
	}
	res, err := s.svc.RecogniseMaterial(r.Context(), a, id, in.Kind)
	web.Respond(w, r, http.StatusOK, res, err)
}

func (s *Server) startLiveness(w http.ResponseWriter, r *http.Request) {
	c, err := s.svc.StartLiveness(r.Context(), r.Header.Get(SessionHeader))
	web.Respond(w, r, http.StatusCreated, c, err)
}

// maxFramesBody bounds a liveness upload: face.MaxFrames frames of at most face.MaxFrameBytes would be 40 MiB;
// phones send 640 px frames of 50-150 KB, so 16 MiB leaves room.
const maxFramesBody = 16 << 20

// submitLiveness reads a multipart form: "token" and "challenge" (the JSON StartLiveness returned), then the
// frames in order as files "frame", each with a field "at" (milliseconds since the first frame).
func (s *Server) submitLiveness(w http.ResponseWriter, r *http.Request) {
	s.livenessFrames(w, r, r.Header.Get(SessionHeader))
}

// livenessFrames checks the frames of the form for the phone session secret and answers with the capture.
func (s *Server) livenessFrames(w http.ResponseWriter, r *http.Request, secret string) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFramesBody)
	if err := r.ParseMultipartForm(maxFramesBody); err != nil {
		web.WriteError(w, r, problem.Invalidf("liveness.frames_unreadable", "frames"))
		return
	}
	defer r.MultipartForm.RemoveAll()
	var c face.Challenge
	if err := json.Unmarshal([]byte(r.FormValue("challenge")), &c); err != nil {
		web.WriteError(w, r, problem.Invalidf("liveness.challenge_unknown", "challenge"))
		return
	}
	frames, err := formFrames(r.MultipartForm)
	if err != nil {
		web.WriteError(w, r, err)
		return
	}
	v, err := s.svc.SubmitLiveness(r.Context(), secret, r.FormValue("token"), c, frames)
	web.Respond(w, r, http.StatusCreated, v, err)
}

// formFrames reads the files "frame" and their fields "at".
func formFrames(f *multipart.Form) ([]face.Frame, error) {
	unreadable := problem.Invalidf("liveness.frames_unreadable", "frames")
	files, ats := f.File["frame"], f.Value["at"]
	if len(files) != len(ats) || len(files) > face.MaxFrames {
		return nil, unreadable
	}
	frames := make([]face.Frame, len(files))
	for i, fh := range files {
		ms, err := strconv.Atoi(ats[i])
		f, ferr := fh.Open()
		if err != nil || ferr != nil {
			return nil, unreadable
		}
		b, err := io.ReadAll(io.LimitReader(f, face.MaxFrameBytes+1))
		f.Close()
		if err != nil {
			return nil, unreadable
		}
		frames[i] = face.Frame{Image: b, At: time.Duration(ms) * time.Millisecond}
	}
	return frames, nil
}
