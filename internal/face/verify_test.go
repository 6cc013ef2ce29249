package face

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/beian/beian/internal/problem"
)

var _ Verifier = (*HTTPVerifier)(nil)

func TestHTTPVerifier(t *testing.T) {
	photo := encJPEG(t, sample(t))
	// The last request seen; a timed-out handler may still run while the next request arrives.
	var (
		mu       sync.Mutex
		lastBody map[string]any
		lastAuth string
	)
	last := func() (map[string]any, string) {
		mu.Lock()
		defer mu.Unlock()
		return lastBody, lastAuth
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" {
			http.Error(w, "bad request", 400)
			return
		}
		var body map[string]any
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		mu.Lock()
		lastBody, lastAuth = body, r.Header.Get("Authorization")
		mu.Unlock()
		switch body["name"] {
		case "张三":
			io.WriteString(w, `{"pass":true,"reference":"tx-1"}`)
		case "李四":
			io.WriteString(w, `{"pass":false,"reason":"liveness failed: photo of a screen","reference":"tx-2"}`)
		case "slow":
			time.Sleep(300 * time.Millisecond)
			io.WriteString(w, `{"pass":true}`)
		case "nopass":
			io.WriteString(w, `{"reason":"?"}`)
		case "html":
			io.WriteString(w, `<html>gateway</html>`)
		case "huge":
			io.WriteString(w, `{"pass":true,"reason":"`+strings.Repeat("x", 70<<10)+`"}`)
		case "redirect":
			http.Redirect(w, r, "https://elsewhere.example/verify", http.StatusTemporaryRedirect)
		default:
			http.Error(w, "no", http.StatusServiceUnavailable)
		}
	}))
	defer srv.Close()
	v := &HTTPVerifier{Name: "acme", URL: srv.URL + "/verify", Token: "s3cret", Timeout: 200 * time.Millisecond}
	ctx := context.Background()

	res, err := v.Verify(ctx, VerifyRequest{Photo: photo, Name: "张三", IDNumber: "11010519491231002X", Reference: "order-42/1"})
	if err != nil || !res.Pass || res.Provider != "acme" || res.Reference != "tx-1" {
		t.Fatalf("pass: %+v %v", res, err)
	}
	got, auth := last()
	if auth != "Bearer s3cret" {
		t.Errorf("Authorization = %q", auth)
	}
	if got["id_number"] != "110105********002X" || got["id_number_masked"] != true || got["mode"] != "white_background" ||
		got["reference"] != "order-42/1" || got["photo_type"] != "image/jpeg" {
		t.Errorf("request = %v", withoutPhoto(got))
	}
	if p, _ := base64.StdEncoding.DecodeString(got["photo"].(string)); string(p) != string(photo) {
		t.Error("photo not sent intact")
	}

	res, err = v.Verify(ctx, VerifyRequest{Photo: photo, Name: "李四", IDNumber: "11010519491231002X", Mode: Curtain})
	got, _ = last()
	if err != nil || res.Pass || res.Reason != "liveness failed: photo of a screen" || got["mode"] != "curtain" {
		t.Fatalf("fail: %+v %v", res, err)
	}

	full := *v
	full.SendFullID = true
	_, err = full.Verify(ctx, VerifyRequest{Photo: photo, Name: "张三", IDNumber: "11010519491231002X"})
	if got, _ = last(); err != nil ||
		got["id_number"] != "11010519491231002X" || got["id_number_masked"] != false {
		t.Errorf("full ID: %v %v", withoutPhoto(got), err)
	}

	for _, name := range []string{"slow", "nopass", "html", "huge", "redirect", "unknown"} {
		t.Run(name, func(t *testing.T) {
			res, err := v.Verify(ctx, VerifyRequest{Photo: photo, Name: name})
			if !problem.Is(err, "face.verifier_unavailable") || problem.KindOf(err) != problem.Internal || res.Pass {
				t.Fatalf("%+v %v", res, err)
			}
		})
	}
}

func withoutPhoto(m map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		if k != "photo" {
			out[k] = v
		}
	}
	return out
}

func TestHTTPVerifierRefusesBadConfig(t *testing.T) {
	photo := []byte{0xFF, 0xD8, 0xFF}
	for _, u := range []string{"http://verify.example.com/x", "ftp://127.0.0.1/x", "://", "", "https://"} {
		v := &HTTPVerifier{URL: u}
		if _, err := v.Verify(context.Background(), VerifyRequest{Photo: photo}); !problem.Is(err, "face.verifier_unavailable") {
			t.Errorf("%q: %v", u, err)
		}
	}
	v := &HTTPVerifier{URL: "https://verify.example.com"}
	if _, err := v.Verify(context.Background(), VerifyRequest{}); problem.KindOf(err) != problem.Internal {
		t.Errorf("no photo: %v", err)
	}
	// A cancelled context stops the call.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() }))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	v = &HTTPVerifier{URL: srv.URL}
	if _, err := v.Verify(ctx, VerifyRequest{Photo: photo}); !problem.Is(err, "face.verifier_unavailable") {
		t.Errorf("cancelled: %v", err)
	}
}

func TestClip(t *testing.T) {
	if got := clip("你好世界", 7); got != "你好" {
		t.Errorf("clip = %q", got)
	}
	if got := clip("abc", 5); got != "abc" {
		t.Errorf("clip = %q", got)
	}
}
