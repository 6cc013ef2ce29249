package wiresign

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"os"
)

// Mutual TLS, instead of or beside the shared secret (docs/operations.md): the interface has its own certificate
// authority, which signs the platform's server certificate and each provider's client certificate. The platform
// asks every client for a certificate and verifies the one given against the authority; a call of the interface
// without a verified certificate is refused (Server.RequireClientCertificates), while browsers without one still
// reach the platform's pages. A client certificate's common name is the provider id it authenticates.

// TLSFiles are the PEM files of one side: CA, the interface's certificate authority (the platform verifies
// clients against it, the provider the platform); Cert and Key, this side's certificate and private key (the
// platform's server certificate, or the provider's client certificate).
type TLSFiles struct{ CA, Cert, Key string }

// Enabled reports whether any file is given.
func (f TLSFiles) Enabled() bool { return f != TLSFiles{} }

// Check reports a configuration that names some files and not others; env names the variables, e.g.
// "BEIAN_MIIT_" for BEIAN_MIIT_CA, BEIAN_MIIT_CERT and BEIAN_MIIT_KEY.
func (f TLSFiles) Check(env string) error {
	if f.Enabled() && (f.CA == "" || f.Cert == "" || f.Key == "") {
		return fmt.Errorf("%sCA, %sCERT and %sKEY go together (mutual TLS): set all three or none", env, env, env)
	}
	return nil
}

func (f TLSFiles) load() (tls.Certificate, *x509.CertPool, error) {
	cert, err := tls.LoadX509KeyPair(f.Cert, f.Key)
	if err != nil {
		return cert, nil, fmt.Errorf("mutual TLS: %w", err)
	}
	pem, err := os.ReadFile(f.CA)
	if err != nil {
		return cert, nil, fmt.Errorf("mutual TLS: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return cert, nil, fmt.Errorf("mutual TLS: no PEM certificate in %s", f.CA)
	}
	return cert, pool, nil
}

// ServerConfig is the platform's side: its certificate, and clients' certificates verified against CA when
// given (a given certificate that does not verify fails the handshake).
func (f TLSFiles) ServerConfig() (*tls.Config, error) {
	cert, pool, err := f.load()
	if err != nil {
		return nil, err
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}, ClientCAs: pool, ClientAuth: tls.VerifyClientCertIfGiven,
		MinVersion: tls.VersionTLS12}, nil
}

// ClientConfig is the provider's side: its client certificate, and the platform's certificate verified against
// CA only.
func (f TLSFiles) ClientConfig() (*tls.Config, error) {
	cert, pool, err := f.load()
	if err != nil {
		return nil, err
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}, RootCAs: pool, MinVersion: tls.VersionTLS12}, nil
}

// HTTPClient is a client presenting this side's certificate, with DefaultTimeout.
func (f TLSFiles) HTTPClient() (*http.Client, error) {
	c, err := f.ClientConfig()
	if err != nil {
		return nil, err
	}
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.TLSClientConfig = c
	return &http.Client{Timeout: DefaultTimeout, Transport: t}, nil
}

// ErrNoCertificate: the interface requires a client certificate and the request has no verified one.
var ErrNoCertificate = errors.New("no verified client certificate")

// CertificateProvider is the provider id of the request's verified client certificate (its common name).
func CertificateProvider(r *http.Request) (string, error) {
	if r.TLS == nil || len(r.TLS.VerifiedChains) == 0 || len(r.TLS.VerifiedChains[0]) == 0 {
		return "", ErrNoCertificate
	}
	return r.TLS.VerifiedChains[0][0].Subject.CommonName, nil
}
