package provider

import (
	"slices"
	"testing"

	"github.com/beian/beian/internal/face"
	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/imaging"
	"github.com/beian/beian/internal/provider/store"
)

func person(name, ctype, number string) filing.Principal {
	return filing.Principal{Name: name, CredentialType: ctype, CredentialNumber: number}
}

// Who must verify (docs/design.md §4.3 step 6; Alibaba Cloud's filing notes): every service principal, the subject principal when not a
// mainland resident, the legal representative when asked; each person once; Shanghai in its own app; nobody for
// cancellations.
func TestPersons(t *testing.T) {
	lead := person("陈伟", "resident_id", "440106199207154565")
	other := person("李娜", "resident_id", "110105199001010029")
	hk := person("何家明", "hk_macao_travel_permit", "H12345678")
	order := func(sp filing.Principal, services ...*filing.Principal) *filing.Order {
		o := &filing.Order{Type: filing.NewFiling, Province: "44", Subject: filing.Subject{Nature: "enterprise", Principal: sp,
			LegalRepresentative: &filing.LegalRepresentative{Name: "陈伟", IDNumber: "440106199207154565"}}}
		for _, p := range services {
			if p == nil {
				o.Services = append(o.Services, filing.Service{PrincipalSameAsSubject: true})
			} else {
				o.Services = append(o.Services, filing.Service{Principal: *p})
			}
		}
		return o
	}
	type want struct {
		key, name, method string
		roles, why        []string
		services          []int
	}
	lr := []store.VerificationRequest{{Person: PersonLegalRepresentative}}
	cases := []struct {
		name string
		o    *filing.Order
		mode face.Mode
		reqs []store.VerificationRequest
		want []want
	}{
		{"service principal copies the subject principal", order(lead, nil), "", nil,
			[]want{{"subject_principal", "陈*", "face", []string{"service_principal"}, []string{"service_principal"}, []int{0}}}},
		{"two services, one person", order(lead, nil, &lead), "", nil,
			[]want{{"subject_principal", "陈*", "face", []string{"service_principal"}, []string{"service_principal"}, []int{0, 1}}}},
		{"a separate service principal", order(lead, &other), "", nil,
			[]want{{"services[0].principal", "李*", "face", []string{"service_principal"}, []string{"service_principal"}, []int{0}}}},
		{"non-mainland subject principal verifies too", order(hk, &other), "", nil, []want{
			{"services[0].principal", "李*", "face", []string{"service_principal"}, []string{"service_principal"}, []int{0}},
			{"subject_principal", "何*明", "face", []string{"subject_principal"}, []string{"non_mainland"}, nil}}},
		{"non-mainland principal of both", order(hk, nil), "", nil,
			[]want{{"subject_principal", "何*明", "face", []string{"service_principal", "subject_principal"}, []string{"service_principal", "non_mainland"}, []int{0}}}},
		{"legal representative asked for", order(other, nil), "", lr, []want{
			{"subject_principal", "李*", "face", []string{"service_principal"}, []string{"service_principal"}, []int{0}},
			{"legal_representative", "陈*", "face", []string{"legal_representative"}, []string{"requested"}, nil}}},
		{"legal representative who is the principal verifies once", order(lead, nil), "", lr,
			[]want{{"subject_principal", "陈*", "face", []string{"service_principal", "legal_representative"}, []string{"service_principal", "requested"}, []int{0}}}},
		{"curtain photo", order(lead, nil), face.Curtain, nil,
			[]want{{"subject_principal", "陈*", "curtain", []string{"service_principal"}, []string{"service_principal"}, []int{0}}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := New(nil, Config{FaceMode: c.mode})
			got := s.Persons(c.o, c.reqs)
			if len(got) != len(c.want) {
				t.Fatalf("%d persons: %+v", len(got), got)
			}
			for i, w := range c.want {
				g := got[i]
				if g.Key != w.key || g.Name != w.name || g.Method != w.method || !slices.Equal(g.Roles, w.roles) ||
					!slices.Equal(g.Why, w.why) || !slices.Equal(g.Services, w.services) {
					t.Errorf("person %d = %+v, want %+v", i, g, w)
				}
			}
		})
	}
	sh := order(lead, nil)
	sh.Province = "31"
	if got := New(nil, Config{}).Persons(sh, nil); len(got) != 1 || got[0].Method != MethodAdministrationApp {
		t.Errorf("Shanghai: %+v", got)
	}
	for _, typ := range []filing.OrderType{filing.CancelService, filing.CancelSubject, filing.WithdrawAccess, filing.Claim} {
		o := order(lead, nil)
		o.Type = typ
		if got := New(nil, Config{}).Persons(o, nil); len(got) != 0 {
			t.Errorf("%s needs verification: %+v", typ, got)
		}
	}
	if (Person{fullName: "x"}).Complete() || !(Person{fullName: "x", number: "1"}).Complete() {
		t.Error("Complete")
	}
}

// The upload rules per material: icons as Huawei Cloud's first-filing guide says, PDFs only where a document may be one, photos
// otherwise; the copies for the administration within its limits (docs/design.md §5) and for the police platform
// within 512 KB (the police platform's filing procedure), where an image over it is refused with the limit in the message.
func TestMaterialLimits(t *testing.T) {
	if MaterialLimit(CodeAppIcon).MaxBytes != 100_000 || !slices.Contains(MaterialLimit("construction_plan").Types, imaging.PDF) ||
		slices.Contains(MaterialLimit("subject_credential").Types, imaging.PDF) {
		t.Fatal("upload limits")
	}
	if MIITLimit("verification_form").MaxBytes != 150_000 || MIITLimit("subject_credential").MaxBytes != 100_000 {
		t.Fatal("MIIT limits")
	}
	if recordLimit.MaxBytes > imaging.PoliceImage.MaxBytes || recordLimit.MinSide < imaging.MIITAttachment.MinSide {
		t.Fatal("a kept verification photo must suit the police platform and MIIT")
	}
	big := make([]byte, imaging.PoliceImage.MaxBytes+1)
	copy(big, "\xff\xd8\xff")
	_, err := imaging.Check(big, imaging.PoliceImage)
	if l := asField(err, "file"); len(l) != 1 || l[0].Code != "imaging.too_large" || l[0].Params["max"] != "512 KB" {
		t.Fatalf("oversized police image: %v", err)
	}
}
