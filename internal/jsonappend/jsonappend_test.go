package jsonappend

import (
	"bytes"
	"encoding/json"
	"testing"
)

// String writes what encoding/json writes with HTML escaping off: escapes, HTML characters left alone,
// invalid UTF-8 replaced, the line and paragraph separators escaped.
func TestStringMatchesEncodingJSON(t *testing.T) {
	for _, s := range stringCases {
		checkString(t, s)
	}
}

var stringCases = []string{"", "plain", "广州示例科技有限公司", "A \"quoted\" \\ <b>&</b>\n\t\r\b\f\x00\x01\x1f\x7f",
	"bad \xff\xfe utf-8 \u2028 \u2029 é 😀", "\xe2\x80"}

// FuzzString holds String equal to encoding/json on any bytes.
func FuzzString(f *testing.F) {
	for _, s := range stringCases {
		f.Add(s)
	}
	f.Fuzz(checkString)
}

func checkString(t *testing.T, s string) {
	var want bytes.Buffer
	enc := json.NewEncoder(&want)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		t.Fatal(err)
	}
	if got := append(String(nil, s), '\n'); !bytes.Equal(got, want.Bytes()) {
		t.Errorf("%q: got %s, want %s", s, got, want.Bytes())
	}
}
