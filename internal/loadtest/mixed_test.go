package loadtest

import (
	"context"
	"testing"
	"time"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/apptest"
)

// The mixed workload completes every order type for every subject against the real server.
func TestMixedWorkload(t *testing.T) {
	a := apptest.Start(t, "", func(c *app.Config) { c.MIITVerifyLimit = 1 << 30 }) // every principal verifies from here
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	nodes := []string{a.URL()}
	staff, err := LoginStaff(ctx, nodes, NewHTTPClient(8), app.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	all, per, err := Mixed(ctx, nodes, staff, "t", 4, 2)
	if err != nil {
		t.Fatal(err)
	}
	if all.Errors != 0 || all.Requests != 16 {
		t.Fatalf("mixed: %+v", all)
	}
	for _, k := range MixedKinds {
		if r := per[k]; r.Requests != 4 || r.Errors != 0 {
			t.Errorf("%s: %+v", k, r)
		}
	}
}
