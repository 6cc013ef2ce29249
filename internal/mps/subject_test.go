package mps

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/beian/beian/internal/imaging/imagetest"
	"github.com/beian/beian/internal/problem"
	"github.com/beian/beian/internal/sqldb"
	"github.com/beian/beian/internal/storetest"
)

// Every field rule of a subject (the platform's user guide §三 ②-⑦) refuses with its own code on its field.
func TestSubjectRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db, Policy{})
		u := f.applicant(t, "qianshi", "13600136000", 41)
		base := f.enterpriseInput(t, u.ID)
		person := residentID("110105", "19850101", 42)
		for _, c := range []struct {
			name, code, field string
			edit              func(s *SubjectInput)
		}{
			{"no nature", "mps.required", "nature", func(s *SubjectInput) { s.Nature = "" }},
			{"unknown nature", "mps.nature_unknown", "nature", func(s *SubjectInput) { s.Nature = "foundation" }},
			{"domain as name", "mps.name_domain", "name", func(s *SubjectInput) { s.Name = "example.cn" }},
			{"digits as name", "mps.name_symbols", "name", func(s *SubjectInput) { s.Name = "12345" }},
			{"website name", "mps.name_website", "name", func(s *SubjectInput) { s.Name = "示例科技官网" }},
			{"not the full name", "mps.name_not_full", "name", func(s *SubjectInput) { s.Name = "北京示例科技发展" }},
			{"company as individual", "mps.nature_mismatch_enterprise", "nature", func(s *SubjectInput) { s.Nature = NatureGovernment }},
			{"person as enterprise", "mps.nature_mismatch_individual", "nature", func(s *SubjectInput) { s.Name = "张三" }},
			{"military without army", "mps.nature_mismatch_military", "nature", func(s *SubjectInput) {
				s.Nature, s.Name, s.CredentialType, s.CredentialNumber = NatureMilitaryAcademy, "北京某某学院", "military_code", "JX12345"
			}},
			{"unit as individual", "mps.nature_mismatch_unit", "nature", func(s *SubjectInput) {
				s.Nature, s.Name = NatureIndividual, "朝阳区某某协会"
			}},
			{"ID card for an enterprise", "mps.credential_type_nature", "credential_type", func(s *SubjectInput) {
				s.CredentialType, s.CredentialNumber = "resident_id", person
			}},
			{"credit code of a social organisation", "mps.credential_nature_mismatch", "credential_number", func(s *SubjectInput) {
				s.CredentialNumber = uscc("51", "110105", "MA01234"+"6")
			}},
			{"bad credit code", "uscc.checksum", "credential_number", func(s *SubjectInput) {
				n := []byte(s.CredentialNumber)
				n[17] = map[bool]byte{true: '1', false: '2'}[n[17] != '1']
				s.CredentialNumber = string(n)
			}},
			{"no investor", "mps.required", "investor", func(s *SubjectInput) { s.Investor = "" }},
			{"investor not a person", "mps.investor_person", "investor", func(s *SubjectInput) { s.Investor = "某某投资有限公司" }},
			{"unknown area", "mps.area_code_invalid", "area_code", func(s *SubjectInput) { s.AreaCode = "119999" }},
			{"imprecise address", "mps.residence_imprecise", "address", func(s *SubjectInput) { s.Address = "北京市朝阳区建国路" }},
			{"imprecise residence", "mps.residence_imprecise", "principal.residence", func(s *SubjectInput) { s.Principal.Residence = "北京市朝阳区" }},
			{"fake office phone", "landline.fake", "office_phone", func(s *SubjectInput) { s.OfficePhone = "010-00000000" }},
			{"no office phone", "mps.required", "office_phone", func(s *SubjectInput) { s.OfficePhone = "" }},
			{"principal mobile", "mobile.length", "principal.mobile", func(s *SubjectInput) { s.Principal.Mobile = "138001" }},
			{"principal not a person", "mps.name_person", "principal.name", func(s *SubjectInput) { s.Principal.Name = "示例公司" }},
			{"missing material", "mps.material_missing", "materials.legal_id_back", func(s *SubjectInput) {
				s.Materials = map[string]int64{MatUnitCredential: s.Materials[MatUnitCredential],
					MatLegalIDFront: s.Materials[MatLegalIDFront], MatLegalIDHandheld: s.Materials[MatLegalIDHandheld]}
			}},
			{"material not needed", "mps.material_not_needed", "materials.id_front", func(s *SubjectInput) {
				m := map[string]int64{MatIDFront: 1}
				for k, v := range s.Materials {
					m[k] = v
				}
				s.Materials = m
			}},
			{"someone else's material", "mps.material_unknown", "materials.unit_credential", func(s *SubjectInput) {
				m := map[string]int64{}
				for k, v := range s.Materials {
					m[k] = v
				}
				m[MatUnitCredential] = 999999
				s.Materials = m
			}},
		} {
			in := base
			c.edit(&in)
			_, err := f.sim.SubmitSubject(ctx, u.ID, in)
			if !hasCode(err, c.code, c.field) {
				t.Errorf("%s: %v", c.name, codesOf(err))
			}
		}
		var n int
		db.R.QueryRow(`SELECT COUNT(*) FROM mps_subjects`).Scan(&n)
		if n != 0 {
			t.Fatalf("%d subjects saved by refused submissions", n)
		}
		// an individual is their own principal; images are bound once
		ind := SubjectInput{Nature: NatureIndividual, Name: "钱十", CredentialType: "resident_id", CredentialNumber: person,
			AreaCode: "110105", Address: "北京市朝阳区某某村3组", OfficePhone: "13600136001",
			Principal: Person{Mobile: "13600136001", Email: "qian@example.com"},
			Materials: f.materials(t, u.ID, SubjectMaterials(NatureIndividual))}
		s, err := f.sim.SubmitSubject(ctx, u.ID, ind)
		if err != nil || s.Data.Principal.CredentialNumber != person {
			t.Fatalf("individual: %+v %v", s, codesOf(err))
		}
		if _, err := f.sim.SubmitSubject(ctx, u.ID, ind); !problem.Is(err, "mps.material_used") {
			t.Fatalf("materials reused: %v", codesOf(err))
		}
		ind.Materials = f.materials(t, u.ID, SubjectMaterials(NatureIndividual))
		if _, err := f.sim.SubmitSubject(ctx, u.ID, ind); !problem.Is(err, "mps.subject_exists") {
			t.Fatalf("same credential: %v", codesOf(err))
		}
	})
}

// Images: JPEG, at most 512 KB, at least 600 px, sharp and lit.
func TestMaterialImages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db, Policy{})
		u := f.applicant(t, "sunyi", "13600136002", 43)
		noisy := image.NewRGBA(image.Rect(0, 0, 1400, 1400))
		r := rand.New(rand.NewPCG(1, 2))
		for i := range noisy.Pix {
			noisy.Pix[i] = uint8(r.IntN(256))
		}
		big := encodeJPEG(t, noisy, 100)
		if len(big) <= 512_000 {
			t.Fatalf("test image only %d bytes", len(big))
		}
		sharp := image.NewRGBA(image.Rect(0, 0, 800, 600))
		for y := 0; y < 600; y++ {
			for x := 0; x < 800; x++ {
				v := uint8(230)
				if (x/10+y/10)%2 == 0 {
					v = 30
				}
				sharp.Set(x, y, color.RGBA{v, v, v, 255})
			}
		}
		dark := image.NewRGBA(image.Rect(0, 0, 800, 600))
		for i := 3; i < len(dark.Pix); i += 4 {
			dark.Pix[i] = 255
		}
		for _, c := range []struct {
			name, purpose, code string
			data                []byte
		}{
			{"too large", MatIDFront, "imaging.too_large", big},
			{"png", MatIDFront, "imaging.unsupported_type", imagetest.PNG(t, sharp)},
			{"small", MatIDFront, "imaging.too_small", encodeJPEG(t, sharp.SubImage(image.Rect(0, 0, 500, 400)), 85)},
			{"blurred", MatIDFront, "imaging.blurred", encodeJPEG(t, imagetest.Blur(sharp, 12), 85)},
			{"dark", MatIDFront, "imaging.too_dark", encodeJPEG(t, dark, 85)},
			{"unknown purpose", "selfie", "mps.material_purpose", encodeJPEG(t, sharp, 85)},
		} {
			_, err := f.sim.UploadMaterial(ctx, u.ID, c.purpose, c.data)
			if !problem.Is(err, c.code) {
				t.Errorf("%s: %v", c.name, codesOf(err))
			}
			if c.purpose == MatIDFront && !hasCode(err, c.code, "materials.id_front") {
				t.Errorf("%s: field %v", c.name, codesOf(err))
			}
		}
		if _, err := f.sim.UploadMaterial(ctx, u.ID, MatIDFront, encodeJPEG(t, sharp, 85)); err != nil {
			t.Fatal(codesOf(err))
		}
		// the checks remember passes only: the same blurred file sent again is refused again
		blurred := encodeJPEG(t, imagetest.Blur(sharp, 12), 85)
		for range 2 {
			if _, err := f.sim.UploadMaterial(ctx, u.ID, MatIDBack, blurred); !hasCode(err, "imaging.blurred", "materials.id_back") {
				t.Fatalf("blurred again: %v", codesOf(err))
			}
		}
	})
}

func encodeJPEG(t *testing.T, m image.Image, q int) []byte {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, m, &jpeg.Options{Quality: q}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// A file a user sends again is stored once (in the row, or in a pack beside an SQLite database) and read back
// whole under every material that names it; another user's copy of the same file is that user's own.
func TestMaterialStoredOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db, Policy{})
		u := f.applicant(t, "zhouqi", "13600136007", 47)
		v := f.applicant(t, "wuba", "13600136008", 48)
		img := clearJPEG(t)
		var ids []int64
		for _, up := range []struct {
			user    int64
			purpose string
		}{{u.ID, MatLegalIDFront}, {u.ID, MatPrincipalIDFront}, {u.ID, MatIDFront}, {v.ID, MatIDFront}} {
			id, err := f.sim.UploadMaterial(ctx, up.user, up.purpose, img)
			if err != nil {
				t.Fatal(codesOf(err))
			}
			ids = append(ids, id)
		}
		for _, id := range ids {
			if _, _, _, data, err := f.sim.material(ctx, id); err != nil || !bytes.Equal(data, img) {
				t.Fatalf("material %d: %d bytes, %v", id, len(data), err)
			}
		}
		for user, want := range map[int64]int{u.ID: 1, v.ID: 1} {
			var n int
			if err := db.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM mps_materials WHERE user_id = $1 AND (length(data) > 0 OR file_ref <> '')`,
				user).Scan(&n); err != nil || n != want {
				t.Fatalf("user %d: %d sealed copies, want %d (%v)", user, n, want, err)
			}
		}
	})
}

// A file that passed the image checks is remembered by the keyed digest its row stores: the same user sending
// it again is not checked again; another user is.
func TestMaterialRemembered(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t), Policy{})
	u := f.applicant(t, "zhouer", "13600136012", 44)
	img := clearJPEG(t)
	if _, err := f.sim.UploadMaterial(ctx, u.ID, MatIDFront, img); err != nil {
		t.Fatal(codesOf(err))
	}
	digest := f.sim.keys.Hash(purposeMaterial, string(img))
	again := errors.New("checked again")
	check := func([]byte) error { return again }
	if err := f.sim.images.Check(strconv.FormatInt(u.ID, 10), digest, check); err != nil {
		t.Errorf("same user: %v", err)
	}
	if err := f.sim.images.Check(strconv.FormatInt(u.ID+1, 10), digest, check); err != again {
		t.Errorf("another user: %v", err)
	}
}

// A request that authenticated as the user carries the account Authenticate read (WithUser): the filing
// checks use it instead of reading the account again; an account of another id is not used.
func TestMayFileUsesRequestUser(t *testing.T) {
	f := newFixture(t, storetest.SQLite(t), Policy{})
	u := f.applicant(t, "zhoushisan", "13600136023", 53)
	unverified := *u
	unverified.MobileVerified = false
	if _, err := f.sim.SubmitSubject(WithUser(ctx, &unverified), u.ID, SubjectInput{}); !problem.Is(err, "mps.credit_unverified") {
		t.Fatalf("the request's account: %v", codesOf(err))
	}
	other := unverified
	other.ID = u.ID + 1
	_, err := f.sim.SubmitSubject(WithUser(ctx, &other), u.ID, SubjectInput{})
	if err == nil || problem.Is(err, "mps.credit_unverified") { // read from the database: verified, the form is empty
		t.Fatalf("another account: %v", codesOf(err))
	}
}
