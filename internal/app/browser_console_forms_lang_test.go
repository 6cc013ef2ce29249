package app_test

import (
	"regexp"
	"sort"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/i18n"
	"github.com/beian/beian/internal/i18n/i18ntest"
)

// consoleLang is one language of the console's forms: what a reviewer or an officer types in it, and what the
// forms, labels and refusals say in it. zh-CN is the reference (TestBrowserConsoleFormErrors takes it with the
// other forms); zh-TW and en are taken by TestBrowserConsoleFormErrorsInLanguages, chosen with the language
// switch as a person does. The police platform's pages take all three (TestBrowserPoliceFormsInLanguages).
type consoleLang struct {
	lang string // the switch's hreflang and the page's <html lang>

	// The reviewer's decision: a note's message and the overall remark typed without choosing the note's field.
	note, remark string
	noteField    string   // the label of the note's field
	noteRefusal  []string // words of the refusal beside it
	errorsTitle  string   // the heading of the error summary

	// The verification page: a request for the legal representative's face check with a pasted U+202E, then a
	// photo sent back with a blank note and with a note.
	lrNote, lrLabel           string
	returnRefusal, returnNote string
	returned                  string // the photo's state once sent back

	// The administration's app: a photo without a face, then one with a face.
	noFace, appDone string

	// The administration officer's rejection, its reason holding a pasted U+202E.
	officerReason, officerLabel, rejected string

	// The police platform (TestBrowserPoliceFormsInLanguages): the registration with a mobile number of 7
	// digits, the login with a wrong captcha and the public query for a police number of 5; and the public ICP
	// query for a domain without its suffix, and for an operating licence's number instead of a filing number.
	policeMobile, policeCaptcha, policeQuery, icpQuery, icpNumber refusal

	// The applicant's wizard (TestBrowserWizardInLanguages): the check's result for a new filing, the credential
	// address without its house number, the commitment letter uploaded, and the order's state once submitted.
	newFiling, uploaded, submitted string
	address                        refusal

	// foreign matches text of another language or script that must not show in the pages (filed data aside).
	foreign *regexp.Regexp
}

// refusal is how a form refuses one box in a language: the box's label and words of the message beside it.
type refusal struct {
	label string
	words []string
}

// simplified and traditional are characters written differently in the two scripts, pair by pair.
const (
	simplified  = "们这说请为审驳证见时间发单务员户应删输关录开条写过还进选项资认读错误区无权总则现备码号门网络图显检验传续须处电话邮联机构数据类级属线签页态状义仅从对将与东问题让记补"
	traditional = "們這說請為審駁證見時間發單務員戶應刪輸關錄開條寫過還進選項資認讀錯誤區無權總則現備碼號門網絡圖顯檢驗傳續須處電話郵聯機構數據類級屬線簽頁態狀義僅從對將與東問題讓記補"
)

var consoleLangs = []consoleLang{{
	lang: "zh-CN",
	note: "请补充门牌号", remark: "地址不完整", noteField: "意见 1：字段", noteRefusal: []string{"字段", "说明"},
	errorsTitle: "请先处理以下问题",
	lrNote:      "请法定代表人\u202e本人核验", lrLabel: "要求法定代表人进行人脸核验",
	returnRefusal: "退回原因", returnNote: "照片模糊，请重拍", returned: "已被审核员退回",
	noFace: "人脸", appDone: "报送 1 个",
	officerReason: "网站名称与\u202e主办单位不符", officerLabel: "驳回原因", rejected: "已驳回",
	policeMobile:  refusal{"手机号码", []string{"11 位", "7 位"}},
	policeCaptcha: refusal{"验证码", []string{"验证码错误"}},
	policeQuery:   refusal{"查询内容", []string{"14 位数字", "5 位"}},
	icpQuery:      refusal{"查询内容", []string{"请输入正确的域名"}},
	icpNumber:     refusal{"查询内容", []string{"增值电信业务经营许可证编号", "不是备案号"}},
	address:       refusal{"主办单位信息 · 证件住所", []string{"未精确到门牌号"}},
	foreign:       regexp.MustCompile("[" + traditional + "]"),
	newFiling:     "首次备案", uploaded: "已上传", submitted: "等待初审",
}, {
	lang: "zh-TW",
	note: "請補充門牌號", remark: "地址不完整", noteField: "意見 1：欄位", noteRefusal: []string{"欄位", "說明"},
	errorsTitle: "請先處理以下問題",
	lrNote:      "請法定代表人\u202e本人核驗", lrLabel: "要求法定代表人進行人臉核驗",
	returnRefusal: "退回原因", returnNote: "照片模糊，請重拍", returned: "已被審核員退回",
	noFace: "人臉", appDone: "報送 1 個",
	officerReason: "網站名稱與\u202e主辦單位不符", officerLabel: "駁回原因", rejected: "已駁回",
	policeMobile:  refusal{"手機號碼", []string{"11 位", "7 位"}},
	policeCaptcha: refusal{"驗證碼", []string{"驗證碼錯誤"}},
	policeQuery:   refusal{"查詢內容", []string{"14 位數字", "5 位"}},
	icpQuery:      refusal{"查詢內容", []string{"請輸入正確的網域"}},
	icpNumber:     refusal{"查詢內容", []string{"增值電信業務經營許可證編號", "不是備案號"}},
	address:       refusal{"主辦單位資訊 · 證件住所", []string{"未精確到門牌號"}},
	foreign:       regexp.MustCompile("[" + simplified + "]"),
	newFiling:     "首次備案", uploaded: "已上傳", submitted: "等待初審",
}, {
	lang: "en",
	note: "Please add the house number", remark: "The address is incomplete", noteField: "Note 1: field",
	noteRefusal: []string{"field", "message"}, errorsTitle: "Please fix the following first",
	lrNote:        "Please ask the legal representative\u202e to verify in person",
	lrLabel:       "Ask the legal representative to take the face check",
	returnRefusal: "sent back", returnNote: "The photo is blurred; please retake it",
	returned: "Sent back by the reviewer",
	noFace:   "No face", appDone: "reported for 1 pending",
	officerReason: "The website name\u202e does not match the subject", officerLabel: "Reason for rejection",
	rejected:      "Rejected",
	policeMobile:  refusal{"Mobile", []string{"11 digits", "you entered 7"}},
	policeCaptcha: refusal{"Captcha", []string{"Wrong or expired captcha"}},
	policeQuery:   refusal{"Search for", []string{"14 digits", "you entered 5"}},
	icpQuery:      refusal{"Search for", []string{"Enter a valid domain"}},
	icpNumber:     refusal{"Search for", []string{"operating licence number", "not a filing number"}},
	address:       refusal{"Subject · Credential address", []string{"not precise to the house number"}},
	foreign:       regexp.MustCompile(`\p{Han}`),
	newFiling:     "New filing", uploaded: "Uploaded", submitted: "Awaiting provider review",
}}

// The console's forms in zh-TW and en, each language chosen with the switch in the page's header, as a person
// does: the reviewer's refused decision, the verification page's refused requests, the administration app's
// refused photo and the officer's refused rejection come back in that language, beside the field and in the
// summary named as the form labels it, with what was typed kept, nothing done and no text of another language;
// corrected, each form does what it says, and a reload shows it done. One browser; an app per language (the
// Guangdong filings of the test share a subject, which may have one order in flight).
func TestBrowserConsoleFormErrorsInLanguages(t *testing.T) {
	browser := newBrowser(t)
	for _, l := range consoleLangs[1:] {
		t.Run(l.lang, func(t *testing.T) {
			a := startApp(t, "", func(c *app.Config) { c.Evidence.Require = false })
			p := newParties(t, a)
			c, o := p.submittedVerified("forms@example.com", "console-forms.cn")
			rev := newTab(t, browser, a.URL(), viewports[0])
			rev.switchLang("/login", l.lang)
			rev.login("reviewer@beian.local", app.DemoPassword)
			decisionRefused(p, rev, c, o.ID, l)
			c.must(200, "POST", path("/api/v1/orders/%d/submit", o.ID), nil, nil)
			verificationRefused(p, rev, c, o.ID, l)

			// Shanghai: the principal checks in the administration's app on a phone; the officer then decides.
			owner, sh := p.shanghaiAtSMS("shanghai-forms@example.com", "shanghai-forms.cn", zhang)
			pub := newTab(t, browser, a.URL(), viewports[1])
			pub.switchLang("/miit/app", l.lang)
			appRefused(p, pub, owner, sh.ID, l)
			off := newTab(t, browser, a.URL(), viewports[0])
			off.switchLang("/login", l.lang)
			off.login("officer@beian.local", app.DemoPassword)
			officerRefused(p, off, owner, sh.ID, l)
		})
	}
}

// The police platform's applicant pages and the public queries in each language, chosen with the switch: the
// registration refused for a short mobile number, the login for a wrong captcha, the police query for a short
// number and the ICP query for a domain without its suffix, each beside its box
// and in the summary named as the form labels it, what was typed kept, nothing of another language shown.
func TestBrowserPoliceFormsInLanguages(t *testing.T) {
	browser := newBrowser(t)
	a := startApp(t, "")
	for i, l := range consoleLangs {
		t.Run(l.lang, func(t *testing.T) {
			b := newTab(t, browser, a.URL(), viewports[i%len(viewports)])
			b.switchLang("/mps/register", l.lang)
			policeRegisterRefused(b, l)
			policeLoginRefused(b, l)
			policeQueryRefused(b, l)
			icpQueryRefused(b, l)
		})
	}
}

// policeRegisterRefused: the police platform's registration with a mobile number of 7 digits is refused beside
// it, and everything typed but the passwords is kept.
func policeRegisterRefused(b *tab, l consoleLang) {
	b.t.Helper()
	b.open("/mps/register")
	typed := map[string]string{"username": "lang" + strings.ReplaceAll(l.lang, "-", ""), "name": "刘洋",
		"credential_number": "440305198503121231", "mobile": "1390013", "email": "liuyang@example-sz.cn"}
	for id, v := range typed {
		b.fill(id, v)
	}
	b.fill("password", "Liu2026ab")
	b.fill("password_confirm", "Liu2026ab")
	b.submit("#mps-submit")
	b.refusedIn(l, "mobile", l.policeMobile, typed)
	b.accessible("police registration refused")
}

// policeLoginRefused: the login with a wrong captcha is refused beside the captcha's box, the user name kept.
func policeLoginRefused(b *tab, l consoleLang) {
	b.t.Helper()
	b.open("/mps/login")
	b.fill("username", "nobody")
	b.fill("password", "Liu2026ab")
	b.fill("captcha", "wrong")
	b.submit("#mps-submit")
	b.refusedIn(l, "captcha", l.policeCaptcha, map[string]string{"username": "nobody", "captcha": ""})
	b.accessible("police login refused")
}

// policeQueryRefused: the public query for a police number of 5 digits is refused beside the box, which keeps it.
func policeQueryRefused(b *tab, l consoleLang) {
	b.t.Helper()
	b.open("/mps/query")
	b.fill("q", "12345")
	b.submit("#query-submit")
	b.refusedIn(l, "q", l.policeQuery, map[string]string{"q": "12345"})
	b.accessible("police query refused")
}

// icpQueryRefused: the public ICP query for a domain without its suffix is refused beside the box, which keeps it.
func icpQueryRefused(b *tab, l consoleLang) {
	b.t.Helper()
	b.open("/query")
	b.fill("q", "example")
	b.submit("#btn-query")
	b.refusedIn(l, "q", l.icpQuery, map[string]string{"q": "example"})
	b.accessible("ICP query refused")
	b.set("kind", "number")
	b.fill("q", "京ICP证030173号")
	b.submit("#btn-query")
	// The message quotes the numbers' own forms, which are written the same in every language.
	b.refusedIn(l, "q", l.icpNumber, map[string]string{"q": "京ICP证030173号"}, "ICP备…号", "ICP证")
}

// refusedIn fails unless the page refused input in l's language as r says, beside it and in the summary named as
// its label reads, kept the values typed, and shows nothing of another language but the identifiers filed (as
// inLang).
func (b *tab) refusedIn(l consoleLang, input string, r refusal, typed map[string]string, filed ...string) {
	b.t.Helper()
	b.refusedBeside(input, r.words...)
	b.namedAsLabelled(input, r.label)
	b.contains("#error-summary", l.errorsTitle)
	b.kept(typed)
	b.inLang(l, filed)
}

// decisionRefused: the reviewer's decision on submitted order id, a note without the field it is about, is
// refused beside that field, the note's text and the overall remark kept; with the field chosen the order goes
// back.
func decisionRefused(p *parties, rev *tab, c *client, id int64, l consoleLang) {
	t := p.t
	t.Helper()
	rev.open(path("/console/orders/%d", id))
	rev.fill("note_message_0", l.note)
	rev.fill("reason", l.remark)
	rev.submit("#btn-request-changes")
	rev.refusedBeside("note_field_0", l.noteRefusal...)
	rev.namedAsLabelled("note_field_0", l.noteField)
	rev.contains("#error-summary", l.errorsTitle)
	rev.kept(map[string]string{"note_message_0": l.note, "reason": l.remark})
	rev.inLang(l, filedText(c, id))
	rev.accessible("decision refused")
	unchanged(t, p.state(c, id), filing.Submitted)
	rev.fill("note_field_0", "subject.communication_address")
	rev.submit("#btn-request-changes")
	rev.open(path("/console/orders/%d", id))
	rev.contains("main", l.note)
	rev.absent("#btn-request-changes")
	if st := p.state(c, id); st != filing.NeedsChanges {
		t.Fatalf("after the corrected decision the order is %s", st)
	}
}

// verificationRefused: on the verification page of resubmitted order id, a formatting character pasted into
// the request for the legal representative is refused beside that note, named by that note's label (not the
// other's); a blank note sending the principal's photo back is refused beside its own; a note sends it back,
// and after a reload the photo shows returned with the note.
func verificationRefused(p *parties, rev *tab, c *client, id int64, l consoleLang) {
	t := p.t
	t.Helper()
	rev.open(path("/console/orders/%d/verification", id))
	rev.fill("note-lr", l.lrNote)
	rev.submit("#btn-request-lr")
	rev.refusedBeside("note-lr", "U+202E", l.lrLabel)
	rev.namedAsLabelled("note-lr", l.lrLabel)
	rev.contains("#error-summary", l.errorsTitle)
	rev.kept(map[string]string{"note-lr": l.lrNote, "note-subject_principal": ""})
	rev.inLang(l, filedText(c, id))
	rev.accessible("verification request refused")
	rev.fill("note-subject_principal", "   ")
	rev.submit("#btn-return-subject_principal")
	rev.refusedBeside("note-subject_principal", l.returnRefusal)
	rev.namedAsLabelled("note-subject_principal", "")
	rev.kept(map[string]string{"note-lr": ""})
	unchanged(t, p.state(c, id), filing.Resubmitted)
	rev.fill("note-subject_principal", l.returnNote)
	rev.submit("#btn-return-subject_principal")
	rev.reload()
	rev.contains("#review-subject_principal", l.returned, l.returnNote)
	if st := p.state(c, id); st != filing.NeedsChanges {
		t.Errorf("after the photo was sent back the order is %s", st)
	}
}

// appRefused: the administration's app, on a phone, refuses a photo without a face beside the photo, keeping the
// name and the ID number typed; with a face it reports the check for Shanghai order id, whose principal zhang
// then passes the SMS check, and the order is at the administration.
func appRefused(p *parties, pub *tab, owner *client, id int64, l consoleLang) {
	t := p.t
	t.Helper()
	pub.open("/miit/app")
	pub.fill("app-name", zhang.Name)
	pub.fill("app-id", zhang.CredentialNumber)
	pub.upload(photoFile(t, blankWall(t)), "app-photo")
	pub.submit("#btn-app")
	pub.refusedBeside("app-photo", l.noFace)
	pub.namedAsLabelled("app-photo", "")
	pub.contains("#error-summary", l.errorsTitle)
	pub.kept(map[string]string{"app-name": zhang.Name, "app-id": zhang.CredentialNumber})
	pub.inLang(l, nil)
	pub.accessible("administration app refused")
	pub.upload(photoFile(t, goodFace(t)), "app-photo")
	pub.submit("#btn-app")
	pub.contains("#app-done", l.appDone)
	eventually(t, "the app's report", func() bool { return p.evidence(owner, id).Persons[0].State == "passed" })
	if status, body := p.trySMS(zhang.Mobile, p.smsCode(zhang.Mobile), zhang.CredentialNumber[12:]); status != 200 {
		t.Fatalf("SMS check of %s: %d %s", zhang.Mobile, status, body)
	}
	p.waitState(owner, id, filing.AdministrationReview)
}

// officerRefused: the officer's rejection of order id at the administration, a character pasted into its
// reason, is refused beside the reason, which is kept; without it the submission is rejected.
func officerRefused(p *parties, off *tab, c *client, id int64, l consoleLang) {
	t := p.t
	t.Helper()
	off.open(path("/miit/console/reviews/%d", p.reviewOf(id)))
	off.fill("reason", l.officerReason)
	off.submit("#btn-officer-reject")
	off.refusedBeside("reason", l.officerLabel, "U+202E")
	off.namedAsLabelled("reason", l.officerLabel)
	off.contains("#error-summary", l.errorsTitle)
	off.kept(map[string]string{"reason": l.officerReason})
	off.inLang(l, filedText(c, id))
	unchanged(t, p.state(c, id), filing.AdministrationReview)
	off.accessible("officer's decision refused")
	off.fill("reason", strings.ReplaceAll(l.officerReason, "\u202e", ""))
	off.submit("#btn-officer-reject")
	off.reload()
	off.contains("main", l.rejected)
	eventually(t, "the administration's rejection", func() bool { return p.state(c, id) == filing.AdministrationRejected })
}

// switchLang opens page and picks the language lang with the switch in its header, as a person does, and checks
// that the page comes back in it.
func (b *tab) switchLang(page, lang string) {
	b.t.Helper()
	b.open(page)
	b.submit(`ul.langs a[hreflang="` + lang + `"]`)
	if got := b.eval("document.documentElement.lang"); got != lang {
		b.t.Fatalf("after choosing %s the page is in %q", lang, got)
	}
}

// namedAsLabelled fails unless the error summary names input as its label does, as read aloud (a required
// field's hidden star aside; when label is "", as whatever its label says). A label "group · label" is a
// wizard's field, which the summary names with its group: the field's own label is the last part.
func (b *tab) namedAsLabelled(input, label string) {
	b.t.Helper()
	got := b.eval(`(function(){var a=document.querySelector('#error-summary a[href="#` + input + `"] .err-field');return a?a.textContent:""})()`)
	own := b.eval(`(function(){var l=document.querySelector('label[for="` + input + `"]');if(!l)return "";l=l.cloneNode(true);
		l.querySelectorAll('[aria-hidden="true"]').forEach(function(e){e.remove()});return l.textContent.trim()})()`) // as read aloud
	if label == "" {
		label = own
	}
	ownWant := label
	if i := strings.LastIndex(label, " · "); i >= 0 {
		ownWant = label[i+len(" · "):]
	}
	if got != label || own != ownWant {
		b.t.Errorf("the error summary names %s %q; its label reads %q, want %q", input, got, own, label)
	}
}

// pageText is the text a person sees on the page, header and footer included, without the parts in a language
// of their own (the language switch names each language in itself, the brand's mark is a Chinese character) and
// the signed-in person's name (data, in whatever script it was registered).
const pageText = `(() => {
	const own = [...document.body.querySelectorAll("[lang], .who")];
	own.forEach(e => e.dataset.display = e.style.display);
	own.forEach(e => e.style.display = "none");
	const text = document.body.innerText;
	own.forEach(e => e.style.display = e.dataset.display);
	return text;
})()`

// inLang fails unless the page is marked as in l's language and its text (header and footer too), the filed data (whatever its
// script) taken out, holds nothing of another language or script, nor in zh-TW a mainland term (the list of
// internal/i18n, proper names aside).
func (b *tab) inLang(l consoleLang, filed []string) {
	b.t.Helper()
	if got := b.eval("document.documentElement.lang"); got != l.lang {
		b.t.Errorf("the page is in %q, want %s", got, l.lang)
	}
	text := b.eval(pageText)
	for _, s := range filed {
		text = strings.ReplaceAll(text, s, "")
	}
	for _, line := range strings.Split(text, "\n") {
		if l.foreign.MatchString(line) {
			b.t.Errorf("in %s the page at %s shows %q", l.lang, b.eval("location.pathname"), strings.TrimSpace(line))
		}
		if l.lang != string(i18n.ZhTW) {
			continue
		}
		for _, term := range i18ntest.MainlandTermsIn(line) {
			b.t.Errorf("in zh-TW the page at %s says %s (Taiwan: %s): %q", b.eval("location.pathname"), term.Mainland,
				term.Taiwan, strings.TrimSpace(line))
		}
	}
}

// filedText is every text of order id that holds Chinese characters, as filed (and a name masked as its first
// character and *), longest first: the pages show it as it is in any language.
func filedText(c *client, id int64) []string {
	var o any
	c.must(200, "GET", path("/api/v1/orders/%d", id), nil, &o)
	seen := map[string]bool{}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			if strings.IndexFunc(v, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0 {
				seen[v] = true
				if n := utf8.RuneCountInString(v); n >= 2 && n <= 4 {
					r, _ := utf8.DecodeRuneInString(v)
					seen[string(r)+"*"] = true
				}
			}
		case []any:
			for _, e := range v {
				walk(e)
			}
		case map[string]any:
			for _, e := range v {
				walk(e)
			}
		}
	}
	walk(o)
	out := make([]string, 0, len(seen))
	for s := range seen {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return len(out[i]) > len(out[j]) })
	return out
}
