package app

import (
	"context"

	"github.com/beian/beian/internal/cluster"
	"github.com/beian/beian/internal/ops"
	"github.com/beian/beian/internal/sqldb"
)

// wireCluster connects this node to the others on a PostgreSQL database (internal/cluster): long polls wake when
// another node changes their order, and a logout holds on every node at once.
func (a *App) wireCluster(ctx context.Context) error {
	if a.DB.Dialect != sqldb.Postgres {
		return nil
	}
	hub, err := cluster.New(ctx, a.DB.W, a.DB.URL, cluster.Handlers{
		OrdersChanged: func(ids []int64) { a.Service.Changed(ids...) },
		SessionEnded:  a.Service.ForgetSession,
		Resync:        a.Service.WakeAll,
	})
	if err != nil {
		return err
	}
	a.Service.SetPeers(hub)
	a.hub = hub
	a.Ready.Add(ops.Check{Name: "cluster", Fn: hub.Listening})
	return nil
}
