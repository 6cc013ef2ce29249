package mps

import (
	"context"

	"errors"
	"github.com/beian/beian/internal/problem"
	"net/http/httptest"
	"testing"

	"github.com/beian/beian/internal/police"
	"github.com/beian/beian/internal/police/policehttp"
	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/storetest"
)

// eachTransport runs fn with the police interface of the simulator reached in-process and over HTTP
// (policehttp's client and handler, signed with a shared secret), on each database. stranger is the interface
// as a provider the platform does not know reaches it.
func eachTransport(t *testing.T, fn func(t *testing.T, f *fixture, p police.Platform, stranger police.Platform)) {
	t.Run("in-process", func(t *testing.T) {
		storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
			f := newFixture(t, db, Policy{})
			fn(t, f, f.sim, strangerOf{f.sim})
		})
	})
	t.Run("http", func(t *testing.T) {
		storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
			f := newFixture(t, db, Policy{})
			secret := []byte("contract-test-secret")
			srv := httptest.NewServer(policehttp.NewHandler(f.sim, map[string][]byte{"beian-demo": secret}, nil))
			t.Cleanup(srv.Close)
			fn(t, f, policehttp.NewClient(srv.URL, "beian-demo", secret, nil),
				policehttp.NewClient(srv.URL, "stranger", secret, nil))
		})
	})
}

// strangerOf pushes in-process as a provider the platform does not know.
type strangerOf struct{ police.Platform }

func (s strangerOf) PushICPData(ctx context.Context, p police.Push) (police.DataCode, error) {
	p.ProviderID = "stranger"
	return s.Platform.PushICPData(ctx, p)
}

// refusedStranger: in-process the platform forbids an unknown provider; over HTTP its signature is refused,
// which the client reports as the platform being unreachable for it (a configuration fault staff see).
func refusedStranger(err error) bool {
	return problem.KindOf(err) == problem.Forbidden || errors.Is(err, police.ErrUnavailable)
}

// BenchmarkTransportFilingStatus measures what the HTTP transport adds to one status read (signing, JSON, TCP
// over loopback) against the in-process call, on SQLite.
func BenchmarkTransportFilingStatus(b *testing.B) {
	f := newFixture(b, storetest.SQLite(b), Policy{})
	secret := []byte("bench-secret-0123456789")
	srv := httptest.NewServer(policehttp.NewHandler(f.sim, map[string][]byte{"beian-demo": secret}, nil))
	defer srv.Close()
	for _, tr := range []struct {
		name string
		p    police.Platform
	}{{"in-process", f.sim}, {"http", policehttp.NewClient(srv.URL, "beian-demo", secret, nil)}} {
		b.Run(tr.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := tr.p.FilingStatus(ctx, police.StatusQuery{Domain: "example-code.cn"}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
