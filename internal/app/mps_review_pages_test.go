package app_test

import (
	"bytes"
	"image"
	"image/jpeg"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/beian/beian/internal/app"
)

// pagesSubject registers an applicant through the pages, verifies the account and submits an enterprise subject;
// it returns the applicant's client and the subject's page.
func pagesSubject(t *testing.T, base string, operator *client, lang string) (*formClient, string) {
	t.Helper()
	b := newFormClient(t, base, lang)
	if status, _ := b.post("/mps/register", url.Values{"username": {"chenjing"}, "password": {"Chen2026ab"},
		"password_confirm": {"Chen2026ab"}, "name": {"陈静"}, "credential_type": {"resident_id"},
		"credential_number": {"440305198503121231"}, "mobile": {"13900139001"}, "email": {"chenjing@example-sz.cn"}}); status != 200 {
		t.Fatalf("registration: %d", status)
	}
	b.login(operator, "chenjing", "Chen2026ab")
	b.post("/mps/center/mobile-code", nil)
	b.post("/mps/center/mobile", url.Values{"code": {outboxMatch(t, operator, "13900139001", `(\d{6})`)}})
	b.post("/mps/center/email-link", nil)
	b.get("/mps/verify-email?token=" + outboxMatch(t, operator, "chenjing@example-sz.cn", `token=([A-Za-z0-9_-]+)`))
	subj := url.Values{"nature": {"enterprise"}, "name": {"深圳市示例网络科技有限公司"}, "credential_type": {"business_license"},
		"credential_number": {"91440300MA5F12342Q"}, "investor": {"陈静"}, "area_code": {"440305"},
		"address": {"广东省深圳市南山区科技园路1号"}, "office_phone": {"0755-86001234"}, "principal.name": {"陈静"},
		"principal.credential_type": {"resident_id"}, "principal.credential_number": {"440305198503121231"},
		"principal.mobile": {"13900139001"}, "principal.email": {"chenjing@example-sz.cn"},
		"principal.residence": {"广东省深圳市南山区科技园路1号"}}
	files := []string{"materials.unit_credential", "materials.legal_id_front", "materials.legal_id_back", "materials.legal_id_handheld"}
	if status, page := b.postFiles("/mps/subjects/new", subj, files, clearJPEG(t)); status != 200 || !strings.Contains(page, "待审核") {
		t.Fatalf("subject: %d", status)
	}
	_, center := b.get("/mps/center")
	return b, regexp.MustCompile(`/mps/subjects/\d+`).FindString(center)
}

// Staff return a subject with notes naming its fields as the form labels them (or by code); a note on no field
// of the subject is refused, naming what was typed, and the subject stays under review. The applicant sees each
// note beside its field, on the record and in the correction form.
func TestPoliceReturnNotes(t *testing.T) {
	a := startApp(t, "")
	base := a.URL()
	operator := login(t, base, "operator@beian.local", app.DemoPassword)
	b, subjectPath := pagesSubject(t, base, operator, "zh-CN")
	staff := newFormClient(t, base, "zh-CN")
	staff.login(operator, "police-gd", app.DemoPassword)
	staffPath := strings.Replace(subjectPath, "/mps/", "/mps/staff/", 1)

	status, page := staff.post(staffPath, url.Values{"action": {"return"}, "reason": {"地址不完整"},
		"notes": {"门牌: 请填写到门牌号"}})
	if status != 422 || !strings.Contains(page, "“门牌”不是该记录的字段") || !strings.Contains(page, `id="notes-err"`) {
		t.Fatalf("note on an unknown field: %d", status)
	}
	if _, page = b.get(subjectPath); !strings.Contains(page, "待审核") {
		t.Fatal("a refused return changed the subject")
	}
	if status, _ = staff.post(staffPath, url.Values{"action": {"return"}, "reason": {"地址不完整"},
		"notes": {"详细地址: 请填写到门牌号\nprincipal.mobile：号码无法接通"}}); status != 200 {
		t.Fatalf("return: %d", status)
	}
	_, page = b.get(subjectPath)
	if strings.Contains(page, "mps.web.") || !strings.Contains(page, "<strong>详细地址</strong> 请填写到门牌号") ||
		!strings.Contains(page, "<strong>负责人手机号码</strong> 号码无法接通") {
		t.Fatalf("notes on the applicant's page: %s", regexp.MustCompile(`(?s)<section class="card" id="subject-status">.*?</section>`).FindString(page))
	}
	_, page = b.get(subjectPath + "/edit")
	if !regexp.MustCompile(`(?s)id="f-address".*?id="address-note"[^>]*><strong>审核意见：</strong> <span>请填写到门牌号</span>`).MatchString(page) ||
		!strings.Contains(page, `id="principal.mobile-note"`) {
		t.Fatal("no note beside the address in the correction form")
	}
}

// The website's name is labelled as the website's, not as the subject's, on the application form in every
// language.
func TestPoliceWebsiteNameLabel(t *testing.T) {
	a := startApp(t, "")
	base := a.URL()
	operator := login(t, base, "operator@beian.local", app.DemoPassword)
	b, _ := pagesSubject(t, base, operator, "zh-CN")
	for lang, want := range map[string]string{"zh-CN": "网站名称", "zh-TW": "網站名稱", "en": "Website name"} {
		b.lang = lang
		_, page := b.get("/mps/websites/new")
		if !strings.Contains(page, `<label for="name">`+want+`<span class="req"`) {
			t.Errorf("%s: the website's name is not labelled %q", lang, want)
		}
	}
}

// The data-code form asks for the code and either the principal's mobile or ID number from the ICP filing: the
// mobile is not marked required and is not described as the account's.
func TestPoliceDataCodeForm(t *testing.T) {
	a := startApp(t, "")
	base := a.URL()
	operator := login(t, base, "operator@beian.local", app.DemoPassword)
	b, _ := pagesSubject(t, base, operator, "zh-CN")
	_, page := b.get("/mps/center")
	form := regexp.MustCompile(`(?s)<section class="card" id="data-code">.*?</form>`).FindString(page)
	if !strings.Contains(form, `<label for="data_code">数据码<span class="req"`) ||
		!strings.Contains(form, `<label for="mobile">手机号码</label>`) || strings.Contains(form, "用于信用认证") ||
		!strings.Contains(form, "与证件号码填写一项即可") || !strings.Contains(form, "与手机号码填写一项即可") {
		t.Fatalf("data-code form: %s", form)
	}
}

// bigJPEG is a picture over the platform's 512 KB limit.
func bigJPEG(t *testing.T) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 1600, 1200))
	seed := uint32(1)
	for i := range img.Pix {
		seed = seed*1664525 + 1013904223
		img.Pix[i] = uint8(seed >> 24)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	if buf.Len() <= 512000 {
		t.Fatalf("only %d bytes", buf.Len())
	}
	return buf.Bytes()
}

// When one chosen file is refused (over 512 KB), the files accepted with it are kept and the page says so; the
// refused one is named beside its input as the one to choose again.
func TestPoliceUploadRefusedKeepsOthers(t *testing.T) {
	a := startApp(t, "")
	base := a.URL()
	operator := login(t, base, "operator@beian.local", app.DemoPassword)
	b := newFormClient(t, base, "zh-CN")
	if status, _ := b.post("/mps/register", url.Values{"username": {"chenjing"}, "password": {"Chen2026ab"},
		"password_confirm": {"Chen2026ab"}, "name": {"陈静"}, "credential_type": {"resident_id"},
		"credential_number": {"440305198503121231"}, "mobile": {"13900139001"}, "email": {"chenjing@example-sz.cn"}}); status != 200 {
		t.Fatalf("registration: %d", status)
	}
	b.login(operator, "chenjing", "Chen2026ab")
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range map[string]string{"nature": "enterprise", "name": "深圳市示例网络科技有限公司"} {
		w.WriteField(k, v)
	}
	ok, big := clearJPEG(t), bigJPEG(t)
	for _, f := range []string{"materials.unit_credential", "materials.legal_id_front", "materials.legal_id_back", "materials.legal_id_handheld"} {
		fw, _ := w.CreateFormFile(f, f+".jpg")
		if f == "materials.legal_id_back" {
			fw.Write(big)
		} else {
			fw.Write(ok)
		}
	}
	w.Close()
	req, _ := http.NewRequest("POST", base+"/mps/subjects/new", &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	status, page := b.send(req)
	if status != 422 || !strings.Contains(page, `id="materials.legal_id_back-err"`) {
		t.Fatalf("an image over 512 KB: %d", status)
	}
	if !strings.Contains(page, "请重新选择未被接受的文件：法人身份证反面。已接受的文件已保留") {
		t.Error("the error summary does not name the file to choose again")
	}
	for _, p := range []string{"unit_credential", "legal_id_front", "legal_id_handheld"} {
		if !regexp.MustCompile(`name="kept\.`+p+`" value="\d+"`).MatchString(page) ||
			!strings.Contains(page, `id="materials.`+p+`-kept"`) {
			t.Errorf("%s: the accepted image is not kept, or the page does not say so", p)
		}
	}
	if strings.Contains(page, `id="materials.legal_id_back-kept"`) || strings.Contains(page, `name="kept.legal_id_back"`) {
		t.Error("the refused image is shown as kept")
	}
}
