package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/sqldb"
)

// Resource is a hosting instance an applicant bought, with its filing quota.
type Resource struct {
	ID         int64     `json:"id"`
	OwnerID    int64     `json:"owner_id"`
	Name       string    `json:"name"`
	Region     string    `json:"region,omitempty"`
	IPs        []string  `json:"ips"`
	Billing    string    `json:"billing"` // prepaid | pay_as_you_go
	StartsAt   time.Time `json:"starts_at"`
	ExpiresAt  time.Time `json:"expires_at"`
	QuotaTotal int       `json:"quota_total"`
	QuotaUsed  int       `json:"quota_used"`
}

// CreateResource inserts a resource.
func (t *Tx) CreateResource(ctx context.Context, r *Resource, now time.Time) error {
	ips, _ := json.Marshal(r.IPs)
	id, err := insertID(ctx, t.tx, `INSERT INTO resources (owner_id, name, region, ips, billing, starts_at, expires_at,
		quota_total, quota_used, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		r.OwnerID, r.Name, r.Region, string(ips), r.Billing, sqldb.Millis(r.StartsAt), sqldb.Millis(r.ExpiresAt), r.QuotaTotal,
		r.QuotaUsed, sqldb.Millis(now))
	r.ID = id
	return err
}

const resourceColumns = `id, owner_id, name, region, ips, billing, starts_at, expires_at, quota_total, quota_used`

func scanResource(row interface{ Scan(...any) error }) (*Resource, error) {
	var r Resource
	var ips string
	var starts, expires int64
	if err := row.Scan(&r.ID, &r.OwnerID, &r.Name, &r.Region, &ips, &r.Billing, &starts, &expires, &r.QuotaTotal,
		&r.QuotaUsed); err != nil {
		return nil, notFound(err, "resource.not_found")
	}
	r.StartsAt, r.ExpiresAt = sqldb.Time(starts), sqldb.Time(expires)
	return &r, json.Unmarshal([]byte(ips), &r.IPs)
}

// Resources lists an owner's resources (all when ownerID is 0).
func (s *Store) Resources(ctx context.Context, ownerID int64) ([]Resource, error) {
	q, args := `SELECT `+resourceColumns+` FROM resources ORDER BY id`, []any{}
	if ownerID != 0 {
		q, args = `SELECT `+resourceColumns+` FROM resources WHERE owner_id = $1 ORDER BY id`, []any{ownerID}
	}
	rows, err := s.R.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Resource{}
	for rows.Next() {
		r, err := scanResource(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *r)
	}
	return out, rows.Err()
}

// ResourceForUpdate loads a resource inside a write transaction.
func (t *Tx) ResourceForUpdate(ctx context.Context, id int64) (*Resource, error) {
	return scanResource(t.tx.QueryRowContext(ctx, `SELECT `+resourceColumns+` FROM resources WHERE id = $1`+t.s.ForUpdate(), id))
}

// TakeQuota takes n filing quota from a resource that has it left, and returns the resource as it was before;
// nil when it has not (or does not exist), the change then left to ResourceForUpdate and UseQuota, which say
// why. One statement where those are two.
func (t *Tx) TakeQuota(ctx context.Context, id int64, n int) (*Resource, error) {
	r, err := scanResource(t.tx.QueryRowContext(ctx, `UPDATE resources SET quota_used = quota_used + $2
		WHERE id = $1 AND quota_used + $2 <= quota_total RETURNING `+resourceColumns, id, n))
	if problem.Is(err, "resource.not_found") {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	r.QuotaUsed -= n
	return r, nil
}

// UseQuota takes (n > 0) or gives back (n < 0) filing quota; running out is a Conflict.
func (t *Tx) UseQuota(ctx context.Context, id int64, n int) error {
	res, err := t.tx.ExecContext(ctx, `UPDATE resources SET quota_used = quota_used + $2
		WHERE id = $1 AND quota_used + $2 >= 0 AND quota_used + $2 <= quota_total`, id, n)
	if err != nil {
		return err
	}
	if k, _ := res.RowsAffected(); k != 1 {
		return problem.New(problem.Conflict, "resource.quota_exhausted", "resource.instance_id")
	}
	return nil
}

// AuthorizationCode is a filing authorization code: one code per domain (Baidu AI Cloud's app filing guide).
type AuthorizationCode struct {
	ID        int64     `json:"id"`
	Code      string    `json:"code"`
	Domain    string    `json:"domain"`
	IPs       []string  `json:"ips"`
	IssuedBy  int64     `json:"issued_by"`
	IssuedAt  time.Time `json:"issued_at"`
	ExpiresAt time.Time `json:"expires_at"`
	OrderID   int64     `json:"order_id,omitempty"`
	UsedAt    time.Time `json:"used_at,omitzero"`
}

// CreateAuthorizationCode inserts a code; a domain with an unused code already is a Conflict.
func (t *Tx) CreateAuthorizationCode(ctx context.Context, c *AuthorizationCode) error {
	ips, _ := json.Marshal(c.IPs)
	id, err := insertID(ctx, t.tx, `INSERT INTO authorization_codes (code, domain, ips, issued_by, issued_at, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, c.Code, c.Domain, string(ips), c.IssuedBy, sqldb.Millis(c.IssuedAt), sqldb.Millis(c.ExpiresAt))
	if sqldb.IsUniqueViolation(err) {
		return problem.New(problem.Conflict, "authorization_code.domain_has_code", "domain")
	}
	c.ID = id
	return err
}

const codeColumns = `id, code, domain, ips, issued_by, issued_at, expires_at, COALESCE(order_id, 0), used_at`

func scanCode(row interface{ Scan(...any) error }) (*AuthorizationCode, error) {
	var c AuthorizationCode
	var ips string
	var issued, expires, used int64
	if err := row.Scan(&c.ID, &c.Code, &c.Domain, &ips, &c.IssuedBy, &issued, &expires, &c.OrderID, &used); err != nil {
		return nil, notFound(err, "authorization_code.not_found")
	}
	c.IssuedAt, c.ExpiresAt, c.UsedAt = sqldb.Time(issued), sqldb.Time(expires), sqldb.Time(used)
	return &c, json.Unmarshal([]byte(ips), &c.IPs)
}

// AuthorizationCodeForUpdate finds a code by its text inside a write transaction.
func (t *Tx) AuthorizationCodeForUpdate(ctx context.Context, code string) (*AuthorizationCode, error) {
	return scanCode(t.tx.QueryRowContext(ctx, `SELECT `+codeColumns+` FROM authorization_codes WHERE code = $1`+t.s.ForUpdate(), code))
}

// UseAuthorizationCode marks a code used by an order.
func (t *Tx) UseAuthorizationCode(ctx context.Context, id, orderID int64, now time.Time) error {
	_, err := t.tx.ExecContext(ctx, `UPDATE authorization_codes SET order_id = $2, used_at = $3 WHERE id = $1`, id, orderID, sqldb.Millis(now))
	return err
}

// AuthorizationCodes lists codes, newest first.
func (s *Store) AuthorizationCodes(ctx context.Context, limit int) ([]AuthorizationCode, error) {
	rows, err := s.R.QueryContext(ctx, `SELECT `+codeColumns+` FROM authorization_codes ORDER BY id DESC LIMIT `+itoa(limit))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []AuthorizationCode{}
	for rows.Next() {
		c, err := scanCode(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *c)
	}
	return out, rows.Err()
}

// ReleaseAuthorizationCode frees the code an order used (the order was withdrawn).
func (t *Tx) ReleaseAuthorizationCode(ctx context.Context, orderID int64) error {
	_, err := t.tx.ExecContext(ctx, `UPDATE authorization_codes SET order_id = NULL, used_at = 0 WHERE order_id = $1`, orderID)
	return err
}

// ResourceIPs returns the addresses of the hosting an order is bound to: its instance's or its authorization
// code's (nil when ref names neither). They never change once the resource is recorded.
func (s *Store) ResourceIPs(ctx context.Context, ref filing.ResourceRef) ([]string, error) {
	return resourceIPs(ctx, s.R, ref)
}

// ResourceIPs is Store.ResourceIPs inside a transaction (no row is locked).
func (t *Tx) ResourceIPs(ctx context.Context, ref filing.ResourceRef) ([]string, error) {
	return resourceIPs(ctx, t.tx, ref)
}

func resourceIPs(ctx context.Context, q querier, ref filing.ResourceRef) ([]string, error) {
	var ips string
	var err error
	switch {
	case ref.InstanceID != 0:
		err = q.QueryRowContext(ctx, `SELECT ips FROM resources WHERE id = $1`, ref.InstanceID).Scan(&ips)
		err = notFound(err, "resource.not_found")
	case ref.AuthorizationCode != "":
		err = q.QueryRowContext(ctx, `SELECT ips FROM authorization_codes WHERE code = $1`, ref.AuthorizationCode).Scan(&ips)
		err = notFound(err, "authorization_code.not_found")
	default:
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []string
	return out, json.Unmarshal([]byte(ips), &out)
}
