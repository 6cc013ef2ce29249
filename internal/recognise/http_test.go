package recognise

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"image"
	"image/color"
	"image/draw"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/beian/beian/internal/problem"
)

// photo is any acceptable image: the service under test does not look at it.
func photo(t *testing.T) []byte {
	m := image.NewRGBA(image.Rect(0, 0, 640, 400))
	draw.Draw(m, m.Bounds(), image.NewUniform(color.RGBA{200, 200, 200, 255}), image.Point{}, draw.Src)
	return jpg(t, m)
}

// service is a real HTTP server answering with answer (or status), recording the request it got.
func service(t *testing.T, status int, answer string, got *map[string]string) *HTTP {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer tok" || r.Method != http.MethodPost {
			http.Error(w, "no", http.StatusUnauthorized)
			return
		}
		if got != nil {
			json.NewDecoder(r.Body).Decode(got)
		}
		w.WriteHeader(status)
		w.Write([]byte(answer))
	}))
	t.Cleanup(srv.Close)
	return &HTTP{Name: "ocr-test", URL: srv.URL, Token: "tok", Now: func() time.Time { return now }}
}

func TestHTTPContract(t *testing.T) {
	var got map[string]string
	h := service(t, 200, `{"text":"住址 北京市东城区景山前街4号\n故宫博物院","fields":{"name":{"value":"张三","confidence":0.99},
		"sex":{"value":"male","confidence":0.9},"id_number":{"value":"11010119900307715x","confidence":0.97}}}`, &got)
	img := photo(t)
	r, err := h.Recognise(context.Background(), img, IDFront)
	if err != nil {
		t.Fatal(err)
	}
	if got["kind"] != "resident_id_front" || got["image_type"] != "image/jpeg" || got["image"] != base64.StdEncoding.EncodeToString(img) {
		t.Errorf("request = kind %q type %q", got["kind"], got["image_type"])
	}
	want := map[string]string{FieldName: "张三", FieldSex: "male", FieldIDNumber: "11010119900307715X",
		FieldBirthDate: "1990-03-07", FieldAddress: "北京市东城区景山前街4号故宫博物院"}
	for k, v := range want {
		if r.Fields[k].Value != v {
			t.Errorf("%s = %+v, want %q", k, r.Fields[k], v)
		}
	}
	if r.Engine != "ocr-test" || r.Fields[FieldName].Confidence != 0.99 {
		t.Errorf("engine %q, name %+v", r.Engine, r.Fields[FieldName])
	}
}

// The service's numbers are checked like the engine's: a wrong check character is not filled.
func TestHTTPChecksum(t *testing.T) {
	h := service(t, 200, `{"fields":{"uscc":{"value":"91510107750306201X","confidence":1},"valid_from":{"value":"2016.05.04"}}}`, nil)
	r, err := h.Recognise(context.Background(), photo(t), BusinessLicence)
	if err != nil {
		t.Fatal(err)
	}
	if f := r.Fields[FieldUSCC]; f.Value != "" || f.Check != "uscc.checksum" {
		t.Errorf("uscc = %+v", f)
	}
	h = service(t, 200, `{"fields":{"valid_from":{"value":"2016.05.04","confidence":0.9},"valid_to":{"value":"long_term","confidence":0.9}}}`, nil)
	if r, err = h.Recognise(context.Background(), photo(t), IDBack); err != nil || r.Fields[FieldValidTo].Value != "long_term" {
		t.Errorf("valid_to = %+v, %v", r.Fields[FieldValidTo], err)
	}
}

func TestHTTPFailures(t *testing.T) {
	big := `{"text":"` + strings.Repeat("x", MaxOutput) + `"}`
	for _, tt := range []struct {
		name   string
		status int
		answer string
	}{
		{"server error", 500, `{}`},
		{"not JSON", 200, `<html>`},
		{"too large", 200, big},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := service(t, tt.status, tt.answer, nil).Recognise(context.Background(), photo(t), IDFront)
			if !problem.Is(err, "recognise.engine_failed") {
				t.Errorf("err = %v", err)
			}
		})
	}
	h := service(t, 200, `{}`, nil)
	h.Token = "wrong"
	if _, err := h.Recognise(context.Background(), photo(t), IDFront); !problem.Is(err, "recognise.engine_failed") {
		t.Errorf("unauthorised: %v", err)
	}
	h.URL = "http://ocr.example.com/v1"
	if _, err := h.Recognise(context.Background(), photo(t), IDFront); !problem.Is(err, "recognise.engine_failed") {
		t.Errorf("plain http to a remote host: %v", err)
	}
	if _, err := h.Recognise(context.Background(), photo(t), "passport_page"); !problem.Is(err, "recognise.kind_unknown") {
		t.Errorf("unknown kind: %v", err)
	}
	if _, err := h.Recognise(context.Background(), []byte("GIF89a"), IDFront); problem.KindOf(err) != problem.Invalid {
		t.Errorf("not an image: %v", err)
	}
}

func TestOff(t *testing.T) {
	if _, err := (Off{}).Recognise(context.Background(), nil, IDFront); !problem.Is(err, "recognise.off") {
		t.Errorf("err = %v", err)
	}
}
