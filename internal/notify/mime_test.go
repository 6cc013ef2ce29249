package notify

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"net/mail"
	"slices"
	"strings"
	"testing"
)

func testLetter(subject, name, body string) letter {
	return letter{
		fromName: name, fromAddr: "noreply@beian.example.com", to: "zhangsan@example.com",
		subject: subject, body: body, date: fixedNow, messageID: "beian.1@beian.example.com",
	}
}

func TestComposeLines(t *testing.T) {
	raw := compose(testLetter(strings.Repeat("备案审核结果通知，", 20), strings.Repeat("备案中心", 16), testBody))
	for i, line := range bytes.Split(raw, []byte("\r\n")) {
		if bytes.ContainsAny(line, "\r\n") {
			t.Fatalf("line %d holds a bare CR or LF: %q", i, line)
		}
		if len(line) > 78 {
			t.Errorf("line %d is %d characters: %q", i, len(line), line)
		}
		for _, c := range line {
			if c >= 0x80 {
				t.Fatalf("line %d is not 7-bit: %q", i, line)
			}
		}
	}
	if !bytes.HasSuffix(raw, []byte("\r\n")) {
		t.Error("message does not end with CRLF")
	}
}

func TestEncodeWords(t *testing.T) {
	cases := map[string]string{
		"Filing approved":   "Filing approved",
		"备案":                "=?UTF-8?B?5aSH5qGI?=",
		" padded":           "=?UTF-8?B?IHBhZGRlZA==?=",
		"looks =?like?= it": "=?UTF-8?B?bG9va3MgPT9saWtlPz0gaXQ=?=",
	}
	for in, want := range cases {
		if got := encodeWords(in); got != want {
			t.Errorf("encodeWords(%q) = %q, want %q", in, got, want)
		}
	}
}

var wantHeaders = []string{"Auto-Submitted", "Content-Transfer-Encoding", "Content-Type", "Date", "From", "Message-Id",
	"Mime-Version", "Subject", "To"}

// Whatever passes validation must come out of a mail parser exactly as it went in, with no extra header.
func FuzzCompose(f *testing.F) {
	f.Add(testSubject, "某某云备案中心", testBody)
	f.Add("hi\r\nBcc: x@example.com", "a\nb", "line\rline")
	f.Add(" spaced  out ", "\"quoted\" <name>", ".\r\n.\r\n")
	f.Add("=?UTF-8?B?5aSH5qGI?=", "Beian", "x")
	f.Fuzz(func(t *testing.T, subject, name, body string) {
		m := Message{To: "zhangsan@example.com", Sender: name, Subject: subject, Body: body}
		if _, err := m.prepare(ChannelEmail); err != nil {
			return
		}
		raw := compose(testLetter(subject, name, body))
		if bytes.Contains(bytes.ReplaceAll(raw, []byte("\r\n"), nil), []byte("\n")) || bytes.Contains(bytes.ReplaceAll(raw, []byte("\r\n"), nil), []byte("\r")) {
			t.Fatalf("bare CR or LF in %q", raw)
		}
		msg, err := mail.ReadMessage(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("does not parse: %v\n%q", err, raw)
		}
		var keys []string
		for k := range msg.Header {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if !slices.Equal(keys, wantHeaders) {
			t.Fatalf("headers %v, want %v", keys, wantHeaders)
		}
		dec := new(mime.WordDecoder)
		if got, err := dec.DecodeHeader(msg.Header.Get("Subject")); err != nil || got != subject {
			t.Fatalf("Subject %q decodes to %q, %v", subject, got, err)
		}
		from, err := msg.Header.AddressList("From")
		if err != nil || len(from) != 1 || from[0].Name != name || from[0].Address != "noreply@beian.example.com" {
			t.Fatalf("From name %q parses as %v, %v (%q)", name, from, err, msg.Header.Get("From"))
		}
		if to, err := msg.Header.AddressList("To"); err != nil || len(to) != 1 || to[0].Address != "zhangsan@example.com" {
			t.Fatalf("To = %v, %v", to, err)
		}
		got, err := io.ReadAll(base64.NewDecoder(base64.StdEncoding, msg.Body))
		if err != nil || string(got) != crlf(body) {
			t.Fatalf("body %q decodes to %q, %v", body, got, err)
		}
	})
}
