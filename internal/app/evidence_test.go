package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/imaging"
	"github.com/beian/beian/internal/miit"
	"github.com/beian/beian/internal/provider"
	"github.com/beian/beian/internal/regulator"
	"github.com/beian/beian/internal/secret"
	"github.com/beian/beian/internal/storetest"
)

// evidence is the JSON of GET /api/v1/orders/{id}/verification.
type evidence struct {
	Complete  bool `json:"complete"`
	Materials []struct {
		Code       string `json:"code"`
		Service    *int   `json:"service"`
		MaterialID int64  `json:"material_id"`
		Forwarded  bool   `json:"forwarded"`
	} `json:"materials"`
	Persons []struct {
		Key    string   `json:"key"`
		Name   string   `json:"name"`
		Roles  []string `json:"roles"`
		Why    []string `json:"why"`
		Method string   `json:"method"`
		State  string   `json:"state"`
		Note   string   `json:"note"`
		Link   *struct {
			ID    int64  `json:"id"`
			State string `json:"state"`
		} `json:"link"`
		Verification *struct {
			ID    int64  `json:"id"`
			State string `json:"state"`
		} `json:"verification"`
	} `json:"persons"`
}

type material struct {
	ID       int64  `json:"id"`
	Code     string `json:"code"`
	Type     string `json:"type"`
	Size     int    `json:"size"`
	Variants []struct {
		Purpose string `json:"purpose"`
		Size    int    `json:"size"`
	} `json:"variants"`
}

func (p *parties) evidence(c *client, id int64) evidence {
	p.t.Helper()
	var ev evidence
	c.must(200, "GET", path("/api/v1/orders/%d/verification", id), nil, &ev)
	return ev
}

// count returns the number of rows of a table (for "nothing stored").
func count(t *testing.T, a *app.App, table string) int {
	t.Helper()
	var n int
	if err := a.DB.R.QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// uploadMaterial uploads data as material code and returns it, failing unless it is accepted.
func uploadMaterial(t *testing.T, c *client, code string, data []byte) material {
	t.Helper()
	status, body := c.sendRaw("POST", "/api/v1/materials?code="+code, "image/jpeg", data)
	if status != 201 {
		t.Fatalf("upload %s: %d %s", code, status, body)
	}
	var m material
	json.Unmarshal(body, &m)
	return m
}

// errorCodesOf decodes the codes of an error response.
func errorCodesOf(t *testing.T, body []byte) []string {
	t.Helper()
	var e struct {
		Errors []struct{ Code, Message string } `json:"errors"`
	}
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatalf("error body %s: %v", body, err)
	}
	var out []string
	for _, x := range e.Errors {
		if x.Message == "" || x.Message == x.Code {
			t.Errorf("%s has no message", x.Code)
		}
		out = append(out, x.Code)
	}
	return out
}

// phone is a phone that opened a QR-code link: it holds the session.
type phone struct {
	c       *client
	session string
}

// openLink makes a QR-code link for person on the PC and opens it on a new phone.
func (p *parties) openLink(pc *client, orderID int64, person string) (*phone, string) {
	p.t.Helper()
	var link struct {
		Token string `json:"token"`
		URL   string `json:"url"`
		QRSVG string `json:"qr_svg"`
	}
	pc.must(201, "POST", path("/api/v1/orders/%d/verification/links", orderID), map[string]string{"person": person}, &link)
	if !strings.HasSuffix(link.URL, "/m/v?t="+link.Token) || !strings.HasPrefix(link.QRSVG, "<svg") {
		p.t.Fatalf("link %+v", link)
	}
	ph := &phone{c: &client{t: p.t, base: p.a.URL()}}
	var s struct{ Session string }
	ph.c.must(201, "POST", "/api/v1/verification-sessions", map[string]string{"token": link.Token}, &s)
	ph.session = s.Session
	return ph, link.Token
}

func (ph *phone) send(photo []byte) (int, []byte) {
	return ph.c.sendRaw("POST", "/api/v1/verification-sessions/current/photo", "image/jpeg", photo, "X-Verification-Session", ph.session)
}

func (ph *phone) confirm() {
	ph.c.t.Helper()
	status, body := ph.c.sendRaw("POST", "/api/v1/verification-sessions/current/confirm", "application/json", nil,
		"X-Verification-Session", ph.session)
	if status != 200 {
		ph.c.t.Fatalf("confirm: %d %s", status, body)
	}
}

// verifyPerson takes person through the whole hand-off with a good photo.
func (p *parties) verifyPerson(pc *client, orderID int64, person string) {
	p.t.Helper()
	ph, _ := p.openLink(pc, orderID, person)
	if status, body := ph.send(goodFace(p.t)); status != 201 {
		p.t.Fatalf("good photo refused: %d %s", status, body)
	}
	ph.confirm()
}

// attachAll uploads a photo for every material the rules ask for and attaches them to the order; with big, the
// first is a phone photo of several MB.
func (p *parties) attachAll(c *client, o *filing.Order, cont provider.Content, big bool) (provider.Content, []material) {
	p.t.Helper()
	ev := p.evidence(c, o.ID)
	if len(ev.Materials) == 0 {
		p.t.Fatal("the rules ask for no material")
	}
	var ms []material
	for i, m := range ev.Materials {
		photo := smallDocumentPhoto(p.t, uint64(i+1))
		if i == 0 && big {
			photo = documentPhoto(p.t, 1)
		}
		up := uploadMaterial(p.t, c, m.Code, photo)
		ms = append(ms, up)
		cont.Materials = append(cont.Materials, filing.MaterialRef{Code: m.Code, ID: up.ID, ServiceIdx: m.Service})
	}
	c.must(200, "PUT", path("/api/v1/orders/%d", o.ID), cont, nil)
	return cont, ms
}

// The evidence of issue #5 over HTTP on every database: materials the rules ask for, re-encoded within MIIT's
// limits without EXIF; the PC → phone hand-off with its one-time, ten-minute links; the face check refusing bad
// photos with their reasons and storing nothing; submission held until the evidence is complete; the reviewer
// seeing and sending back a photo; the attachments forwarded to the MIIT simulator within its limits.
func TestEvidenceAndVerification(t *testing.T) {
	for name, url := range storetest.URLs(t) {
		t.Run(name, func(t *testing.T) {
			a := startApp(t, url, func(c *app.Config) { c.Evidence.Require = true })
			p := newParties(t, a)
			c, res := p.newApplicant("evidence@example.com")
			o := p.draftReady(c, res, "evidence-demo.cn")
			cont := content(o)

			// Nothing attached and nobody verified: submission is refused with what is missing.
			status, body := c.do("POST", path("/api/v1/orders/%d/submit", o.ID), nil)
			codes := errorCodesOf(t, body)
			if status != 422 || !hasCode(codes, "material.missing") || !hasCode(codes, "verification.missing") {
				t.Fatalf("submit without evidence: %d %v", status, codes)
			}
			ev := p.evidence(c, o.ID)
			if ev.Complete || len(ev.Persons) != 1 || ev.Persons[0].Key != "subject_principal" || ev.Persons[0].Name != "陈*" ||
				ev.Persons[0].State != "missing" || ev.Persons[0].Method != "face" {
				t.Fatalf("evidence of a fresh draft: %+v", ev)
			}

			// Bad files: each refused with its reason, nothing stored.
			materials, blobs := count(t, a, "materials"), count(t, a, "blobs")
			big := documentPhoto(t, 1)
			for _, bad := range []struct {
				name, code, ctype string
				data              []byte
				want              string
			}{
				{"decompression bomb", "subject_credential", "image/png", bombPNG(t), "imaging.too_many_pixels"},
				{"polyglot JPEG+ZIP", "subject_credential", "image/jpeg", polyglot(t), "imaging.embedded_content"},
				{"GIF named .jpg", "subject_credential", "image/jpeg", gifAsJPEG(), "imaging.unsupported_type"},
				{"truncated JPEG", "subject_credential", "image/jpeg", big[:len(big)/2], "imaging.corrupt"},
				{"PDF where a photo is required", "subject_credential", "application/pdf", minimalPDF(), "imaging.unsupported_type"},
				{"icon over 100 KB", "app_icon", "image/jpeg", big, "imaging.icon_too_large"},
				{"unknown material", "selfie", "image/jpeg", big, "material.unknown_code"},
			} {
				status, body := c.sendRaw("POST", "/api/v1/materials?code="+bad.code, bad.ctype, bad.data)
				if codes := errorCodesOf(t, body); status != 422 || !hasCode(codes, bad.want) {
					t.Errorf("%s: %d %v, want 422 %s", bad.name, status, codes, bad.want)
				}
			}
			if count(t, a, "materials") != materials || count(t, a, "blobs") != blobs {
				t.Fatal("a refused upload stored something")
			}
			// A PDF is accepted where the material allows it, and stays with the provider.
			if status, body := c.sendRaw("POST", "/api/v1/materials?code=construction_plan", "application/pdf", minimalPDF()); status != 201 ||
				!strings.Contains(string(body), `"application/pdf"`) || strings.Contains(string(body), `"variants"`) {
				t.Fatalf("PDF construction plan: %d %s", status, body)
			}

			// Phone photos of several MB: accepted, kept and copied without EXIF, within the receivers' limits.
			if len(big) < 2_000_000 || !hasEXIF(big) {
				t.Fatalf("test photo is %d bytes", len(big))
			}
			cont, ms := p.attachAll(c, o, cont, true)
			for _, m := range ms {
				limit := regulator.AttachmentLimit(m.Code)
				var miitSize, police int
				for _, v := range m.Variants {
					switch v.Purpose {
					case "miit":
						miitSize = v.Size
					case "police":
						police = v.Size
					}
				}
				if m.Type != "image/jpeg" || miitSize == 0 || miitSize > limit {
					t.Errorf("%s: type %s, MIIT copy %d bytes (limit %d)", m.Code, m.Type, miitSize, limit)
				}
				if strings.HasSuffix(m.Code, "_credential") && (police == 0 || police > imaging.PoliceImage.MaxBytes) {
					t.Errorf("%s: police copy %d bytes", m.Code, police)
				}
				for _, variant := range []string{"", "?variant=miit"} {
					status, data := c.do("GET", path("/api/v1/materials/%d%s", m.ID, variant), nil)
					if status != 200 || hasEXIF(data) || !bytes.HasPrefix(data, []byte{0xFF, 0xD8}) {
						t.Errorf("%s%s: %d, EXIF kept: %v", m.Code, variant, status, hasEXIF(data))
					}
				}
			}
			ev = p.evidence(c, o.ID)
			for _, m := range ev.Materials {
				if m.MaterialID == 0 || !m.Forwarded {
					t.Errorf("material %s not attached or not forwarded: %+v", m.Code, m)
				}
			}

			// The hand-off: a link is spent when first opened, expires after ten minutes, and a refresh replaces it.
			ph, token := p.openLink(c, o.ID, "subject_principal")
			status, body = ph.c.do("POST", "/api/v1/verification-sessions", map[string]string{"token": token})
			if codes := errorCodesOf(t, body); status != 409 || !hasCode(codes, "verification.link_used") {
				t.Fatalf("reused QR code: %d %v", status, codes)
			}
			var old struct{ Token string }
			c.must(201, "POST", path("/api/v1/orders/%d/verification/links", o.ID), map[string]string{"person": "subject_principal"}, &old)
			var fresh struct{ Token string }
			c.must(201, "POST", path("/api/v1/orders/%d/verification/links", o.ID), map[string]string{"person": "subject_principal"}, &fresh)
			if status, body := p.public.do("POST", "/api/v1/verification-sessions", map[string]string{"token": old.Token}); status != 409 ||
				!hasCode(errorCodesOf(t, body), "verification.link_replaced") {
				t.Fatalf("replaced QR code: %d %s", status, body)
			}
			p.operator.must(200, "POST", "/api/v1/dev/clock", map[string]string{"advance": "10m1s"}, nil)
			if status, body := p.public.do("POST", "/api/v1/verification-sessions", map[string]string{"token": fresh.Token}); status != 409 ||
				!hasCode(errorCodesOf(t, body), "verification.link_expired") {
				t.Fatalf("expired QR code: %d %s", status, body)
			}
			if status, _ := ph.send(goodFace(t)); status != 409 {
				t.Fatalf("the phone of a replaced link still takes photos: %d", status)
			}

			// Bad photos on the phone: the reason, nothing stored.
			ph, _ = p.openLink(c, o.ID, "subject_principal")
			verifications, blobs := count(t, a, "verifications"), count(t, a, "blobs")
			for _, bad := range []struct {
				name string
				data []byte
				want string
			}{
				{"no face", blankWall(t), "face.no_face"},
				{"two faces", twoFaces(t), "face.multiple_faces"},
				{"decompression bomb", bombPNG(t), "imaging.too_many_pixels"},
				{"polyglot", polyglot(t), "imaging.embedded_content"},
				{"too small for the administration", encodeJPEG(t, facePortrait(t, 1), 92), "imaging.too_small"},
			} {
				status, body := ph.send(bad.data)
				if codes := errorCodesOf(t, body); status != 422 || !hasCode(codes, bad.want) {
					t.Errorf("%s: %d %v, want %s", bad.name, status, codes, bad.want)
				}
			}
			if count(t, a, "verifications") != verifications || count(t, a, "blobs") != blobs {
				t.Fatal("a refused photo stored something")
			}
			var sv struct {
				Person struct{ Name string }
				Mode   string
			}
			ph.c.must(200, "GET", "/api/v1/verification-sessions/current", nil, &sv, "X-Verification-Session", ph.session)
			if sv.Person.Name != "陈*" || sv.Mode != "white_background" {
				t.Fatalf("session view: %+v", sv)
			}
			if status, body := ph.send(goodFace(t)); status != 201 {
				t.Fatalf("good photo: %d %s", status, body)
			}
			if p.evidence(c, o.ID).Persons[0].State != "captured" {
				t.Fatal("a captured photo is not shown as waiting for confirmation")
			}
			ph.confirm()
			if status, _ := ph.send(goodFace(t)); status != 409 {
				t.Fatalf("a confirmed session takes another photo: %d", status)
			}
			ev = p.evidence(c, o.ID)
			if !ev.Complete || ev.Persons[0].State != "confirmed" {
				t.Fatalf("after confirmation: %+v", ev)
			}
			vid := ev.Persons[0].Verification.ID

			// Submitted; the reviewer sees the photo (audited) and sends it back with a note.
			c.must(200, "POST", path("/api/v1/orders/%d/submit", o.ID), nil, nil)
			status, photo := p.reviewer.do("GET", path("/api/v1/verifications/%d/photo", vid), nil)
			if status != 200 || hasEXIF(photo) || !bytes.HasPrefix(photo, []byte{0xFF, 0xD8}) || len(photo) > imaging.PoliceImage.MaxBytes {
				t.Fatalf("reviewer's photo: %d, %d bytes, EXIF %v", status, len(photo), hasEXIF(photo))
			}
			other, _ := p.newApplicant("nosy@example.com")
			other.errorCodes(404, "GET", path("/api/v1/verifications/%d/photo", vid), nil)
			var audit struct {
				Entries []struct{ Action, Detail string }
			}
			p.reviewer.must(200, "GET", path("/api/v1/console/orders/%d/audit", o.ID), nil, &audit)
			if !strings.Contains(fmt.Sprint(audit.Entries), "verification.photo.read") {
				t.Fatalf("photo read not audited: %+v", audit.Entries)
			}
			p.reviewer.must(200, "POST", path("/api/v1/console/orders/%d/verifications/%d/return", o.ID, vid),
				map[string]string{"note": "背景不是白色，请在白墙前重拍"}, nil)
			if st := p.state(c, o.ID); st != filing.NeedsChanges {
				t.Fatalf("after the photo was sent back: %s", st)
			}
			ev = p.evidence(c, o.ID)
			if ev.Persons[0].State != "returned" || ev.Persons[0].Note != "背景不是白色，请在白墙前重拍" {
				t.Fatalf("returned verification: %+v", ev.Persons[0])
			}
			status, body = c.do("POST", path("/api/v1/orders/%d/submit", o.ID), nil)
			if codes := errorCodesOf(t, body); status != 422 || !hasCode(codes, "verification.returned") {
				t.Fatalf("resubmit with a returned photo: %d %v", status, codes)
			}
			p.verifyPerson(c, o.ID, "subject_principal")
			c.must(200, "POST", path("/api/v1/orders/%d/submit", o.ID), nil, nil)

			// The reviewer can also ask the legal representative to verify (Alibaba Cloud's filing notes).
			p.reviewer.must(200, "POST", path("/api/v1/console/orders/%d/verification-requests", o.ID),
				map[string]string{"person": "legal_representative", "note": "请法定代表人进行人脸核验"}, nil)
			ev = p.evidence(c, o.ID)
			if st := p.state(c, o.ID); st != filing.NeedsChanges || len(ev.Persons) != 1 || ev.Persons[0].Key != "subject_principal" ||
				!strings.Contains(fmt.Sprint(ev.Persons[0].Roles), "legal_representative") {
				// 陈伟 is both the principal and the legal representative: one person, already verified.
				t.Fatalf("legal representative request: %s %+v", st, ev.Persons)
			}
			c.must(200, "POST", path("/api/v1/orders/%d/submit", o.ID), nil, nil)

			// Forwarded with the attachments, each within MIIT's limits, JPEG, without EXIF.
			p.reviewer.must(200, "POST", path("/api/v1/console/orders/%d/decisions", o.ID), provider.Decision{Decision: "approve"}, nil)
			p.waitState(c, o.ID, filing.SMSPending)
			sub := lastSubmission(t, a)
			if len(sub.Attachments) != len(ms)+1 {
				t.Fatalf("%d attachments forwarded, want %d materials and the face photo", len(sub.Attachments), len(ms))
			}
			for _, at := range sub.Attachments {
				if len(at.Data) > regulator.AttachmentLimit(at.Purpose) || at.Type != "image/jpeg" || hasEXIF(at.Data) {
					t.Errorf("attachment %s: %d bytes, %s, EXIF %v", at.Purpose, len(at.Data), at.Type, hasEXIF(at.Data))
				}
			}
			if code, reason := miit.CheckAttachments(sub.Attachments); code != 0 {
				t.Fatalf("the simulator would refuse the attachments: %d %s", code, reason)
			}
			if sub.Attachments[len(sub.Attachments)-1].Purpose != "face_photo" {
				t.Fatalf("no face photo forwarded: %+v", sub.Attachments[len(sub.Attachments)-1].Purpose)
			}
		})
	}
}

// lastSubmission opens the newest upload to the regulator in the outbox.
func lastSubmission(t *testing.T, a *app.App) regulator.Submission {
	t.Helper()
	var sealed []byte
	if err := a.DB.R.QueryRow(`SELECT payload_enc FROM outbox WHERE topic = 'regulator.submit' ORDER BY id DESC LIMIT 1`).Scan(&sealed); err != nil {
		t.Fatal(err)
	}
	plain, err := a.Store.Keys.Open(sealed, "outbox.payload")
	if err != nil {
		t.Fatal(err)
	}
	var sub regulator.Submission
	if err := json.Unmarshal(plain, &sub); err != nil {
		t.Fatal(err)
	}
	return sub
}

func minimalPDF() []byte {
	return []byte("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n" +
		"trailer << /Root 1 0 R >>\n%%EOF\n")
}

// The MIIT simulator refuses attachments over its limits with the interface's result code (docs/design.md §5: 5010), and
// ones that are not JPEG (1056) or have an unknown purpose (1057).
func TestSimulatorRefusesBadAttachments(t *testing.T) {
	small := encodeJPEG(t, facePortrait(t, 2), 80)
	big := smallDocumentPhoto(t, 7)
	var png bytes.Buffer
	png.Write(bombPNG(t))
	cases := []struct {
		name string
		atts []regulator.Attachment
		want int
	}{
		{"within limits", []regulator.Attachment{{Purpose: "face_photo", Type: "image/jpeg", Data: small}}, 0},
		{"photo over 100 KB", []regulator.Attachment{{Purpose: "face_photo", Type: "image/jpeg", Data: big}}, miit.CodeAttachmentInvalid},
		{"form over 150 KB", []regulator.Attachment{{Purpose: "verification_form", Type: "image/jpeg", Data: big}}, miit.CodeAttachmentInvalid},
		{"PNG", []regulator.Attachment{{Purpose: "subject_credential", Type: "image/png", Data: png.Bytes()}}, miit.CodeAttachmentType},
		{"unknown purpose", []regulator.Attachment{{Purpose: "selfie", Type: "image/jpeg", Data: small}}, miit.CodeAttachmentPurpose},
	}
	for _, c := range cases {
		if code, reason := miit.CheckAttachments(c.atts); code != c.want || (code != 0 && reason == "") {
			t.Errorf("%s: code %d (%s), want %d", c.name, code, reason, c.want)
		}
	}
	// Through Submit: an oversized attachment comes back as an administration_reject result with 5010. No worker
	// runs, so the result stays queued for this test to read (a worker would pull and acknowledge it).
	a := startApp(t, "", func(c *app.Config) { c.NoWorkers = true })
	ctx := context.Background()
	o := filing.Order{Type: filing.NewFiling, Province: "44", Subject: filing.Subject{Nature: "enterprise",
		Name: "广州示例云科技有限公司", CredentialType: "business_license", CredentialNumber: uscc, Principal: principal()},
		Services: []filing.Service{{Kind: filing.Website, Name: "示例", Domains: []string{"oversized-demo.cn"}, PrincipalSameAsSubject: true}}}
	err := a.Sim.Submit(ctx, regulator.Submission{ProviderID: "beian-demo", ProviderOrderID: 990001, Attempt: 1, Order: o,
		SubmittedAt: time.Now(), Attachments: []regulator.Attachment{{Purpose: "face_photo", Type: "image/jpeg", Data: big}}})
	if err != nil {
		t.Fatal(err)
	}
	results, err := a.Sim.Results(ctx, "beian-demo", 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range results {
		if r.ProviderOrderID == 990001 {
			if r.Action != filing.ActAdminReject || r.Code != miit.CodeAttachmentInvalid || !strings.Contains(r.Reason, "100KB") {
				t.Fatalf("result %+v", r)
			}
			return
		}
	}
	t.Fatalf("no result for the oversized submission: %+v", results)
}

// Key rotation covers both bounded contexts: after a whole filing, `beian keys rotate` re-encrypts everything
// under the new key, and the service runs on the new key alone.
func TestKeyRotationAfterFiling(t *testing.T) {
	dir := t.TempDir()
	url := "sqlite:" + dir + "/beian.db"
	_, index := secret.Generate()
	oldKeys, _ := secret.Generate()
	newKeys, _ := secret.Generate()
	newKeys = "2" + strings.TrimPrefix(newKeys, "1")
	withKeys := func(keys string) func(*app.Config) {
		return func(c *app.Config) { c.SecretKeys, c.IndexKey, c.DataDir = keys, index, dir }
	}
	a := startApp(t, url, withKeys(oldKeys))
	p := newParties(t, a)
	c, res := p.newApplicant("rotation@example.com")
	o := p.draftReady(c, res, "rotation-demo.cn")
	p.verifyPerson(c, o.ID, "subject_principal")
	p.forward(c, o.ID)
	a.Close()

	b := startApp(t, url, withKeys(newKeys+","+oldKeys), func(c *app.Config) { c.Seed = false })
	ctx := context.Background()
	stale, err := b.RotateKeys(ctx, true)
	if err != nil || stale["orders.payload_enc"] == 0 || stale["miit_submissions.order_data"] == 0 || stale["blobs.data_enc"] == 0 {
		t.Fatalf("dry run: %v %v", stale, err)
	}
	if _, err := b.RotateKeys(ctx, false); err != nil {
		t.Fatal(err)
	}
	left, err := b.RotateKeys(ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	for col, n := range left {
		if n != 0 {
			t.Errorf("%s: %d values still under the old key", col, n)
		}
	}
	b.Close()

	n := startApp(t, url, withKeys(newKeys), func(c *app.Config) { c.Seed = false })
	q := newParties(t, n)
	c2 := login(t, n.URL(), "rotation@example.com", "correct horse 1")
	if st := q.state(c2, o.ID); st != filing.SMSPending {
		t.Fatalf("order after rotation: %s", st)
	}
	ev := q.evidence(c2, o.ID)
	if status, photo := c2.do("GET", path("/api/v1/verifications/%d/photo", ev.Persons[0].Verification.ID), nil); status != 200 || len(photo) == 0 {
		t.Fatalf("photo after rotation: %d", status)
	}
	q.verify(mobile) // the simulator reads its sealed phone numbers and orders with the new key
	q.waitState(c2, o.ID, filing.AdministrationReview)
}

// shanghaiUSCC is a valid unified social credit code of an enterprise registered in Shanghai (Pudong).
func shanghaiUSCC() string { return usccOf("91310115", "MA1K3L5P") }

// usccOf is the valid unified social credit code of the registry and division head (8 characters) and the
// organisation code org (8 characters without its check character).
func usccOf(head, org string) string {
	const chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	weights := []int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}
	w := []int{3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for k, c := range org {
		sum += strings.IndexRune(chars, c) * w[k]
	}
	switch c := 11 - sum%11; c {
	case 10:
		org += "X"
	case 11:
		org += "0"
	default:
		org += fmt.Sprint(c)
	}
	body := head + org
	sum = 0
	for k, c := range body {
		sum += strings.IndexRune(chars, c) * weights[k]
	}
	return body + string(chars[(31-sum%31)%31])
}

// shanghaiDraft opens a complete new filing of a Shanghai enterprise's website for domain.
func (p *parties) shanghaiDraft(c *client, resourceID int64, domain string) (*filing.Order, provider.Content) {
	p.t.Helper()
	in := check(domain)
	in.Province, in.CredentialNumber = "31", shanghaiUSCC()
	o := p.open(c, in, resourceID, filing.NewFiling)
	cont := content(o)
	cont.Subject.Name = "上海示例云科技有限公司"
	cont.Subject.CredentialAddress = "上海市浦东新区世纪大道100号"
	cont.Subject.CommunicationAddress = "上海市浦东新区世纪大道100号"
	cont.Services[0].Name = "上海示例云科技官网"
	c.must(200, "PUT", path("/api/v1/orders/%d", o.ID), cont, nil)
	return o, cont
}

// Shanghai verifies principals in the administration's own app (Alibaba Cloud's materials guide): the order says so, takes no photo,
// can be submitted without one, and records the verification when the simulated app reports it.
func TestShanghaiVerifiesInTheAdministrationApp(t *testing.T) {
	a := startApp(t, "", func(c *app.Config) { c.Evidence.Require = true })
	p := newParties(t, a)
	c, res := p.newApplicant("shanghai@example.com")
	o, cont := p.shanghaiDraft(c, res, "shanghai-demo.cn")

	ev := p.evidence(c, o.ID)
	if len(ev.Persons) != 1 || ev.Persons[0].Method != "administration_app" || ev.Persons[0].State != "administration_app" {
		t.Fatalf("Shanghai persons: %+v", ev.Persons)
	}
	if codes := c.errorCodes(409, "POST", path("/api/v1/orders/%d/verification/links", o.ID), map[string]string{"person": "subject_principal"}); !hasCode(codes, "verification.administration_app") {
		t.Fatalf("QR code for Shanghai: %v", codes)
	}
	p.attachAll(c, o, cont, false)
	c.must(200, "POST", path("/api/v1/orders/%d/submit", o.ID), nil, nil)
	p.reviewer.must(200, "POST", path("/api/v1/console/orders/%d/decisions", o.ID), provider.Decision{Decision: "approve"}, nil)
	p.waitState(c, o.ID, filing.SMSPending)

	appVerify := func(name, id string, photo []byte) (int, []string) {
		var body bytes.Buffer
		mw := multipartWriter(&body, map[string]string{"name": name, "id_number": id}, "photo", photo)
		status, raw := p.public.sendRaw("POST", "/miit/api/v1/app-verifications", mw, body.Bytes())
		if status == 200 {
			return status, nil
		}
		return status, errorCodesOf(t, raw)
	}
	if status, codes := appVerify("陈伟", legalRep, blankWall(t)); status != 422 || !hasCode(codes, "face.no_face") {
		t.Fatalf("app check without a face: %d %v", status, codes)
	}
	if status, codes := appVerify("张三", "110105199001010029", goodFace(t)); status != 404 || !hasCode(codes, "miit.app_nothing_pending") {
		t.Fatalf("app check of someone else: %d %v", status, codes)
	}
	if status, codes := appVerify("陈伟", legalRep, goodFace(t)); status != 200 {
		t.Fatalf("app check: %d %v", status, codes)
	}
	eventually(t, "the administration's report", func() bool { return p.evidence(c, o.ID).Persons[0].State == "passed" })
	var tl provider.Timeline
	c.must(200, "GET", path("/api/v1/orders/%d/timeline", o.ID), nil, &tl)
	if last := tl.Events[len(tl.Events)-1]; last.Action != regulator.ActAppVerified || tl.Order.State != filing.SMSPending {
		t.Fatalf("timeline: %+v in %s", last, tl.Order.State)
	}
	p.verify(mobile)
	p.waitState(c, o.ID, filing.AdministrationReview)
}

// Staff lists show an individual subject's name masked (docs/design.md §9: lists show personal data masked); the
// applicant sees their own order as entered.
func TestStaffListsMaskIndividuals(t *testing.T) {
	a := startApp(t, "")
	p := newParties(t, a)
	c, res := p.newApplicant("individual@example.com")
	in := provider.CheckInput{Province: "44", Nature: "individual", CredentialType: "resident_id", CredentialNumber: legalRep,
		ServiceKind: filing.Website, Domain: "chenwei-blog.cn"}
	o := p.open(c, in, res, filing.NewFiling)
	cont := content(o)
	cont.Subject.Name = "陈伟"
	cont.Subject.LegalRepresentative = nil
	cont.Services[0].Name, cont.Services[0].Content = "陈伟的个人博客", []string{"blog"}
	c.must(200, "PUT", path("/api/v1/orders/%d", o.ID), cont, nil)
	list := func(cl *client, p string) string {
		var out struct {
			Orders []struct {
				ID          int64  `json:"id"`
				SubjectName string `json:"subject_name"`
			} `json:"orders"`
		}
		cl.must(200, "GET", p, nil, &out)
		for _, x := range out.Orders {
			if x.ID == o.ID {
				return x.SubjectName
			}
		}
		t.Fatalf("order %d not in %s", o.ID, p)
		return ""
	}
	if got := list(c, "/api/v1/orders"); got != "陈伟" {
		t.Fatalf("applicant's list: %q", got)
	}
	if got := list(p.reviewer, "/api/v1/orders"); got != "陈*" {
		t.Fatalf("staff list: %q", got)
	}
	if got := list(p.reviewer, "/api/v1/console/queue?state=draft"); got != "陈*" {
		t.Fatalf("queue: %q", got)
	}
}
