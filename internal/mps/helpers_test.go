package mps

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/beian/beian/internal/clock"
	"github.com/beian/beian/internal/password"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/secret"
	"github.com/beian/beian/internal/sqldb"
)

var ctx = context.Background()

// outbox records what the simulator sends.
type outbox struct {
	mu   sync.Mutex
	msgs []sent
	fail bool
}

type sent struct{ channel, to, subject, body string }

func (o *outbox) Send(_ context.Context, channel, to, subject, body string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.fail {
		return fmt.Errorf("gateway down")
	}
	o.msgs = append(o.msgs, sent{channel, to, subject, body})
	return nil
}

func (o *outbox) last(t testing.TB, to string, re string) string {
	t.Helper()
	o.mu.Lock()
	defer o.mu.Unlock()
	rx := regexp.MustCompile(re)
	for i := len(o.msgs) - 1; i >= 0; i-- {
		if o.msgs[i].to == to {
			if m := rx.FindStringSubmatch(o.msgs[i].body); m != nil {
				return m[1]
			}
		}
	}
	t.Fatalf("no message to %s matching %s in %+v", to, re, o.msgs)
	return ""
}

func (o *outbox) count(to, contains string) int {
	o.mu.Lock()
	defer o.mu.Unlock()
	n := 0
	for _, m := range o.msgs {
		if m.to == to && strings.Contains(m.body, contains) {
			n++
		}
	}
	return n
}

type fixture struct {
	sim  *Simulator
	out  *outbox
	clk  *clock.Adjustable
	icp  map[string]ICPRecord
	keys *secret.Keyring
}

func newFixture(t testing.TB, db *sqldb.DB, p Policy) *fixture {
	t.Helper()
	keys, err := secret.Parse(secret.Generate())
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{out: &outbox{}, icp: map[string]ICPRecord{}, keys: keys}
	// a fixed Wednesday morning in Beijing, so that working days are predictable
	base := time.Date(2026, 3, 4, 2, 0, 0, 0, time.UTC)
	start := time.Now()
	f.clk = clock.NewAdjustable(func() time.Time { return base.Add(time.Since(start)) })
	f.sim = New(db, keys, f.clk, Config{ProviderIDs: []string{"beian-demo"}, Send: f.out, Policy: p,
		Password: password.Fast, Demo: true, BaseURL: "http://mps.test",
		ICP: ICPLookupFunc(func(_ context.Context, d string) (ICPRecord, error) { return f.icp[d], nil })})
	if err := f.sim.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return f
}

// residentID returns a valid resident ID number for a birth date and sequence (GB 11643 checksum).
func residentID(area, birth string, seq int) string {
	s := fmt.Sprintf("%s%s%03d", area, birth, seq)
	w := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, c := range s {
		sum += int(c-'0') * w[i]
	}
	return s + string("10X98765432"[sum%11])
}

// uscc returns a valid unified social credit code with the given authority and type (GB 32100 checksums).
func uscc(authType, division, org8 string) string {
	const chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	ow := []int{3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, c := range org8 {
		sum += strings.IndexRune(chars, c) * ow[i]
	}
	oc := 11 - sum%11
	org := org8 + map[int]string{10: "X", 11: "0"}[oc]
	if oc < 10 {
		org = org8 + fmt.Sprint(oc)
	}
	body := authType + division + org
	w := []int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}
	sum = 0
	for i, c := range body {
		sum += strings.IndexRune(chars, c) * w[i]
	}
	return body + string(chars[(31-sum%31)%31])
}

// clearJPEG is a sharp, well-lit 800×600 picture well under 512 KB.
func clearJPEG(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 800, 600))
	for y := 0; y < 600; y++ {
		for x := 0; x < 800; x++ {
			v := uint8(200)
			if (x/20+y/20)%2 == 0 {
				v = 60
			}
			img.Set(x, y, color.RGBA{v, v, uint8(x % 256), 255})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// applicant registers a user, logs in through the captcha hook and passes both credit verifications.
func (f *fixture) applicant(t testing.TB, username, mobile string, seq int) *User {
	t.Helper()
	u, err := f.sim.Register(ctx, Registration{Username: username, Password: "secret123", PasswordConfirm: "secret123",
		Name: "张三", CredentialType: "resident_id", CredentialNumber: residentID("110105", "19900307", seq),
		Mobile: mobile, Email: username + "@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	f.login(t, username, "secret123")
	if err := f.sim.SendMobileCode(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.sim.VerifyMobile(ctx, u.ID, f.out.last(t, mobile, `(\d{6})`)); err != nil {
		t.Fatal(err)
	}
	if err := f.sim.SendEmailLink(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	if u, err = f.sim.VerifyEmail(ctx, f.out.last(t, username+"@example.com", `token=([A-Za-z0-9_-]+)`)); err != nil {
		t.Fatal(err)
	}
	return u
}

func (f *fixture) login(t testing.TB, username, pw string) string {
	t.Helper()
	c, err := f.sim.NewCaptcha(ctx)
	if err != nil {
		t.Fatal(err)
	}
	ans, err := f.sim.CaptchaAnswer(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	tok, _, err := f.sim.Login(ctx, username, pw, c.ID, ans)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func (f *fixture) staff(t *testing.T, username, unit string) *User {
	t.Helper()
	u, err := f.sim.CreateStaff(ctx, StaffAccount{Username: username, Password: "police123", Name: "王警官",
		UnitCode: unit, UnitName: "网安大队"})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// materials uploads every material of purposes and returns them by purpose.
func (f *fixture) materials(t testing.TB, userID int64, purposes []string) map[string]int64 {
	t.Helper()
	img := clearJPEG(t)
	m := map[string]int64{}
	for _, p := range purposes {
		id, err := f.sim.UploadMaterial(ctx, userID, p, img)
		if err != nil {
			t.Fatal(err)
		}
		m[p] = id
	}
	return m
}

func (f *fixture) enterpriseInput(t testing.TB, userID int64) SubjectInput {
	in := enterpriseData()
	in.Materials = f.materials(t, userID, SubjectMaterials(NatureEnterprise))
	return in
}

// enterpriseData is a valid enterprise subject without its materials.
func enterpriseData() SubjectInput {
	return SubjectInput{Nature: NatureEnterprise, Name: "北京示例科技有限公司", CredentialType: "business_license",
		CredentialNumber: uscc("91", "110105", "MA01234"+"5"), Investor: "李四", AreaCode: "110105",
		Address: "北京市朝阳区建国路88号", OfficePhone: "010-65001234",
		Principal: Person{Name: "张三", CredentialType: "resident_id", CredentialNumber: residentID("110105", "19900307", 11),
			Mobile: "13800138000", Email: "zhangsan@example.com", Residence: "北京市朝阳区建国路88号"}}
}

func (f *fixture) websiteInput(t testing.TB, userID, subjectID int64, domain string, interactive bool) WebsiteInput {
	f.icp[domain] = ICPRecord{Filed: true, SubjectName: "北京示例科技有限公司", SubjectNumber: "京ICP备2026000001号",
		ServiceNumber: "京ICP备2026000001号-1", ServiceName: "示例官网"}
	in := WebsiteInput{SubjectID: subjectID, Name: "示例官网", Domains: []string{domain}, ICPNumber: "京ICP备2026000001号-1",
		OpenedOn: "2026-03-01", AccessProvider: "示例云计算有限公司", IPs: []string{"1.2.3.4"}, ServiceTypes: []string{"02"},
		PrincipalSameAsSubject: true, NoticeRead: true,
		Materials: f.materials(t, userID, WebsiteMaterials(NatureEnterprise))}
	if interactive {
		in.Interactive, in.InteractiveKinds, in.ServiceTypes = true, []string{"forum"}, []string{"03"}
	}
	return in
}

func codesOf(err error) []string {
	var out []string
	for _, e := range problem.As(err) {
		out = append(out, e.Code+"@"+e.Field)
	}
	return out
}

func hasCode(err error, code, field string) bool {
	for _, e := range problem.As(err) {
		if e.Code == code && (field == "*" || e.Field == field) {
			return true
		}
	}
	return false
}
