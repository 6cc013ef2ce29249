package app

import (
	"fmt"
	"time"

	"github.com/beian/beian/internal/face"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/provider/store"
)

// EvidenceConfig is how materials and real-person verification are handled (issue #5).
type EvidenceConfig struct {
	// Require refuses submission to provider review until the materials the rules ask for are attached and
	// the principals have verified (BEIAN_REQUIRE_EVIDENCE, default true). Tests of other flows leave it off.
	Require bool
	// FaceMode is face (the phone face check on a white background, default) or curtain (the provider's blue
	// curtain, Alibaba Cloud's materials guide) (BEIAN_FACE_MODE).
	FaceMode string
	// Verifier is an external verification service (BEIAN_FACE_VERIFIER_URL, _TOKEN, _NAME, _TIMEOUT,
	// BEIAN_FACE_VERIFIER_FULL_ID=true to send the full credential number); empty URL: none.
	VerifierURL, VerifierToken, VerifierName string
	VerifierTimeout                          time.Duration
	VerifierFullID                           bool
	// BlobDir keeps file contents in a directory instead of the database (BEIAN_BLOB_DIR; a volume every node
	// mounts). Empty: the database.
	BlobDir string
	// Challenge draws the live check's actions (nil: face.NewChallenge, random). A hook for tests, which
	// film the actions before the browser starts; no setting of the environment or the page reaches it.
	Challenge func(now time.Time) face.Challenge
}

func evidenceFromEnv(get func(k, def string) string) (EvidenceConfig, []error) {
	var errs []error
	c := EvidenceConfig{Require: get("BEIAN_REQUIRE_EVIDENCE", "true") == "true", FaceMode: get("BEIAN_FACE_MODE", "face"),
		VerifierURL: get("BEIAN_FACE_VERIFIER_URL", ""), VerifierToken: get("BEIAN_FACE_VERIFIER_TOKEN", ""),
		VerifierName: get("BEIAN_FACE_VERIFIER_NAME", "external"), VerifierFullID: get("BEIAN_FACE_VERIFIER_FULL_ID", "") == "true",
		BlobDir: get("BEIAN_BLOB_DIR", "")}
	if c.FaceMode != "face" && c.FaceMode != "curtain" {
		errs = append(errs, fmt.Errorf("BEIAN_FACE_MODE must be face or curtain, not %q", c.FaceMode))
	}
	if v := get("BEIAN_FACE_VERIFIER_TIMEOUT", ""); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			errs = append(errs, fmt.Errorf("BEIAN_FACE_VERIFIER_TIMEOUT must be a duration such as 15s, not %q", v))
		}
		c.VerifierTimeout = d
	}
	if v := get("BEIAN_REQUIRE_EVIDENCE", "true"); v != "true" && v != "false" {
		errs = append(errs, fmt.Errorf("BEIAN_REQUIRE_EVIDENCE must be true or false, not %q", v))
	}
	return c, errs
}

// applyEvidence sets the blob store and the provider's verification settings from the configuration.
func (a *App) applyEvidence(pc *provider.Config) {
	e := a.Cfg.Evidence
	if e.BlobDir != "" {
		a.Store.Blobs = store.DirBlobs{Dir: e.BlobDir}
	}
	pc.RequireEvidence = e.Require
	pc.Challenge = e.Challenge
	if e.FaceMode == "curtain" {
		pc.FaceMode = face.Curtain
	}
	if e.VerifierURL != "" {
		pc.FaceVerifier = &face.HTTPVerifier{Name: e.VerifierName, URL: e.VerifierURL, Token: e.VerifierToken,
			Timeout: e.VerifierTimeout, SendFullID: e.VerifierFullID}
	}
}
