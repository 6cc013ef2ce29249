package miit

import (
	"fmt"
	"slices"

	"github.com/beian/beian/internal/imaging"
	"github.com/beian/beian/internal/regulator"
	"github.com/beian/beian/internal/rules"
)

// Attachment result codes of MIIT's provider interface (docs/design.md §5, spec V3.0 §3-5, as mirrored in easynode-ipc
// IspService.js): the authenticity-verification attachments (XZHYD) are base64 JPG, the verification form at
// most 150 KB and any other at most 100 KB.
const (
	CodeAttachmentType    = 1056 // 附件格式类型代码错误
	CodeAttachmentPurpose = 1057 // 附件用途类型代码错误
	CodeAttachmentInvalid = 5010 // 您提交的附件格式不符合规范
)

// attachmentText is MIIT's wording of the attachment codes.
var attachmentText = map[int]string{
	CodeAttachmentType:    "附件格式类型代码错误，请核实后再次报备",
	CodeAttachmentPurpose: "附件用途类型代码错误，请核实后再次报备",
	CodeAttachmentInvalid: "您提交的附件格式不符合规范",
}

func init() {
	for code, text := range attachmentText {
		codeText[code] = text
	}
}

// attachmentPurposes are the purposes (附件用途) the simulator accepts: the material codes, the verification
// photos of principals, and the APP icon.
func attachmentPurposes() []string {
	return append(rules.MaterialCodes(), "face_photo", "curtain_photo", "app_icon")
}

// checkAttachments refuses a submission whose attachments MIIT would not take: a purpose it does not know
// (1057), a file that is not a JPEG by its content or not the type declared (1056), or one over its size limit
// or unreadable (5010). Conflicts come back as an administration_reject result, like every data problem of an
// upload (docs/design.md §5); the first problem found is reported.
func checkAttachments(atts []regulator.Attachment) *conflict {
	purposes := attachmentPurposes()
	for i, a := range atts {
		what := fmt.Sprintf("附件%d（%s）", i+1, a.Purpose)
		if !slices.Contains(purposes, a.Purpose) {
			return &conflict{code: CodeAttachmentPurpose, detail: what}
		}
		if t, _ := imaging.Detect(a.Data); t != imaging.JPEG || a.Type != string(imaging.JPEG) {
			return &conflict{code: CodeAttachmentType, detail: what + "：仅接受JPG"}
		}
		limit := regulator.AttachmentLimit(a.Purpose)
		if len(a.Data) > limit {
			return &conflict{code: CodeAttachmentInvalid,
				detail: fmt.Sprintf("%s：%.1fKB，超过%dKB", what, float64(len(a.Data))/1000, limit/1000)}
		}
		if _, err := imaging.Check(a.Data, imaging.Limit{MaxBytes: limit, Types: []imaging.Type{imaging.JPEG}}); err != nil {
			return &conflict{code: CodeAttachmentInvalid, detail: what + "：无法读取"}
		}
	}
	return nil
}

// orAttachments is Submit's hook: a data conflict found earlier wins, else the attachments' first problem.
func orAttachments(c *conflict, atts []regulator.Attachment) *conflict {
	if c != nil {
		return c
	}
	return checkAttachments(atts)
}

// CheckAttachments is the attachment check of Submit, for the provider side's tests and tools: nil when MIIT
// would take them, else the result code and MIIT's reason.
func CheckAttachments(atts []regulator.Attachment) (code int, reason string) {
	c := checkAttachments(atts)
	if c == nil {
		return 0, ""
	}
	return c.code, c.reason()
}
