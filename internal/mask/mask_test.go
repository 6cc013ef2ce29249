package mask

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestMask(t *testing.T) {
	cases := []struct {
		fn       func(string) string
		name, in string
		want     string
	}{
		{IDNumber, "IDNumber", "110105199001010022", "110105********0022"},
		{IDNumber, "IDNumber", "11010519900101002X", "110105********002X"},
		{IDNumber, "IDNumber", "110105900101002", "110105*****1002"}, // 15-digit first-generation card
		{IDNumber, "IDNumber", "12345", "12**5"},
		{IDNumber, "IDNumber", "", ""},
		{Mobile, "Mobile", "13800138000", "138****8000"},
		{Mobile, "Mobile", "1380013", "13***13"},
		{Mobile, "Mobile", "1", "*"},
		// Short numbers: one output everywhere a phone number is masked (pages, rules, the simulator).
		{Mobile, "Mobile", "138001", "13**01"},
		{Mobile, "Mobile", "12", "1*"},
		{Mobile, "Mobile", "", ""},
		{Landline, "Landline", "010-12345678", "010-****5678"},
		{Landline, "Landline", "0755-8765432", "0755-***5432"},
		{Landline, "Landline", "010-1234", "010-**34"},
		{Landline, "Landline", "01012345678", "010****5678"},
		{Landline, "Landline", "12345-678901", "123*****8901"}, // "area" too long: masked whole
		{Landline, "Landline", "0100-", "01**-"},
		{Email, "Email", "zhangsan@example.com", "z***@example.com"},
		{Email, "Email", "a@example.com", "***@example.com"},
		{Email, "Email", "张三@例子.中国", "张***@例子.中国"},
		{Email, "Email", "not-an-address", "no**********ss"},
		{Email, "Email", "@example.com", "@e********om"},
		{Email, "Email", "zhangsan@", "zh*****n@"},
		{Name, "Name", "张三丰", "张*丰"},
		{Name, "Name", "张三", "张*"},
		{Name, "Name", "张", "*"},
		{Name, "Name", "欧阳娜娜", "欧**娜"},
		{Name, "Name", "阿卜杜·热合曼", "阿*****曼"},
		{Generic, "Generic", "E12345678", "E1*****78"},
		{Generic, "Generic", "H1234567890", "H1*******90"},
		{Generic, "Generic", "ABCDE", "AB**E"},
		{Generic, "Generic", "ABCD", "A**D"},
		{Generic, "Generic", "AB", "A*"},
		{Credential, "Credential", " 11010519491231002X ", "110105********002X"},
		{Credential, "Credential", "110105491231002", "110105*****1002"},
		{Credential, "Credential", "E12345678", "E1*****78"},
		{Credential, "Credential", "123456", "12**56"},
		{Credential, "Credential", "王五六七八九十一", "王五****十一"},
	}
	for _, tc := range cases {
		if got := tc.fn(tc.in); got != tc.want {
			t.Errorf("%s(%q) = %q, want %q", tc.name, tc.in, got, tc.want)
		}
	}
}

// Bad UTF-8 must not panic nor leak the raw bytes beyond the kept parts.
func TestMaskInvalidUTF8(t *testing.T) {
	in := "\xff\xfe13800138000\xff"
	got := Mobile(in)
	if !utf8.ValidString(got) || strings.Contains(got, "13800138000") {
		t.Errorf("Mobile(%q) = %q", in, got)
	}
}

var all = map[string]func(string) string{
	"IDNumber": IDNumber, "Mobile": Mobile, "Landline": Landline, "Name": Name, "Generic": Generic, "Email": Email,
}

func FuzzMask(f *testing.F) {
	for _, s := range []string{"110105199001010022", "13800138000", "010-12345678", "张三丰", "张三", "zhangsan@example.com",
		"a@b", "@@", "-", "0-", "中文-中文中文中文", "\xff\xfe", "E12345678", "12345"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		in := []rune(s) // what the functions see: bad bytes read as U+FFFD
		for name, fn := range all {
			got := fn(s)
			if !utf8.ValidString(s) {
				continue // the output may hold U+FFFD where the input held other bytes
			}
			if len(in) > 4 && !strings.Contains(s, "*") && strings.Contains(got, s) {
				t.Fatalf("%s(%q) = %q reveals the whole input", name, s, got)
			}
			if name == "Email" {
				continue // "***" hides the local part's length, so positions do not line up
			}
			out := []rune(got)
			if len(out) != len(in) {
				t.Fatalf("%s(%q) = %q: %d runes, want %d", name, s, got, len(out), len(in))
			}
			hidden, limit := 0, 10 // IDNumber keeps 6+4, the most of all
			for i := range in {
				switch {
				case out[i] == '*' && in[i] != '*':
					hidden++
				case out[i] != in[i] && out[i] != '*':
					t.Fatalf("%s(%q) = %q: rune %d is neither kept nor '*'", name, s, got, i)
				}
			}
			if !strings.Contains(s, "*") && len(in) > 0 && (hidden == 0 || len(in)-hidden > limit) {
				t.Fatalf("%s(%q) = %q: %d of %d runes hidden", name, s, got, hidden, len(in))
			}
		}
	})
}

func BenchmarkIDNumber(b *testing.B) {
	for b.Loop() {
		IDNumber("110105199001010022")
	}
}
