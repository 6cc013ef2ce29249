package jsonpost

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestCheckURL(t *testing.T) {
	tests := []struct {
		url string
		ok  bool
	}{
		{"https://verify.example.com/v1", true},
		{"http://127.0.0.1:8080/ocr", true},
		{"http://localhost/ocr", true},
		{"http://[::1]/ocr", true},
		{"http://verify.example.com/v1", false},
		{"ftp://127.0.0.1/x", false},
		{"https:///nohost", false},
		{"://bad", false},
	}
	for _, tt := range tests {
		_, err := Endpoint{What: "verifier", URL: tt.url}.CheckURL()
		if (err == nil) != tt.ok {
			t.Errorf("CheckURL(%q) = %v, want ok %v", tt.url, err, tt.ok)
		}
	}
}

func TestPost(t *testing.T) {
	tests := []struct {
		name    string
		status  int
		answer  string
		wantErr string // "" when the answer decodes
	}{
		{"decoded", 200, `{"pass":true}`, ""},
		{"refused status", 503, `{}`, "answered 503"},
		{"too long", 200, `{"pass":true,"reason":"` + strings.Repeat("x", 100) + `"}`, "larger than 64 bytes"},
		{"not JSON", 200, `<html>`, "verifier answer:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Header.Get("Authorization") != "Bearer tok" || r.Header.Get("Content-Type") != "application/json" {
					w.WriteHeader(http.StatusUnauthorized)
					return
				}
				w.WriteHeader(tt.status)
				w.Write([]byte(tt.answer))
			}))
			defer srv.Close()
			e := Endpoint{What: "verifier", Name: "test", URL: srv.URL, Token: "tok", Timeout: 5 * time.Second, MaxAnswer: 64}
			u, err := e.CheckURL()
			if err != nil {
				t.Fatal(err)
			}
			var out struct{ Pass bool }
			err = e.Post(context.Background(), u, map[string]string{"a": "b"}, &out)
			switch {
			case tt.wantErr == "" && (err != nil || !out.Pass):
				t.Fatalf("Post = %v, %+v", err, out)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("Post = %v, want %q", err, tt.wantErr)
			}
		})
	}
}
