package app

import (
	"context"
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"

	"github.com/beian/beian/internal/cliargs"
	"github.com/beian/beian/internal/miit"
	"github.com/beian/beian/internal/sqldb"
)

// RotateKeys re-encrypts under the primary key every sealed value of both bounded contexts (the provider's
// tables and blobs, the MIIT simulator's tables) that is still under an older key; with dryRun it only counts
// them. Rotation: put the new key first in BEIAN_SECRET_KEYS and keep the old ones after it, restart the nodes,
// run `beian keys rotate`, check that `beian keys rotate --dry-run` counts nothing, then drop the old keys.
// BEIAN_INDEX_KEY (keyed hashes for look-ups) cannot be rotated this way: hashes cannot be recomputed without
// the plaintext of every look-up value.
func (a *App) RotateKeys(ctx context.Context, dryRun bool) (map[string]int, error) {
	out, err := a.Store.RotateKeys(ctx, dryRun)
	if err != nil {
		return out, err
	}
	sim, err := sqldb.Reseal(ctx, a.MIITDB, a.Store.Keys, miit.SealedColumns(), dryRun)
	maps.Copy(out, sim)
	return out, err
}

// RunKeysRotate is the command `beian keys rotate [--dry-run]`: configuration from the environment as for
// `beian serve`.
func RunKeysRotate(args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	fs := flag.NewFlagSet("keys rotate", flag.ContinueOnError)
	dry := fs.Bool("dry-run", false, "only count the values sealed under an older key")
	if _, code, ok := cliargs.Parse(fs, args, "usage: beian keys rotate [--dry-run]", stdout, stderr); !ok {
		return code
	}
	cfg, err := FromEnv(getenv)
	if err != nil {
		fmt.Fprintf(stderr, "beian: configuration: %v\n", err)
		return 2
	}
	cfg.Seed = false
	ctx := context.Background()
	a, err := New(ctx, cfg)
	if err != nil {
		fmt.Fprintf(stderr, "beian: %v\n", err)
		return 1
	}
	defer a.Close()
	counts, err := a.RotateKeys(ctx, *dry)
	verb := "re-encrypted"
	if *dry {
		verb = "sealed under an older key"
	}
	total := 0
	for _, k := range slices.Sorted(maps.Keys(counts)) {
		if counts[k] > 0 {
			fmt.Fprintf(stdout, "%-28s %d\n", k, counts[k])
		}
		total += counts[k]
	}
	fmt.Fprintf(stdout, "%d values %s (primary key %d)\n", total, verb, a.Store.Keys.Primary())
	if err != nil {
		fmt.Fprintf(stderr, "beian: key rotation: %v\n", err)
		return 1
	}
	return 0
}
