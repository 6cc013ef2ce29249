package notify

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// TLSMode says how the SMTP connection is protected.
type TLSMode string

const (
	TLSNone     TLSMode = "none"     // plain SMTP (port 25); credentials only to a loopback server
	TLSStartTLS TLSMode = "starttls" // upgrade with STARTTLS (port 587); refused if the server does not offer it
	TLSImplicit TLSMode = "tls"      // TLS from the first byte (port 465)
)

// SMTPConfig configures an SMTPMailer.
type SMTPConfig struct {
	Host     string
	Port     int     // 0: 25, 587 or 465 by TLS mode
	TLS      TLSMode // empty: starttls
	Username string  // empty: no authentication
	Password string
	From     string // envelope sender and From address, a bare addr-spec
	FromName string // From display name, e.g. "某某云备案中心"; Message.Sender overrides it
	// Timeout bounds one whole conversation, from dialling to the reply to the message; 0 means 30 s.
	Timeout time.Duration
	// HelloName is the name given in EHLO; empty means "localhost".
	HelloName string
	// TLSConfig is optional (e.g. to trust a private CA); its ServerName defaults to Host.
	TLSConfig *tls.Config
	// Now is the clock for the Date header; nil means time.Now.
	Now func() time.Time
}

// SMTPMailer sends each message in its own SMTP conversation. It is safe for concurrent use.
type SMTPMailer struct {
	cfg  SMTPConfig
	addr string
}

// NewSMTPMailer checks cfg and returns a mailer. Credentials over a connection without TLS are refused unless
// the host is "localhost", "127.0.0.1" or "::1" (the rule of net/smtp, which would refuse them later anyway).
func NewSMTPMailer(cfg SMTPConfig) (*SMTPMailer, error) {
	if cfg.TLS == "" {
		cfg.TLS = TLSStartTLS
	}
	defaultPort := map[TLSMode]int{TLSNone: 25, TLSStartTLS: 587, TLSImplicit: 465}[cfg.TLS]
	switch {
	case defaultPort == 0:
		return nil, fmt.Errorf("notify: SMTP TLS mode %q is not none, starttls or tls", cfg.TLS)
	case cfg.Host == "" || strings.ContainsAny(cfg.Host, " \r\n/"):
		return nil, fmt.Errorf("notify: SMTP host %q is invalid", cfg.Host)
	case cfg.Port < 0 || cfg.Port > 65535:
		return nil, fmt.Errorf("notify: SMTP port %d is invalid", cfg.Port)
	case !plainAddress(cfg.From):
		return nil, fmt.Errorf("notify: SMTP from address %q is not a bare ASCII address", cfg.From)
	case !oneLine(cfg.FromName, MaxSenderRunes):
		return nil, errors.New("notify: SMTP from name must be one line of at most 64 characters")
	case !oneLine(cfg.HelloName, 255) || strings.Contains(cfg.HelloName, " "):
		return nil, fmt.Errorf("notify: SMTP hello name %q is invalid", cfg.HelloName)
	case cfg.Username != "" && cfg.TLS == TLSNone && !isLoopbackName(cfg.Host):
		return nil, errors.New("notify: SMTP credentials without TLS are only sent to localhost; use starttls or tls")
	}
	if cfg.Port == 0 {
		cfg.Port = defaultPort
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.HelloName == "" {
		cfg.HelloName = "localhost"
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &SMTPMailer{cfg: cfg, addr: net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port))}, nil
}

func isLoopbackName(host string) bool {
	return host == "localhost" || host == "127.0.0.1" || host == "::1"
}

// SendMail delivers m to m.To. The message is accepted once the server acknowledges the data; a failure to
// say goodbye afterwards is ignored so that a sent message is not sent again.
func (s *SMTPMailer) SendMail(ctx context.Context, m Message) error {
	m, err := m.prepare(ChannelEmail)
	if err != nil {
		return err
	}
	raw := s.letter(m)
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	conn, err := s.dial(ctx)
	if err != nil {
		return smtpError(ctx, "connect", err, m.To)
	}
	// Closing the connection when ctx ends (cancelled or past the timeout) unblocks any read or write; the
	// stage that fails then reports ctx.Err(), which is set before this runs.
	stop := context.AfterFunc(ctx, func() { conn.Close() })
	defer stop()
	return s.converse(ctx, conn, m.To, raw)
}

func (s *SMTPMailer) letter(m Message) []byte {
	id := m.ID
	if id == "" {
		id = strings.ToLower(rand.Text())
	}
	name := s.cfg.FromName
	if m.Sender != "" {
		name = m.Sender
	}
	domain := s.cfg.From[strings.LastIndexByte(s.cfg.From, '@')+1:]
	return compose(letter{
		fromName: name, fromAddr: s.cfg.From, to: m.To,
		subject: m.Subject, body: m.Body,
		date: s.cfg.Now(), messageID: "beian." + id + "@" + domain,
	})
}

func (s *SMTPMailer) tlsConfig() *tls.Config {
	c := &tls.Config{MinVersion: tls.VersionTLS12}
	if s.cfg.TLSConfig != nil {
		c = s.cfg.TLSConfig.Clone()
	}
	if c.ServerName == "" {
		c.ServerName = s.cfg.Host
	}
	return c
}

func (s *SMTPMailer) dial(ctx context.Context) (net.Conn, error) {
	if s.cfg.TLS == TLSImplicit {
		return (&tls.Dialer{Config: s.tlsConfig()}).DialContext(ctx, "tcp", s.addr)
	}
	return (&net.Dialer{}).DialContext(ctx, "tcp", s.addr)
}

func (s *SMTPMailer) converse(ctx context.Context, conn net.Conn, to string, raw []byte) error {
	fail := func(stage string, err error) error { return smtpError(ctx, stage, err, to) }
	c, err := smtp.NewClient(conn, s.cfg.Host) // reads the greeting
	if err != nil {
		conn.Close()
		return fail("connect", err)
	}
	defer c.Close()
	if err := c.Hello(s.cfg.HelloName); err != nil {
		return fail("hello", err)
	}
	if s.cfg.TLS == TLSStartTLS {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return fail("tls", errors.New("the server does not offer STARTTLS"))
		}
		if err := c.StartTLS(s.tlsConfig()); err != nil {
			return fail("tls", err)
		}
	}
	if s.cfg.Username != "" {
		auth, err := s.auth(c)
		if err != nil {
			return fail("auth", err)
		}
		if err := c.Auth(auth); err != nil {
			return fail("auth", err)
		}
	}
	if err := c.Mail(s.cfg.From); err != nil {
		return fail("mail", err)
	}
	if err := c.Rcpt(to); err != nil {
		return fail("rcpt", err)
	}
	w, err := c.Data()
	if err != nil {
		return fail("data", err)
	}
	if _, err := w.Write(raw); err != nil {
		return fail("data", err)
	}
	if err := w.Close(); err != nil { // the server's reply to the message
		return fail("data", err)
	}
	_ = c.Quit()
	return nil
}

// auth picks PLAIN, or LOGIN when the server offers only that (e.g. Microsoft 365).
func (s *SMTPMailer) auth(c *smtp.Client) (smtp.Auth, error) {
	ok, mechs := c.Extension("AUTH")
	if !ok {
		return nil, errors.New("the server does not offer AUTH")
	}
	offered := strings.Fields(strings.ToUpper(mechs))
	switch {
	case slices.Contains(offered, "PLAIN"):
		return smtp.PlainAuth("", s.cfg.Username, s.cfg.Password, s.cfg.Host), nil
	case slices.Contains(offered, "LOGIN"):
		return &loginAuth{host: s.cfg.Host, username: s.cfg.Username, password: s.cfg.Password}, nil
	}
	return nil, fmt.Errorf("the server offers AUTH %s, neither PLAIN nor LOGIN", mechs)
}

// loginAuth is the LOGIN mechanism, which net/smtp lacks, with PlainAuth's guard against sending the password
// in clear text.
type loginAuth struct {
	host, username, password string
	step                     int
}

func (a *loginAuth) Start(server *smtp.ServerInfo) (string, []byte, error) {
	if !server.TLS && !isLoopbackName(server.Name) {
		return "", nil, errors.New("unencrypted connection")
	}
	if server.Name != a.host {
		return "", nil, errors.New("wrong host name")
	}
	a.step = 0
	return "LOGIN", nil, nil
}

func (a *loginAuth) Next(_ []byte, more bool) ([]byte, error) {
	if !more {
		return nil, nil
	}
	a.step++
	switch a.step {
	case 1:
		return []byte(a.username), nil
	case 2:
		return []byte(a.password), nil
	}
	return nil, errors.New("unexpected LOGIN challenge")
}
