package loadtest

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/apptest"
)

// Against a node whose simulator runs apart, with the staff logged in there too (LoginStaffApart), the mixed
// workload completes every order type: the codes are read from the simulator's outbox and entered there.
func TestMixedWorkloadSimulatorApart(t *testing.T) {
	a, simURL := apptest.StartApart(t)
	if apart, err := SimulatorApart(context.Background(), a.URL()); err != nil || apart != simURL {
		t.Fatalf("SimulatorApart = %q, %v; want %q", apart, err, simURL)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	nodes := []string{a.URL()}
	staff, err := LoginStaffApart(ctx, nodes, simURL, NewHTTPClient(8), app.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	all, per, err := Mixed(ctx, nodes, staff, "t", 2, 2)
	if err != nil {
		t.Fatal(err)
	}
	if all.Errors != 0 || all.Requests != 8 {
		t.Fatalf("mixed: %+v", all)
	}
	for _, k := range MixedKinds {
		if r := per[k]; r.Requests != 2 || r.Errors != 0 {
			t.Errorf("%s: %+v", k, r)
		}
	}
}

// Reading the codes from the node's outbox while the simulator apart texts them: the first lifecycle to wait
// SMSWait in vain ends the run with ErrNoSMSCode, naming the outbox and the fix, instead of every lifecycle
// waiting out its OrderTimeout.
func TestNoSMSCodeEndsRun(t *testing.T) {
	defer func(w time.Duration) { SMSWait = w }(SMSWait)
	SMSWait = 2 * time.Second
	a, _ := apptest.StartApart(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	nodes := []string{a.URL()}
	staff, err := LoginStaff(ctx, nodes, NewHTTPClient(8), app.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	applicants, err := NewApplicants(ctx, nodes, staff, "t", 2)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	r, err := RunLifecycles(ctx, applicants, staff, "t", 20)
	if !errors.Is(err, ErrNoSMSCode) || !strings.Contains(err.Error(), "-miit-url") || !strings.Contains(err.Error(), a.URL()) {
		t.Fatalf("run ended with %v, want ErrNoSMSCode naming the outbox and -miit-url", err)
	}
	if took := time.Since(t0); took > 20*time.Second || r.Errors > 2 {
		t.Fatalf("the run went on after the missing code: %s, %+v", took, r)
	}
}
