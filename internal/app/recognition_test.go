package app_test

import (
	"bytes"
	"encoding/json"
	"image"
	"math/rand/v2"
	"mime/multipart"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/face"
	"github.com/beian/beian/internal/face/facetest"
	"github.com/beian/beian/internal/recognise"
	"github.com/beian/beian/internal/recognise/credtest"
)

// withOCR turns the local engine on; without it the test skips, or fails under CI=true (.ci/run installs it).
func withOCR(t *testing.T) func(*app.Config) {
	if _, err := recognise.NewTesseract(""); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	if _, err := credtest.Font(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	return func(c *app.Config) { c.Recognition.Mode = "local" }
}

// recognition is the JSON of POST /api/v1/materials/{id}/recognition.
type recognition struct {
	Kind   string `json:"kind"`
	Fields map[string]struct {
		Value, Read, Check string
		Confidence         float64
	} `json:"fields"`
}

// An applicant uploads a photo of the ID card and gets the fields to fill the form with; a number that fails
// its checksum is not filled and says which check failed; the reading and the recapture signs are kept with
// the material for the reviewer.
func TestRecognitionOverHTTP(t *testing.T) {
	a := startApp(t, "", withOCR(t))
	p := newParties(t, a)
	c, _ := p.newApplicant("ocr@example.com")
	var status struct {
		On    bool     `json:"on"`
		Kinds []string `json:"kinds"`
	}
	c.must(200, "GET", "/api/v1/recognition", nil, &status)
	if !status.On || len(status.Kinds) != 4 {
		t.Fatalf("status %+v", status)
	}

	person := credtest.NewPerson(rand.New(rand.NewPCG(5, 6)))
	front, err := credtest.IDFront(person)
	if err != nil {
		t.Fatal(err)
	}
	m := uploadMaterial(t, c, "subject_principal_credential", encodeJPEG(t, credtest.Dim(front, 1, 3, 1), 92))
	var r recognition
	c.must(200, "POST", path("/api/v1/materials/%d/recognition", m.ID), map[string]string{"kind": "resident_id_front"}, &r)
	want := map[string]string{"name": person.Name, "id_number": person.Number, "birth_date": person.Birth.Format(time.DateOnly),
		"address": person.Address}
	for k, v := range want {
		if r.Fields[k].Value != v {
			t.Errorf("%s = %+v, want %q", k, r.Fields[k], v)
		}
	}
	status2, kept := c.do("GET", path("/api/v1/materials/%d?variant=recognition", m.ID), nil)
	if status2 != 200 || !bytes.Contains(kept, []byte(person.Number)) {
		t.Errorf("kept reading: %d %.200s", status2, kept)
	}
	if st, signs := c.do("GET", path("/api/v1/materials/%d?variant=recapture", m.ID), nil); st != 200 || !bytes.Contains(signs, []byte(`"findings":[]`)) {
		t.Errorf("recapture signs of a genuine photo: %d %s", st, signs)
	}

	// A misprinted check character: the number is read but not filled.
	bad := person
	bad.Number = person.Number[:17] + map[bool]string{true: "1", false: "0"}[person.Number[17] == '0']
	front, _ = credtest.IDFront(bad)
	m2 := uploadMaterial(t, c, "subject_principal_credential", encodeJPEG(t, front, 92))
	c.must(200, "POST", path("/api/v1/materials/%d/recognition", m2.ID), map[string]string{"kind": "resident_id_front"}, &r)
	if f := r.Fields["id_number"]; f.Value != "" || f.Check != "resident_id.checksum" {
		t.Errorf("bad check character: %+v", f)
	}

	// Only the owner, and only a kind the material can be.
	st, body := c.do("POST", path("/api/v1/materials/%d/recognition", m.ID), map[string]string{"kind": "business_license"})
	if codes := errorCodesOf(t, body); st != 422 || !hasCode(codes, "recognise.kind_unknown") {
		t.Errorf("licence kind on a principal's credential: %d %v", st, codes)
	}
	other, _ := p.newApplicant("ocr-other@example.com")
	if st, _ := other.do("POST", path("/api/v1/materials/%d/recognition", m.ID), map[string]string{"kind": "resident_id_front"}); st != 404 {
		t.Errorf("another applicant's material: %d", st)
	}
}

// Without an engine the server runs and says recognition is off.
func TestRecognitionOff(t *testing.T) {
	a := startApp(t, "")
	p := newParties(t, a)
	c, _ := p.newApplicant("no-ocr@example.com")
	var status struct{ On bool }
	c.must(200, "GET", "/api/v1/recognition", nil, &status)
	m := uploadMaterial(t, c, "subject_principal_credential", smallDocumentPhoto(t, 3))
	st, body := c.do("POST", path("/api/v1/materials/%d/recognition", m.ID), map[string]string{"kind": "resident_id_front"})
	if codes := errorCodesOf(t, body); status.On || st != 409 || !hasCode(codes, "recognise.off") {
		t.Errorf("recognition off: on=%v, %d %v", status.On, st, codes)
	}
}

// liveStart is the JSON of POST …/liveness.
type liveStart struct {
	face.Challenge
	Token string              `json:"token"`
	Steps map[string][]string `json:"steps"`
}

func (ph *phone) startLiveness() liveStart {
	ph.c.t.Helper()
	var s liveStart
	ph.c.must(201, "POST", "/api/v1/verification-sessions/current/liveness", nil, &s, "X-Verification-Session", ph.session)
	return s
}

// sendFrames posts the frames as the phone page does (multipart).
func (ph *phone) sendFrames(s liveStart, shots []facetest.Shot) (int, []byte) {
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	w.WriteField("token", s.Token)
	cj, _ := json.Marshal(s.Challenge)
	w.WriteField("challenge", string(cj))
	for i, sh := range shots {
		fw, _ := w.CreateFormFile("frame", "frame"+strconv.Itoa(i)+".jpg")
		fw.Write(sh.Image)
		w.WriteField("at", strconv.Itoa(int(sh.At/time.Millisecond)))
	}
	w.Close()
	return ph.c.sendRaw("POST", "/api/v1/verification-sessions/current/liveness/frames", w.FormDataContentType(), body.Bytes(),
		"X-Verification-Session", ph.session)
}

// perform films the standard face doing the actions in order.
func perform(t *testing.T, seed uint64, actions []face.Action) []facetest.Shot {
	s := facetest.Standard(t)
	n := facetest.Repeat(s.M, 3)
	parts := [][]*image.RGBA{n}
	for _, a := range actions {
		switch a {
		case face.Blink:
			parts = append(parts, []*image.RGBA{s.EyesClosed()})
		case face.OpenMouth:
			parts = append(parts, []*image.RGBA{s.MouthOpen()})
		case face.TurnLeft:
			parts = append(parts, []*image.RGBA{s.Turned(1)})
		case face.TurnRight:
			parts = append(parts, []*image.RGBA{s.Turned(-1)})
		}
		parts = append(parts, n)
	}
	return facetest.Film(t, seed, facetest.Seq(parts...)...)
}

// The phone's live check: a still photo is refused with what to do, a changed challenge is refused, the
// actions done in order give the capture (best frame, recorded as compared by eye), which is confirmed.
func TestLivenessOverHTTP(t *testing.T) {
	a := startApp(t, "", func(c *app.Config) { c.Evidence.Require = true })
	p := newParties(t, a)
	c, res := p.newApplicant("live@example.com")
	o := p.draftReady(c, res, "live-demo.cn")
	ph, _ := p.openLink(c, o.ID, "subject_principal")

	s := ph.startLiveness()
	if len(s.Actions) != 2 || len(s.Steps["zh-CN"]) != 2 || s.Steps["en"][0] == "" {
		t.Fatalf("challenge %+v", s)
	}
	st, body := ph.sendFrames(s, facetest.Film(t, 1, facetest.Repeat(facetest.Standard(t).M, 8)...))
	if codes := errorCodesOf(t, body); st != 422 || !hasCode(codes, "liveness.still") {
		t.Fatalf("still photo: %d %v", st, codes)
	}
	st, body = ph.sendFrames(s, perform(t, 2, s.Actions))
	if codes := errorCodesOf(t, body); st != 422 || !hasCode(codes, "liveness.challenge_used") {
		t.Fatalf("challenge used twice: %d %v", st, codes)
	}

	s = ph.startLiveness()
	forged := s
	forged.Actions = []face.Action{face.Blink, face.OpenMouth}
	if forged.Actions[0] == s.Actions[0] && forged.Actions[1] == s.Actions[1] {
		forged.Actions = []face.Action{face.OpenMouth, face.Blink}
	}
	st, body = ph.sendFrames(forged, perform(t, 3, forged.Actions))
	if codes := errorCodesOf(t, body); st != 422 || !hasCode(codes, "liveness.challenge_unknown") {
		t.Fatalf("forged challenge: %d %v", st, codes)
	}

	st, body = ph.sendFrames(s, perform(t, 4, s.Actions))
	if st != 201 || !strings.Contains(string(body), `"captured"`) {
		t.Fatalf("live check done right: %d %s", st, body)
	}
	ph.confirm()
	ev := p.evidence(c, o.ID)
	if ev.Persons[0].State != "confirmed" {
		t.Fatalf("after confirming: %+v", ev.Persons[0])
	}
	var hints string
	if err := a.DB.R.QueryRow(`SELECT capture FROM verifications WHERE order_id = $1`, o.ID).Scan(&hints); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(hints, `"comparison":"by_eye"`) || !strings.Contains(hints, `"liveness":{"actions":["`+string(s.Actions[0])) {
		t.Errorf("capture hints %s", hints)
	}
}
