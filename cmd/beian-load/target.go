package main

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/beian/beian/internal/app"
)

// target is where an HTTP workload runs: demo-mode nodes named by -url, or a server started in this process over
// -db.
type target struct {
	db, url *string
}

// targetFlags defines -db and -url on fs.
func targetFlags(fs *flag.FlagSet) target {
	return target{
		db: fs.String("db", "", "database URL (default: SQLite in a temporary directory)"),
		url: fs.String("url", "", "drive running demo-mode nodes at these comma-separated URLs (one deployment, its "+
			"requests spread over them) instead of a server in this process"),
	}
}

// open returns the nodes' URLs and what the report calls them; a is the server it started (nil for external
// nodes), which stop ends.
func (t target) open(ctx context.Context) (nodes []string, dialect string, a *app.App, stop func(), err error) {
	if *t.url != "" {
		nodes = strings.Split(*t.url, ",")
		return nodes, fmt.Sprintf("%d external node(s)", len(nodes)), nil, func() {}, nil
	}
	a, stop, err = start(ctx, *t.db, nil)
	if err != nil {
		return nil, "", nil, nil, err
	}
	return []string{a.URL()}, string(a.DB.Dialect), a, stop, nil
}
