package compliance

import (
	"testing"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/miit"
)

// The filing of a domain is read from the query's records: a filed website before a filed APP sharing the
// domain, anything filed before a cancelled record, and a cancelled record as cancelled, not as unknown.
func TestFilingOf(t *testing.T) {
	web := miit.Record{SubjectNumber: "粤ICP备2020123456号", ServiceNumber: "粤ICP备2020123456号-1", ServiceName: "官网",
		Kind: filing.Website, Status: miit.StatusFiled}
	app := miit.Record{SubjectNumber: "粤ICP备2020123456号", ServiceNumber: "粤ICP备2020123456号-2A", ServiceName: "APP",
		Kind: filing.App, Status: miit.StatusFiled}
	gone := miit.Record{SubjectNumber: "京ICP备2019000001号", ServiceNumber: "京ICP备2019000001号-1", ServiceName: "旧站",
		Kind: filing.Website, Status: miit.StatusCancelled}
	cases := []struct {
		name string
		recs []miit.Record
		want Filing
	}{
		{"none", nil, Filing{Domain: "example.cn"}},
		{"website before APP", []miit.Record{app, web}, Filing{Domain: "example.cn", Filed: true,
			SubjectNumber: web.SubjectNumber, ServiceNumber: web.ServiceNumber, WebsiteName: "官网"}},
		{"APP alone", []miit.Record{app}, Filing{Domain: "example.cn", Filed: true,
			SubjectNumber: app.SubjectNumber, ServiceNumber: app.ServiceNumber, WebsiteName: "APP"}},
		{"filed before cancelled", []miit.Record{gone, app}, Filing{Domain: "example.cn", Filed: true,
			SubjectNumber: app.SubjectNumber, ServiceNumber: app.ServiceNumber, WebsiteName: "APP"}},
		{"cancelled", []miit.Record{gone}, Filing{Domain: "example.cn", Cancelled: true,
			SubjectNumber: gone.SubjectNumber, ServiceNumber: gone.ServiceNumber, WebsiteName: "旧站"}},
	}
	for _, tc := range cases {
		if got := filingOf("example.cn", tc.recs); got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
}
