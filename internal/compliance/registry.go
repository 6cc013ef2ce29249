package compliance

import (
	"context"
)

// Filing is what the registry says about a domain: whether it is filed, under which numbers and names, and
// whether its filing was cancelled. It carries nothing personal.
type Filing struct {
	Domain        string `json:"domain"` // the registrable domain asked about
	Filed         bool   `json:"filed"`
	Cancelled     bool   `json:"cancelled,omitempty"` // filed once, cancelled since (Filed is then false)
	SubjectName   string `json:"subject_name,omitempty"`
	SubjectNumber string `json:"subject_number,omitempty"`
	ServiceNumber string `json:"service_number,omitempty"` // the website's number, 粤ICP备…号-N
	WebsiteName   string `json:"website_name,omitempty"`
	PoliceNumber  string `json:"police_number,omitempty"` // when the site's police filing is known
	// PoliceChecked is set when the police platform's public query was asked (WithPolice): an empty
	// PoliceNumber then means the platform has no filing of the site.
	PoliceChecked bool  `json:"police_checked,omitempty"`
	policeErr     error // the police platform could not be asked
}

// Registry answers which filing covers a domain. A domain nobody filed is Filing{Filed: false} and no error;
// an error means the registry could not be asked.
type Registry interface {
	LookupDomain(ctx context.Context, domain string) (Filing, error)
}
