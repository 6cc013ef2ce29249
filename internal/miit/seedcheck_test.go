package miit

import (
	"errors"
	"strings"
	"testing"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/storetest"
)

// PrepareLoad refuses a record that could not be shown or exported as filed, naming the field, the rule and the
// record's place in the batch; it holds names and credential numbers to an order's rules, and accepts what a
// registry really holds, such as the 15-digit registration number of a licence from before 2015 and a remark on several lines.
func TestPrepareLoadChecksRecords(t *testing.T) {
	sim := newFixture(t, storetest.SQLite(t), Policy{}).sim
	boss := principal("张三", "11010519491231002X", "13800000000")
	good := func() SeedRecord {
		return SeedRecord{Province: "44", Providers: []string{provider},
			Subject: enterprise("广州检查有限公司", "91440101MA5D00100U", boss),
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
		{"a subject name of 101 characters", func(r *SeedRecord) { r.Subject.Name = strings.Repeat("广", 97) + "有限公司" },
			"field.name_too_long", "subject.name"},
		{"a subject name of 100 characters", func(r *SeedRecord) { r.Subject.Name = strings.Repeat("广", 96) + "有限公司" }, "", ""},
		{"a subject name of 3,000 characters", func(r *SeedRecord) { r.Subject.Name = strings.Repeat("广", 2996) + "有限公司" },
			"field.name_too_long", "subject.name"},
		{"a service name of 51 characters", func(r *SeedRecord) { r.Services[1].Name = strings.Repeat("检", 51) },
			"field.name_too_long", "services[1].name"},
		{"a service name of 50 characters", func(r *SeedRecord) { r.Services[0].Name = strings.Repeat("检", 50) }, "", ""},
		{"credential number 1", func(r *SeedRecord) { r.Subject.CredentialNumber = "1" }, "uscc.length", "subject.credential_number"},
		{"credit code check character", func(r *SeedRecord) { r.Subject.CredentialNumber = "91440101MA5D001000" },
			"uscc.checksum", "subject.credential_number"},
		{"old licence number as a credit code certificate", func(r *SeedRecord) {
			r.Subject.CredentialType, r.Subject.CredentialNumber = "uscc_certificate", "440101000123456"
		}, "uscc.old_registration_number", "subject.credential_number"},
		{"resident ID check digit", func(r *SeedRecord) {
			r.Subject.Nature, r.Subject.CredentialType, r.Subject.CredentialNumber = "individual", "resident_id", "110105199001010028"
		}, "resident_id.checksum", "subject.credential_number"},
		{"resident ID", func(r *SeedRecord) {
			r.Subject.Nature, r.Subject.CredentialType, r.Subject.CredentialNumber = "individual", "resident_id", "110105199001010029"
		}, "", ""},
		{"a generic credential of one character", func(r *SeedRecord) {
			r.Subject.Nature, r.Subject.CredentialType, r.Subject.CredentialNumber = "public_institution", "public_institution_certificate", "1"
		}, "credential.length", "subject.credential_number"},
		{"subject principal's ID check digit", func(r *SeedRecord) { r.Subject.Principal.CredentialNumber = "110105194912310028" },
			"resident_id.checksum", "subject.principal.credential_number"},
		{"service principal's ID of 16 digits", func(r *SeedRecord) { r.Services[1].Principal.CredentialNumber = "1101051949123100" },
			"resident_id.length", "services[1].principal.credential_number"},
		{"service principal's ID with a lower-case x", func(r *SeedRecord) { r.Services[1].Principal.CredentialNumber = "11010519491231002x" }, "", ""},
		{"service principal with a passport", func(r *SeedRecord) {
			r.Services[1].Principal.CredentialType, r.Services[1].Principal.CredentialNumber = "passport", "E37158926"
		}, "", ""},
		{"service principal with a sample passport number", func(r *SeedRecord) {
			r.Services[1].Principal.CredentialType, r.Services[1].Principal.CredentialNumber = "passport", "E12345678"
		}, "passport.fake", "services[1].principal.credential_number"},
		{"subject principal with a unit's credential", func(r *SeedRecord) {
			r.Subject.Principal.CredentialType, r.Subject.Principal.CredentialNumber = "business_license", "91440101MA5D00100U"
		}, "field.principal_credential_type", "subject.principal.credential_type"},
		{"service principal with an unknown credential type", func(r *SeedRecord) { r.Services[1].Principal.CredentialType = "id_card" },
			"field.principal_credential_type", "services[1].principal.credential_type"},
		{"principal's credential number without its type", func(r *SeedRecord) { r.Subject.Principal.CredentialType = "" },
			"miit.seed_required", "subject.principal.credential_type"},
		{"principal's credential type without a number", func(r *SeedRecord) { r.Services[1].Principal.CredentialNumber = " " },
			"miit.seed_required", "services[1].principal.credential_number"},
		{"no principals", func(r *SeedRecord) {
			r.Subject.Principal, r.Services[1].Principal = filing.Principal{}, filing.Principal{}
		}, "", ""},
		{"a principal named without a credential", func(r *SeedRecord) {
			r.Subject.Principal = filing.Principal{Name: "张三", Mobile: "13800000000"}
		}, "", ""},
		{"the subject's principal for a service, its own left over", func(r *SeedRecord) {
			r.Services[0].Principal = filing.Principal{CredentialType: "resident_id", CredentialNumber: "1"}
		}, "", ""},
		{"service of another subject", func(r *SeedRecord) {
			r.Subject.Number, r.Services[1].Number = "粤ICP备2020000001号", "粤ICP备2020000002号-2A"
		}, "miit.seed_number_mismatch", "services[1].number"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			other, rec := good(), good()
			other.Subject.CredentialNumber, other.Services = "91440101MA5D00101Y", nil
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

// BenchmarkCheckSeed measures checkSeed on a record of one website (or with an APP, every third), and apart
// the part of it that an order's rules added: the names' lengths and the credential number by its type.
func BenchmarkCheckSeed(b *testing.B) {
	sim := newFixture(b, storetest.SQLite(b), Policy{}).sim
	recs := seedRecords(1024)
	b.Run("record", func(b *testing.B) {
		for i := range b.N {
			if e := sim.checkSeed(&recs[i%len(recs)], i, start); e != nil {
				b.Fatal(e)
			}
		}
	})
	b.Run("order_rules", func(b *testing.B) {
		for i := range b.N {
			r := &recs[i%len(recs)]
			if filing.NameTooLong("subject.name", r.Subject.Name, filing.MaxSubjectNameRunes) != nil ||
				filing.NameTooLong("services[0].name", r.Services[0].Name, filing.MaxServiceNameRunes) != nil ||
				credentialProblem(r.Subject.CredentialType, r.Subject.CredentialNumber, start) != nil {
				b.Fatal(i)
			}
		}
	})
}
