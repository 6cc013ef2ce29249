package cleantext

import (
	"net/url"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/beian/beian/internal/problem"
)

func TestCheck(t *testing.T) {
	cases := []struct {
		name, in  string
		multiLine bool
		code      string
		char      string
	}{
		{"plain Chinese", "深圳市某某科技有限公司", false, "", ""},
		{"emoji and punctuation", "小明的博客 😀（个人）·", false, "", ""},
		{"NUL", "某某\x00公司", false, CodeControl, "U+0000"},
		{"right-to-left override", "abc\u202Egnp.exe", false, CodeControl, "U+202E"},
		{"zero-width space", "某某\u200B公司", false, CodeControl, "U+200B"},
		{"byte order mark", "\uFEFF某某", false, CodeControl, "U+FEFF"},
		{"line separator", "a\u2028b", true, CodeControl, "U+2028"},
		{"DEL", "a\x7fb", false, CodeControl, "U+007F"},
		{"newline in a single-line field", "第一行\n第二行", false, CodeControl, "U+000A"},
		{"tab in a single-line field", "a\tb", false, CodeControl, "U+0009"},
		{"newline in a multi-line field", "第一行\r\n第二行\t缩进", true, "", ""},
		{"escape in a multi-line field", "a\x1b[31m", true, CodeControl, "U+001B"},
		{"invalid UTF-8", "某某\xff公司", false, CodeInvalidUTF8, ""},
		{"truncated sequence", "某\xe6\x9f", true, CodeInvalidUTF8, ""},
		{"replacement character", "某\uFFFD公司", false, CodeInvalidUTF8, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := Check("subject.name", c.in, c.multiLine)
			if c.code == "" {
				if e != nil {
					t.Fatalf("refused clean text: %v", e)
				}
				return
			}
			if e == nil || e.Code != c.code || e.Field != "subject.name" || e.Kind != problem.Invalid ||
				e.Params["char"] != c.char {
				t.Fatalf("Check(%q) = %+v; want %s on subject.name with char %q", c.in, e, c.code, c.char)
			}
		})
	}
}

func TestMultiLine(t *testing.T) {
	for path, want := range map[string]bool{
		"reason": true, "services[0].remark": true, "notes[2].message": true, "note_message_3": true,
		"services[1].app.platforms[0].public_key": true, "services.0.domains": true, "services[0].domains[1]": true,
		"subject.name": false, "subject.principal.name": false, "email": false, "password": false, "reasons": false,
	} {
		if got := MultiLine(path); got != want {
			t.Errorf("MultiLine(%q) = %v, want %v", path, got, want)
		}
	}
}

type person struct {
	Name   string   `json:"name"`
	Phones []string `json:"phones,omitempty"`
	secret string
	Skip   string `json:"-"`
}

type embedded struct{ Remark string }

type order struct {
	embedded
	Subject  *person             `json:"subject"`
	Services []person            `json:"services"`
	Extra    map[string]any      `json:"extra"`
	Notes    []map[string]string `json:"notes"`
	Count    int                 `json:"count"`
}

func TestValueNamesEachField(t *testing.T) {
	o := order{
		embedded: embedded{Remark: "多行\n备注"},
		Subject:  &person{Name: "张\u202E三", secret: "\x00", Skip: "\x00"},
		Services: []person{{Name: "好"}, {Name: "坏", Phones: []string{"138", "139\x00"}}},
		Extra:    map[string]any{"b": []any{"ok", "x\xffy"}, "a\x01": "v"},
		Notes:    []map[string]string{{"message": "第一\n第二"}},
	}
	var got []string
	for _, e := range Value("", o) {
		got = append(got, e.Field+" "+e.Code)
	}
	want := []string{
		"subject.name " + CodeControl,
		"services[1].phones[1] " + CodeControl,
		"extra.a\x01 " + CodeControl,
		"extra.b[1] " + CodeInvalidUTF8,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if errs := Value("content", &o.Services[0]); errs != nil {
		t.Fatalf("clean value refused: %v", errs)
	}
}

func TestForm(t *testing.T) {
	f := url.Values{
		"subject.name":         {"某某\u202E公司"},
		"services[0].remark":   {"第一行\r\n第二行"},
		"services[0].name":     {"好", "坏\x00"},
		"reason":               {"原因\n说明"},
		"subject.principal.id": {"ok"},
	}
	var got []string
	for _, e := range Form(f) {
		got = append(got, e.Field)
	}
	if strings.Join(got, ",") != "services[0].name,subject.name" {
		t.Fatalf("refused fields %v; want services[0].name, subject.name", got)
	}
}

func FuzzCheck(f *testing.F) {
	f.Add("某某公司", false)
	f.Add("a\u202Eb\n", true)
	f.Fuzz(func(t *testing.T, s string, multiLine bool) {
		e := Check("f", s, multiLine)
		clean := strings.ToValidUTF8(s, "") == s && !strings.ContainsRune(s, '\uFFFD')
		for _, r := range s {
			if r < 0x20 && !(multiLine && (r == '\t' || r == '\n' || r == '\r')) || r == 0x7f || r == '\u202E' {
				clean = false
			}
		}
		if !clean && e == nil {
			t.Fatalf("Check(%q, %v) accepted text with a control character or invalid UTF-8", s, multiLine)
		}
	})
}

// TestCleanAgreesWithValue: Clean says no exactly where Value finds something, or where a single-line check
// would (a line break in a multi-line field, which Value accepts); it passes a time and skips what JSON skips.
func TestCleanAgreesWithValue(t *testing.T) {
	type stamped struct {
		At   time.Time `json:"at"`
		Name string    `json:"name"`
	}
	for _, tc := range []struct {
		name  string
		v     any
		clean bool
	}{
		{"clean", order{Subject: &person{Name: "张三"}, Services: []person{{Phones: []string{"138"}}}}, true},
		{"unexported and json:\"-\" skipped", order{Subject: &person{secret: "\x00", Skip: "\x00"}}, true},
		{"time", stamped{At: time.Now(), Name: "ok"}, true},
		{"control in a nested slice", order{Services: []person{{}, {Phones: []string{"139\x00"}}}}, false},
		{"format character", &person{Name: "张\u202E三"}, false},
		{"invalid UTF-8 in a map", order{Extra: map[string]any{"b": []any{"x\xffy"}}}, false},
		{"control in a map key", order{Extra: map[string]any{"a\x01": "v"}}, false},
		{"line break in a multi-line field", order{Notes: []map[string]string{{"message": "第一\n第二"}}}, false},
		{"nil pointer", order{}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Clean(tc.v); got != tc.clean {
				t.Errorf("Clean = %v, want %v", got, tc.clean)
			}
			if found := len(Value("", tc.v)) > 0; found && Clean(tc.v) {
				t.Errorf("Value found %v where Clean saw nothing", Value("", tc.v))
			}
		})
	}
}

// Check skips the range U+2070–U+FEFE without looking at Unicode's tables: it must hold no character that Check
// refuses, in the Unicode version of this Go.
func TestFastRangeHasNothingRefused(t *testing.T) {
	for r := rune(0x2070); r < 0xFEFF; r++ {
		if unicode.In(r, unicode.Cc, unicode.Cf, unicode.Zl, unicode.Zp) {
			t.Fatalf("U+%04X is refused by the tables but skipped by Check", r)
		}
	}
	for _, r := range []rune{0x206F, 0xFEFF, 0x200B, 0x2028} {
		if Check("f", string(r), true) == nil {
			t.Errorf("U+%04X accepted", r)
		}
	}
}
