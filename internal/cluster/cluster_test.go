package cluster

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/beian/beian/internal/storetest"
)

func TestPayloadsRoundTrip(t *testing.T) {
	key := [32]byte{1, 2, 3}
	many := make([]int64, 3000)
	for i := range many {
		many[i] = int64(1_000_000 + i)
	}
	tests := []struct {
		name  string
		batch []announcement
		parts int
	}{
		{"orders and a session", []announcement{{orders: []int64{1, 2}}, {session: &key}, {orders: []int64{3}}}, 1},
		{"a session alone", []announcement{{session: &key}}, 1},
		{"nothing", []announcement{{orders: nil}}, 0},
		{"more ids than one notification holds", []announcement{{orders: many}}, 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			from := &Hub{node: "aaaaaaaaaaaa"}
			var gotOrders []int64
			var gotKeys [][32]byte
			to := &Hub{node: "bbbbbbbbbbbb", h: Handlers{
				OrdersChanged: func(ids []int64) { gotOrders = append(gotOrders, ids...) },
				SessionEnded:  func(k [32]byte) { gotKeys = append(gotKeys, k) },
			}}
			ps := from.payloads(tt.batch)
			if len(ps) != tt.parts {
				t.Fatalf("%d notifications, want %d", len(ps), tt.parts)
			}
			var wantOrders []int64
			var wantKeys [][32]byte
			for _, a := range tt.batch {
				wantOrders = append(wantOrders, a.orders...)
				if a.session != nil {
					wantKeys = append(wantKeys, *a.session)
				}
			}
			for _, p := range ps {
				if len(p) > maxPayload {
					t.Fatalf("payload of %d bytes", len(p))
				}
				to.dispatch(p)
				from.dispatch(p) // its own: ignored
			}
			if !slices.Equal(gotOrders, wantOrders) || !slices.Equal(gotKeys, wantKeys) {
				t.Fatalf("got %v %v, want %v %v", gotOrders, gotKeys, wantOrders, wantKeys)
			}
		})
	}
}

func FuzzDispatch(f *testing.F) {
	f.Add("aaaaaaaaaaaa o:1,2,3 s:0102")
	f.Add("x o: s:")
	f.Add("")
	f.Fuzz(func(t *testing.T, payload string) {
		h := &Hub{node: "self", h: Handlers{
			OrdersChanged: func(ids []int64) {},
			SessionEnded:  func(k [32]byte) {},
		}}
		h.dispatch(payload) // must not panic on anything a database could deliver
	})
}

func TestChannelName(t *testing.T) {
	for schema, want := range map[string]string{"public": "beian_public", "t_ab12": "beian_t_ab12",
		`we"ird`: "beian_weird", strings.Repeat("x", 80): "beian_" + strings.Repeat("x", 57)} {
		if got := channelName(schema); got != want {
			t.Errorf("channelName(%q) = %q, want %q", schema, got, want)
		}
	}
}

// Two hubs on one PostgreSQL schema hear each other's announcements, not their own.
func TestHubsHearEachOther(t *testing.T) {
	db := storetest.Postgres(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	type heard struct {
		mu     sync.Mutex
		orders []int64
		keys   int
		ready  chan struct{}
	}
	newHub := func(hd *heard) *Hub {
		h, err := New(ctx, db.W, db.URL, Handlers{
			OrdersChanged: func(ids []int64) { hd.mu.Lock(); hd.orders = append(hd.orders, ids...); hd.mu.Unlock() },
			SessionEnded:  func([32]byte) { hd.mu.Lock(); hd.keys++; hd.mu.Unlock() },
			Resync:        func() { close(hd.ready) },
		})
		if err != nil {
			t.Fatal(err)
		}
		go h.Run(ctx)
		return h
	}
	a, b := &heard{ready: make(chan struct{})}, &heard{ready: make(chan struct{})}
	hubA, _ := newHub(a), newHub(b)
	<-a.ready
	<-b.ready
	hubA.OrdersChanged([]int64{7, 8})
	hubA.SessionEnded([32]byte{9})
	deadline := time.Now().Add(10 * time.Second)
	for {
		b.mu.Lock()
		got := fmt.Sprint(b.orders, b.keys)
		b.mu.Unlock()
		if got == "[7 8] 1" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("node B heard %s", got)
		}
		time.Sleep(10 * time.Millisecond)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.orders) != 0 || a.keys != 0 {
		t.Fatalf("node A heard its own announcements: %v %d", a.orders, a.keys)
	}
}
