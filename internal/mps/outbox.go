package mps

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"time"

	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/sqldb"
)

// The platform tells applicants every step by SMS and by a system message in the platform (系统消息, the
// platform's user guide §五.1), and mails the e-mail verification link (§二.3). Messages are written in the
// transaction that makes the change: SMS and e-mail into mps_outbox (recipient and body sealed), delivered
// after the commit and retried by Sweep until the gateway takes them; system messages into mps_messages.

const purposeOutbox = "mps.outbox"

// Channels.
const (
	ChannelSMS   = "sms"
	ChannelEmail = "email"
)

// SMSSender is the number the platform's text messages come from as the simulator presents it.
const SMSSender = "公安备案"

const (
	outboxClaim    = 2 * time.Minute
	outboxMaxTries = 20
)

// queue writes one SMS or e-mail to the outbox.
func (s *Simulator) queue(ctx context.Context, tx *sql.Tx, channel, to, subject, body string) error {
	now := sqldb.Millis(wallClock())
	_, err := tx.ExecContext(ctx, `INSERT INTO mps_outbox (channel, recipient, subject, body, next_at, created_at)
		VALUES ($1, $2, $3, $4, $5, $5)`, channel, s.keys.SealString(to, purposeOutbox), subject,
		s.keys.SealString(body, purposeOutbox), now)
	return err
}

// notify tells a user by system message and SMS (to the account's mobile). The message is the catalog entry
// mps.msg.<key> with params: the system message is shown in the reader's language, the SMS goes in Chinese.
func (s *Simulator) notify(ctx context.Context, tx *sql.Tx, userID int64, key string, params map[string]string) error {
	raw, _ := json.Marshal(params)
	if _, err := tx.ExecContext(ctx, `INSERT INTO mps_messages (user_id, title, body, created_at) VALUES ($1, $2, $3, $4)`,
		userID, key, string(raw), sqldb.Millis(s.now())); err != nil {
		return err
	}
	mobile, err := s.mobileOf(ctx, tx, userID)
	if err != nil || mobile == "" {
		return err
	}
	body := "【" + i18n.T(i18n.ZhCN, "mps.platform", nil) + "】" + i18n.T(i18n.ZhCN, "mps.msg."+key, params)
	return s.queue(ctx, tx, ChannelSMS, mobile, "", body)
}

// mobiles keeps the mobile numbers notify read in one transaction (withMobiles), for the transaction's next
// messages to the same user: a submission decided at once by the automatic policy tells its applicant twice.
type mobiles map[int64]string

type mobilesKey struct{}

func withMobiles(ctx context.Context) context.Context {
	return context.WithValue(ctx, mobilesKey{}, mobiles{})
}

// mobileOf returns the mobile number of a user's account ("" if none).
func (s *Simulator) mobileOf(ctx context.Context, tx *sql.Tx, userID int64) (string, error) {
	known, _ := ctx.Value(mobilesKey{}).(mobiles)
	if m, ok := known[userID]; ok {
		return m, nil
	}
	d, err := s.userData(ctx, tx, userID)
	if err != nil {
		return "", err
	}
	if known != nil {
		known[userID] = d.Mobile
	}
	return d.Mobile, nil
}

// deliver sends the outbox's due messages. One statement claims a batch by moving next_at forward (a row
// another node claimed in between no longer matches, so two nodes never send the same message), one more marks
// the sent ones; a failure leaves the message for a later try with a growing delay.
func (s *Simulator) deliver(ctx context.Context) {
	if s.cfg.Send == nil {
		return
	}
	items, err := s.claim(ctx, wallClock())
	if err != nil {
		s.log.Error("outbox", "err", err)
		return
	}
	sent := []any{nil}
	for _, it := range items {
		to, err1 := s.keys.OpenString(it.to, purposeOutbox)
		body, err2 := s.keys.OpenString(it.body, purposeOutbox)
		if err1 != nil || err2 != nil {
			s.log.Error("outbox: cannot open message", "id", it.id)
			continue
		}
		if err := s.cfg.Send.Send(ctx, it.channel, to, it.subj, body); err != nil {
			s.log.Warn("outbox: delivery failed", "id", it.id, "err", err)
			delay := time.Duration(1<<min(it.tries, 10)) * 10 * time.Second
			s.db.Exec(ctx, `UPDATE mps_outbox SET tries = tries + 1, next_at = $2 WHERE id = $1`, it.id,
				sqldb.Millis(wallClock().Add(delay)))
			continue
		}
		sent = append(sent, it.id)
	}
	if len(sent) > 1 {
		sent[0] = sqldb.Millis(wallClock())
		s.db.Exec(ctx, `UPDATE mps_outbox SET tries = tries + 1, sent_at = $1 WHERE id IN (`+
			sqldb.Placeholders(2, len(sent)-1)+`)`, sent...)
	}
}

// outboxItem is a claimed message of the outbox.
type outboxItem struct {
	id            int64
	channel, subj string
	to, body      []byte
	tries         int
}

// claim claims up to 50 due messages, the oldest first, and returns them in the order they were queued.
func (s *Simulator) claim(ctx context.Context, now time.Time) ([]outboxItem, error) {
	var items []outboxItem
	err := s.db.Write(ctx, func(q sqldb.Querier) error {
		items = items[:0]
		rows, err := q.QueryContext(ctx, `UPDATE mps_outbox SET next_at = $1 WHERE id IN (SELECT id FROM mps_outbox
			WHERE sent_at = 0 AND next_at <= $2 AND tries < $3 ORDER BY next_at, id LIMIT 50) AND sent_at = 0
			AND next_at <= $2 RETURNING id, channel, recipient, subject, body, tries`,
			sqldb.Millis(now.Add(outboxClaim)), sqldb.Millis(now), outboxMaxTries)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var it outboxItem
			if err := rows.Scan(&it.id, &it.channel, &it.to, &it.subj, &it.body, &it.tries); err != nil {
				return err
			}
			items = append(items, it)
		}
		return rows.Err()
	})
	slices.SortFunc(items, func(a, b outboxItem) int { return cmp.Compare(a.id, b.id) })
	return items, err
}

// Message is a system message (系统消息).
type Message struct {
	ID        int64     `json:"id"`
	Key       string    `json:"key"` // what happened, e.g. website_approved
	Text      string    `json:"text"`
	CreatedAt time.Time `json:"created_at"`
	Read      bool      `json:"read"`
}

// Messages returns a user's system messages in lang, newest first.
func (s *Simulator) Messages(ctx context.Context, userID int64, lang i18n.Lang, limit int) ([]Message, error) {
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	rows, err := s.db.R.QueryContext(ctx, `SELECT id, title, body, created_at, read_at FROM mps_messages
		WHERE user_id = $1 ORDER BY id DESC LIMIT $2`, userID, limit)
	if err != nil {
		return nil, internal(err)
	}
	defer rows.Close()
	out := []Message{}
	for rows.Next() {
		var m Message
		var at, read int64
		var params string
		if err := rows.Scan(&m.ID, &m.Key, &params, &at, &read); err != nil {
			return nil, internal(err)
		}
		var p map[string]string
		json.Unmarshal([]byte(params), &p)
		m.Text = i18n.T(lang, "mps.msg."+m.Key, p)
		m.CreatedAt, m.Read = sqldb.Time(at), read > 0
		out = append(out, m)
	}
	return out, wrapErr(rows.Err())
}

// MarkRead marks a user's message read.
func (s *Simulator) MarkRead(ctx context.Context, userID, id int64) error {
	_, err := s.db.Exec(ctx, `UPDATE mps_messages SET read_at = $3 WHERE id = $1 AND user_id = $2 AND read_at = 0`,
		id, userID, sqldb.Millis(s.now()))
	return wrapErr(err)
}
