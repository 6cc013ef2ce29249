package provider

import (
	"context"

	"github.com/beian/beian/internal/problem"

	"github.com/beian/beian/internal/provider/store"
)

// unreadWindow is how many of the latest messages the unread count looks at (the inbox page shows as many).
const unreadWindow = 100

// Inbox lists the actor's own messages, newest first.
func (s *Service) Inbox(ctx context.Context, by Actor, limit int) ([]store.InboxMessage, error) {
	return s.st.Inbox(ctx, by.ID, limit)
}

// MarkInboxRead marks one of the actor's messages read (not found when the actor has no such message).
func (s *Service) MarkInboxRead(ctx context.Context, by Actor, id int64) error {
	ok, err := s.st.MarkInboxRead(ctx, by.ID, id, s.now())
	if err == nil && !ok {
		err = problem.New(problem.NotFound, "common.not_found", "id")
	}
	return err
}

// Unread counts an applicant's unread messages among the latest ones, for the badge in the page header; staff
// have no inbox (0). A failed read counts 0: the badge is no reason to fail a page.
func (s *Service) Unread(ctx context.Context, by Actor) int {
	if by.Role != RoleApplicant {
		return 0
	}
	msgs, err := s.st.Inbox(ctx, by.ID, unreadWindow)
	if err != nil {
		return 0
	}
	n := 0
	for _, m := range msgs {
		if !m.Read {
			n++
		}
	}
	return n
}

// FiledSubjects lists the actor's filed subjects with their services (以备案主体).
func (s *Service) FiledSubjects(ctx context.Context, by Actor) ([]store.FiledSubject, error) {
	return s.st.FiledSubjects(ctx, by.ID)
}
