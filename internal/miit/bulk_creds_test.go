package miit

import (
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/beian/beian/internal/storetest"
)

// size is the number of subjects the set holds.
func (c *credSet) size() int { return c.n }

// credHash is a credential hash whose first 8 bytes (what a credSet keeps) are prefix and whose rest is tail:
// hashes of one prefix and different tails meet in a credSet as two real hashes would once in 2^64 pairs.
func credHash(prefix uint64, tail byte) []byte {
	h := make([]byte, sha256.Size)
	binary.BigEndian.PutUint64(h, prefix)
	for i := 8; i < len(h); i++ {
		h[i] = tail
	}
	return h
}

// A credSet skips exactly the subjects filed under the whole hash: filed before the load, by the load, or by
// another writer meanwhile, also among several subjects that share the 8 bytes it keeps; a subject whose prefix
// is known under another hash, or whose filing was cancelled meanwhile, is loaded. Every case also runs crowded:
// in a set spread over many slots, with 5,000 subjects that are not filed (ids never given), a third of them
// under each of the two shared prefixes (read back by id in several statements).
func TestCredSetUnfiled(t *testing.T) {
	p, q := uint64(0x0123456789abcdef), uint64(0xfedcba9876543210)
	a1, a2, a3, a4 := credHash(p, 1), credHash(p, 2), credHash(p, 3), credHash(p, 4)
	b1, b2 := credHash(q, 1), credHash(q, 2)
	cases := []struct {
		name   string
		before [][]byte // filed before the load
		added  [][]byte // filed by the load's earlier batches
		during [][]byte // filed by another writer during the load
		cancel [][]byte // cancelled during the load
		ask    [][]byte
		want   [][]byte // the unfiled among ask
	}{
		{name: "empty registry", ask: [][]byte{a1, b1}, want: [][]byte{a1, b1}},
		{name: "filed before", before: [][]byte{a1}, ask: [][]byte{b1, a1}, want: [][]byte{b1}},
		{name: "prefix known under another hash", before: [][]byte{a1}, added: [][]byte{b1},
			ask: [][]byte{a2, b2, a1, b1}, want: [][]byte{a2, b2}},
		{name: "prefix shared by several filed", before: [][]byte{a1, a3}, added: [][]byte{a2},
			during: [][]byte{b1}, ask: [][]byte{a4, a3, a2, a1, b1}, want: [][]byte{a4}},
		{name: "filed by the load and by another writer", added: [][]byte{a1, a2, b1}, during: [][]byte{a3},
			ask: [][]byte{a1, a2, a3, a4, b1, b2}, want: [][]byte{a4, b2}},
		{name: "cancelled meanwhile", before: [][]byte{a1, a2}, added: [][]byte{b1}, cancel: [][]byte{a1, b1},
			ask: [][]byte{a1, a2, b1}, want: [][]byte{a1, b1}},
	}
	for _, crowded := range []bool{false, true} {
		for _, tc := range cases {
			t.Run(fmt.Sprintf("%s/crowded=%v", tc.name, crowded), func(t *testing.T) {
				s := newFixture(t, storetest.SQLite(t), Policy{}).sim
				serial := 0
				file := func(hash []byte) int64 {
					serial++
					var id int64
					err := s.db.Tx(ctx, func(tx *sql.Tx) (err error) {
						id, err = insertSubject(ctx, tx, fmt.Sprintf("粤ICP备2026%06d号", serial), "44",
							enterprise("公司", "91440101MA5D000107", principal("张三", legalID, legalTel)),
							hash, []byte("x"), 0, start)
						return err
					})
					if err != nil {
						t.Fatal(err)
					}
					return id
				}
				for _, h := range tc.before {
					file(h)
				}
				var c *credSet
				err := s.db.Tx(ctx, func(tx *sql.Tx) (err error) { c, err = loadCredSet(ctx, tx); return err })
				if err != nil {
					t.Fatal(err)
				}
				if crowded {
					rng := rand.New(rand.NewPCG(1, 2))
					for i := range int64(5000) {
						c.note([]uint64{rng.Uint64(), p, q}[i%3], -1-i)
					}
					if c.m < 5000 {
						t.Fatalf("%d homes", c.m)
					}
				}
				for _, h := range tc.added {
					c.add([]*seedPrep{{id: file(h), hash: h}, {hash: credHash(p, 99)}}) // the second skipped
				}
				for _, h := range tc.during {
					file(h)
				}
				for _, h := range tc.cancel {
					if _, err := s.db.W.ExecContext(ctx, `UPDATE miit_subjects SET cancelled_at = 1
						WHERE credential_hash = $1`, h); err != nil {
						t.Fatal(err)
					}
				}
				var preps []*seedPrep
				for _, h := range tc.ask {
					preps = append(preps, &seedPrep{hash: h})
				}
				var out []*seedPrep
				err = s.db.Tx(ctx, func(tx *sql.Tx) (err error) { out, err = c.unfiled(ctx, tx, preps); return err })
				var got [][]byte
				for _, p := range out {
					got = append(got, p.hash)
				}
				if err != nil || !slices.EqualFunc(got, tc.want, slices.Equal) {
					t.Fatalf("unfiled %x, want %x (%v)", got, tc.want, err)
				}
			})
		}
	}
}

// Whatever the prefixes, also many alike or crowded at the top, a credSet's candidates for a prefix are exactly
// the subjects noted under it, in the order noted; its entries lie in order, each at or after its home with no
// empty slot between; and the entries take 80–94 % of the homes.
func TestCredSetCandidates(t *testing.T) {
	cases := []struct {
		name   string
		n      int64
		prefix func(*rand.Rand) uint64
	}{
		{"one", 1, (*rand.Rand).Uint64},
		{"uniform", 5000, (*rand.Rand).Uint64},
		{"a quarter under 8 prefixes", 5000, func(r *rand.Rand) uint64 {
			if r.IntN(4) == 0 {
				return uint64(r.IntN(8)) << 61
			}
			return r.Uint64()
		}},
		{"crowded at the top", 3000, func(r *rand.Rand) uint64 { return ^uint64(r.IntN(1000)) }},
		{"all alike", 300, func(*rand.Rand) uint64 { return 42 }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, uint64(tc.n)))
			c := newCredSet()
			want := map[uint64][]int64{}
			for id := int64(1); id <= tc.n; id++ {
				prefix := tc.prefix(rng)
				c.add([]*seedPrep{{id: id, hash: credHash(prefix, 0)}, {hash: credHash(prefix, 1)}})
				want[prefix] = append(want[prefix], id)
			}
			if c.size() != int(tc.n) || c.n*100 > c.m*credFillMax || c.m > 1024 && c.n*100 < c.m*credFillSpread {
				t.Fatalf("%d entries over %d homes", c.size(), c.m)
			}
			var prev credEntry
			entries := 0
			for i, e := range c.slots {
				if e.id == 0 {
					continue
				}
				entries++
				h := c.home(e.prefix)
				if e.prefix < prev.prefix || h > i || slices.ContainsFunc(c.slots[h:i], func(e credEntry) bool { return e.id == 0 }) {
					t.Fatalf("slot %d: %+v, home %d, after %+v", i, e, h, prev)
				}
				prev = e
			}
			if entries != int(tc.n) {
				t.Fatalf("%d entries in the slots, want %d", entries, tc.n)
			}
			for prefix, ids := range want {
				if got := c.candidates(nil, credHash(prefix, 7)); !slices.Equal(got, ids) {
					t.Fatalf("candidates of %x: %v, want %v", prefix, got, ids)
				}
			}
			if got := c.candidates(nil, credHash(9<<60+1, 0)); len(got) != 0 {
				t.Fatalf("candidates of an unknown prefix: %v", got)
			}
		})
	}
}

// BenchmarkCredSet reports the heap a credSet holds for 1,000,000 subjects (BEIAN_BENCH_SUBJECTS) added as a
// load adds them, in batches of loadTxRecords, and the time of a lookup of a subject not filed in it; and the same
// for the map of whole hashes it replaced (2026-12-07), for comparison.
func BenchmarkCredSet(b *testing.B) {
	n := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("BEIAN_BENCH_SUBJECTS")); err == nil && v > 0 {
		n = v
	}
	hash := func(i int) []byte {
		var buf [8]byte
		binary.LittleEndian.PutUint64(buf[:], uint64(i))
		h := sha256.Sum256(buf[:])
		return h[:]
	}
	type set struct {
		add    func([]*seedPrep)
		filed  func([]byte) bool
		holder any
	}
	impls := []struct {
		name string
		make func() set
	}{
		{"credSet", func() set {
			c := newCredSet()
			var ids []int64
			return set{c.add, func(h []byte) bool { ids = c.candidates(ids[:0], h); return len(ids) > 0 }, c}
		}},
		{"map", func() set {
			m := map[[sha256.Size]byte]struct{}{}
			return set{func(preps []*seedPrep) {
				for _, p := range preps {
					m[[sha256.Size]byte(p.hash)] = struct{}{}
				}
			}, func(h []byte) bool { _, ok := m[[sha256.Size]byte(h)]; return ok }, m}
		}},
	}
	for _, impl := range impls {
		b.Run(impl.name, func(b *testing.B) {
			for range b.N {
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				s := impl.make()
				preps := make([]*seedPrep, loadTxRecords)
				for i := range preps {
					preps[i] = &seedPrep{}
				}
				for from := 0; from < n; from += loadTxRecords {
					for i, p := range preps {
						p.id = int64(from + i + 1)
						p.hash = hash(from + i + 1)
					}
					s.add(preps)
				}
				preps = nil
				runtime.GC()
				runtime.ReadMemStats(&after)
				b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/float64(n), "B/subject")
				hashes := make([][]byte, 200_000)
				for i := range hashes {
					hashes[i] = hash(n + i + 1)
				}
				t0 := time.Now()
				for _, h := range hashes {
					if s.filed(h) {
						b.Fatal("a subject not filed found")
					}
				}
				b.ReportMetric(float64(time.Since(t0).Nanoseconds())/float64(len(hashes)), "ns/lookup")
				runtime.KeepAlive(s.holder)
			}
		})
	}
}
