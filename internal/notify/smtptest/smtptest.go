// Package smtptest runs a real SMTP server (github.com/emersion/go-smtp) on 127.0.0.1:0 for tests: it captures
// what it receives and can be told to require authentication or to refuse at any stage.
package smtptest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"log"
	"math/big"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Server is a real SMTP server (github.com/emersion/go-smtp) on 127.0.0.1:0 that captures what it receives.
type Server struct {
	Addr    string
	Port    int
	RootCAs *x509.CertPool // trusts the server's certificate when TLS is on

	// Behaviour, set before use.
	Mechanism         string // "PLAIN", "LOGIN" or "" (no AUTH offered)
	User, Pass        string
	MailErr, RcptErr  error
	DataErr           error
	AllowInsecureAuth bool

	mu   sync.Mutex
	got  []Received
	auth []string // users that authenticated
}

type Received struct {
	From string
	To   []string
	Data []byte
	TLS  bool
}

type TLSMode int

const (
	Plain TLSMode = iota
	StartTLS
	ImplicitTLS
)

func Start(t *testing.T, mode TLSMode, configure func(*Server)) *Server {
	t.Helper()
	ts := &Server{}
	if configure != nil {
		configure(ts)
	}
	srv := smtp.NewServer(ts)
	srv.Domain = "mx.test"
	srv.ErrorLog = log.New(io.Discard, "", 0)
	srv.AllowInsecureAuth = ts.AllowInsecureAuth
	srv.ReadTimeout = time.Minute
	srv.WriteTimeout = time.Minute
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if mode != Plain {
		cert, pool := selfSigned(t)
		ts.RootCAs = pool
		cfg := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		if mode == StartTLS {
			srv.TLSConfig = cfg
		} else {
			ln = tls.NewListener(ln, cfg)
		}
	}
	ts.Addr = ln.Addr().String()
	ts.Port = ln.Addr().(*net.TCPAddr).Port
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ts
}

func (ts *Server) Messages() []Received {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([]Received(nil), ts.got...)
}

func (ts *Server) Authenticated() []string {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([]string(nil), ts.auth...)
}

// NewSession implements smtp.Backend.
func (ts *Server) NewSession(c *smtp.Conn) (smtp.Session, error) {
	return &testSession{ts: ts, conn: c}, nil
}

type testSession struct {
	ts     *Server
	conn   *smtp.Conn
	authed bool
	cur    Received
}

func (s *testSession) AuthMechanisms() []string {
	if s.ts.Mechanism == "" {
		return nil
	}
	return []string{s.ts.Mechanism}
}

func (s *testSession) Auth(mech string) (sasl.Server, error) {
	check := func(user, pass string) error {
		if user != s.ts.User || pass != s.ts.Pass {
			return errors.New("invalid credentials")
		}
		s.authed = true
		s.ts.mu.Lock()
		s.ts.auth = append(s.ts.auth, user)
		s.ts.mu.Unlock()
		return nil
	}
	switch mech {
	case sasl.Plain:
		return sasl.NewPlainServer(func(_, user, pass string) error { return check(user, pass) }), nil
	case sasl.Login:
		return &loginServer{check: check}, nil
	}
	return nil, smtp.ErrAuthUnknownMechanism
}

// loginServer is the server side of AUTH LOGIN, which go-sasl does not provide.
type loginServer struct {
	check func(user, pass string) error
	user  string
	step  int
}

func (l *loginServer) Next(response []byte) ([]byte, bool, error) {
	l.step++
	switch l.step {
	case 1:
		if response != nil {
			return nil, false, errors.New("no initial response expected")
		}
		return []byte("Username:"), false, nil
	case 2:
		l.user = string(response)
		return []byte("Password:"), false, nil
	case 3:
		return nil, true, l.check(l.user, string(response))
	}
	return nil, false, errors.New("unexpected LOGIN step")
}

func (s *testSession) Mail(from string, _ *smtp.MailOptions) error {
	if s.ts.Mechanism != "" && !s.authed {
		return smtp.ErrAuthRequired
	}
	if s.ts.MailErr != nil {
		return s.ts.MailErr
	}
	_, isTLS := s.conn.TLSConnectionState()
	s.cur = Received{From: from, TLS: isTLS}
	return nil
}

func (s *testSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	if s.ts.RcptErr != nil {
		return s.ts.RcptErr
	}
	s.cur.To = append(s.cur.To, to)
	return nil
}

func (s *testSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if s.ts.DataErr != nil {
		return s.ts.DataErr
	}
	s.cur.Data = b
	s.ts.mu.Lock()
	s.ts.got = append(s.ts.got, s.cur)
	s.ts.mu.Unlock()
	return nil
}

func (s *testSession) Reset()        { s.cur = Received{} }
func (s *testSession) Logout() error { return nil }

// selfSigned makes a certificate for 127.0.0.1 and localhost and a pool that trusts it.
func selfSigned(t *testing.T) (tls.Certificate, *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "beian test SMTP"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}
