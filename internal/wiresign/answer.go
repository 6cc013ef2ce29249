package wiresign

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/beian/beian/internal/problem"
)

// Answer codes shared by the interfaces (an interface may leave some unused).
const (
	CodeOK               = 0 // 成功: the call was carried out; data holds its answer
	CodeUnauthenticated  = 1 // 认证失败: unknown provider or wrong signature
	CodeStale            = 2 // 时间戳无效: the timestamp is more than MaxSkew away from the serving side's clock
	CodeMalformed        = 3 // 格式错误: the request is not what the operation takes
	CodeSequenceConflict = 4 // 序列号冲突: the sequence number was used before for other data
	CodeNotFound         = 5 // 查无记录: nothing there (problem says what)
	CodeRefused          = 6 // 拒绝: the call was refused; problem carries its code and field
	CodeUnavailable      = 9 // 系统繁忙: the call could not be done now; nothing was done, try again
)

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

// Garbage is an answer that is not one, wrapping unavailable: it is retried like a timeout.
func Garbage(unavailable error, format string, args ...any) error {
	return fmt.Errorf("%w: the answer is not the interface's: %s", unavailable, fmt.Sprintf(format, args...))
}

// Checked is data that can tell whether it is whole: an answer whose data fails Check is garbage.
type Checked interface{ Check() error }

// ParseAnswer reads an answer and the data of a successful one into data (nil: no data expected). An answer
// that is not JSON, has an unknown code, or whose data does not fit (or fails its Check) is garbage (wrapping
// unavailable, the interface's "try again" error); an answer that refuses is the problem it carries; nothing
// is returned half-read.
func ParseAnswer(body []byte, data any, unavailable error) error {
	var a Answer
	if err := json.Unmarshal(body, &a); err != nil {
		return Garbage(unavailable, "%v", err)
	}
	switch a.Code {
	case CodeOK:
		if data == nil {
			return nil
		}
		if len(a.Data) == 0 {
			return Garbage(unavailable, "no data")
		}
		if err := json.Unmarshal(a.Data, data); err != nil {
			return Garbage(unavailable, "%v", err)
		}
		if c, ok := data.(Checked); ok {
			if err := c.Check(); err != nil {
				return Garbage(unavailable, "%v", err)
			}
		}
		return nil
	case CodeNotFound, CodeRefused:
		return a.Problem.err(a.Code, unavailable)
	case CodeUnauthenticated, CodeStale, CodeUnavailable:
		return fmt.Errorf("%w: code %d %s", unavailable, a.Code, a.Message)
	case CodeMalformed, CodeSequenceConflict:
		return fmt.Errorf("the request was refused: code %d %s", a.Code, a.Message)
	}
	return Garbage(unavailable, "unknown code %d", a.Code)
}

// err turns a carried problem back into the problem.Error the serving side returned.
func (p *Problem) err(code int, unavailable error) error {
	if p == nil || p.Code == "" {
		return Garbage(unavailable, "code %d without a problem", code)
	}
	kind, ok := kindNamed(p.Kind)
	if !ok || kind == problem.Internal || (code == CodeNotFound) != (kind == problem.NotFound) {
		return Garbage(unavailable, "code %d with problem kind %q", code, p.Kind)
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

// AnswerOf is the answer to a call that ended with err: a problem.Error other than Internal travels; anything
// else is CodeUnavailable, its detail kept for the serving side's log.
func AnswerOf(err error, data any) Answer {
	if err == nil {
		a := Answer{Code: CodeOK, Message: "成功"}
		if data != nil {
			b, merr := json.Marshal(data)
			if merr != nil {
				return Busy()
			}
			a.Data = b
		}
		return a
	}
	var pe *problem.Error
	if !errors.As(err, &pe) || pe.Kind == problem.Internal {
		return Busy()
	}
	p := &Problem{Kind: pe.Kind.String(), Code: pe.Code, Field: pe.Field, Params: pe.Params}
	if pe.Kind == problem.NotFound {
		return Answer{Code: CodeNotFound, Message: "查无记录", Problem: p}
	}
	return Answer{Code: CodeRefused, Message: "拒绝", Problem: p}
}

// Busy is the answer of a call that could not be done now.
func Busy() Answer { return Answer{Code: CodeUnavailable, Message: "系统繁忙"} }

// statusOf is the HTTP status an answer code goes with.
func statusOf(code int) int {
	return map[int]int{CodeOK: 200, CodeUnauthenticated: 401, CodeStale: 401, CodeMalformed: 400,
		CodeSequenceConflict: 409, CodeNotFound: 404, CodeRefused: 422, CodeUnavailable: 503}[code]
}

// Reply writes a.
func Reply(w http.ResponseWriter, a Answer) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(statusOf(a.Code))
	json.NewEncoder(w).Encode(a)
}
