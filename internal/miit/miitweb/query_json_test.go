package miitweb

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/miit"
)

// The hand-written encoding of an answer is byte for byte what encoding/json (HTML escaping off) writes,
// escapes, omitted fields and times included.
func TestAppendAnswerMatchesEncodingJSON(t *testing.T) {
	at := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	cancelled := time.Date(2026, 4, 2, 8, 30, 15, 123_000_000, time.FixedZone("CST", 8*3600))
	answers := []miit.Answer{
		{Records: []miit.Record{}},
		{Records: []miit.Record{{SubjectName: "广州示例科技有限公司", Nature: "enterprise", SubjectNumber: "粤ICP备2026000001号",
			ServiceNumber: "粤ICP备2026000001号-1", ServiceName: "示例官网", Kind: filing.Website,
			Domains: []string{"example.cn", "example.com.cn"}, Province: "44", ApprovedAt: at, Status: miit.StatusFiled}}},
		{Records: []miit.Record{
			{SubjectName: "A \"quoted\" \\ <b>&</b>\n\t\r\b\f\x01\x1f\x7f", Nature: "individual", SubjectNumber: "x",
				Domains: []string{}, Province: "11", ApprovedAt: at, Status: miit.StatusCancelled, CancelledAt: &cancelled},
			{SubjectName: "bad \xff\xfe utf-8 \u2028 \u2029 é 😀", SubjectNumber: "y", ApprovedAt: time.UnixMilli(1).UTC(),
				Status: miit.StatusFiled},
		}, Next: "5bm_5bee\x00"},
	}
	for _, a := range answers {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(a); err != nil {
			t.Fatal(err)
		}
		if got := appendAnswer(nil, a); !bytes.Equal(got, want.Bytes()) {
			t.Errorf("got\n%s\nwant\n%s", got, want.Bytes())
		}
	}
	if got := string(appendAnswer(nil, miit.Answer{})); got != "{\"records\":[]}\n" {
		t.Errorf("no records: %s", got)
	}
}
