package loadtest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
)

// Party is one logged-in caller of one or several nodes of a deployment (sessions are shared between nodes).
// An applicant sends its requests to its home node; the staff, who serve everybody, spread theirs over the
// nodes. A request that cannot reach a node, or whose node went away before answering, is sent to the next
// node: that is how a client of a load balancer sees a node die.
type Party struct {
	nodes  []string
	home   int
	spread bool          // send each request to the next node in turn
	turn   *atomic.Int64 // shared by the copies of a spreading party
	client *http.Client
	token  string
}

// ErrMaybeDone is returned for a change whose first attempt reached a node that went away before answering,
// and whose retry on another node was refused with 409 Conflict: the first attempt was most likely applied.
var ErrMaybeDone = errors.New("loadtest: the first attempt went unanswered and the retry conflicts: probably applied")

func (p *Party) first() int {
	if p.spread {
		return int(p.turn.Add(1))
	}
	return p.home
}

// anonymous is p without its session, on the same node.
func (p *Party) anonymous() *Party {
	q := *p
	q.token = ""
	return &q
}

// Do sends a JSON request and decodes a JSON answer into out (if not nil); statuses ≥ 300 are errors. headers
// are name, value pairs.
func (p *Party) Do(ctx context.Context, method, path string, in, out any, headers ...string) error {
	var body []byte
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body = b
	}
	first, unanswered := p.first(), false
	var lastErr error
	for i := range p.nodes {
		base := p.nodes[(first+i)%len(p.nodes)]
		status, raw, err := p.send(ctx, method, base+path, body, headers)
		if err != nil {
			if ctx.Err() != nil {
				return err
			}
			lastErr, unanswered = err, unanswered || method != http.MethodGet
			continue
		}
		if status == http.StatusConflict && unanswered {
			return fmt.Errorf("%s %s: %w: %s", method, path, ErrMaybeDone, raw)
		}
		if status >= 300 {
			return fmt.Errorf("%s %s: %d %s", method, path, status, raw)
		}
		if out != nil {
			return json.Unmarshal(raw, out)
		}
		return nil
	}
	return lastErr
}

func (p *Party) send(ctx context.Context, method, url string, body []byte, headers []string) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	if p.token != "" {
		req.Header.Set("Authorization", "Bearer "+p.token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	return resp.StatusCode, raw, err
}

// Login opens a session for email on the nodes, home first.
func Login(ctx context.Context, nodes []string, home int, client *http.Client, email, password string) (*Party, error) {
	p := &Party{nodes: nodes, home: home % len(nodes), turn: new(atomic.Int64), client: client}
	var out struct{ Token string }
	if err := p.Do(ctx, "POST", "/api/v1/session", map[string]string{"email": email, "password": password}, &out); err != nil {
		return nil, err
	}
	p.token = out.Token
	return p, nil
}
