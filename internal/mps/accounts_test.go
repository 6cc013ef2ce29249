package mps

import (
	"testing"
	"time"

	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/storetest"
)

func TestRegisterRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db, Policy{})
		good := Registration{Username: "zhaoliu", Password: "abc12345", PasswordConfirm: "abc12345", Name: "赵六",
			CredentialType: "resident_id", CredentialNumber: residentID("110105", "19900307", 31), Mobile: "13700137000",
			Email: "zhaoliu@example.com"}
		for _, c := range []struct {
			name, code, field string
			edit              func(r *Registration)
		}{
			{"empty username", "mps.required", "username", func(r *Registration) { r.Username = "" }},
			{"username format", "mps.username_format", "username", func(r *Registration) { r.Username = "1abc" }},
			{"short password", "mps.password_length", "password", func(r *Registration) { r.Password, r.PasswordConfirm = "a1", "a1" }},
			{"digits only", "mps.password_weak", "password", func(r *Registration) { r.Password, r.PasswordConfirm = "12345678", "12345678" }},
			{"has username", "mps.password_has_username", "password", func(r *Registration) { r.Password, r.PasswordConfirm = "zhaoliu99", "zhaoliu99" }},
			{"mismatch", "mps.password_mismatch", "password_confirm", func(r *Registration) { r.PasswordConfirm = "abc12346" }},
			{"no name", "mps.required", "name", func(r *Registration) { r.Name = " " }},
			{"control char", "mps.text_invalid", "name", func(r *Registration) { r.Name = "赵\x07六" }},
			{"invalid utf-8", "mps.text_invalid", "name", func(r *Registration) { r.Name = "\xff" }},
			{"org credential", "mps.credential_type_invalid", "credential_type", func(r *Registration) { r.CredentialType = "business_license" }},
			{"bad id", "resident_id.checksum", "credential_number", func(r *Registration) { r.CredentialNumber = "110105199003070310" }},
			{"bad mobile", "mobile.length", "mobile", func(r *Registration) { r.Mobile = "1380013800" }},
			{"no email", "email.empty", "email", func(r *Registration) { r.Email = "" }},
		} {
			r := good
			c.edit(&r)
			if _, err := f.sim.Register(ctx, r); !hasCode(err, c.code, c.field) {
				t.Errorf("%s: %v", c.name, codesOf(err))
			}
		}
		if _, err := f.sim.Register(ctx, good); err != nil {
			t.Fatal(codesOf(err))
		}
		again := good
		if _, err := f.sim.Register(ctx, again); !problem.Is(err, "mps.username_taken") {
			t.Errorf("same username: %v", err)
		}
		again.Username = "zhaoliu2"
		if _, err := f.sim.Register(ctx, again); !problem.Is(err, "mps.credential_registered") {
			t.Errorf("same ID: %v", err)
		}
	})
}

func TestLoginCaptchaAndLockout(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db, Policy{})
		f.applicant(t, "sunqi", "13700137001", 32)
		c, _ := f.sim.NewCaptcha(ctx)
		ans, _ := f.sim.CaptchaAnswer(ctx, c.ID)
		if _, _, err := f.sim.Login(ctx, "sunqi", "secret123", c.ID, "WRONG"); !problem.Is(err, "mps.captcha_wrong") {
			t.Fatalf("wrong captcha: %v", err)
		}
		if _, _, err := f.sim.Login(ctx, "sunqi", "secret123", c.ID, ans); !problem.Is(err, "mps.captcha_wrong") {
			t.Fatalf("a captcha works once: %v", err)
		}
		try := func(pw string) error {
			c, _ := f.sim.NewCaptcha(ctx)
			ans, _ := f.sim.CaptchaAnswer(ctx, c.ID)
			_, _, err := f.sim.Login(ctx, "sunqi", pw, c.ID, ans)
			return err
		}
		for i := 1; i < MaxLoginFailures; i++ {
			if err := try("wrong123"); !problem.Is(err, "mps.wrong_credentials") {
				t.Fatalf("try %d: %v", i, err)
			}
		}
		if err := try("wrong123"); problem.KindOf(err) != problem.TooMany {
			t.Fatalf("fifth wrong password: %v", err)
		}
		if err := try("secret123"); !problem.Is(err, "mps.locked") {
			t.Fatalf("right password while locked: %v", err)
		}
		f.clk.Advance(LockoutDuration + time.Second)
		if err := try("secret123"); err != nil {
			t.Fatalf("after the lockout: %v", err)
		}
		demoOff := New(db, f.keys, f.clk, Config{})
		if _, err := demoOff.CaptchaAnswer(ctx, c.ID); problem.KindOf(err) != problem.Forbidden {
			t.Fatalf("captcha hook outside demo mode: %v", err)
		}
	})
}

// A session authenticates its user, again and again, until logout and not after it; an unknown token never does.
func TestSessionAuthenticates(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db, Policy{})
		u := f.applicant(t, "zhouba", "13700137002", 33)
		tok := f.login(t, "zhouba", "secret123")
		for range 3 {
			got, err := f.sim.Authenticate(ctx, tok)
			if err != nil || got.ID != u.ID || got.Username != "zhouba" || !got.CreditVerified() || got.CreatedAt.IsZero() {
				t.Fatalf("authenticate: %+v %v", got, err)
			}
		}
		if err := f.sim.Logout(ctx, tok); err != nil {
			t.Fatal(err)
		}
		for _, bad := range []string{tok, tok + "x", ""} {
			if _, err := f.sim.Authenticate(ctx, bad); problem.KindOf(err) != problem.Unauthenticated {
				t.Fatalf("token %q after logout: %v", bad, err)
			}
		}
	})
}

func TestCreditVerification(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db, Policy{})
		u, err := f.sim.Register(ctx, Registration{Username: "zhouba", Password: "abc12345", PasswordConfirm: "abc12345",
			Name: "周八", CredentialType: "resident_id", CredentialNumber: residentID("110105", "19900307", 33),
			Mobile: "13700137002", Email: "zhouba@example.com"})
		if err != nil {
			t.Fatal(codesOf(err))
		}
		if _, err := f.sim.VerifyMobile(ctx, u.ID, "123456"); !problem.Is(err, "mps.code_expired") {
			t.Fatalf("no code sent: %v", err)
		}
		f.sim.SendMobileCode(ctx, u.ID)
		code := f.out.last(t, "13700137002", `(\d{6})`)
		wrong := "000000"
		if code == wrong {
			wrong = "111111"
		}
		if _, err := f.sim.VerifyMobile(ctx, u.ID, "12a"); !problem.Is(err, "mps.code_format") {
			t.Fatalf("format: %v", err)
		}
		for i := 0; i < SMSCodeMaxTries; i++ {
			if _, err := f.sim.VerifyMobile(ctx, u.ID, wrong); !problem.Is(err, "mps.code_wrong") {
				t.Fatalf("wrong %d: %v", i, err)
			}
		}
		if _, err := f.sim.VerifyMobile(ctx, u.ID, code); !problem.Is(err, "mps.code_locked") {
			t.Fatalf("after 5 wrong codes: %v", err)
		}
		f.sim.SendMobileCode(ctx, u.ID)
		code = f.out.last(t, "13700137002", `(\d{6})`)
		f.clk.Advance(SMSCodeTTL + time.Second)
		if _, err := f.sim.VerifyMobile(ctx, u.ID, code); !problem.Is(err, "mps.code_expired") {
			t.Fatalf("expired: %v", err)
		}
		f.sim.SendMobileCode(ctx, u.ID)
		if u, err = f.sim.VerifyMobile(ctx, u.ID, f.out.last(t, "13700137002", `(\d{6})`)); err != nil || !u.MobileVerified {
			t.Fatalf("%+v %v", u, err)
		}
		if err := f.sim.SendMobileCode(ctx, u.ID); !problem.Is(err, "mps.already_verified") {
			t.Fatalf("again: %v", err)
		}
		f.sim.SendEmailLink(ctx, u.ID)
		first := f.out.last(t, "zhouba@example.com", `token=([A-Za-z0-9_-]+)`)
		f.sim.SendEmailLink(ctx, u.ID)
		if _, err := f.sim.VerifyEmail(ctx, first); !problem.Is(err, "mps.link_invalid") {
			t.Fatalf("superseded link: %v", err)
		}
		second := f.out.last(t, "zhouba@example.com", `token=([A-Za-z0-9_-]+)`)
		f.clk.Advance(EmailLinkTTL + time.Second)
		if _, err := f.sim.VerifyEmail(ctx, second); !problem.Is(err, "mps.link_expired") {
			t.Fatalf("expired link: %v", err)
		}
	})
}

// Messages that a gateway refused stay in the outbox and go out with the next sweep.
func TestOutboxRetries(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db, Policy{})
		u, err := f.sim.Register(ctx, Registration{Username: "wujiu", Password: "abc12345", PasswordConfirm: "abc12345",
			Name: "吴九", CredentialType: "resident_id", CredentialNumber: residentID("110105", "19900307", 34),
			Mobile: "13700137003", Email: "wujiu@example.com"})
		if err != nil {
			t.Fatal(err)
		}
		f.out.fail = true
		if err := f.sim.SendMobileCode(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		f.out.fail = false
		if f.out.count("13700137003", "") != 0 {
			t.Fatal("sent while the gateway was down")
		}
		db.W.Exec(`UPDATE mps_outbox SET next_at = 0`)
		if err := f.sim.Sweep(ctx); err != nil {
			t.Fatal(err)
		}
		if f.out.count("13700137003", "验证码") != 1 {
			t.Fatalf("not retried: %+v", f.out.msgs)
		}
	})
}
