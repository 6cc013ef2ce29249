package codes

import (
	"errors"
	"slices"
)

// PreApprovalType is a pre-approval (前置审批) item with the permit it needs and who issues it (docs/design.md §3).
type PreApprovalType struct {
	Code   string `json:"code"`
	MIIT   int    `json:"miit"` // 0 where not in the (truncated) MIIT list
	Names  Names  `json:"names"`
	Permit Names  `json:"permit"`
	Issuer Names  `json:"issuer"`
}

func (p PreApprovalType) key() string { return p.Code }

func (p PreApprovalType) check() error {
	if p.Code == "" {
		return errors.New("code is required")
	}
	for _, n := range []Names{p.Names, p.Permit, p.Issuer} {
		if err := namesErr(n); err != nil {
			return err
		}
	}
	return nil
}

// PreApproval returns the pre-approval type with that code.
func PreApproval(code string) (PreApprovalType, bool) { return find(tab().preApprovals, code) }

// PreApprovals returns every pre-approval type.
func PreApprovals() []PreApprovalType { return slices.Clone(tab().preApprovals) }
