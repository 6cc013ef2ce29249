package mpsweb

import (
	"bytes"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/mps"
)

func TestLines(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"a.cn\nb.cn", "a.cn|b.cn"},
		{" a.cn ,b.cn，c.cn\r\n\n", "a.cn|b.cn|c.cn"},
		{"", ""},
	} {
		if got := strings.Join(lines(c.in), "|"); got != c.want {
			t.Errorf("lines(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// Notes are typed one per line as "field: text" (a full-width colon too); a line without a colon is a note on
// no field.
func TestDecisionNotes(t *testing.T) {
	form := url.Values{"action": {"return"}, "notes": {"address: 请填写门牌号\nprincipal.mobile：号码不对\n整体材料不清晰\n\n"}}
	r := httptest.NewRequest("POST", "/mps/staff/websites/1", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	d := decisionInput(r, i18n.ZhCN, mps.KindWebsite)
	if len(d.Notes) != 3 || d.Notes[0].Field != "address" || d.Notes[1].Field != "principal.mobile" ||
		d.Notes[1].Text != "号码不对" || d.Notes[2].Field != "" || d.Appointment != nil {
		t.Fatalf("%+v", d)
	}
}

// A note's field may be typed as the form labels it in the staff's language (the whole label, or the label
// without its explanation in brackets); what is no field's name or label is left as typed for the use case to
// refuse.
func TestNoteFieldLabels(t *testing.T) {
	for _, c := range []struct {
		lang     i18n.Lang
		kind, in string
		want     string
	}{
		{i18n.ZhCN, mps.KindSubject, "详细地址", "address"},
		{i18n.ZhCN, mps.KindSubject, "address", "address"},
		{i18n.ZhTW, mps.KindSubject, "詳細地址", "address"},
		{i18n.En, mps.KindSubject, "address", "address"},
		{i18n.En, mps.KindSubject, "Address", "address"},
		{i18n.ZhCN, mps.KindSubject, "名称", "name"},
		{i18n.ZhCN, mps.KindSubject, "法人身份证正面", "materials.legal_id_front"},
		{i18n.ZhCN, mps.KindWebsite, "网站名称", "name"},
		{i18n.En, mps.KindWebsite, "website name", "name"},
		{i18n.ZhCN, mps.KindSubject, "网站名称", "网站名称"},
		{i18n.ZhCN, mps.KindWebsite, "详细地址", "详细地址"},
		{i18n.ZhCN, mps.KindSubject, "门牌", "门牌"},
		{i18n.ZhCN, mps.KindSubject, "", ""},
	} {
		if got := noteField(c.lang, c.kind, c.in); got != c.want {
			t.Errorf("%s %s %q = %q, want %q", c.lang, c.kind, c.in, got, c.want)
		}
	}
}

func FuzzDecisionNotes(f *testing.F) {
	f.Add("address: x\nname：y", "2026-03-05T10:00")
	f.Add("\x00:\n:::", "bad")
	f.Fuzz(func(t *testing.T, notes, at string) {
		form := url.Values{"action": {"schedule_interview"}, "notes": {notes}, "appointment.at": {at}}
		r := httptest.NewRequest("POST", "/", strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		d := decisionInput(r, i18n.En, mps.KindSubject)
		if d.Appointment == nil {
			t.Fatal("an interview always carries an appointment (checked by the use case)")
		}
		for _, n := range d.Notes {
			if n.Field != strings.TrimSpace(n.Field) || n.Text != strings.TrimSpace(n.Text) {
				t.Fatalf("untrimmed note %+v", n)
			}
			if utf8.ValidString(notes) && (!utf8.ValidString(n.Field) || !utf8.ValidString(n.Text)) {
				t.Fatalf("split inside a character: %+v", n)
			}
		}
	})
}

func FuzzLines(f *testing.F) {
	f.Add("a.cn\nb.cn,c.cn")
	f.Fuzz(func(t *testing.T, s string) {
		for _, l := range lines(s) {
			if l == "" || l != strings.TrimSpace(l) || strings.ContainsAny(l, "\n\r,，") {
				t.Fatalf("line %q from %q", l, s)
			}
		}
	})
}

// readUpload reads a body with or without a stated length into the buffer it is given (grown when too small),
// and stops at the limit.
func TestReadUpload(t *testing.T) {
	body := bytes.Repeat([]byte("jpeg"), 1000)
	for _, tc := range []struct {
		name     string
		length   int64 // the request's ContentLength; -1: not stated
		capacity int
		limit    int64
		want     int
	}{
		{"stated, buffer large enough", 4000, 8000, 1 << 20, 4000},
		{"stated, buffer too small", 4000, 10, 1 << 20, 4000},
		{"not stated", -1, 8000, 1 << 20, 4000},
		{"not stated, past the limit", -1, 0, 1000, 1000},
		{"stated past the limit", 4000, 0, 1000, 1000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/", bytes.NewReader(body))
			r.ContentLength = tc.length
			dst := make([]byte, 0, tc.capacity)
			got, err := readUpload(r, tc.limit, dst)
			if err != nil || !bytes.Equal(got, body[:tc.want]) {
				t.Fatalf("read %d bytes, %v; want the body's first %d", len(got), err, tc.want)
			}
			if want := tc.capacity >= tc.want; sameArray(got, dst) != want {
				t.Fatalf("buffer reused: %v, want %v", !want, want)
			}
		})
	}
}

func sameArray(a, b []byte) bool { return cap(a) > 0 && cap(b) > 0 && &a[:cap(a)][0] == &b[:cap(b)][0] }
