package regulatorhttp

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/regulator"
	"github.com/beian/beian/internal/wiresign"
)

func TestParseAnswer(t *testing.T) {
	type data struct{ Filed bool }
	tests := []struct {
		name        string
		body        string
		unavailable bool   // retried: regulator.ErrUnavailable
		code        string // a refusal: its problem code
		filed       bool
	}{
		{name: "ok with data", body: `{"code":0,"data":{"Filed":true}}`, filed: true},
		{name: "not JSON", body: `<html>502 Bad Gateway</html>`, unavailable: true},
		{name: "empty", body: ``, unavailable: true},
		{name: "truncated", body: `{"code":0,"data":{"Fil`, unavailable: true},
		{name: "ok without data", body: `{"code":0}`, unavailable: true},
		{name: "data of another shape", body: `{"code":0,"data":[1,2]}`, unavailable: true},
		{name: "unknown code", body: `{"code":77}`, unavailable: true},
		{name: "refused", body: `{"code":6,"problem":{"kind":"conflict","code":"miit.withdraw_too_late"}}`, code: "miit.withdraw_too_late"},
		{name: "not found", body: `{"code":5,"problem":{"kind":"not_found","code":"regulator.filing_not_found"}}`, code: "regulator.filing_not_found"},
		{name: "refused without a problem", body: `{"code":6}`, unavailable: true},
		{name: "not found of another kind", body: `{"code":5,"problem":{"kind":"invalid","code":"x"}}`, unavailable: true},
		{name: "refused as internal", body: `{"code":6,"problem":{"kind":"internal","code":"x"}}`, unavailable: true},
		{name: "unknown kind", body: `{"code":6,"problem":{"kind":"odd","code":"x"}}`, unavailable: true},
		{name: "stale timestamp", body: `{"code":2,"msg":"时间戳无效"}`, unavailable: true},
		{name: "busy", body: `{"code":9}`, unavailable: true},
		{name: "malformed request", body: `{"code":3}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var d data
			err := ParseAnswer([]byte(tt.body), &d)
			if got := errors.Is(err, regulator.ErrUnavailable); got != tt.unavailable {
				t.Fatalf("unavailable = %v (%v), want %v", got, err, tt.unavailable)
			}
			if tt.code != "" && !problem.Is(err, tt.code) {
				t.Fatalf("error %v, want problem %s", err, tt.code)
			}
			if tt.code == "" && !tt.unavailable && tt.filed == (err != nil) {
				t.Fatalf("error %v", err)
			}
			if d.Filed != tt.filed {
				t.Fatalf("data %+v", d)
			}
		})
	}
}

// FuzzParseAnswer: whatever the bytes, ParseAnswer does not panic, and it accepts only what the interface says:
// success is a code-0 answer, a refusal is a problem of a kind that may travel.
func FuzzParseAnswer(f *testing.F) {
	for _, s := range []string{`{"code":0,"data":{"results":[]}}`, `{"code":6,"problem":{"kind":"conflict","code":"c"}}`,
		`{"code":5,"problem":{"kind":"not_found","code":"n","field":"f","params":{"a":"b"}}}`, `{"code":9}`, `null`, `[]`,
		`{"code":0,"data":{"results":[{"id":1,"provider_order_id":2,"attempt":1,"action":"forwarded","at":"2026-01-01T00:00:00Z"}]}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var d downloadAnswer
		err := ParseAnswer(body, &d)
		var a wiresign.Answer
		switch {
		case err == nil:
			if json.Unmarshal(body, &a) != nil || a.Code != wiresign.CodeOK {
				t.Fatalf("accepted %q", body)
			}
		case problem.KindOf(err) != problem.Internal:
			if json.Unmarshal(body, &a) != nil || (a.Code != wiresign.CodeRefused && a.Code != wiresign.CodeNotFound) {
				t.Fatalf("a refusal from %q", body)
			}
		}
	})
}
