package rules_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/rules"
	"github.com/beian/beian/internal/rules/rulestest"
)

const legalID = "440305198001010013"

func crossOrder() *filing.Order {
	return &filing.Order{Type: filing.NewFiling, Province: "44", Subject: filing.Subject{
		Nature: "enterprise", Name: "深圳市示例科技有限公司", CredentialType: "business_license", CredentialNumber: "91440300MA5EXAMPLE",
		LegalRepresentative: &filing.LegalRepresentative{Name: "王强", IDNumber: legalID},
		Principal: filing.Principal{Name: "王强", CredentialType: "resident_id", CredentialNumber: legalID,
			Mobile: "138 0013 8000", EmergencyMobile: "+86 13900139000", Email: " WangQiang@Example.com "}},
		Services: []filing.Service{{Kind: filing.Website, Name: "示例", PrincipalSameAsSubject: true}}}
}

func TestCrossCheck(t *testing.T) {
	cases := []struct {
		name   string
		source string
		dir    rulestest.Subject
		want   []string
	}{
		{"clean", "Huawei Cloud's first-filing guide", rulestest.Subject{Credential: "X1", EmergencyMobiles: []string{"13700000000"}}, nil},
		{"emergency mobile used elsewhere", "Huawei Cloud's first-filing guide (应急电话唯一)",
			rulestest.Subject{Credential: "X1", EmergencyMobiles: []string{"13900139000"}}, []string{"rules.emergency_mobile_not_unique"}},
		{"e-mail used elsewhere", "Huawei Cloud's first-filing guide (邮箱地址唯一)",
			rulestest.Subject{Credential: "X1", Emails: []string{"wangqiang@example.com"}}, []string{"rules.email_not_unique"}},
		{"same subject is not another", "Huawei Cloud's first-filing guide",
			rulestest.Subject{Credential: "91440300ma5example", EmergencyMobiles: []string{"13900139000"}, Emails: []string{"wangqiang@example.com"}}, nil},
		{"legal rep with other contacts", "Huawei Cloud's first-filing guide (法定代表人的联系方式需保持一致)",
			rulestest.Subject{Credential: "X2", LegalRepID: legalID, Mobile: "13811112222", Email: "boss@other.cn"},
			[]string{"rules.legal_rep_contacts_inconsistent", "rules.legal_rep_contacts_inconsistent"}},
		{"legal rep with the same contacts", "Huawei Cloud's first-filing guide",
			rulestest.Subject{Credential: "X2", LegalRepID: legalID, Mobile: "13800138000", Email: "wangqiang@example.com"}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := &rulestest.Directory{}
			d.Add(c.dir)
			vs, err := rules.CrossCheck(context.Background(), crossOrder(), d)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, v := range vs {
				got = append(got, v.Code)
				if v.Source == "" || v.Message == "" || v.Field == "" {
					t.Errorf("incomplete violation %+v", v)
				}
			}
			if strings.Join(got, ",") != strings.Join(c.want, ",") {
				t.Errorf("got %v, want %v (%s)", got, c.want, c.source)
			}
		})
	}
}

// Another subject's contacts are shown masked, never whole.
func TestCrossCheckMasksOtherSubjectsContacts(t *testing.T) {
	d := &rulestest.Directory{}
	d.Add(rulestest.Subject{Credential: "X2", LegalRepID: legalID, Mobile: "13811112222", Email: "boss@other.cn"})
	vs, _ := rules.CrossCheck(context.Background(), crossOrder(), d)
	if len(vs) == 0 {
		t.Fatal("no violation")
	}
	msg := vs[0].Localize(i18n.En).Message
	if strings.Contains(msg, "13811112222") || strings.Contains(msg, "boss@") || !strings.Contains(msg, "138****2222") {
		t.Errorf("message leaks or does not mask: %q", msg)
	}
}

func TestCrossCheckErrorsAndNil(t *testing.T) {
	boom := errors.New("db down")
	if _, err := rules.CrossCheck(context.Background(), crossOrder(), &rulestest.Directory{Err: boom}); !errors.Is(err, boom) {
		t.Errorf("err = %v", err)
	}
	vs, err := rules.CrossCheck(context.Background(), nil, nil)
	if err != nil || vs == nil || len(vs) != 0 {
		t.Errorf("nil order: %v %v", vs, err)
	}
}
