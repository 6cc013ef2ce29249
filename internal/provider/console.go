package provider

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/provider/store"
)

// auditPage is how many audit entries of one order the console shows.
const auditPage = 200

// CountByState counts the orders in each state, for the staff's queue.
func (s *Service) CountByState(ctx context.Context, by Actor) (map[filing.State]int, error) {
	if !by.IsStaff() {
		return nil, forbidden()
	}
	return s.st.CountByState(ctx)
}

// OrderAudit lists who did what to an order (the latest entries), for staff.
func (s *Service) OrderAudit(ctx context.Context, by Actor, id int64) ([]store.AuditEntry, error) {
	if !by.IsStaff() {
		return nil, forbidden()
	}
	return s.st.AuditLog(ctx, "order:"+strconv.FormatInt(id, 10), auditPage)
}

// OrderHistory returns an order's events and its current deadline (zero when none), for staff; the order itself
// comes from GetOrder, which audits the read.
func (s *Service) OrderHistory(ctx context.Context, by Actor, id int64) ([]filing.Event, time.Time, error) {
	if !by.IsStaff() {
		return nil, time.Time{}, forbidden()
	}
	events, err := s.st.Events(ctx, id)
	if err != nil {
		return nil, time.Time{}, err
	}
	row, err := s.st.Order(ctx, id)
	if err != nil {
		return nil, time.Time{}, err
	}
	return events, row.Deadline, nil
}

// AccountLabel is "name <email>" of an account, for staff lists (a resource's owner).
func (s *Service) AccountLabel(ctx context.Context, by Actor, id int64) (string, error) {
	if !by.IsStaff() {
		return "", forbidden()
	}
	a, err := s.st.Account(ctx, id)
	if err != nil {
		return "", err
	}
	return a.Name + " <" + a.Email + ">", nil
}

// ApplicantByEmail finds an applicant's account by e-mail address, for staff assigning a resource.
func (s *Service) ApplicantByEmail(ctx context.Context, by Actor, email string) (*store.Account, error) {
	if !by.IsStaff() {
		return nil, forbidden()
	}
	a, err := s.st.AccountByEmail(ctx, strings.TrimSpace(email))
	if err != nil {
		return nil, err
	}
	if a.Role != RoleApplicant {
		return nil, problem.New(problem.NotFound, "account.not_found", "")
	}
	return a, nil
}

// DevMessages lists what the development outbox would have sent (to one address, or all), for operators in
// demo mode.
func (s *Service) DevMessages(ctx context.Context, by Actor, to string, limit int) ([]store.DevMessage, error) {
	if by.Role != RoleOperator {
		return nil, forbidden()
	}
	return s.st.DevMessages(ctx, to, limit)
}
