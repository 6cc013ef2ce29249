package miit

import (
	"errors"
	"testing"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/storetest"
)

// PrepareLoad refuses a record that could not be shown or exported as filed, naming the field, the rule and the
// record's place in the batch; it accepts what a registry really holds, such as the 15-digit registration
// number of a licence from before 2015 and a remark on several lines.
func TestPrepareLoadChecksRecords(t *testing.T) {
	sim := newFixture(t, storetest.SQLite(t), Policy{}).sim
	boss := principal("张三", "110105194912310029", "13800000000")
	good := func() SeedRecord {
		return SeedRecord{Province: "44", Providers: []string{provider},
			Subject: enterprise("广州检查有限公司", "91440101MA5D001000", boss),
			Services: []filing.Service{website("检查官网", "check-example.cn", nil),
				app("检查APP", []string{"api.check-example.cn"}, boss)}}
	}
	for _, tc := range []struct {
		name        string
		edit        func(r *SeedRecord)
		code, field string
	}{
		{"good", func(*SeedRecord) {}, "", ""},
		{"numbers given", func(r *SeedRecord) {
			r.Subject.Number, r.Services[0].Number, r.Services[1].Number = "粤ICP备2020000001号", "粤ICP备2020000001号-1", "粤ICP备2020000001号-2A"
		}, "", ""},
		{"old licence number", func(r *SeedRecord) { r.Subject.CredentialNumber = "440101000123456" }, "", ""},
		{"remark on two lines", func(r *SeedRecord) { r.Subject.Remark = "第一行\n第二行" }, "", ""},
		{"no province", func(r *SeedRecord) { r.Province = "" }, "miit.seed_required", "province"},
		{"unknown province", func(r *SeedRecord) { r.Province = "45" }, "miit.province_unknown", "province"},
		{"no name", func(r *SeedRecord) { r.Subject.Name = "" }, "miit.seed_required", "subject.name"},
		{"blank credential", func(r *SeedRecord) { r.Subject.CredentialNumber = " " }, "miit.seed_required", "subject.credential_number"},
		{"nature", func(r *SeedRecord) { r.Subject.Nature = "" }, "miit.seed_code_unknown", "subject.nature"},
		{"credential type", func(r *SeedRecord) { r.Subject.CredentialType = "passport_x" }, "miit.seed_code_unknown", "subject.credential_type"},
		{"control character in a principal", func(r *SeedRecord) { r.Subject.Principal.Name = "张\x00三" },
			"common.text_control_char", "subject.principal.name"},
		{"line break in a name", func(r *SeedRecord) { r.Services[1].Name = "检查\nAPP" }, "common.text_control_char", "services[1].name"},
		{"zero-width space in a domain", func(r *SeedRecord) { r.Services[0].Domains[0] = "check\u200b-example.cn" },
			"common.text_control_char", "services[0].domains[0]"},
		{"service kind", func(r *SeedRecord) { r.Services[1].Kind = "" }, "miit.seed_code_unknown", "services[1].kind"},
		{"service name", func(r *SeedRecord) { r.Services[0].Name = " " }, "miit.seed_required", "services[0].name"},
		{"a website without domains", func(r *SeedRecord) { r.Services[0].Domains = nil }, "miit.seed_required", "services[0].domains"},
		{"an APP without domains", func(r *SeedRecord) { r.Services[1].Domains = nil }, "", ""},
		{"approved in the future", func(r *SeedRecord) { r.ApprovedAt = start.AddDate(1, 0, 0) }, "miit.seed_date_future", "approved_at"},
		{"domain", func(r *SeedRecord) { r.Services[1].Domains = []string{"api.check-example.cn", "not a domain"} },
			"miit.seed_domain_invalid", "services[1].domains[1]"},
		{"malformed number", func(r *SeedRecord) { r.Subject.Number = "粤ICP备123号" }, "icp_number.serial", "subject.number"},
		{"subject numbered as a service", func(r *SeedRecord) { r.Subject.Number = "粤ICP备2020000001号-1" },
			"miit.seed_number_mismatch", "subject.number"},
		{"service numbered as a subject", func(r *SeedRecord) { r.Services[0].Number = "粤ICP备2020000001号" },
			"miit.seed_number_mismatch", "services[0].number"},
		{"number of another province", func(r *SeedRecord) { r.Subject.Number = "京ICP备2020000001号" },
			"miit.seed_number_mismatch", "subject.number"},
		{"service of another subject", func(r *SeedRecord) {
			r.Subject.Number, r.Services[1].Number = "粤ICP备2020000001号", "粤ICP备2020000002号-2A"
		}, "miit.seed_number_mismatch", "services[1].number"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			other, rec := good(), good()
			other.Subject.CredentialNumber, other.Services = "91440101MA5D001001", nil
			tc.edit(&rec)
			_, err := sim.PrepareLoad([]SeedRecord{other, rec})
			var p *problem.Error
			switch {
			case tc.code == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tc.code == "":
			case !errors.As(err, &p) || p.Code != tc.code || p.Field != tc.field || p.Params["index"] != "1":
				t.Fatalf("%v (%+v); want %s on %s of record 1", err, p, tc.code, tc.field)
			}
		})
	}
}
