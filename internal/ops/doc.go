// Package ops is what an operator needs to run beian: Prometheus metrics (HTTP latency by route, orders by
// state, outbox depth and age per lane, round trips to the regulator and the police platform, database pool
// waits, and gauges read at scrape time such as the simulators' queues), the health and readiness probes, and
// consistent backups of SQLite databases while the server runs. It knows nothing of the domain: internal/app
// hands it the figures to export and the checks to run. docs/operations.md describes it.
package ops
