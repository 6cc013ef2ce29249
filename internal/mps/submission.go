package mps

import (
	"context"
	"database/sql"
	"errors"

	"github.com/beian/beian/internal/problem"
)

// submission is a subject or a website application being submitted in a transaction: whose it is, which record
// (0 until a new one is inserted) and the materials it attaches.
type submission struct {
	userID    int64
	kind      string
	id        int64
	materials map[string]int64
	required  []string
}

// checkMaterials adds the materials' problems to f, binding nothing, and returns the form's error, if any.
func (s *Simulator) checkMaterials(ctx context.Context, tx *sql.Tx, f *form, sub submission) error {
	if err := s.attach(ctx, tx, f, sub.userID, sub.materials, sub.required, sub.kind, sub.id); err != nil {
		return err
	}
	return f.err()
}

// intoReview binds the materials, which checkMaterials accepted, to the record, records the applicant's action from state from and puts the
// record in review, telling the applicant with the message key and params.
func (s *Simulator) intoReview(ctx context.Context, tx *sql.Tx, sub submission, from State, act Action,
	interactive bool, key string, params map[string]string) error {
	if err := s.bind(ctx, tx, sub.userID, sub.materials, sub.required, sub.kind, sub.id); err != nil {
		return err
	}
	if _, err := s.transition(ctx, tx, sub.kind, sub.id, from, act, interactive, Actor{ActorApplicant, sub.userID}, ""); err != nil {
		return err
	}
	return s.enterReview(ctx, tx, sub.kind, sub.id, sub.userID, key, params)
}

// ownRecord maps the read of a record owned by owner for userID (0: staff): no row, or another user's record, is
// mps.not_found; any other failure is internal.
func ownRecord(err error, userID, owner int64) error {
	if errors.Is(err, sql.ErrNoRows) || err == nil && userID != 0 && owner != userID {
		return problem.New(problem.NotFound, "mps.not_found", "")
	}
	if err != nil {
		return internal(err)
	}
	return nil
}

// openRecord opens a record's sealed data into dst and returns its sealed pending change, if there is one.
func openRecord[T any](s *Simulator, purpose string, data, pending []byte, dst *T) (*T, error) {
	if err := s.openJSON(data, purpose, dst); err != nil {
		return nil, err
	}
	if pending == nil {
		return nil, nil
	}
	p := new(T)
	if err := s.openJSON(pending, purpose, p); err != nil {
		return nil, err
	}
	return p, nil
}
