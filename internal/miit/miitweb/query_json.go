package miitweb

import (
	"time"
	"unicode/utf8"

	"github.com/beian/beian/internal/miit"
)

// appendAnswer appends a as encoding/json with HTML escaping off writes it (a line; records a list even when
// nil), without reflection: a
// page of a subject name search is tens of records, and encoding them through encoding/json was a sixth of the
// server's CPU for such a query (docs/benchmarks.md). TestAppendAnswerMatchesEncodingJSON holds the two equal.
func appendAnswer(b []byte, a miit.Answer) []byte {
	b = append(b, `{"records":[`...)
	for i, r := range a.Records {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendRecord(b, r)
	}
	b = append(b, ']')
	if a.Next != "" {
		b = appendString(append(b, `,"next":`...), a.Next)
	}
	return append(b, "}\n"...)
}

func appendRecord(b []byte, r miit.Record) []byte {
	b = appendString(append(b, `{"subject_name":`...), r.SubjectName)
	b = appendString(append(b, `,"nature":`...), r.Nature)
	b = appendString(append(b, `,"subject_number":`...), r.SubjectNumber)
	if r.ServiceNumber != "" {
		b = appendString(append(b, `,"service_number":`...), r.ServiceNumber)
	}
	if r.ServiceName != "" {
		b = appendString(append(b, `,"service_name":`...), r.ServiceName)
	}
	if r.Kind != "" {
		b = appendString(append(b, `,"kind":`...), string(r.Kind))
	}
	if len(r.Domains) > 0 {
		b = append(b, `,"domains":[`...)
		for i, d := range r.Domains {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, d)
		}
		b = append(b, ']')
	}
	b = appendString(append(b, `,"province":`...), r.Province)
	b = appendTime(append(b, `,"approved_at":`...), r.ApprovedAt)
	b = appendString(append(b, `,"status":`...), r.Status)
	if r.CancelledAt != nil {
		b = appendTime(append(b, `,"cancelled_at":`...), *r.CancelledAt)
	}
	return append(b, '}')
}

// appendTime writes t as time.Time's MarshalJSON does (RFC 3339 with the nanoseconds it has).
func appendTime(b []byte, t time.Time) []byte {
	return append(t.AppendFormat(append(b, '"'), time.RFC3339Nano), '"')
}

// appendString writes s as a JSON string the way encoding/json does without HTML escaping: quote, backslash
// and control characters escaped, invalid UTF-8 as U+FFFD, U+2028 and U+2029 escaped.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, `\n`...)
			case '\r':
				b = append(b, `\r`...)
			case '\t':
				b = append(b, `\t`...)
			case '\b':
				b = append(b, `\b`...)
			case '\f':
				b = append(b, `\f`...)
			default:
				b = append(b, `\u00`...)
				b = append(b, hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			if r == utf8.RuneError {
				b = append(b, `\ufffd`...)
			} else {
				b = append(b, `\u202`...)
				b = append(b, hex[r&0xf])
			}
			i += size
			start = i
			continue
		}
		i += size
	}
	return append(append(b, s[start:]...), '"')
}

const hex = "0123456789abcdef"
