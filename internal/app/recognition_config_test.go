package app_test

import (
	"strings"
	"testing"
	"time"

	"github.com/beian/beian/internal/app"
)

func TestRecognitionConfig(t *testing.T) {
	for _, tt := range []struct {
		env     map[string]string
		want    app.RecognitionConfig
		errPart string
	}{
		{map[string]string{}, app.RecognitionConfig{Mode: "auto", Name: "ocr"}, ""},
		{map[string]string{"BEIAN_OCR": "http", "BEIAN_OCR_URL": "https://ocr.example.com/v1", "BEIAN_OCR_TOKEN": "t",
			"BEIAN_OCR_TIMEOUT": "5s"}, app.RecognitionConfig{Mode: "http", URL: "https://ocr.example.com/v1", Token: "t", Name: "ocr",
			Timeout: 5 * time.Second}, ""},
		{map[string]string{"BEIAN_OCR": "http"}, app.RecognitionConfig{}, "BEIAN_OCR=http needs BEIAN_OCR_URL"},
		{map[string]string{"BEIAN_OCR": "paddle"}, app.RecognitionConfig{}, "BEIAN_OCR must be"},
		{map[string]string{"BEIAN_OCR_TIMEOUT": "soon"}, app.RecognitionConfig{}, "BEIAN_OCR_TIMEOUT"},
	} {
		c, err := app.FromEnv(func(k string) string { return tt.env[k] })
		if tt.errPart != "" {
			if err == nil || !strings.Contains(err.Error(), tt.errPart) {
				t.Errorf("%v: err %v, want %q", tt.env, err, tt.errPart)
			}
			continue
		}
		if err != nil || c.Recognition != tt.want {
			t.Errorf("%v: %+v, %v", tt.env, c.Recognition, err)
		}
	}
}
