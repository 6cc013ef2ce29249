package face

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"time"
	"unicode/utf8"

	"github.com/beian/beian/internal/jsonpost"
	"github.com/beian/beian/internal/mask"
	"github.com/beian/beian/internal/problem"
)

// Verifier is an external liveness or identity service (docs/design.md §4.3 step 6). It runs after the local Check
// has passed, never instead of it. A provider without such a contract runs none: the reviewer then compares
// the photo with the credential.
type Verifier interface {
	Verify(ctx context.Context, req VerifyRequest) (VerifyResult, error)
}

// VerifyRequest is one photo to verify against a person.
type VerifyRequest struct {
	Photo     []byte // the photo as checked, JPEG or PNG (imaging.Fit(…, imaging.PoliceImage) keeps it small)
	Name      string // the principal's name as on the credential
	IDNumber  string // the credential number; HTTPVerifier sends it masked unless told otherwise
	Mode      Mode
	Reference string // our opaque reference of the attempt, for the provider's logs and ours
}

// VerifyResult is a service's verdict. An error means no verdict (the service failed or is unreachable);
// Pass false with a Reason is a verdict.
type VerifyResult struct {
	Pass      bool
	Reason    string // the service's reason, as it gave it (not translated; for the reviewer and the logs)
	Provider  string // HTTPVerifier.Name
	Reference string // the service's transaction id, if it gave one
}

// HTTPVerifier calls a verification service over HTTPS with one JSON POST:
//
//	POST {URL}
//	Authorization: Bearer {Token}
//	Content-Type: application/json
//
//	{"photo": "<base64>", "photo_type": "image/jpeg", "name": "张三",
//	 "id_number": "110101********1234", "id_number_masked": true,
//	 "mode": "white_background", "reference": "order-42/attempt-3"}
//
// and expects 200 with {"pass": true|false, "reason": "…", "reference": "…"}; "pass" is required. Any other
// status, a timeout or an unreadable answer is an error with code face.verifier_unavailable. Redirects are
// not followed (the token and the photo go to URL only), responses are read up to 64 KiB, and plain http is
// accepted only for loopback addresses (a sidecar, tests).
type HTTPVerifier struct {
	Name    string        // provider name reported in results
	URL     string        // the endpoint
	Token   string        // bearer token; empty sends no Authorization header
	Timeout time.Duration // per call, including reading the answer; 0 means 15 s
	// SendFullID sends the full credential number instead of the masked one, for services that match
	// against the public-security database and need it; the contract with the service must allow it.
	SendFullID bool
	Client     *http.Client // nil: http.DefaultTransport without redirects
}

const maxVerifierResponse = 64 << 10

func unavailable(err error) error {
	return &problem.Error{Kind: problem.Internal, Code: "face.verifier_unavailable", Err: err}
}

// Verify implements Verifier.
func (v *HTTPVerifier) Verify(ctx context.Context, req VerifyRequest) (VerifyResult, error) {
	res := VerifyResult{Provider: v.Name}
	if len(req.Photo) == 0 {
		return res, problem.Internalf("face: verify called without a photo")
	}
	ep := jsonpost.Endpoint{What: "verifier", Name: v.Name, URL: v.URL, Token: v.Token, Timeout: v.Timeout,
		Client: v.Client, MaxAnswer: maxVerifierResponse}
	if ep.Timeout <= 0 {
		ep.Timeout = 15 * time.Second
	}
	u, err := ep.CheckURL()
	if err != nil {
		return res, unavailable(err)
	}
	id, masked := mask.Credential(req.IDNumber), true
	if v.SendFullID {
		id, masked = req.IDNumber, false
	}
	mode := req.Mode
	if mode == "" {
		mode = WhiteBackground
	}
	var out struct {
		Pass      *bool  `json:"pass"`
		Reason    string `json:"reason"`
		Reference string `json:"reference"`
	}
	if err := ep.Post(ctx, u, map[string]any{
		"photo":            base64.StdEncoding.EncodeToString(req.Photo),
		"photo_type":       http.DetectContentType(req.Photo[:min(len(req.Photo), 512)]),
		"name":             req.Name,
		"id_number":        id,
		"id_number_masked": masked,
		"mode":             string(mode),
		"reference":        req.Reference,
	}, &out); err != nil {
		return res, unavailable(err)
	}
	if out.Pass == nil {
		return res, unavailable(errors.New(`verifier answer has no "pass"`))
	}
	res.Pass, res.Reason, res.Reference = *out.Pass, clip(out.Reason, 500), clip(out.Reference, 200)
	return res, nil
}

// clip cuts s to at most n bytes on a rune boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
