package app_test

import (
	"context"
	"fmt"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/provider/store"
)

// hangingSMTP accepts connections and never answers, as a mail relay that has stopped responding does.
func hangingSMTP(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			c.Close()
		}
	})
	return ln.Addr().(*net.TCPAddr).Port
}

// Each topic of the outbox has its own lane: with the mail relay hanging and more e-mails waiting than the
// e-mail lane delivers at once, an order is still uploaded to the regulator and its codes texted.
func TestUploadsDoNotWaitBehindHangingMail(t *testing.T) {
	port := hangingSMTP(t)
	a := startApp(t, "", func(c *app.Config) {
		c.SMTPHost, c.SMTPPort, c.SMTPTLS, c.SMTPFrom = "127.0.0.1", port, "none", "beian@provider.test"
	})
	p := newParties(t, a)
	ctx := context.Background()
	for i := range 80 {
		err := a.Store.Update(ctx, func(tx *store.Tx) error {
			return tx.Enqueue(ctx, "email", fmt.Appendf(nil, `{"channel":"email","to":"queued%d@example.com","subject":"s","body":"b"}`, i), time.Now())
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	applicant, resourceID := p.newApplicant("chenwei@example.com")
	o := p.open(applicant, check("lanes-demo.cn"), resourceID, filing.NewFiling)
	applicant.must(200, "PUT", path("/api/v1/orders/%d", o.ID), content(o), nil)
	p.forward(applicant, o.ID) // waits for sms_pending
	p.smsCode(mobile)
	if n, err := a.Store.OutboxPending(ctx); err != nil || n < 80-32 {
		t.Fatalf("%d items pending (%v): the relay did not hang, so the test proved nothing", n, err)
	}
}
