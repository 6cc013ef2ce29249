// Package regulatorhttp carries the regulator interface over HTTP, modelled on MIIT's provider interface
// (isp_upload, isp_download, isp_downloadack, isp_querybeianstatus): the provider uploads each submission with a
// sequence number, downloads results as a queue and acknowledges each once stored. Every request is signed with
// a shared secret and refused when its timestamp is stale (internal/wiresign, shared with the police interface).
// Client is the provider's side; Handler serves any regulator.Regulator (the MIIT simulator) on the network.
// docs/operations.md describes the transport, its answer codes and its faults.
package regulatorhttp

import (
	"github.com/beian/beian/internal/regulator"
	"github.com/beian/beian/internal/wiresign"
)

// The answer codes are wiresign's (the data results 1001 approved, 1002 rejected and 1003+ conflicts travel
// inside regulator.Result.Code, unchanged).

// Paths of the operations, under the simulator's address.
const (
	PathUpload   = "/miit/isp/v1/upload"
	PathWithdraw = "/miit/isp/v1/withdraw"
	PathDownload = "/miit/isp/v1/download"
	PathAck      = "/miit/isp/v1/ack"
	PathSubject  = "/miit/isp/v1/query/subject"
	PathDomain   = "/miit/isp/v1/query/domain"
	PathFiling   = "/miit/isp/v1/query/filing"
)

// MaxBody bounds a request or an answer: MIIT takes at most 50 MB per file.
const MaxBody = 50 << 20

// The requests' bodies.
type (
	uploadRequest struct {
		Sequence   int64                `json:"sequence"`
		Submission regulator.Submission `json:"submission"`
	}
	withdrawRequest struct {
		ProviderOrderID int64 `json:"provider_order_id"`
	}
	downloadRequest struct {
		Limit int `json:"limit"`
	}
	downloadAnswer struct {
		Results []regulator.Result `json:"results"`
	}
	ackRequest struct {
		IDs []int64 `json:"ids"`
	}
	subjectRequest struct {
		CredentialType   string `json:"credential_type"`
		CredentialNumber string `json:"credential_number"`
	}
	domainRequest struct {
		Domain string `json:"domain"`
	}
	filingRequest struct {
		SubjectNumber string `json:"subject_number"`
	}
)

// ParseAnswer reads an answer and the data of a successful one into data (nil: no data expected); an answer
// that is not the interface's is regulator.ErrUnavailable (wiresign.ParseAnswer).
func ParseAnswer(body []byte, data any) error {
	return wiresign.ParseAnswer(body, data, regulator.ErrUnavailable)
}
