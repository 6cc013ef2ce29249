package face

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"
	"unicode/utf8"

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

var noRedirects = &http.Client{
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

func unavailable(err error) error {
	return &problem.Error{Kind: problem.Internal, Code: "face.verifier_unavailable", Err: err}
}

// Verify implements Verifier.
func (v *HTTPVerifier) Verify(ctx context.Context, req VerifyRequest) (VerifyResult, error) {
	res := VerifyResult{Provider: v.Name}
	if len(req.Photo) == 0 {
		return res, problem.Internalf("face: verify called without a photo")
	}
	u, err := url.Parse(v.URL)
	if err != nil || !(u.Scheme == "https" || u.Scheme == "http" && isLoopback(u.Hostname())) || u.Host == "" {
		return res, unavailable(fmt.Errorf("verifier URL %q must be https (http only to loopback)", v.URL))
	}
	id, masked := mask.Credential(req.IDNumber), true
	if v.SendFullID {
		id, masked = req.IDNumber, false
	}
	mode := req.Mode
	if mode == "" {
		mode = WhiteBackground
	}
	body, err := json.Marshal(map[string]any{
		"photo":            base64.StdEncoding.EncodeToString(req.Photo),
		"photo_type":       http.DetectContentType(req.Photo[:min(len(req.Photo), 512)]),
		"name":             req.Name,
		"id_number":        id,
		"id_number_masked": masked,
		"mode":             string(mode),
		"reference":        req.Reference,
	})
	if err != nil {
		return res, unavailable(err)
	}
	timeout := v.Timeout
	if timeout <= 0 {
		timeout = 15 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(body))
	if err != nil {
		return res, unavailable(err)
	}
	hr.Header.Set("Content-Type", "application/json")
	hr.Header.Set("Accept", "application/json")
	if v.Token != "" {
		hr.Header.Set("Authorization", "Bearer "+v.Token)
	}
	client := v.Client
	if client == nil {
		client = noRedirects
	}
	resp, err := client.Do(hr)
	if err != nil {
		return res, unavailable(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxVerifierResponse+1))
	if err != nil {
		return res, unavailable(err)
	}
	if resp.StatusCode != http.StatusOK {
		return res, unavailable(fmt.Errorf("verifier %s answered %s", v.Name, resp.Status))
	}
	if len(raw) > maxVerifierResponse {
		return res, unavailable(errors.New("verifier answer larger than 64 KiB"))
	}
	var out struct {
		Pass      *bool  `json:"pass"`
		Reason    string `json:"reason"`
		Reference string `json:"reference"`
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		return res, unavailable(fmt.Errorf("verifier answer: %w", err))
	}
	if out.Pass == nil {
		return res, unavailable(errors.New(`verifier answer has no "pass"`))
	}
	res.Pass, res.Reason, res.Reference = *out.Pass, clip(out.Reason, 500), clip(out.Reference, 200)
	return res, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
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
