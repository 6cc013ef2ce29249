// Package regulatorhttp carries the regulator interface over HTTP, modelled on MIIT's provider interface
// (isp_upload, isp_download, isp_downloadack, isp_querybeianstatus): the provider uploads each submission with a
// sequence number, downloads results as a queue and acknowledges each once stored. Every request is signed with
// a shared secret (HMAC-SHA256 of provider, timestamp, path and body) and refused when its timestamp is stale.
// Client is the provider's side; Handler serves any regulator.Regulator (the MIIT simulator) on the network.
// docs/operations.md describes the transport, its answer codes and its faults.
package regulatorhttp

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/regulator"
)

// Answer codes of the transport (the data results 1001 approved, 1002 rejected and 1003+ conflicts travel
// inside regulator.Result.Code, unchanged).
const (
	CodeOK               = 0 // 成功: the call was carried out; data holds its answer
	CodeUnauthenticated  = 1 // 认证失败: unknown provider or wrong signature
	CodeStale            = 2 // 时间戳无效: the timestamp is more than MaxSkew away from the regulator's clock
	CodeMalformed        = 3 // 格式错误: the request is not what the operation takes
	CodeSequenceConflict = 4 // 序列号冲突: the sequence number was used before for another submission
	CodeNotFound         = 5 // 查无记录: nothing there (problem says what)
	CodeRefused          = 6 // 拒绝: the regulator refused the call; problem carries its code and field
	CodeUnavailable      = 9 // 系统繁忙: the regulator could not do it now; nothing was done, try again
)

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

// Answer is what every operation returns.
type Answer struct {
	Code    int             `json:"code"`
	Message string          `json:"msg,omitempty"`
	Problem *Problem        `json:"problem,omitempty"` // with CodeNotFound and CodeRefused
	Data    json.RawMessage `json:"data,omitempty"`
}

// Problem is a problem.Error as it travels.
type Problem struct {
	Kind   string            `json:"kind"`
	Code   string            `json:"code"`
	Field  string            `json:"field,omitempty"`
	Params map[string]string `json:"params,omitempty"`
}

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

// errGarbage is an answer that is not one: it is retried like a timeout.
var errGarbage = fmt.Errorf("%w: the answer is not the interface's", regulator.ErrUnavailable)

// ParseAnswer reads an answer and the data of a successful one into data (nil: no data expected). An answer
// that is not JSON, has an unknown code, or whose data does not fit is garbage (regulator.ErrUnavailable);
// an answer that refuses is the problem it carries; nothing is returned half-read.
func ParseAnswer(body []byte, data any) error {
	var a Answer
	if err := json.Unmarshal(body, &a); err != nil {
		return fmt.Errorf("%w: %v", errGarbage, err)
	}
	switch a.Code {
	case CodeOK:
		if data == nil {
			return nil
		}
		if len(a.Data) == 0 {
			return fmt.Errorf("%w: no data", errGarbage)
		}
		if err := json.Unmarshal(a.Data, data); err != nil {
			return fmt.Errorf("%w: %v", errGarbage, err)
		}
		return nil
	case CodeNotFound, CodeRefused:
		return a.Problem.err(a.Code)
	case CodeUnauthenticated, CodeStale, CodeUnavailable:
		return fmt.Errorf("%w: code %d %s", regulator.ErrUnavailable, a.Code, a.Message)
	case CodeMalformed, CodeSequenceConflict:
		return fmt.Errorf("regulator refused the request: code %d %s", a.Code, a.Message)
	}
	return fmt.Errorf("%w: unknown code %d", errGarbage, a.Code)
}

// err turns a carried problem back into the problem.Error the regulator returned.
func (p *Problem) err(code int) error {
	if p == nil || p.Code == "" {
		return fmt.Errorf("%w: code %d without a problem", errGarbage, code)
	}
	kind, ok := kindNamed(p.Kind)
	if !ok || kind == problem.Internal || (code == CodeNotFound) != (kind == problem.NotFound) {
		return fmt.Errorf("%w: code %d with problem kind %q", errGarbage, code, p.Kind)
	}
	return &problem.Error{Kind: kind, Code: p.Code, Field: p.Field, Params: p.Params}
}

func kindNamed(name string) (problem.Kind, bool) {
	for k := problem.Internal; k <= problem.TooLarge; k++ {
		if k.String() == name {
			return k, true
		}
	}
	return 0, false
}

// answerOf is the answer to a call that ended with err.
func answerOf(err error, data any) Answer {
	if err == nil {
		a := Answer{Code: CodeOK, Message: "成功"}
		if data != nil {
			b, merr := json.Marshal(data)
			if merr != nil {
				return Answer{Code: CodeUnavailable, Message: "系统繁忙"}
			}
			a.Data = b
		}
		return a
	}
	var pe *problem.Error
	if !errors.As(err, &pe) || pe.Kind == problem.Internal {
		return Answer{Code: CodeUnavailable, Message: "系统繁忙"}
	}
	p := &Problem{Kind: pe.Kind.String(), Code: pe.Code, Field: pe.Field, Params: pe.Params}
	if pe.Kind == problem.NotFound {
		return Answer{Code: CodeNotFound, Message: "查无记录", Problem: p}
	}
	return Answer{Code: CodeRefused, Message: "拒绝", Problem: p}
}

// statusOf is the HTTP status an answer code goes with.
func statusOf(code int) int {
	return map[int]int{CodeOK: 200, CodeUnauthenticated: 401, CodeStale: 401, CodeMalformed: 400,
		CodeSequenceConflict: 409, CodeNotFound: 404, CodeRefused: 422, CodeUnavailable: 503}[code]
}
