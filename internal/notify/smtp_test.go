package notify

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"net"
	"net/mail"
	"strings"
	"testing"
	"time"

	"github.com/beian/beian/internal/notify/smtptest"

	"github.com/beian/beian/internal/problem"
	"github.com/emersion/go-smtp"
)

var fixedNow = time.Date(2026, 10, 9, 14, 30, 0, 0, time.FixedZone("CST", 8*3600))

func mailer(t *testing.T, ts *smtptest.Server, edit func(*SMTPConfig)) *SMTPMailer {
	t.Helper()
	cfg := SMTPConfig{
		Host:     "127.0.0.1",
		Port:     ts.Port,
		TLS:      TLSNone,
		From:     "noreply@beian.example.com",
		FromName: "某某云备案中心",
		Now:      func() time.Time { return fixedNow },
	}
	if ts.RootCAs != nil {
		cfg.TLSConfig = &tls.Config{RootCAs: ts.RootCAs}
	}
	if edit != nil {
		edit(&cfg)
	}
	m, err := NewSMTPMailer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

const (
	testSubject = "【备案通知】您的 ICP 备案申请已提交至管局审核，订单号 2026100900012345，请留意短信核验"
	testBody    = "张三您好：\n\n您的备案申请（订单号 2026100900012345）已通过初审，已提交至北京市通信管理局。\n请在 24 小时内完成短信核验。\r\n\n此邮件由系统自动发送，请勿回复。"
)

func chineseMail() Message {
	return Message{ID: "outbox-42", To: "zhangsan@example.com", Subject: testSubject, Body: testBody}
}

// decode parses what the server received the way a mail client would.
func decode(t *testing.T, raw []byte) (*mail.Message, string) {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("received message does not parse: %v\n%s", err, raw)
	}
	if ct := msg.Header.Get("Content-Type"); ct != "text/plain; charset=UTF-8" {
		t.Errorf("Content-Type = %q", ct)
	}
	if cte := msg.Header.Get("Content-Transfer-Encoding"); cte != "base64" {
		t.Errorf("Content-Transfer-Encoding = %q", cte)
	}
	body, err := io.ReadAll(base64.NewDecoder(base64.StdEncoding, msg.Body))
	if err != nil {
		t.Fatalf("body is not base64: %v", err)
	}
	return msg, string(body)
}

func TestSMTPDeliversChineseMail(t *testing.T) {
	ts := smtptest.Start(t, smtptest.Plain, nil)
	if err := mailer(t, ts, nil).SendMail(context.Background(), chineseMail()); err != nil {
		t.Fatal(err)
	}
	got := ts.Messages()
	if len(got) != 1 {
		t.Fatalf("server received %d messages", len(got))
	}
	if got[0].From != "noreply@beian.example.com" || len(got[0].To) != 1 || got[0].To[0] != "zhangsan@example.com" {
		t.Errorf("envelope MAIL FROM %q RCPT TO %q", got[0].From, got[0].To)
	}
	msg, body := decode(t, got[0].Data)
	dec := new(mime.WordDecoder)
	if subject, err := dec.DecodeHeader(msg.Header.Get("Subject")); err != nil || subject != testSubject {
		t.Errorf("Subject decodes to %q, %v", subject, err)
	}
	from, err := msg.Header.AddressList("From")
	if err != nil || len(from) != 1 || from[0].Name != "某某云备案中心" || from[0].Address != "noreply@beian.example.com" {
		t.Errorf("From = %v, %v", from, err)
	}
	if to, err := msg.Header.AddressList("To"); err != nil || len(to) != 1 || to[0].Address != "zhangsan@example.com" {
		t.Errorf("To = %v, %v", to, err)
	}
	if date, err := msg.Header.Date(); err != nil || !date.Equal(fixedNow) {
		t.Errorf("Date = %s, %v", date, err)
	}
	if id := msg.Header.Get("Message-ID"); id != "<beian.outbox-42@beian.example.com>" {
		t.Errorf("Message-ID = %q", id)
	}
	if want := crlf(testBody); body != want {
		t.Errorf("body = %q, want %q", body, want)
	}
}

func TestSMTPSenderOverridesDisplayName(t *testing.T) {
	ts := smtptest.Start(t, smtptest.Plain, nil)
	m := chineseMail()
	m.Sender, m.ID = "工业和信息化部 ICP/IP地址/域名信息备案管理系统", ""
	if err := mailer(t, ts, nil).SendMail(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	msg, _ := decode(t, ts.Messages()[0].Data)
	from, err := msg.Header.AddressList("From")
	if err != nil || from[0].Name != m.Sender || from[0].Address != "noreply@beian.example.com" {
		t.Errorf("From = %v, %v", from, err)
	}
	if id := msg.Header.Get("Message-ID"); !strings.HasPrefix(id, "<beian.") || !strings.HasSuffix(id, "@beian.example.com>") || len(id) < 40 {
		t.Errorf("random Message-ID = %q", id)
	}
}

func TestSMTPAuthAndTLS(t *testing.T) {
	cases := []struct {
		name     string
		mode     smtptest.TLSMode
		tls      TLSMode
		mech     string
		insecure bool
		wantTLS  bool
	}{
		// net/smtp sends PLAIN without TLS only to localhost/127.0.0.1/::1; this is that case.
		{"PLAIN on loopback without TLS", smtptest.Plain, TLSNone, "PLAIN", true, false},
		{"LOGIN on loopback without TLS", smtptest.Plain, TLSNone, "LOGIN", true, false},
		{"PLAIN after STARTTLS", smtptest.StartTLS, TLSStartTLS, "PLAIN", false, true},
		{"LOGIN after STARTTLS", smtptest.StartTLS, TLSStartTLS, "LOGIN", false, true},
		{"PLAIN over implicit TLS", smtptest.ImplicitTLS, TLSImplicit, "PLAIN", false, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ts := smtptest.Start(t, tc.mode, func(ts *smtptest.Server) {
				ts.Mechanism, ts.User, ts.Pass, ts.AllowInsecureAuth = tc.mech, "beian", "s3cret 密码", tc.insecure
			})
			m := mailer(t, ts, func(c *SMTPConfig) { c.TLS, c.Username, c.Password = tc.tls, "beian", "s3cret 密码" })
			if err := m.SendMail(context.Background(), chineseMail()); err != nil {
				t.Fatal(err)
			}
			if users := ts.Authenticated(); len(users) != 1 || users[0] != "beian" {
				t.Errorf("server saw logins %v", users)
			}
			got := ts.Messages()
			if len(got) != 1 || got[0].TLS != tc.wantTLS {
				t.Fatalf("received %d messages, TLS %v", len(got), len(got) > 0 && got[0].TLS)
			}
			if _, body := decode(t, got[0].Data); body != crlf(testBody) {
				t.Errorf("body = %q", body)
			}
		})
	}
}

func TestSMTPWrongPasswordIsTemporary(t *testing.T) {
	ts := smtptest.Start(t, smtptest.StartTLS, func(ts *smtptest.Server) { ts.Mechanism, ts.User, ts.Pass = "PLAIN", "beian", "right" })
	err := mailer(t, ts, func(c *SMTPConfig) { c.TLS, c.Username, c.Password = TLSStartTLS, "beian", "wrong" }).
		SendMail(context.Background(), chineseMail())
	var e *Error
	if !errors.As(err, &e) || e.Stage != "auth" || IsPermanent(err) || e.Code == 0 {
		t.Fatalf("err = %v (%#v); want a temporary auth error with the server's code", err, e)
	}
	if len(ts.Messages()) != 0 {
		t.Error("message delivered despite failed login")
	}
}

func TestSMTPStartTLSRequired(t *testing.T) {
	ts := smtptest.Start(t, smtptest.Plain, nil) // offers no STARTTLS
	err := mailer(t, ts, func(c *SMTPConfig) { c.TLS = TLSStartTLS }).SendMail(context.Background(), chineseMail())
	var e *Error
	if !errors.As(err, &e) || e.Stage != "tls" || IsPermanent(err) {
		t.Fatalf("err = %v; want a temporary tls error", err)
	}
	if len(ts.Messages()) != 0 {
		t.Error("message sent in clear text although starttls was configured")
	}
}

func TestSMTPUntrustedCertificate(t *testing.T) {
	ts := smtptest.Start(t, smtptest.ImplicitTLS, nil)
	err := mailer(t, ts, func(c *SMTPConfig) { c.TLS, c.TLSConfig = TLSImplicit, nil }).
		SendMail(context.Background(), chineseMail())
	if err == nil || IsPermanent(err) {
		t.Fatalf("err = %v; want a temporary error for an untrusted certificate", err)
	}
}

func TestSMTPRejections(t *testing.T) {
	reply := func(code int, msg string) error {
		return &smtp.SMTPError{Code: code, EnhancedCode: smtp.EnhancedCode{code / 100, 1, 1}, Message: msg}
	}
	cases := []struct {
		name      string
		configure func(*smtptest.Server)
		stage     string
		code      int
		permanent bool
	}{
		{"unknown recipient", func(ts *smtptest.Server) { ts.RcptErr = reply(550, "<zhangsan@example.com>: user unknown") }, "rcpt", 550, true},
		{"greylisted", func(ts *smtptest.Server) { ts.RcptErr = reply(451, "Greylisted, try ZhangSan@Example.com later") }, "rcpt", 451, false},
		{"mailbox full", func(ts *smtptest.Server) { ts.RcptErr = reply(552, "mailbox full") }, "rcpt", 552, false},
		{"content refused", func(ts *smtptest.Server) { ts.DataErr = reply(554, "spam") }, "data", 554, true},
		{"sender refused", func(ts *smtptest.Server) { ts.MailErr = reply(550, "relay not permitted") }, "mail", 550, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ts := smtptest.Start(t, smtptest.Plain, tc.configure)
			err := mailer(t, ts, nil).SendMail(context.Background(), chineseMail())
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v, want *Error", err)
			}
			if e.Stage != tc.stage || e.Code != tc.code || IsPermanent(err) != tc.permanent {
				t.Errorf("stage %s code %d permanent %v; want %s %d %v (%v)", e.Stage, e.Code, IsPermanent(err), tc.stage, tc.code, tc.permanent, err)
			}
			if text := strings.ToLower(err.Error()); strings.Contains(text, "zhangsan@example.com") {
				t.Errorf("error reveals the recipient: %v", err)
			}
		})
	}
}

func TestSMTPRecipientMaskedInError(t *testing.T) {
	ts := smtptest.Start(t, smtptest.Plain, func(ts *smtptest.Server) {
		ts.RcptErr = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "<zhangsan@example.com>: user unknown"}
	})
	err := mailer(t, ts, nil).SendMail(context.Background(), chineseMail())
	if err == nil || !strings.Contains(err.Error(), "z***@example.com") || !strings.Contains(err.Error(), "user unknown") {
		t.Errorf("err = %v; want the server's text with the recipient masked", err)
	}
}

func TestSMTPConnectionRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	m, err := NewSMTPMailer(SMTPConfig{Host: "127.0.0.1", Port: port, TLS: TLSNone, From: "noreply@beian.example.com"})
	if err != nil {
		t.Fatal(err)
	}
	err = m.SendMail(context.Background(), chineseMail())
	var e *Error
	if !errors.As(err, &e) || e.Stage != "connect" || IsPermanent(err) {
		t.Errorf("err = %v; want a temporary connect error", err)
	}
}

// silentServer accepts connections and never says a word; onAccept runs for each.
func silentServer(t *testing.T, onAccept func()) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { c.Close() })
			onAccept()
		}
	}()
	return ln.Addr().(*net.TCPAddr).Port
}

func TestSMTPCancelledContextStopsConversation(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	port := silentServer(t, cancel) // the greeting never comes; the caller gives up
	m, err := NewSMTPMailer(SMTPConfig{Host: "127.0.0.1", Port: port, TLS: TLSNone, From: "noreply@beian.example.com"})
	if err != nil {
		t.Fatal(err)
	}
	err = m.SendMail(ctx, chineseMail())
	if !errors.Is(err, context.Canceled) || IsPermanent(err) {
		t.Errorf("err = %v; want a temporary error wrapping context.Canceled", err)
	}
}

func TestSMTPTimeoutBoundsConversation(t *testing.T) {
	port := silentServer(t, func() {})
	m, err := NewSMTPMailer(SMTPConfig{Host: "127.0.0.1", Port: port, TLS: TLSNone, From: "noreply@beian.example.com", Timeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	err = m.SendMail(context.Background(), chineseMail())
	if !errors.Is(err, context.DeadlineExceeded) || IsPermanent(err) {
		t.Errorf("err = %v; want a temporary error wrapping context.DeadlineExceeded", err)
	}
}

func TestSMTPRefusesInvalidMessageBeforeConnecting(t *testing.T) {
	ts := smtptest.Start(t, smtptest.Plain, nil)
	m := mailer(t, ts, nil)
	cases := map[string]Message{
		"notify.to_invalid":      {To: "victim@example.com\r\nBcc: all@example.com", Subject: "s", Body: "b"},
		"notify.subject_invalid": {To: "a@example.com", Subject: "hi\r\nBcc: all@example.com", Body: "b"},
		"notify.sender_invalid":  {To: "a@example.com", Sender: "x\nBcc: all@example.com", Subject: "s", Body: "b"},
		"notify.channel_invalid": {Channel: ChannelSMS, To: "a@example.com", Subject: "s", Body: "b"},
	}
	for code, msg := range cases {
		err := m.SendMail(context.Background(), msg)
		if !IsPermanent(err) || !problem.Is(err, code) {
			t.Errorf("%s: err = %v", code, err)
		}
	}
	if n := len(ts.Messages()); n != 0 {
		t.Errorf("server received %d messages", n)
	}
}

func TestNewSMTPMailerChecksConfig(t *testing.T) {
	ok := SMTPConfig{Host: "smtp.example.com", From: "noreply@example.com"}
	bad := map[string]func(*SMTPConfig){
		"credentials in clear text to a remote host": func(c *SMTPConfig) { c.TLS, c.Username = TLSNone, "u" },
		"unknown TLS mode":                           func(c *SMTPConfig) { c.TLS = "ssl" },
		"no host":                                    func(c *SMTPConfig) { c.Host = "" },
		"from with display name":                     func(c *SMTPConfig) { c.From = "Beian <noreply@example.com>" },
		"from name on two lines":                     func(c *SMTPConfig) { c.FromName = "a\r\nBcc: x@example.com" },
		"port out of range":                          func(c *SMTPConfig) { c.Port = 70000 },
	}
	for name, edit := range bad {
		cfg := ok
		edit(&cfg)
		if _, err := NewSMTPMailer(cfg); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	for mode, port := range map[TLSMode]int{"": 587, TLSStartTLS: 587, TLSImplicit: 465, TLSNone: 25} {
		cfg := ok
		cfg.TLS = mode
		m, err := NewSMTPMailer(cfg)
		if err != nil || m.cfg.Port != port {
			t.Errorf("TLS %q: port %d, %v; want %d", mode, m.cfg.Port, err, port)
		}
	}
	cfg := ok
	cfg.Host, cfg.TLS, cfg.Username = "localhost", TLSNone, "u"
	if _, err := NewSMTPMailer(cfg); err != nil {
		t.Errorf("credentials to localhost without TLS refused: %v", err)
	}
}
