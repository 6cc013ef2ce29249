// Package cluster lets the nodes of a deployment on one PostgreSQL database tell each other what changed, through
// PostgreSQL's LISTEN/NOTIFY: which orders changed (so that a long poll on one node wakes as soon as another
// node changes its order) and which sessions ended (so that a logout holds on every node at once). Announcements
// are hints, never the data: a node that misses some (its listening connection dropped) wakes every waiter to
// re-read when it reconnects. Each node coalesces what it has to announce into few notifications. Nodes using
// another schema of the same database (tests) listen on another channel. SQLite runs one node: no cluster.
package cluster

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// Handlers are what a node does with its peers' announcements.
type Handlers struct {
	OrdersChanged func(ids []int64)
	SessionEnded  func(key [32]byte)
	// Resync is called after the listening connection was (re-)established: announcements may have been missed.
	Resync func()
}

// Hub announces this node's changes and listens for the others'.
type Hub struct {
	db      *sql.DB // where notifications are sent from
	url     string  // the listening connection's
	channel string
	node    string
	h       Handlers
	out     chan announcement

	mu        sync.Mutex
	listening bool
	ready     chan struct{} // closed when first listening
}

type announcement struct {
	orders  []int64
	session *[32]byte
}

// New returns a hub for the database at url (db is a pool on it); Run starts it.
func New(ctx context.Context, db *sql.DB, url string, h Handlers) (*Hub, error) {
	var schema string
	if err := db.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		return nil, fmt.Errorf("cluster: %w", err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	return &Hub{db: db, url: url, channel: channelName(schema), node: hex.EncodeToString(b), h: h,
		out: make(chan announcement, 4096), ready: make(chan struct{})}, nil
}

// channelName is the channel of a schema: beian_ and the schema's name, kept to identifier characters.
func channelName(schema string) string {
	var b strings.Builder
	b.WriteString("beian_")
	for _, r := range strings.ToLower(schema) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r == '_' {
			b.WriteRune(r)
		}
	}
	return b.String()[:min(b.Len(), 63)]
}

// OrdersChanged announces orders changed on this node (provider.Peers). It never blocks: when the queue is full
// the announcement is dropped, and the others see the change at their next re-read.
func (h *Hub) OrdersChanged(ids []int64) { h.enqueue(announcement{orders: ids}) }

// SessionEnded announces a logout on this node (provider.Peers).
func (h *Hub) SessionEnded(key [32]byte) { h.enqueue(announcement{session: &key}) }

func (h *Hub) enqueue(a announcement) {
	select {
	case h.out <- a:
	default:
		slog.Warn("cluster: announcement queue full; the other nodes will notice at their next re-read")
	}
}

// Ready is closed once the hub first listens: from then on this node hears the others.
func (h *Hub) Ready() <-chan struct{} { return h.ready }

// Listening reports (for readiness) whether the hub is listening now.
func (h *Hub) Listening(context.Context) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.listening {
		return errors.New("not listening for the other nodes' announcements")
	}
	return nil
}

func (h *Hub) setListening(on bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if on && !h.listening {
		select {
		case <-h.ready:
		default:
			close(h.ready)
		}
	}
	h.listening = on
}

// Run sends and listens until ctx ends.
func (h *Hub) Run(ctx context.Context) {
	done := make(chan struct{})
	go func() { defer close(done); h.send(ctx) }()
	h.listen(ctx)
	<-done
}

// maxPayload keeps a notification under PostgreSQL's 8,000-byte limit.
const maxPayload = 7000

// send announces what is queued: everything waiting at the moment goes into as few notifications as fit.
func (h *Hub) send(ctx context.Context) {
	for {
		var first announcement
		select {
		case <-ctx.Done():
			return
		case first = <-h.out:
		}
		batch := []announcement{first}
	drain:
		for {
			select {
			case a := <-h.out:
				batch = append(batch, a)
			default:
				break drain
			}
		}
		for _, p := range h.payloads(batch) {
			if _, err := h.db.ExecContext(ctx, `SELECT pg_notify($1, $2)`, h.channel, p); err != nil && ctx.Err() == nil {
				slog.Warn("cluster: announce changes", "err", err)
			}
		}
	}
}

// payloads encodes announcements as "NODE o:ID,ID,… s:KEY,KEY,…" texts of at most maxPayload bytes.
func (h *Hub) payloads(batch []announcement) []string {
	var out []string
	var orders, sessions []string
	size := len(h.node) + 6
	flush := func() {
		p := h.node
		if len(orders) > 0 {
			p += " o:" + strings.Join(orders, ",")
		}
		if len(sessions) > 0 {
			p += " s:" + strings.Join(sessions, ",")
		}
		if p != h.node {
			out = append(out, p)
		}
		orders, sessions, size = nil, nil, len(h.node)+6
	}
	add := func(list *[]string, item string) {
		if size+len(item)+1 > maxPayload {
			flush()
		}
		*list = append(*list, item)
		size += len(item) + 1
	}
	for _, a := range batch {
		for _, id := range a.orders {
			add(&orders, strconv.FormatInt(id, 10))
		}
		if a.session != nil {
			add(&sessions, hex.EncodeToString(a.session[:]))
		}
	}
	flush()
	return out
}

// listen keeps a connection listening, re-establishing it with back-off, and hands announcements to the handlers.
func (h *Hub) listen(ctx context.Context) {
	backoff := time.Second
	for ctx.Err() == nil {
		err := h.listenOnce(ctx)
		if ctx.Err() != nil {
			return
		}
		slog.Warn("cluster: listening connection lost; reconnecting", "err", err, "in", backoff)
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 30*time.Second)
	}
}

func (h *Hub) listenOnce(ctx context.Context) error {
	conn, err := pgx.Connect(ctx, h.url)
	if err != nil {
		return err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{h.channel}.Sanitize()); err != nil {
		return err
	}
	h.setListening(true)
	defer h.setListening(false)
	if h.h.Resync != nil {
		h.h.Resync()
	}
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		h.dispatch(n.Payload)
	}
}

// dispatch hands one notification's announcements to the handlers, unless this node sent it.
func (h *Hub) dispatch(payload string) {
	f := strings.Fields(payload)
	if len(f) < 2 || f[0] == h.node {
		return
	}
	var orders, sessions string
	for _, part := range f[1:] {
		if v, ok := strings.CutPrefix(part, "o:"); ok {
			orders = v
		} else if v, ok := strings.CutPrefix(part, "s:"); ok {
			sessions = v
		}
	}
	if orders != "" && h.h.OrdersChanged != nil {
		var ids []int64
		for _, s := range strings.Split(orders, ",") {
			if id, err := strconv.ParseInt(s, 10, 64); err == nil {
				ids = append(ids, id)
			}
		}
		h.h.OrdersChanged(ids)
	}
	if sessions != "" && h.h.SessionEnded != nil {
		for _, s := range strings.Split(sessions, ",") {
			var key [32]byte
			if b, err := hex.DecodeString(s); err == nil && len(b) == 32 {
				copy(key[:], b)
				h.h.SessionEnded(key)
			}
		}
	}
}
