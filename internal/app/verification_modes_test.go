package app_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/filing"
)

// A provider that chose the curtain photo (Alibaba Cloud's materials guide) gets curtain photos checked as such; an external
// verification service, when configured, runs after the local checks and its refusal is shown with its reason.
func TestCurtainPhotoAndExternalVerifier(t *testing.T) {
	var calls atomic.Int32
	var pass atomic.Bool
	verifier := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		var in map[string]any
		b, _ := io.ReadAll(r.Body)
		json.Unmarshal(b, &in)
		if r.Header.Get("Authorization") != "Bearer s3cret" || in["id_number"] != "440106********4565" || in["mode"] != "curtain" ||
			in["name"] != "陈伟" || in["photo"] == "" {
			http.Error(w, "bad request", 400)
			return
		}
		if pass.Load() {
			w.Write([]byte(`{"pass": true, "reference": "tx-42"}`))
			return
		}
		w.Write([]byte(`{"pass": false, "reason": "与公安库照片比对不一致"}`))
	}))
	defer verifier.Close()

	a := startApp(t, "", func(c *app.Config) {
		c.Evidence = app.EvidenceConfig{FaceMode: "curtain", VerifierURL: verifier.URL, VerifierToken: "s3cret", VerifierName: "demo-kyc"}
	})
	p := newParties(t, a)
	c, res := p.newApplicant("curtain@example.com")
	o := p.draftReady(c, res, "curtain-demo.cn")
	if ev := p.evidence(c, o.ID); ev.Persons[0].Method != "curtain" {
		t.Fatalf("method %+v", ev.Persons[0])
	}
	ph, _ := p.openLink(c, o.ID, "subject_principal")
	var sv struct{ Mode string }
	ph.c.must(200, "GET", "/api/v1/verification-sessions/current", nil, &sv, "X-Verification-Session", ph.session)
	if sv.Mode != "curtain" {
		t.Fatalf("session mode %q", sv.Mode)
	}
	// The white-background selfie is not a curtain photo; the local checks refuse it before the service is called.
	status, body := ph.send(goodFace(t))
	if codes := errorCodesOf(t, body); status != 422 || !hasCode(codes, "face.background_not_blue") || calls.Load() != 0 {
		t.Fatalf("selfie as curtain photo: %d %v, %d calls", status, codes, calls.Load())
	}
	// A curtain photo passes locally; the service refuses it, with its reason.
	status, body = ph.send(curtainPhoto(t))
	var e struct {
		Errors []struct{ Code, Message string }
	}
	json.Unmarshal(body, &e)
	if status != 422 || len(e.Errors) != 1 || e.Errors[0].Code != "verification.verifier_refused" ||
		!strings.Contains(e.Errors[0].Message, "与公安库照片比对不一致") || calls.Load() != 1 {
		t.Fatalf("verifier refusal: %d %s", status, body)
	}
	pass.Store(true)
	status, body = ph.send(curtainPhoto(t))
	var v struct {
		Method      string `json:"method"`
		Verifier    string `json:"verifier"`
		VerifierRef string `json:"verifier_ref"`
	}
	json.Unmarshal(body, &v)
	if status != 201 || calls.Load() != 2 || v.Method != "curtain" || v.Verifier != "demo-kyc" || v.VerifierRef != "tx-42" {
		t.Fatalf("verifier pass: %d %s", status, body)
	}
	ph.confirm()
	ev := p.evidence(c, o.ID)
	if ev.Persons[0].State != "confirmed" {
		t.Fatalf("after confirmation: %+v", ev.Persons[0])
	}
	p.forward(c, o.ID)
	if sub := lastSubmission(t, a); sub.Attachments[len(sub.Attachments)-1].Purpose != "curtain_photo" {
		t.Fatalf("forwarded as %q", sub.Attachments[len(sub.Attachments)-1].Purpose)
	}
	if st := p.state(c, o.ID); st != filing.SMSPending {
		t.Fatalf("state %s", st)
	}
}
