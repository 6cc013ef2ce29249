// Package cleantext refuses text that nobody types into a form field on purpose: bytes that are not valid UTF-8
// (and U+FFFD, which is what a JSON decoder turns them into), control characters (Unicode category Cc, such as
// NUL), format characters (Cf, such as the right-to-left override U+202E or a zero-width space) and the line and
// paragraph separators U+2028/U+2029. Tab, line feed and carriage return are allowed in multi-line fields only
// (see MultiLine). Such characters make a name look different from what is stored, hide text from a reviewer
// and break the administrations' systems, so the platform refuses them with a message naming the field instead of
// silently cleaning them.
//
// It checks single values (Check), every string of a decoded value (Value, for order content and JSON bodies)
// and every value of a submitted form (Form). It does not judge whether the text is otherwise sensible: that is
// the domain's validation.
package cleantext

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/beian/beian/internal/problem"
)

// The problem codes (keys of the common catalog); the parameter "char" names the refused character (U+202E).
const (
	CodeInvalidUTF8 = "common.text_invalid_utf8"
	CodeControl     = "common.text_control_char"
)

// multiLineNames are the last segments of the field paths whose values may span several lines: reasons and notes
// of reviews and withdrawals, service remarks, an APP's public key and domain list, and the calendar file pasted
// on the console. Form names such as note_message_2 match by their stem.
var multiLineNames = []string{"reason", "remark", "note", "notes", "note_message", "message", "public_key", "domains",
	"days"}

// MultiLine reports whether the field at path (a JSON path or form name) may hold tab and line breaks.
func MultiLine(path string) bool {
	last := path[strings.LastIndexByte(path, '.')+1:]
	if i := strings.IndexByte(last, '['); i >= 0 {
		last = last[:i]
	}
	last = strings.TrimRight(last, "0123456789")
	last = strings.TrimSuffix(last, "_")
	return slices.Contains(multiLineNames, last)
}

// Check returns the problem of value s in field, or nil when it is clean. multiLine allows tab, LF and CR.
func Check(field, s string, multiLine bool) *problem.Error {
	for _, r := range s {
		switch {
		case r >= 0x20 && r < 0x7f, r >= 0x2070 && r < 0xFEFF: // printable ASCII, CJK and most scripts' letters: none refused
		case r == utf8.RuneError: // an invalid byte, or U+FFFD standing for one
			return problem.Invalidf(CodeInvalidUTF8, field)
		case multiLine && (r == '\t' || r == '\n' || r == '\r'):
		case unicode.In(r, unicode.Cc, unicode.Cf, unicode.Zl, unicode.Zp):
			return problem.Invalidf(CodeControl, field, "char", fmt.Sprintf("U+%04X", r))
		}
	}
	return nil
}

// Form checks every value of a submitted form, in the order of the names; names are the fields' paths.
func Form(f url.Values) problem.List {
	names := make([]string, 0, len(f))
	for name := range f {
		names = append(names, name)
	}
	slices.Sort(names)
	var out problem.List
	for _, name := range names {
		if e := Check(name, name, false); e != nil {
			out = append(out, e)
			continue
		}
		for _, v := range f[name] {
			if e := Check(name, v, MultiLine(name)); e != nil {
				out = append(out, e)
				break
			}
		}
	}
	return out
}
