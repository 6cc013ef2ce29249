package app_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/beian/beian/internal/filing"
)

// The applicant's wizard in zh-TW and en, each language chosen with the switch in the page's header, as a
// person does: a new applicant checks the filing type, picks the instance, types the subject (a credential
// address without its house number refused beside it and in the summary, named as the form labels it, what was
// typed kept), corrects it, names the website, uploads the Guangdong commitment letter, passes the verification
// page and submits; a reload shows the order submitted. Every page is in that language (the filed data aside;
// in zh-TW with Taiwan's terms) and passes the accessibility check. One app and one browser, zh-TW on a desktop
// and en on a phone; each language files another enterprise with another principal (a subject may have one
// order in flight, a person's contacts stay the same across subjects).
func TestBrowserWizardInLanguages(t *testing.T) {
	browser := newBrowser(t)
	a := startApp(t, "")
	scan := scanPNG(t)
	people := []filing.Principal{principal(), zhang}
	credentials := []string{usccOf("91440101", "35681234"), usccOf("91440106", "35681235")}
	for i, l := range consoleLangs[1:] {
		t.Run(l.lang, func(t *testing.T) {
			p := newParties(t, a)
			email := "wizard-" + l.lang + "@example.com"
			c, _ := p.newApplicant(email)
			b := newTab(t, browser, a.URL(), viewports[i%len(viewports)])
			b.switchLang("/login", l.lang)
			b.login(email, "correct horse 1")
			id := wizardChecked(b, l, credentials[i], "wizard-"+strings.ToLower(l.lang)+".cn")
			filed := func() []string { return filedText(c, id) }
			wizardSubject(b, l, people[i], filed)
			wizardServices(b, l, filed)
			wizardMaterials(b, l, scan, filed)
			wizardSubmitted(b, l, filed)
		})
	}
}

// wizardChecked: from the dashboard, the filing type of a Guangdong enterprise's website checked and its
// instance chosen; the order the wizard opened.
func wizardChecked(b *tab, l consoleLang, credential, domain string) int64 {
	b.t.Helper()
	b.submit("#btn-new-filing")
	b.inLang(l, nil)
	b.accessible("check filing type")
	b.checkFilingTypeOf(credential, domain, l.newFiling)
	b.inLang(l, nil)
	b.accessible("check result and resource")
	b.submit("#btn-create")
	return orderID(b.t, b.eval("location.pathname"))
}

// wizardSubject: the subject step, typed with a credential address not precise to the house number, is refused
// beside that address; with the number it goes on to the services step.
func wizardSubject(b *tab, l consoleLang, who filing.Principal, filed func() []string) {
	b.t.Helper()
	b.inLang(l, filed())
	b.accessible("subject step")
	typed := map[string]string{
		"f-subject-name":                            "广州示例" + who.Name + "网络科技有限公司",
		"f-subject-credential_address":              "广州市天河区天河路",
		"f-subject-communication_address":           "广东省广州市天河区天河路100号",
		"f-subject-investor":                        who.Name,
		"f-subject-legal_representative-name":       who.Name,
		"f-subject-legal_representative-id_number":  who.CredentialNumber,
		"f-subject-principal-name":                  who.Name,
		"f-subject-principal-credential_number":     who.CredentialNumber,
		"f-subject-principal-credential_valid_from": who.CredentialValidFrom,
		"f-subject-principal-credential_valid_to":   who.CredentialValidTo,
		"f-subject-principal-office_phone":          who.OfficePhone,
		"f-subject-principal-mobile":                who.Mobile,
		"f-subject-principal-emergency_mobile":      who.EmergencyMobile,
		"f-subject-principal-email":                 who.Email,
	}
	for id, v := range typed {
		b.set(id, v)
	}
	b.submit("#btn-next")
	b.refusedBeside("f-subject-credential_address", l.address.words...)
	b.namedAsLabelled("f-subject-credential_address", l.address.label)
	b.contains("#error-summary", l.errorsTitle)
	b.kept(typed)
	b.inLang(l, filed())
	b.accessible("subject step refused")
	b.set("f-subject-credential_address", "广州市天河区天河路100号")
	b.submit("#btn-next")
	b.reload()
	if got := b.eval(`location.pathname`); !strings.HasSuffix(got, "/services") {
		b.t.Fatalf("after the corrected subject the wizard is at %s", got)
	}
}

// wizardServices: the website's name and content typed, on to the materials.
func wizardServices(b *tab, l consoleLang, filed func() []string) {
	b.t.Helper()
	b.inLang(l, filed())
	b.accessible("services step")
	b.set("f-services-0-name", "广州示例云科技官网")
	b.do(chromedp.Click(chromedp.CSS(`input[name="services[0].content"][value="unit_portal"]`)))
	b.submit("#btn-next")
}

// wizardMaterials: the Guangdong commitment letter uploaded, shown uploaded after a reload; on to the
// verification page, and from it to the review.
func wizardMaterials(b *tab, l consoleLang, scan string, filed func() []string) {
	b.t.Helper()
	const letter = "f-materials-guangdong_commitment_letter"
	b.inLang(l, filed())
	b.accessible("materials step")
	b.upload(scan, letter+"-file")
	b.submit("#" + letter + " button[type=submit]")
	b.reload()
	b.contains("#"+letter, l.uploaded)
	b.inLang(l, filed())
	b.submit("#btn-next")
	b.inLang(l, filed())
	b.accessible("verification page")
	b.submit(`.actions a[href$="/review"]`)
}

// wizardSubmitted: the review page, the agreements ticked, submits the order; its progress page, reloaded,
// shows it submitted.
func wizardSubmitted(b *tab, l consoleLang, filed func() []string) {
	b.t.Helper()
	b.inLang(l, filed())
	b.absent(".notices-box") // what was typed is valid: nothing to point out
	b.accessible("review step")
	b.agree()
	b.submit("#btn-submit")
	b.reload()
	b.contains(".state-name", l.submitted)
	b.inLang(l, filed())
	b.accessible("progress, submitted")
}
