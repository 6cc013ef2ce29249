// Package police is the only way the provider side reaches the national Internet security management service
// platform (全国互联网安全管理服务平台, the police filing platform run by the Ministry of Public Security). It models
// the two things a provider does there since the platform's 2026 data-code service (docs/police.md):
//
//   - with the applicant's explicit consent, push the ICP data of a filed subject and website and receive a data
//     code (数据码), valid 30 days, with which the applicant pre-fills the subject and the website on the
//     platform instead of typing them again;
//   - ask the state of a website's police filing, by domain or by data code, to show it on the applicant's
//     progress page and, once numbered, the footer snippet.
//
// Everything else (accounts, subjects, applications, review, inspections) is the applicant's business on the
// platform itself; the provider never sees it.
//
// Transports: the police platform simulator (internal/mps) implements Platform in-process, which is what
// `beian serve` wires by default; internal/police/policehttp carries the same two methods over HTTP to
// `beian mps serve` (signed with a shared secret). The types here carry JSON tags: they are the wire format.
package police

import (
	"context"
	"errors"
	"fmt"
	"html"
	"strings"
	"time"
)

// Platform is the police filing platform as the provider sees it.
type Platform interface {
	// PushICPData sends the ICP data of one filed subject and one of its websites with the applicant's consent
	// and returns the data code that pre-fills them on the platform. Pushing the same website again while an
	// earlier code is still valid returns that code. Errors: police.consent_missing (Invalid),
	// police.provider_unknown (Forbidden), field problems on the data (Invalid).
	PushICPData(ctx context.Context, p Push) (DataCode, error)
	// FilingStatus reports the police filing of a website, found by exactly one of Domain or DataCode. A
	// website nobody filed yet is State StateNone, not an error.
	FilingStatus(ctx context.Context, q StatusQuery) (FilingStatus, error)
}

// ErrUnavailable marks a call that did not reach the platform, or whose answer could not be understood (the
// HTTP transport timed out or got garbage). Nothing was recorded on the provider's side; the call may be
// repeated (a push of the same website returns the code already issued).
var ErrUnavailable = errors.New("police platform: unavailable")

// DataCodeValidity is how long a data code can be redeemed on the platform (30 days).
const DataCodeValidity = 30 * 24 * time.Hour

// Push is one consented push of ICP data.
type Push struct {
	ProviderID string  `json:"provider_id"` // the access provider's code, as at MIIT
	Consent    Consent `json:"consent"`
	Subject    Subject `json:"subject"`
	Website    Website `json:"website"`
}

// Consent records the applicant's agreement to share the ICP data with the police platform.
type Consent struct {
	Given bool      `json:"given"`
	At    time.Time `json:"at"`
	// By names the applicant in the provider's own terms (an account id): the platform keeps it as given.
	By string `json:"by"`
}

// Subject is the ICP filing's subject as the platform needs it. Nature is a police platform nature
// (enterprise, military_academy, government, public_institution, social_organization, individual).
type Subject struct {
	Name             string    `json:"name"`
	Nature           string    `json:"nature"`
	CredentialType   string    `json:"credential_type"`
	CredentialNumber string    `json:"credential_number"`
	ICPNumber        string    `json:"icp_number"` // the subject number, e.g. 粤ICP备2026000001号
	Address          string    `json:"address"`
	Principal        Principal `json:"principal"`
}

// Principal is a person in charge: the subject's principal or the website's.
type Principal struct {
	Name             string `json:"name"`
	CredentialType   string `json:"credential_type"`
	CredentialNumber string `json:"credential_number"`
	Mobile           string `json:"mobile"`
	Email            string `json:"email,omitempty"`
	OfficePhone      string `json:"office_phone,omitempty"`
}

// Website is one filed website of the subject.
type Website struct {
	Name      string    `json:"name"`
	Domains   []string  `json:"domains"`    // the first is the main domain
	ICPNumber string    `json:"icp_number"` // the service number, e.g. 粤ICP备2026000001号-1
	Provider  string    `json:"provider"`   // the access provider's name
	Principal Principal `json:"principal"`
}

// DataCode is the code the applicant enters on the platform.
type DataCode struct {
	Code      string    `json:"code"`
	ExpiresAt time.Time `json:"expires_at"`
}

// StatusQuery selects one website's police filing.
type StatusQuery struct {
	Domain   string `json:"domain,omitempty"`
	DataCode string `json:"data_code,omitempty"`
}

// State is where a website's police filing stands, as the provider may show it.
type State string

const (
	StateNone       State = "none"        // nothing filed on the platform for this website
	StateReview     State = "review"      // submitted, waiting for the local public security organ
	StateReturned   State = "returned"    // returned to the applicant for changes
	StateInspection State = "inspection"  // interactive website: in-person review or on-site inspection scheduled
	StateApproved   State = "approved"    // filed: the police number is issued
	StateCancelled  State = "cancelled"   // the filing was cancelled
	StateDataPushed State = "data_pushed" // a data code exists but no application was submitted with it yet
)

// FilingStatus answers FilingStatus.
type FilingStatus struct {
	State  State  `json:"state"`
	Domain string `json:"domain,omitempty"`
	// Overdue: the application came more than 30 days after the website opened (公安部令第33号 第十二条).
	Overdue bool `json:"overdue,omitempty"`
	// DueBy is the legal deadline: 30 days after the opening date the applicant gave (zero when unknown).
	DueBy        time.Time `json:"due_by,omitzero"`
	PoliceNumber string    `json:"police_number,omitempty"` // e.g. 京公网安备11010502000001号
	ApprovedAt   time.Time `json:"approved_at,omitzero"`
	UpdatedAt    time.Time `json:"updated_at,omitzero"`
	// DataCodeExpiresAt is when the data code asked about stops working (data code queries only).
	DataCodeExpiresAt time.Time `json:"data_code_expires_at,omitzero"`
}

// QueryURL is the platform's public query page for a police number's 14 digits; the badge links there.
func QueryURL(digits string) string {
	return "https://beian.mps.gov.cn/#/query/webSearch?code=" + digits
}

// Digits returns the 14 digits of a police number such as 京公网安备11010502000001号 (spaces allowed), or "".
func Digits(number string) string {
	var b strings.Builder
	for _, r := range number {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	if b.Len() != 14 {
		return ""
	}
	return b.String()
}

// BadgeHTML is the snippet a website places at the bottom centre of its homepage once filed: the badge icon and
// the number linking to the platform's public query, in the form the platform hands out. iconURL is where the
// site serves the icon it downloaded from the platform.
func BadgeHTML(number, iconURL string) string {
	return fmt.Sprintf(`<img src="%s" alt="" style="vertical-align:middle" /><a href="%s" rel="noreferrer" target="_blank">%s</a>`,
		html.EscapeString(iconURL), html.EscapeString(QueryURL(Digits(number))), html.EscapeString(number))
}
