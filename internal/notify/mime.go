package notify

import (
	"bytes"
	"encoding/base64"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// letter is what compose turns into an RFC 5322 message. Every field has been validated: header values are
// one line (no control characters), addresses are bare ASCII addr-specs.
type letter struct {
	fromName, fromAddr string
	to                 string
	subject, body      string
	date               time.Time
	messageID          string // without angle brackets
}

// compose renders l as a 7-bit MIME message with CRLF line endings: text/plain UTF-8 in base64, non-ASCII
// header text as RFC 2047 B-encoded words folded onto continuation lines, so every line stays under 78
// characters whatever the language.
func compose(l letter) []byte {
	var b bytes.Buffer
	header := func(name, value string) {
		b.WriteString(name)
		b.WriteString(": ")
		b.WriteString(value)
		b.WriteString("\r\n")
	}
	from := (&mail.Address{Address: l.fromAddr}).String()
	if l.fromName != "" {
		from = phrase(l.fromName) + "\r\n " + from // folded before the address: each part has a line
	}
	header("From", from)
	header("To", "<"+l.to+">")
	header("Subject", encodeWords(l.subject))
	header("Date", l.date.Format(time.RFC1123Z))
	header("Message-ID", "<"+l.messageID+">")
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=UTF-8")
	header("Content-Transfer-Encoding", "base64")
	header("Auto-Submitted", "auto-generated") // RFC 3834: no vacation replies to transactional mail
	b.WriteString("\r\n")

	enc := base64.StdEncoding.EncodeToString([]byte(crlf(l.body)))
	for len(enc) > 76 {
		b.WriteString(enc[:76])
		b.WriteString("\r\n")
		enc = enc[76:]
	}
	b.WriteString(enc)
	b.WriteString("\r\n")
	return b.Bytes()
}

// crlf puts text in MIME canonical form: every line break, whatever it was, becomes CRLF.
func crlf(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.ReplaceAll(s, "\n", "\r\n")
}

// phrase renders a display name: as a quoted string when it is plain ASCII, else as encoded words.
func phrase(name string) string {
	if plainASCII(name) {
		// mail.Address quotes and escapes as needed; strip the address part it adds.
		s := (&mail.Address{Name: name, Address: "x@x"}).String()
		return strings.TrimSuffix(s, " <x@x>")
	}
	return encodeWords(name)
}

// encodeWords returns s unchanged when it is short plain ASCII, safe as unstructured header text, else as
// RFC 2047 B-encoded words of 64 characters at most, never splitting a character, separated by CRLF and a space (folding whitespace
// that decoders drop between encoded words).
func encodeWords(s string) string {
	if plainASCII(s) && !strings.Contains(s, "=?") && len(s) <= 66 {
		return s
	}
	// base64 of 39 bytes is 52 characters; with "=?UTF-8?B?" and "?=" a word is 64, and "Subject: " or a
	// continuation's leading space keeps the line under 78.
	const maxBytes = 39
	var words []string
	for len(s) > 0 {
		n := 0
		for n < len(s) {
			_, size := utf8.DecodeRuneInString(s[n:])
			if n+size > maxBytes {
				break
			}
			n += size
		}
		// mime.BEncoding.Encode would leave an ASCII chunk as it is; every chunk here must be a word.
		words = append(words, "=?UTF-8?B?"+base64.StdEncoding.EncodeToString([]byte(s[:n]))+"?=")
		s = s[n:]
	}
	return strings.Join(words, "\r\n ")
}

// plainASCII reports whether s is printable ASCII that survives header parsing as it is: no leading, trailing
// or doubled spaces, which parsers trim or fold.
func plainASCII(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' || strings.Contains(s, "  ") {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < ' ' || s[i] > '~' {
			return false
		}
	}
	return true
}
