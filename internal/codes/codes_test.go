package codes

import (
	"strings"
	"testing"

	"github.com/beian/beian/internal/i18n"
)

func TestEmbeddedDataLoads(t *testing.T) {
	if _, err := load(); err != nil {
		t.Fatal(err)
	}
	files := Files()
	if len(files) != 9 {
		t.Fatalf("got %d files, want 9", len(files))
	}
	for _, f := range files {
		if f.Version == "" || f.Source == "" {
			t.Errorf("%s: version and source are required", f.File)
		}
	}
}

// docs/design.md §3: MIIT codes 1-16 with exactly these English names.
func TestNaturesMatchSpec(t *testing.T) {
	want := []string{"national_defense", "government", "public_institution", "enterprise", "individual",
		"social_organization", "private_non_enterprise", "foundation", "law_firm", "foreign_cultural_center",
		"mass_organization", "forensic_institution", "religious_organization", "overseas_institution",
		"medical_institution", "notary_institution"}
	got := Natures()
	if len(got) != len(want) {
		t.Fatalf("got %d natures, want %d", len(got), len(want))
	}
	for i, name := range want {
		if got[i].Name != name || got[i].Code != i+1 {
			t.Errorf("nature %d = %d %s, want %d %s", i, got[i].Code, got[i].Name, i+1, name)
		}
		if byCode, ok := NatureByCode(i + 1); !ok || byCode.Name != name {
			t.Errorf("NatureByCode(%d) = %v", i+1, byCode)
		}
		if got[i].Unit == (name == "individual") {
			t.Errorf("%s: unit = %v", name, got[i].Unit)
		}
	}
	if n, _ := Nature("enterprise"); n.Names.In(i18n.ZhCN) != "企业" || n.Names.In(i18n.En) != "Enterprise" {
		t.Errorf("enterprise names = %+v", n.Names)
	}
	if _, ok := Nature("company"); ok {
		t.Error("unknown nature found")
	}
}

// the police platform's filing procedure: the police platform's six natures.
func TestPoliceNatures(t *testing.T) {
	want := []string{"enterprise", "military_academy", "government", "public_institution", "social_organization", "individual"}
	got := PoliceNatures()
	if len(got) != len(want) {
		t.Fatalf("got %d police natures", len(got))
	}
	for i, name := range want {
		if got[i].Name != name {
			t.Errorf("police nature %d = %s, want %s", i, got[i].Name, name)
		}
	}
	if n, ok := PoliceNature("military_academy"); !ok || n.Names.In(i18n.ZhCN) != "军队院校" {
		t.Errorf("military_academy = %+v", n)
	}
}

func TestCredentialAllowed(t *testing.T) {
	cases := []struct {
		nature, credential string
		want               bool
		source             string
	}{
		{"enterprise", "business_license", true, "docs/design.md §3 WeChat: 营业执照 → 企业"},
		{"individual", "resident_id", true, "docs/design.md §3 WeChat: 居民身份证 → 个人"},
		{"government", "uscc_certificate", true, "docs/design.md §3 WeChat: 政府机关 → 统一社会信用代码证书"},
		{"government", "org_code_certificate", true, "docs/design.md §3 WeChat: 政府机关 → 组织机构代码证"},
		{"government", "business_license", false, "docs/design.md §3 WeChat: government only the two above"},
		{"government", "public_institution_certificate", false, "docs/design.md §3 WeChat: government only the two above"},
		{"individual", "business_license", false, "docs/design.md §3: 营业执照 is an enterprise credential (个体工商户 file as enterprises, HW)"},
		{"enterprise", "resident_id", false, "the police platform's filing procedure: a unit's credential must match its nature"},
		{"individual", "passport", false, "UCloud docs problem8: foreigners file with a residence or permanent residence credential"},
		{"individual", "foreign_permanent_residence_id", true, "UCloud docs problem8"},
		{"individual", "hk_macao_travel_permit", true, "docs/design.md §3, Alibaba Cloud's materials guide"},
		{"public_institution", "public_institution_certificate", true, "docs/design.md §3"},
		{"law_firm", "law_firm_license", true, "docs/design.md §3"},
		{"national_defense", "military_code", true, "docs/design.md §3"},
		{"notary_institution", "notary_license", true, "docs/design.md §3"},
		{"enterprise", "no_such_type", false, "unknown type"},
	}
	for _, c := range cases {
		if got := CredentialAllowed(c.nature, c.credential); got != c.want {
			t.Errorf("CredentialAllowed(%s, %s) = %v, want %v (%s)", c.nature, c.credential, got, c.want, c.source)
		}
	}
}

// Every nature has at least one credential type, so every nature can file.
func TestEveryNatureHasACredential(t *testing.T) {
	for _, n := range Natures() {
		if len(CredentialTypesFor(n.Name)) == 0 {
			t.Errorf("nature %s has no credential type", n.Name)
		}
	}
}

// Alibaba Cloud's filing notes, Alibaba Cloud's materials guide: only the resident ID card is a mainland credential.
func TestMainlandAndPersonCredentials(t *testing.T) {
	for _, c := range CredentialTypes() {
		if IsMainland(c.Name) != (c.Name == "resident_id") {
			t.Errorf("IsMainland(%s) = %v", c.Name, IsMainland(c.Name))
		}
	}
	persons := map[string]bool{}
	for _, c := range PersonCredentialTypes() {
		persons[c.Name] = true
	}
	for _, n := range []string{"resident_id", "passport", "hk_macao_travel_permit", "taiwan_travel_permit",
		"hmt_residence_permit", "foreign_permanent_residence_id"} {
		if !persons[n] || !IsPersonCredential(n) {
			t.Errorf("%s should be a person credential", n)
		}
	}
	if len(persons) != 6 || IsPersonCredential("business_license") {
		t.Errorf("person credentials = %v", persons)
	}
}

// docs/design.md §3: the MIIT website table, groups 500-504 and items 1-24.
func TestWebsiteContent(t *testing.T) {
	seen := map[int]bool{}
	for _, c := range ServiceContents() {
		if c.MIIT > 0 {
			seen[c.MIIT] = true
		}
	}
	for i := 1; i <= 24; i++ {
		if !seen[i] {
			t.Errorf("MIIT item %d missing", i)
		}
	}
	groups := ServiceContentGroups()
	if len(groups) != 5 {
		t.Fatalf("want 5 groups, got %d", len(groups))
	}
	n := 0
	for _, g := range groups {
		n += len(g.Items)
	}
	if n != len(ServiceContents()) || groups[1].Code != "501" || groups[1].Items[1].Code != "blog" {
		t.Errorf("groups do not carry their items: %+v", groups[1])
	}
	blog, ok := ServiceContent("blog")
	if !ok || blog.MIIT != 6 || blog.Group != "501" || blog.UnitsOnly {
		t.Errorf("blog = %+v", blog)
	}
	pay, _ := ServiceContent("online_payment")
	if !pay.Finance || !pay.UnitsOnly {
		t.Errorf("online_payment = %+v", pay)
	}
	if _, ok := ServiceContent("life.bill_payment"); ok {
		t.Error("an APP code must not be a website code")
	}
}

// docs/design.md §3: APP content is two-level; only second-level values are submitted.
func TestAppContent(t *testing.T) {
	if it, ok := AppServiceContent("life.bill_payment"); !ok || it.Group != "life" || it.Names.In(i18n.ZhCN) != "生活缴费" {
		t.Errorf("life.bill_payment = %+v", it)
	}
	if !IsAppContentGroup("life") || IsAppContentGroup("life.bill_payment") {
		t.Error("group detection wrong")
	}
	if _, ok := AppServiceContent("life"); ok {
		t.Error("a group must not be a submittable item")
	}
	for _, it := range AppServiceContents() {
		if !strings.HasPrefix(it.Code, it.Group+".") {
			t.Errorf("item %s not under its group %s", it.Code, it.Group)
		}
	}
}

func TestPreApprovals(t *testing.T) {
	cases := map[string]int{"news": 1, "publishing": 2, "education": 3, "medical": 4, "drugs_devices": 5, "bbs": 6,
		"culture": 9, "radio_film_tv": 10, "ride_hailing": 11, "finance": 13, "off_campus_training": 14, "religion": 0}
	for code, miit := range cases {
		p, ok := PreApproval(code)
		if !ok || p.MIIT != miit {
			t.Errorf("PreApproval(%s) = %+v, want MIIT %d (docs/design.md §3)", code, p, miit)
		}
	}
	if p, _ := PreApproval("culture"); p.Permit.In(i18n.ZhCN) != "网络文化经营许可证" {
		t.Errorf("culture permit = %q (UCloud docs knowledge2)", p.Permit.ZhCN)
	}
	if len(PreApprovals()) != len(cases) {
		t.Errorf("got %d pre-approval types", len(PreApprovals()))
	}
}

func TestLanguagesAndPlatforms(t *testing.T) {
	for _, code := range []string{"zh-Hans", "zh-Hant", "en", "bo", "ug", "mn"} {
		if _, ok := LanguageOf(code); !ok {
			t.Errorf("language %s missing", code)
		}
	}
	for _, code := range []string{"android", "ios", "harmonyos"} {
		if _, ok := AppPlatform(code); !ok {
			t.Errorf("platform %s missing (Huawei Cloud's first-filing guide, docs/design.md §4.13)", code)
		}
	}
	if _, ok := AppPlatform("symbian"); ok {
		t.Error("unknown platform found")
	}
	if len(Languages()) < 3 || len(AppPlatforms()) < 3 {
		t.Error("lists too short")
	}
}

// docs/design.md §3: 银发〔2017〕119号 trigger words.
func TestFindFinanceWord(t *testing.T) {
	cases := []struct {
		in, want string
	}{
		{"某某理财顾问", "理财"},
		{"快捷支付平台", "支付"},
		{"p2p借款之家", "P2P"},
		{"某某基金会官网", ""},
		{"某某基金会旗下基金", "基金"},
		{"张三的摄影作品", ""},
		{"", ""},
	}
	for _, c := range cases {
		got, ok := FindFinanceWord(c.in)
		if got != c.want || ok != (c.want != "") {
			t.Errorf("FindFinanceWord(%q) = %q, %v; want %q", c.in, got, ok, c.want)
		}
	}
	if len(FinanceWords()) != 15 {
		t.Errorf("got %d finance words, want the 15 of docs/design.md §3", len(FinanceWords()))
	}
}

func TestNamesFallback(t *testing.T) {
	n := Names{ZhCN: "甲"}
	if n.In(i18n.En) != "甲" || n.In(i18n.ZhTW) != "甲" {
		t.Error("missing names must fall back to zh-CN")
	}
}

func TestDecodeRejectsBadFiles(t *testing.T) {
	cases := map[string]string{
		"unknown field":  `{"version":"1","source":"s","items":[{"code":"x","names":{"zh-CN":"a","zh-TW":"a","en":"a"},"extra":1}]}`,
		"no version":     `{"source":"s","items":[{"code":"x","names":{"zh-CN":"a","zh-TW":"a","en":"a"}}]}`,
		"no items":       `{"version":"1","source":"s","items":[]}`,
		"duplicate":      `{"version":"1","source":"s","items":[{"code":"x","names":{"zh-CN":"a","zh-TW":"a","en":"a"}},{"code":"x","names":{"zh-CN":"a","zh-TW":"a","en":"a"}}]}`,
		"missing names":  `{"version":"1","source":"s","items":[{"code":"x","names":{"zh-CN":"a"}}]}`,
		"trailing":       `{"version":"1","source":"s","items":[{"code":"x","names":{"zh-CN":"a","zh-TW":"a","en":"a"}}]} {}`,
		"not json":       `nope`,
		"empty code":     `{"version":"1","source":"s","items":[{"code":"","names":{"zh-CN":"a","zh-TW":"a","en":"a"}}]}`,
		"wrong type":     `{"version":1,"source":"s","items":[]}`,
		"items not list": `{"version":"1","source":"s","items":{}}`,
	}
	for name, raw := range cases {
		if _, err := decode[Language]([]byte(raw)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	good := `{"version":"1","source":"s","items":[{"code":"x","names":{"zh-CN":"a","zh-TW":"a","en":"a"}}]}`
	if _, err := decode[Language]([]byte(good)); err != nil {
		t.Errorf("good file refused: %v", err)
	}
}

func FuzzDecode(f *testing.F) {
	for _, name := range []string{"natures.json", "credential_types.json", "website_content.json", "finance_words.json"} {
		raw, _ := dataFS.ReadFile("data/" + name)
		f.Add(raw)
	}
	f.Add([]byte(`{"version":"1","source":"s","items":[{"word":"x","except":["y"]}]}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		_, _ = decode[SubjectNature](raw)
		_, _ = decode[CredentialType](raw)
		_, _ = decode[ContentItem](raw)
		_, _ = decode[FinanceWord](raw)
		_, _ = decode[PreApprovalType](raw)
	})
}
