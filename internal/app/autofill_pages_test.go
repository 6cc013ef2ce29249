package app_test

import (
	"bytes"
	"image/jpeg"
	"math/rand/v2"
	"mime/multipart"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/recognise/credtest"
)

// The credential photo first without the script: the upload form posts the photo, the answer sends the page
// back to the subject step, which shows the principal's name and ID number filled and marked. A file that is
// not a photo is refused on its card and fills nothing.
func TestAutofillWithoutScript(t *testing.T) {
	a := startApp(t, "", withOCR(t))
	p := newParties(t, a)
	c, res := p.newApplicant("autofill-plain@example.com")
	o := p.open(c, check("autofill-plain.cn"), res, filing.NewFiling)
	cookies := []*http.Cookie{{Name: "beian_session", Value: c.token}}
	person := credtest.NewPerson(rand.New(rand.NewPCG(14, 2)))
	card, err := credtest.IDFront(person)
	if err != nil {
		t.Fatal(err)
	}
	var photo bytes.Buffer
	if err := jpeg.Encode(&photo, card, &jpeg.Options{Quality: 92}); err != nil {
		t.Fatal(err)
	}
	post := func(name string, data []byte) (*http.Response, string) {
		t.Helper()
		var body bytes.Buffer
		w := multipart.NewWriter(&body)
		fw, _ := w.CreateFormFile("file", name)
		fw.Write(data)
		w.Close()
		return page(t, "POST", a.URL()+path("/orders/%d/subject?autofill=subject_principal_credential", o.ID), "zh-CN",
			cookies, w.FormDataContentType(), body.Bytes())
	}
	field := func(html, id string) (value string, marked bool) {
		wrap := regexp.MustCompile(`(?s)id="` + id + `-wrap".*?</div>`).FindString(html)
		m := regexp.MustCompile(`id="` + id + `" name="[^"]*" value="([^"]*)"`).FindStringSubmatch(wrap)
		if m == nil {
			t.Fatalf("no input %s in %s", id, wrap)
		}
		return m[1], strings.Contains(wrap, "已识别，请核对")
	}

	resp, html := post("notes.txt", []byte("not a photo"))
	card1 := regexp.MustCompile(`(?s)<p class="error" id="f-materials-subject_principal_credential-autofill-err">(.*?)</p>`).FindStringSubmatch(html)
	if resp.StatusCode != 422 || card1 == nil || strings.TrimSpace(visible(card1[1])) == "" {
		t.Fatalf("a text file: %d, card error %q", resp.StatusCode, card1)
	}
	if v, _ := field(html, "f-subject-principal-name"); v != "" {
		t.Fatalf("a refused file filled the name with %q", v)
	}

	resp, _ = post("id.jpg", photo.Bytes())
	if loc := resp.Header.Get("Location"); resp.StatusCode != 303 || !strings.Contains(loc, path("/orders/%d/subject?ok=recognised", o.ID)) {
		t.Fatalf("the photo: %d to %q", resp.StatusCode, loc)
	}
	_, html = page(t, "GET", a.URL()+resp.Header.Get("Location"), "zh-CN", cookies, "", nil)
	if v, marked := field(html, "f-subject-principal-name"); v != person.Name || !marked {
		t.Fatalf("principal name %q (marked %v), the card shows %q", v, marked, person.Name)
	}
	if v, marked := field(html, "f-subject-principal-credential_number"); v != person.Number || !marked {
		t.Fatalf("principal ID number %q (marked %v), the card shows %q", v, marked, person.Number)
	}
	if !strings.Contains(html, "证件照片已上传并识别") {
		t.Fatal("no confirmation that the photo was read")
	}
}
