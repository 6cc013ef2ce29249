// Package regulator is the only way the provider side reaches MIIT and the provincial communications
// administrations. It models MIIT's provider interface (docs/design.md §5): the provider uploads
// submissions (isp_upload), asks whether a subject or domain is filed (isp_querybeianstatus), and downloads
// results from a queue that it acknowledges once it has stored them (isp_download / isp_downloadack), so that
// no result is lost if the provider crashes in between. The in-process transport calls the MIIT simulator
// directly; regulatorhttp carries the same calls over HTTP to the simulator in its own process, touching
// neither side.
package regulator

import (
	"context"
	"errors"
	"time"

	"github.com/beian/beian/internal/filing"
)

// Regulator is MIIT as the provider sees it.
type Regulator interface {
	// Submit uploads a provider-approved order. It is idempotent per ProviderOrderID and Attempt: uploading the
	// same attempt twice changes nothing. Data conflicts (domain already filed, …) come back as results.
	Submit(ctx context.Context, s Submission) error
	// Withdraw cancels a submission that has not reached administration review (SMS still pending).
	Withdraw(ctx context.Context, providerID string, providerOrderID int64) error
	// Results returns up to limit unacknowledged results for this provider, oldest first.
	Results(ctx context.Context, providerID string, limit int) ([]Result, error)
	// Ack acknowledges stored results; they are not returned again.
	Ack(ctx context.Context, providerID string, ids []int64) error
	// LookupSubject says whether a subject is filed, by credential.
	LookupSubject(ctx context.Context, credentialType, credentialNumber string) (SubjectStatus, error)
	// LookupDomain says whether a domain is filed and by which subject.
	LookupDomain(ctx context.Context, domain string) (DomainStatus, error)
	// LookupFiling returns the filed subject with this subject number, its services that are not cancelled and
	// their accesses; NotFound (regulator.filing_not_found) when no such subject is filed or it was cancelled.
	LookupFiling(ctx context.Context, providerID, subjectNumber string) (Filing, error)
}

// ErrUnavailable marks a call that did not reach the regulator, or whose answer could not be understood (a
// network transport that timed out or got garbage). Nothing was applied on the provider's side; the call may be
// repeated, and an upload that meets it stays queued however long the regulator is away.
var ErrUnavailable = errors.New("regulator: unavailable")

// Submission is one upload (docs/design.md §5: XZBA new filing, XZWZ new service, XZJR new access, BGBA change, ZXBA
// cancellation).
type Submission struct {
	ProviderID      string       `json:"provider_id"`       // the access provider's code (ispId)
	ProviderOrderID int64        `json:"provider_order_id"` // the provider's own order id (IspBaid)
	Attempt         int          `json:"attempt"`           // 1 for the first upload, +1 for each re-forward
	Order           filing.Order `json:"order"`             // the order's data as approved by the provider
	SubmittedAt     time.Time    `json:"submitted_at"`
	// Sequence numbers the upload as MIIT numbers the provider's files: the provider's outbox id, the same on
	// every retry of this upload. A network transport answers a re-upload of a sequence as it answered the
	// first; the in-process transport needs no sequence (0).
	Sequence int64 `json:"sequence,omitempty"`
	// Attachments are the authenticity-verification attachments (docs/design.md §5 XZHYD): the materials and the
	// verification photos, base64 JPG, the verification form at most 150 KB and any other at most 100 KB.
	Attachments []Attachment `json:"attachments,omitempty"`
}

// Attachment is one file sent with a submission.
type Attachment struct {
	// Purpose is what the file is (docs/design.md §5 Fjyt, 附件用途): a material code of docs/rules.md, or face_photo /
	// curtain_photo for a principal's verification photo.
	Purpose string `json:"purpose"`
	Service *int   `json:"service,omitempty"` // the service it belongs to (index in Order.Services), if any
	Person  string `json:"person,omitempty"`  // whom a verification photo shows: subject_principal, services[i].principal, …
	Type    string `json:"type"`              // media type; MIIT takes image/jpeg only
	Data    []byte `json:"data"`
}

// Attachment limits of MIIT's provider interface (docs/design.md §5): JPG; the verification form ≤ 150 KB, any
// other attachment ≤ 100 KB (decimal kilobytes: the smaller reading of "150K", always accepted).
const (
	MaxVerificationFormBytes = 150_000
	MaxAttachmentBytes       = 100_000
)

// AttachmentLimit returns the largest size MIIT accepts for an attachment of purpose.
func AttachmentLimit(purpose string) int {
	if purpose == "verification_form" {
		return MaxVerificationFormBytes
	}
	return MaxAttachmentBytes
}

// Result is one item of the download queue: a state change decided on the regulator's side.
type Result struct {
	ID              int64         `json:"id"`
	ProviderOrderID int64         `json:"provider_order_id"`
	Attempt         int           `json:"attempt"`
	Action          filing.Action `json:"action"` // forwarded, forwarded_no_sms, sms_verified, sms_expired, sms_failed, administration_approve, administration_reject
	Code            int           `json:"code"`   // 1001 approved, 1002 rejected, 1003+ conflicts (docs/design.md §5)
	Reason          string        `json:"reason,omitempty"`
	// SMSDeadline is when the SMS window closes (forwarded only).
	SMSDeadline   *time.Time      `json:"sms_deadline,omitempty"`
	SubjectNumber string          `json:"subject_number,omitempty"`
	Services      []filing.Issued `json:"services,omitempty"`
	At            time.Time       `json:"at"`
}

// ActAppVerified is the action of a result that reports a principal's verification in the administration's own
// app (Shanghai, Alibaba Cloud's materials guide). It does not move the order: Result.Services names who verified (Name
// subject_principal or service_principal, Index the service, −1 for the subject principal).
const ActAppVerified filing.Action = "administration_app_verified"

// SubjectStatus answers LookupSubject.
type SubjectStatus struct {
	Filed     bool     `json:"filed"`
	Province  string   `json:"province,omitempty"`
	Number    string   `json:"number,omitempty"` // subject ICP number
	Name      string   `json:"name,omitempty"`
	Nature    string   `json:"nature,omitempty"`
	Providers []string `json:"providers,omitempty"` // providers with an access to one of its services
	// Empty is a filed subject without services (空壳主体), which no provider hosts.
	Empty bool `json:"empty,omitempty"`
}

// DomainStatus answers LookupDomain.
type DomainStatus struct {
	Filed bool `json:"filed"`
	// SameSubject is filled by the caller's comparison: the regulator returns the owning subject's credential
	// hash-free identity (number) and the provider compares it with the subject it asked about.
	SubjectNumber string   `json:"subject_number,omitempty"`
	ServiceNumber string   `json:"service_number,omitempty"`
	Province      string   `json:"province,omitempty"`
	Providers     []string `json:"providers,omitempty"`
	Blacklisted   bool     `json:"blacklisted,omitempty"`
}

// Filing is a filed subject with its services as the registry holds them now (LookupFiling). It carries the
// personal data of the record: the provider needs it to start changes from the record as filed and to reach the
// subject principal for a claim; it shows the applicant nothing of it before the claim is proven.
type Filing struct {
	Province string         `json:"province"`
	Subject  filing.Subject `json:"subject"` // with its number
	Services []FiledService `json:"services"`
}

// FiledService is a filed service (with its number and its principal as filed) and its accesses.
type FiledService struct {
	Service  filing.Service `json:"service"`
	Accesses []Access       `json:"accesses"`
}

// Access is one provider's access to a service.
type Access struct {
	ProviderID string   `json:"provider_id"`
	IPs        []string `json:"ips,omitempty"`
	Method     string   `json:"access_method,omitempty"`   // 接入方式, as filed or last changed
	Location   string   `json:"access_location,omitempty"` // 服务器放置地
}

// HasAccess reports whether provider has an access to the service.
func (s FiledService) HasAccess(provider string) bool {
	for _, a := range s.Accesses {
		if a.ProviderID == provider {
			return true
		}
	}
	return false
}
