package provider

import (
	"context"
	"time"
)

// RegulatorLink is how this node last found the regulator when it is reached over the network
// (Config.RegulatorLink): staff see on the console that uploads wait because the regulator cannot be reached.
type RegulatorLink struct {
	Down        bool      // the last call got no answer (down, timed out, or an answer that was not one)
	Failures    int       // calls in a row without an answer
	LastOK      time.Time // the last answered call (zero: none since this node started)
	LastFailure time.Time
	Error       string // what went wrong last
	Waiting     int    // uploads waiting in the outbox
}

// RegulatorLink returns the link to the regulator for staff; nil when the regulator is in this process or the
// actor is not the provider's staff.
func (s *Service) RegulatorLink(ctx context.Context, a Actor) *RegulatorLink {
	if s.cfg.RegulatorLink == nil || (a.Role != RoleReviewer && a.Role != RoleOperator) {
		return nil
	}
	l := s.cfg.RegulatorLink()
	if topics, err := s.st.OutboxTopics(ctx); err == nil {
		for _, t := range topics {
			if t.Topic == TopicSubmit {
				l.Waiting = t.Pending
			}
		}
	}
	return &l
}

// PoliceLink returns the link to the police platform for staff, as RegulatorLink (Waiting unused); nil when the
// platform is in this process or the actor is not the provider's staff.
func (s *Service) PoliceLink(a Actor) *RegulatorLink {
	if s.cfg.PoliceLink == nil || (a.Role != RoleReviewer && a.Role != RoleOperator) {
		return nil
	}
	l := s.cfg.PoliceLink()
	return &l
}
