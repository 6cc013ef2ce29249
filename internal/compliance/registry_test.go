package compliance

import "testing"

// The filing of a domain is read from the query's records: a filed website before a filed APP sharing the
// domain, anything filed before a cancelled record, and a cancelled record as cancelled, not as unknown.
func TestFilingOf(t *testing.T) {
	web := QueryRecord{SubjectNumber: "粤ICP备2020123456号", ServiceNumber: "粤ICP备2020123456号-1", ServiceName: "官网",
		Kind: "website", Status: "filed"}
	app := QueryRecord{SubjectNumber: "粤ICP备2020123456号", ServiceNumber: "粤ICP备2020123456号-2A", ServiceName: "APP",
		Kind: "app", Status: "filed"}
	gone := QueryRecord{SubjectNumber: "京ICP备2019000001号", ServiceNumber: "京ICP备2019000001号-1", ServiceName: "旧站",
		Kind: "website", Status: "cancelled"}
	cases := []struct {
		name string
		recs []QueryRecord
		want Filing
	}{
		{"none", nil, Filing{Domain: "example.cn"}},
		{"website before APP", []QueryRecord{app, web}, Filing{Domain: "example.cn", Filed: true,
			SubjectNumber: web.SubjectNumber, ServiceNumber: web.ServiceNumber, WebsiteName: "官网"}},
		{"APP alone", []QueryRecord{app}, Filing{Domain: "example.cn", Filed: true,
			SubjectNumber: app.SubjectNumber, ServiceNumber: app.ServiceNumber, WebsiteName: "APP"}},
		{"filed before cancelled", []QueryRecord{gone, app}, Filing{Domain: "example.cn", Filed: true,
			SubjectNumber: app.SubjectNumber, ServiceNumber: app.ServiceNumber, WebsiteName: "APP"}},
		{"cancelled", []QueryRecord{gone}, Filing{Domain: "example.cn", Cancelled: true,
			SubjectNumber: gone.SubjectNumber, ServiceNumber: gone.ServiceNumber, WebsiteName: "旧站"}},
	}
	for _, tc := range cases {
		if got := FilingOf("example.cn", tc.recs); got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
}
