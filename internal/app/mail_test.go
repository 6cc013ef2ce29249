package app_test

import (
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"net/mail"
	"strings"
	"testing"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/notify/smtptest"
	"github.com/beian/beian/internal/provider"
)

// Review decisions reach the applicant by e-mail through a real SMTP conversation (Huawei Cloud's first-filing guide: results by SMS
// and e-mail), in Chinese, intact.
func TestDecisionMailedOverSMTP(t *testing.T) {
	srv := smtptest.Start(t, smtptest.Plain, nil)
	a := startApp(t, "", func(c *app.Config) {
		c.SMTPHost, c.SMTPPort, c.SMTPTLS, c.SMTPFrom, c.SMTPFromName = "127.0.0.1", srv.Port, "none", "beian@provider.test", "示例云备案中心"
	})
	p := newParties(t, a)
	c, res := p.newApplicant("mailme@example.com")
	o := p.draftReady(c, res, "mail-demo.cn")
	c.must(200, "POST", path("/api/v1/orders/%d/submit", o.ID), nil, nil)
	p.reviewer.must(200, "POST", path("/api/v1/console/orders/%d/decisions", o.ID), provider.Decision{Decision: "request_changes",
		Notes: []filing.Note{{Field: "services[0].name", Message: "网站名称需与单位名称相关"}}}, nil)

	// The decision's mail, after the welcome mails of the registrations.
	var m smtptest.Received
	var msg *mail.Message
	eventually(t, "the e-mail", func() bool {
		for _, r := range srv.Messages() {
			parsed, err := mail.ReadMessage(bytes.NewReader(r.Data))
			if err != nil {
				t.Fatal(err)
			}
			if subject, err := new(mime.WordDecoder).DecodeHeader(parsed.Header.Get("Subject")); err == nil && strings.Contains(subject, "需要修改") {
				m, msg = r, parsed
				return true
			}
		}
		return false
	})
	if m.From != "beian@provider.test" || len(m.To) != 1 || m.To[0] != "mailme@example.com" {
		t.Fatalf("envelope: from %s to %v", m.From, m.To)
	}
	raw, _ := io.ReadAll(msg.Body)
	body := string(raw)
	if msg.Header.Get("Content-Transfer-Encoding") == "base64" {
		b, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(body, "\r\n", ""))
		if err != nil {
			t.Fatal(err)
		}
		body = string(b)
	}
	if !strings.Contains(body, "网站名称需与单位名称相关") {
		t.Fatalf("the reviewer's note is not in the mail: %q", body)
	}
}
