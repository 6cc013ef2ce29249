package app

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/recognise"
)

// RecognitionConfig is how credential photos are read to fill the forms (issue 14, docs/verification.md).
type RecognitionConfig struct {
	// Mode (BEIAN_OCR): auto (default: the local Tesseract engine when installed, else off, said in the
	// log), local (the local engine; the server refuses to start without it), http (the provider's own OCR
	// service), off.
	Mode string
	// Tesseract is the engine's binary (BEIAN_TESSERACT, default tesseract in PATH).
	Tesseract string
	// The OCR service for Mode http (BEIAN_OCR_URL, _TOKEN, _NAME, _TIMEOUT).
	URL, Token, Name string
	Timeout          time.Duration
}

func recognitionFromEnv(get func(k, def string) string) (RecognitionConfig, []error) {
	c := RecognitionConfig{Mode: get("BEIAN_OCR", "auto"), Tesseract: get("BEIAN_TESSERACT", ""), URL: get("BEIAN_OCR_URL", ""),
		Token: get("BEIAN_OCR_TOKEN", ""), Name: get("BEIAN_OCR_NAME", "ocr")}
	var errs []error
	switch c.Mode {
	case "auto", "local", "off":
	case "http":
		if c.URL == "" {
			errs = append(errs, fmt.Errorf("BEIAN_OCR=http needs BEIAN_OCR_URL"))
		}
	default:
		errs = append(errs, fmt.Errorf("BEIAN_OCR must be auto, local, http or off, not %q", c.Mode))
	}
	if v := get("BEIAN_OCR_TIMEOUT", ""); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			errs = append(errs, fmt.Errorf("BEIAN_OCR_TIMEOUT must be a duration such as 20s, not %q", v))
		}
		c.Timeout = d
	}
	return c, errs
}

// applyRecognition sets the provider's recogniser. Without an engine in auto mode the server runs with
// recognition off and says so.
func (a *App) applyRecognition(pc *provider.Config) error {
	c := a.Cfg.Recognition
	switch c.Mode {
	case "http":
		pc.Recogniser = &recognise.HTTP{Name: c.Name, URL: c.URL, Token: c.Token, Timeout: c.Timeout}
	case "auto", "local":
		t, err := recognise.NewTesseract(c.Tesseract)
		switch {
		case err == nil:
			pc.Recogniser = t
			slog.Info("credential recognition on", "engine", t.Version)
		case c.Mode == "local":
			return err
		default:
			slog.Warn("credential recognition off: no local OCR engine", "err", err)
		}
	}
	return nil
}
