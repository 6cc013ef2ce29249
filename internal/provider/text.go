package provider

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/beian/beian/internal/problem"
)

// plainText trims a free-text field and refuses invalid UTF-8, control characters (line breaks too unless
// multiline) and more than max characters; required refuses it empty.
func plainText(field, v string, max int, required, multiline bool) (string, error) {
	v = strings.TrimSpace(v)
	switch {
	case !utf8.ValidString(v):
		return "", problem.Invalidf("text.invalid_utf8", field)
	case required && v == "":
		return "", problem.Invalidf("text.required", field)
	case utf8.RuneCountInString(v) > max:
		return "", problem.Invalidf("text.too_long", field, "max", strconv.Itoa(max))
	}
	for _, r := range v {
		if (unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\r'))) || r == '\u2028' || r == '\u2029' {
			return "", problem.Invalidf("text.control_char", field)
		}
	}
	return v, nil
}
