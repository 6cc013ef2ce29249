package miit

import (
	"fmt"
	"strings"

	"github.com/beian/beian/internal/filing"
)

// Result codes of MIIT's provider interface (docs/design.md §5, spec V3.0 §3-5, as mirrored in easynode-ipc IspService.js).
// Only the codes the simulator produces are listed; the catalogs carry a translated line for each
// ("miit.code.<n>") so that the provider side can show them in the applicant's language.
const (
	CodeApproved              = 1001 // 管局审核通过
	CodeRejected              = 1002 // 管局审核拒绝
	CodeSubjectConflict       = 1003 // 网站主办者冲突
	CodeInvalidDomain         = 1004 // 无效域名
	CodeDomainConflict        = 1005 // 域名冲突
	CodeInvalidCredential     = 1008 // 无效证件
	CodeInvalidMobile         = 1011 // 无效手机号码
	CodeChangeInProgress      = 1017 // 备案变更中 (one order at a time per subject)
	CodeNameConflict          = 1020 // 网站名称冲突
	CodeCancelSubjectConflict = 1027 // 注销主体冲突
	CodeAccessDuplicate       = 1038 // 该接入已经报备
	CodeDomainAlreadyFiled    = 1039 // 该备案信息中的网站域名已经报备
	CodeProvinceChange        = 1046 // 不能改变主体所在省
	CodeNotOwnAccess          = 1047 // 只能取消本接入商的接入信息
	CodeNotProvidersFiling    = 1048 // 不是您接入的备案
	CodeSubjectCancelled      = 1049 // 主体已注销
	CodeServiceCancelled      = 1050 // 网站已注销
	CodeSubjectNotFound       = 1058 // 主体信息不存在
	CodeServiceNotFound       = 1059 // 网站信息不存在
	CodeDomainBlacklisted     = 1064 // 域名在黑名单中
	CodeSubjectBlacklisted    = 1065 // 主体在黑名单中
)

// codeText is MIIT's own wording of each code (Chinese, as the provider receives it).
var codeText = map[int]string{
	CodeApproved:           "管局审核通过",
	CodeRejected:           "管局审核拒绝",
	CodeSubjectConflict:    "网站主办者冲突，请核实后再次报备",
	CodeInvalidDomain:      "无效域名，请核实后再次报备",
	CodeDomainConflict:     "域名冲突，该域名在备案信息库中已存在，请核实后再次报备",
	CodeInvalidCredential:  "无效证件，请核实后再次报备",
	CodeInvalidMobile:      "无效手机号码，请核实后再次报备",
	CodeChangeInProgress:   "备案变更中，审核通过后可再次申请变更",
	CodeNameConflict:       "网站名称冲突，请核实后再次报备",
	CodeAccessDuplicate:    "该接入已经报备，无需重复报备",
	CodeDomainAlreadyFiled: "该备案信息中的网站域名已经报备，无需重复报备",
	CodeProvinceChange:     "变更备案时不能改变主体所在省，如果需要修改，请先申请注销主体，然后重新报备",
	CodeNotOwnAccess:       "只能取消本接入商的接入信息，请核实后再次报备",
	CodeNotProvidersFiling: "您试图操作的不是您接入的备案，这种操作是非法的，请核实后再次报备",
	CodeSubjectCancelled:   "主体已注销，您的请求被拒绝",
	CodeServiceCancelled:   "网站已注销，您的请求被拒绝",
	CodeSubjectNotFound:    "主体信息不存在",
	CodeServiceNotFound:    "网站信息不存在",
	CodeDomainBlacklisted:  "域名在黑名单中，请核实后再次报备",
	CodeSubjectBlacklisted: "主体在黑名单中，请核实后再次报备",
}

// CodeText returns MIIT's Chinese wording of a result code.
func CodeText(code int) string {
	if t, ok := codeText[code]; ok {
		return t
	}
	return "其他错误"
}

// Codes lists the result codes the simulator produces, in numeric order.
func Codes() []int {
	return []int{CodeApproved, CodeRejected, CodeSubjectConflict, CodeInvalidDomain, CodeDomainConflict,
		CodeInvalidCredential, CodeInvalidMobile, CodeChangeInProgress, CodeNameConflict, CodeAccessDuplicate,
		CodeDomainAlreadyFiled, CodeProvinceChange, CodeNotOwnAccess, CodeNotProvidersFiling, CodeSubjectCancelled,
		CodeServiceCancelled, CodeSubjectNotFound, CodeServiceNotFound, CodeDomainBlacklisted,
		CodeSubjectBlacklisted}
}

// conflict is a data conflict found in a submission: it comes back to the provider as administration_reject
// with the code (docs/design.md §5: conflicts are results, not transport errors).
type conflict struct {
	code   int
	detail string // what exactly, e.g. the domain
}

func (c *conflict) reason() string {
	if c.detail == "" {
		return CodeText(c.code)
	}
	return CodeText(c.code) + "（" + c.detail + "）"
}

func conflictf(code int, format string, args ...any) *conflict {
	return &conflict{code: code, detail: fmt.Sprintf(format, args...)}
}

// typeLabel is the Chinese name of an order type as MIIT's messages use it.
var typeLabel = map[filing.OrderType]string{
	filing.NewFiling:           "首次备案",
	filing.NewService:          "新增网站/APP",
	filing.NewServiceNoSubject: "无主体新增网站/APP",
	filing.NewAccess:           "新增接入",
	filing.ChangeSubject:       "变更主体",
	filing.ChangeService:       "变更网站/APP",
	filing.ChangeAccess:        "变更接入",
	filing.CancelSubject:       "注销主体",
	filing.CancelService:       "注销网站/APP",
	filing.WithdrawAccess:      "取消接入",
}

// Normalisation of what people type.

// normPhone keeps the digits of a mobile number and drops a +86 / 0086 / 86 country prefix.
func normPhone(s string) string {
	d := digits(s)
	switch {
	case len(d) == 15 && strings.HasPrefix(d, "0086"):
		d = d[4:]
	case len(d) == 13 && strings.HasPrefix(d, "86"):
		d = d[2:]
	}
	return d
}

func validMobile(p string) bool {
	if len(p) != 11 || p[0] != '1' {
		return false
	}
	for i := 0; i < len(p); i++ {
		if p[i] < '0' || p[i] > '9' {
			return false
		}
	}
	return true
}

// NormCredential removes spaces and uppercases (resident ID "x" → "X", Alibaba Cloud's filing notes).
func NormCredential(s string) string {
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == ' ' || r == '\t' || r == '-' || r == '\u3000':
		case r >= '０' && r <= '９':
			b.WriteRune('0' + (r - '０'))
		case r == 'Ｘ' || r == 'ｘ':
			b.WriteRune('X')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// last6 returns the last 6 characters of a normalised credential number.
func last6(credential string) string {
	c := []rune(NormCredential(credential))
	if len(c) <= 6 {
		return string(c)
	}
	return string(c[len(c)-6:])
}

// normCode keeps the digits of an SMS code.
func normCode(s string) string { return digits(s) }

// digits keeps the digits of s, full-width ones (from Chinese input methods) as ASCII.
func digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else if r >= '０' && r <= '９' {
			b.WriteRune('0' + (r - '０'))
		}
	}
	return b.String()
}
