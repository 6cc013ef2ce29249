// Package access names who acts in a request: an account, its role and the provinces it may see. The pages and
// API of every bounded context receive one from the shared HTTP plumbing (internal/web); the sign-in that
// produces it is today the provider's account service, which also holds the administration officers' accounts
// of the MIIT simulator (see docs/architecture.md). It holds no rule about what a role may do: each context
// decides that in its use cases.
package access

// Actor is the authenticated party of a request.
type Actor struct {
	ID        int64
	Role      string // applicant | reviewer | officer | operator
	Provinces []string
}

// The roles. The applicant, reviewer and operator belong to the provider; the officer belongs to the
// administration (the MIIT simulator).
const (
	RoleApplicant = "applicant"
	RoleReviewer  = "reviewer"
	RoleOfficer   = "officer"
	RoleOperator  = "operator"
)

// IsStaff reports whether the actor reviews or operates on the provider's side.
func (a Actor) IsStaff() bool { return a.Role == RoleReviewer || a.Role == RoleOperator }
