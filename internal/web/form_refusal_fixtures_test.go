package web_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/jpeg"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"testing"
	"time"

	xdraw "golang.org/x/image/draw"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/imaging/imagetest"
	"github.com/beian/beian/internal/provider"
)

// The orders, requests and mailings the refused forms of TestFormsShowRefusedTextBesideTheField act on, made
// through the API, and the cheap API reads that show a refused form saved nothing.

// refusalFixtures is what the refused forms are posted against.
type refusalFixtures struct {
	base                string
	applicant, reviewer string // bearer tokens
	operator, officer   string
	draft, submitted    int64 // Guangdong website orders
	claim               int64 // a claim of the Beijing subject, its code sent (submitted before the console's forms)
	verification        int64 // the principal's face check on submitted, confirmed, for the reviewer to send back
	codeRequest         int64 // an applicant's request for an authorization code
	review              int64 // the administration's review of a cancellation
}

// demoFiled is the seeded subject number of the demo applicant (app.Seed), with its one website.
const demoFiled, demoFiledSite = "粤ICP备2025000001号", "粤ICP备2025000001号-1"

func newRefusalFixtures(t *testing.T, base string) *refusalFixtures {
	t.Helper()
	f := &refusalFixtures{base: base, applicant: apiLogin(t, base, "applicant@beian.local"),
		reviewer: apiLogin(t, base, "reviewer@beian.local"), operator: apiLogin(t, base, "operator@beian.local"),
		officer: apiLogin(t, base, "officer@beian.local")}
	f.review = f.cancellationAtAdministration(t) // before the orders below take its principal's numbers
	f.draft = guangzhouOrder(t, base, f.applicant, "91440101MA9W87654R", "gz-refused.cn", "广州拒收测试科技有限公司", "chenwei@gz-refused.cn", false)
	f.submitted = guangzhouOrder(t, base, f.applicant, "91440101MA9W87655W", "gz-refused2.cn", "广州拒收二测试科技有限公司", "chenwei@gz-refused2.cn", false)
	f.verification = f.confirmFace(t, f.submitted, "subject_principal")
	f.submit(t, f.submitted, func(c *provider.Content) {
		c.Subject.Principal.EmergencyMobile = "13751208470" // the seeded filed subject's is in the cancellation under review
	})
	var o filing.Order
	apiCall(t, base, f.applicant, "POST", "/api/v1/claims", provider.ClaimInput{SubjectNumber: "京ICP备2024000001号"}, &o)
	f.claim = o.ID
	apiCall(t, base, f.applicant, "POST", fmt.Sprintf("/api/v1/orders/%d/claim-code", f.claim), nil, nil)
	var q struct{ ID int64 }
	apiCall(t, base, f.applicant, "POST", "/api/v1/authorization-code-requests", map[string]string{
		"domain": "refused-issue.cn", "reason": "迁入本平台"}, &q)
	f.codeRequest = q.ID
	return f
}

// cancellationAtAdministration takes a cancellation of the demo applicant's website to the administration,
// which reviews it without SMS verification, and returns the officer's review.
func (f *refusalFixtures) cancellationAtAdministration(t *testing.T) int64 {
	t.Helper()
	var o filing.Order
	apiCall(t, f.base, f.applicant, "POST", "/api/v1/filings/"+demoFiled+"/orders", provider.FiledOrderInput{
		Type: filing.CancelService, ServiceNumbers: []string{demoFiledSite}}, &o)
	f.submit(t, o.ID, nil)
	apiCall(t, f.base, f.reviewer, "POST", fmt.Sprintf("/api/v1/console/orders/%d/decisions", o.ID),
		provider.Decision{Decision: "approve"}, nil)
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		var list struct {
			Reviews []struct {
				ID              int64 `json:"id"`
				ProviderOrderID int64 `json:"provider_order_id"`
			}
		}
		apiCall(t, f.base, f.officer, "GET", "/miit/api/v1/reviews", nil, &list)
		for _, r := range list.Reviews {
			if r.ProviderOrderID == o.ID {
				return r.ID
			}
		}
	}
	t.Fatalf("cancellation %d never reached the administration", o.ID)
	return 0
}

// confirmFace takes person of order id through the face check on a phone, with pigo's sample portrait (one face
// on white, see internal/face/testdata) at twice its size, and returns the confirmed verification.
func (f *refusalFixtures) confirmFace(t *testing.T, id int64, person string) int64 {
	t.Helper()
	raw, err := os.ReadFile("../face/testdata/pigo-sample.jpg")
	if err != nil {
		t.Fatal(err)
	}
	portrait, err := jpeg.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	big := image.NewRGBA(image.Rect(0, 0, 2*portrait.Bounds().Dx(), 2*portrait.Bounds().Dy())) // the short side ≥ 600 px
	xdraw.NearestNeighbor.Scale(big, big.Bounds(), portrait, portrait.Bounds(), xdraw.Src, nil)
	photo := imagetest.JPEG(t, big, 92)
	var link struct{ Token string }
	apiCall(t, f.base, f.applicant, "POST", fmt.Sprintf("/api/v1/orders/%d/verification/links", id), map[string]string{"person": person}, &link)
	var phone struct{ Session string }
	apiCall(t, f.base, "", "POST", "/api/v1/verification-sessions", map[string]string{"token": link.Token}, &phone)
	for _, step := range []struct {
		path, ctype string
		body        []byte
	}{{"photo", "image/jpeg", photo}, {"confirm", "application/json", nil}} {
		req, _ := http.NewRequest("POST", f.base+"/api/v1/verification-sessions/current/"+step.path, bytes.NewReader(step.body))
		req.Header.Set("Content-Type", step.ctype)
		req.Header.Set("X-Verification-Session", phone.Session)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode >= 300 {
			t.Fatalf("face check %s: %d %s", step.path, resp.StatusCode, raw)
		}
	}
	var ev provider.EvidenceStatus
	apiCall(t, f.base, f.applicant, "GET", fmt.Sprintf("/api/v1/orders/%d/verification", id), nil, &ev)
	for _, p := range ev.Persons {
		if p.Key == person && p.Verification != nil {
			return p.Verification.ID
		}
	}
	t.Fatalf("order %d: no verification of %s after the phone confirmed it", id, person)
	return 0
}

// submit accepts the agreements of order id as it stands (after edit, when given) and submits it, confirming
// what it undoes.
func (f *refusalFixtures) submit(t *testing.T, id int64, edit func(*provider.Content)) {
	t.Helper()
	o := f.order(t, id)
	c := provider.Content{Subject: o.Subject, Services: o.Services, AgreementsAccepted: true}
	if edit != nil {
		edit(&c)
	}
	apiCall(t, f.base, f.applicant, "PUT", fmt.Sprintf("/api/v1/orders/%d", o.ID), c, nil)
	var conf struct{ Phrase string }
	apiCall(t, f.base, f.applicant, "GET", fmt.Sprintf("/api/v1/orders/%d/consequences", o.ID), nil, &conf)
	apiCall(t, f.base, f.applicant, "POST", fmt.Sprintf("/api/v1/orders/%d/submit", o.ID), map[string]string{"confirm": conf.Phrase}, nil)
}

// waitState waits until order id is in state want (the workers move it on).
func (f *refusalFixtures) waitState(t *testing.T, id int64, want filing.State) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if f.order(t, id).State == want {
			return
		}
	}
	t.Fatalf("order %d never reached %s: %s", id, want, f.order(t, id).State)
}

// postWithPhoto posts fields as a browser sends a form with a file, the file being a few bytes that are no photo.
func (b *browser) postWithPhoto(path string, fields url.Values) page {
	b.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	fw, _ := mw.CreateFormFile("photo", "me.jpg")
	fw.Write([]byte("not a photo"))
	mw.Close()
	req, _ := http.NewRequest("POST", b.base+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.send(req)
}

// count is the length of the list under key in the JSON answer to GET path.
func (f *refusalFixtures) count(t *testing.T, token, path, key string) int {
	t.Helper()
	var out map[string]json.RawMessage
	apiCall(t, f.base, token, "GET", path, nil, &out)
	var list []json.RawMessage
	if err := json.Unmarshal(out[key], &list); err != nil && out[key] != nil {
		t.Fatalf("%s: %s is not a list: %v", path, key, err)
	}
	return len(list)
}

// raw is the JSON answer to GET path, as text.
func (f *refusalFixtures) raw(t *testing.T, token, path string) string {
	t.Helper()
	var out json.RawMessage
	apiCall(t, f.base, token, "GET", path, nil, &out)
	return string(out)
}

// order is an order as its applicant reads it.
func (f *refusalFixtures) order(t *testing.T, id int64) filing.Order {
	t.Helper()
	var o filing.Order
	apiCall(t, f.base, f.applicant, "GET", fmt.Sprintf("/api/v1/orders/%d", id), nil, &o)
	return o
}

// stays fails the test when a value read through the API after a refused form is not the one read before it.
func stays[T comparable](read func(*testing.T) T) func(*testing.T) func(*testing.T) {
	return func(t *testing.T) func(*testing.T) {
		before := read(t)
		return func(t *testing.T) {
			t.Helper()
			if after := read(t); after != before {
				t.Errorf("the refused form was acted on: %v became %v", before, after)
			}
		}
	}
}

// unopened checks that the account the refused registration named cannot sign in.
func unopened(base string) func(*testing.T) func(*testing.T) {
	return func(*testing.T) func(*testing.T) {
		return func(t *testing.T) {
			body := []byte(`{"email":"refused@example.com","password":"Passw0rd!2026"}`)
			if st, _ := rawAPI(t, base, "", "POST", "/api/v1/session", body); st == http.StatusOK {
				t.Error("the refused registration opened the account")
			}
		}
	}
}
