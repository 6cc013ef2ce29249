package main

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"strings"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/loadtest"
)

// target is where an HTTP workload runs: demo-mode nodes named by -url (with -miit-url, the simulator they use
// when it runs apart), or a server started in this process over -db.
type target struct {
	db, url, miit *string
}

// targetFlags defines -db, -url and -miit-url on fs.
func targetFlags(fs *flag.FlagSet) target {
	return target{
		db: fs.String("db", "", "database URL (default: SQLite in a temporary directory)"),
		url: fs.String("url", "", "drive running demo-mode nodes at these comma-separated URLs (one deployment, its "+
			"requests spread over them) instead of a server in this process"),
		miit: fs.String("miit-url", "", "with -url, for nodes whose MIIT simulator runs apart (`beian miit serve`, "+
			"demo mode): its URL, where the verification codes are texted and the officer decides"),
	}
}

// open returns the nodes' URLs and what the report calls them; a is the server it started (nil for external
// nodes), which stop ends. External nodes are asked first where their MIIT simulator runs, so that a
// simulator apart without -miit-url (whose codes the tool would wait for in vain) is refused at once.
func (t target) open(ctx context.Context) (nodes []string, dialect string, a *app.App, stop func(), err error) {
	if *t.url == "" && *t.miit != "" {
		return nil, "", nil, nil, &usageError{"-miit-url needs -url: a server this tool starts runs the simulator inside"}
	}
	if *t.url != "" {
		nodes = strings.Split(*t.url, ",")
		if err := t.checkSimulator(ctx, nodes); err != nil {
			return nil, "", nil, nil, err
		}
		return nodes, fmt.Sprintf("%d external node(s)", len(nodes)), nil, func() {}, nil
	}
	a, stop, err = start(ctx, *t.db, nil)
	if err != nil {
		return nil, "", nil, nil, err
	}
	return []string{a.URL()}, string(a.DB.Dialect), a, stop, nil
}

// checkSimulator checks that -miit-url is given exactly when the nodes' simulator runs apart.
func (t target) checkSimulator(ctx context.Context, nodes []string) error {
	for _, node := range nodes {
		apart, err := loadtest.SimulatorApart(ctx, node)
		switch {
		case err != nil:
			return fmt.Errorf("node %s: %w", node, err)
		case apart != "" && *t.miit == "":
			return fmt.Errorf("node %s uses a MIIT simulator in its own process (its pages are at %s): the simulator, "+
				"not the node, texts the verification codes, so they are not in the node's development outbox; "+
				"give its URL with -miit-url (it must run in demo mode)", node, apart)
		case apart == "" && *t.miit != "":
			return fmt.Errorf("node %s runs the MIIT simulator inside; -miit-url is for nodes whose simulator runs "+
				"apart: drop it", node)
		}
	}
	return nil
}

// loginStaff logs the demo staff in: at the nodes, and the simulator's at -miit-url when given.
func (t target) loginStaff(ctx context.Context, nodes []string, client *http.Client) (*loadtest.Staff, error) {
	if *t.miit != "" {
		return loadtest.LoginStaffApart(ctx, nodes, strings.TrimRight(*t.miit, "/"), client, app.DemoPassword)
	}
	return loadtest.LoginStaff(ctx, nodes, client, app.DemoPassword)
}
