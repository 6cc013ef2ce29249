package wiresign_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/beian/beian/internal/wiresign"
	"github.com/beian/beian/internal/wiresign/wiretest"
)

var errDown = errors.New("down")

// startTLS serves an interface that requires client certificates, for the providers of secrets, with
// certificates of pki; its one operation answers the provider it authenticated.
func startTLS(t *testing.T, pki *wiretest.PKI, secrets map[string][]byte) *httptest.Server {
	t.Helper()
	s := wiresign.NewServer("test interface", secrets, 1<<20, nil)
	s.RequireClientCertificates()
	s.Handle("/who", wiresign.Call(s, func(_ context.Context, provider string, _ struct{}) (any, error) {
		return map[string]string{"provider": provider}, nil
	}))
	cfg, err := pki.Server(t).ServerConfig()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(s)
	srv.TLS = cfg
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

// client calls srv as provider, with files' client certificate (none when files.Cert is empty: only the CA is
// trusted) and secret.
func call(t *testing.T, srv *httptest.Server, files wiresign.TLSFiles, provider string, secret []byte) (string, error) {
	t.Helper()
	var hc *http.Client
	if files.Cert != "" {
		var err error
		if hc, err = files.HTTPClient(); err != nil {
			t.Fatal(err)
		}
	} else {
		hc = srv.Client() // trusts the server's certificate, presents none
	}
	var out struct{ Provider string }
	err := wiresign.NewClient(srv.URL, provider, secret, hc, 1<<20, errDown).Call(context.Background(), "/who", struct{}{}, &out)
	return out.Provider, err
}

// Mutual TLS instead of the shared secret: a provider is authenticated by a client certificate of the
// interface's authority, whose common name is its id; a client without a certificate, with one of another
// authority, or with one of a provider the server does not know, is refused.
func TestMutualTLS(t *testing.T) {
	pki := wiretest.NewPKI(t)
	srv := startTLS(t, pki, map[string][]byte{"isp-a": nil})
	if got, err := call(t, srv, pki.Client(t, "isp-a"), "isp-a", nil); err != nil || got != "isp-a" {
		t.Fatalf("with the provider's certificate: %q, %v", got, err)
	}
	for _, tt := range []struct {
		name     string
		files    wiresign.TLSFiles
		provider string
		refusal  string // how: the interface's answer, or the handshake
	}{
		{"no certificate", wiresign.TLSFiles{}, "isp-a", "code 1"},
		{"another authority's certificate", wiretest.NewPKI(t).Client(t, "isp-a"), "isp-a", "tls"},
		{"an unknown provider's certificate", pki.Client(t, "isp-b"), "isp-b", "code 1"},
		{"claiming another provider than its certificate", pki.Client(t, "isp-b"), "isp-a", "code 1"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			files := tt.files
			if files.Cert != "" {
				files.CA = pki.CA() // trust the server; present the certificate under test
			}
			got, err := call(t, srv, files, tt.provider, nil)
			if !errors.Is(err, errDown) || !strings.Contains(err.Error(), tt.refusal) {
				t.Fatalf("not refused by %s: %q, %v", tt.refusal, got, err)
			}
		})
	}
}

// With both a secret and client certificates, both are required.
func TestMutualTLSWithSecret(t *testing.T) {
	pki := wiretest.NewPKI(t)
	secret := []byte("0123456789abcdef")
	srv := startTLS(t, pki, map[string][]byte{"isp-a": secret})
	cert := pki.Client(t, "isp-a")
	if got, err := call(t, srv, cert, "isp-a", secret); err != nil || got != "isp-a" {
		t.Fatalf("certificate and secret: %q, %v", got, err)
	}
	if _, err := call(t, srv, cert, "isp-a", nil); !errors.Is(err, errDown) {
		t.Fatalf("certificate without the secret: %v", err)
	}
	if _, err := call(t, srv, wiresign.TLSFiles{}, "isp-a", secret); !errors.Is(err, errDown) {
		t.Fatalf("secret without a certificate: %v", err)
	}
}

// An empty secret authenticates nobody when client certificates are not required.
func TestEmptySecretRefused(t *testing.T) {
	s := wiresign.NewServer("test interface", map[string][]byte{"isp-a": nil}, 1<<20, nil)
	s.Handle("/who", wiresign.Call(s, func(_ context.Context, provider string, _ struct{}) (any, error) { return provider, nil }))
	srv := httptest.NewServer(s)
	defer srv.Close()
	err := wiresign.NewClient(srv.URL, "isp-a", nil, nil, 1<<20, errDown).Call(context.Background(), "/who", struct{}{}, nil)
	if !errors.Is(err, errDown) {
		t.Fatalf("an unsigned call was accepted: %v", err)
	}
}

// The three files go together.
func TestTLSFilesCheck(t *testing.T) {
	if err := (wiresign.TLSFiles{CA: "ca.pem"}).Check("BEIAN_MIIT_"); err == nil {
		t.Error("a CA without certificate and key was accepted")
	}
	if err := (wiresign.TLSFiles{}).Check("BEIAN_MIIT_"); err != nil {
		t.Error(err)
	}
}
