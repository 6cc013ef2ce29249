package app_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/beian/beian/internal/filing"
	"github.com/beian/beian/internal/storetest"
	"github.com/beian/beian/internal/web"
)

// card is the HTML of the materials page's card for the material at path (its <section> up to the next one).
func card(t *testing.T, page, path string) string {
	t.Helper()
	i := strings.Index(page, `id="`+web.FieldID(path)+`"`)
	if i < 0 {
		t.Fatalf("no card for %s", path)
	}
	rest := page[i:]
	if j := strings.Index(rest, "</section>"); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

// TestMaterialsStateOneLimit: each card states the types and the size its material accepts, its file input
// carries the limit for the script, and a file over the limit is refused on its own card with the same limit,
// whether it is a little over (read and refused) or far over (the body is cut off unread).
func TestMaterialsStateOneLimit(t *testing.T) {
	for name, url := range storetest.URLs(t) {
		t.Run(name, func(t *testing.T) { materialsOneLimit(t, url) })
	}
}

func materialsOneLimit(t *testing.T, url string) {
	a := startApp(t, url)
	p := newParties(t, a)
	c, res := p.newApplicant("materials-limit@example.cn")
	o := p.open(c, check("materials-limit.cn"), res, filing.NewFiling)
	page := fmt.Sprintf("/orders/%d/materials", o.ID)
	cookie := web.SessionCookie + "=" + c.token
	status, body := c.do("GET", page, nil, "Cookie", cookie)
	if status != 200 {
		t.Fatalf("GET %s = %d", page, status)
	}
	const path = "materials.subject_credential"
	got := card(t, string(body), path)
	for _, want := range []string{"JPG/PNG格式，不超过15 MB。", `data-max="15000000"`, `accept="image/jpeg,image/png"`,
		`data-too-large="文件过大（超过15 MB），请压缩后重新上传。"`} {
		if !strings.Contains(got, want) {
			t.Errorf("card lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(string(body), "16MB") || strings.Contains(string(body), "16 MB") {
		t.Error("the page still states 16 MB")
	}
	for _, size := range []int{web.MaxUpload + 1000, web.MaxUpload + 3<<20} {
		var buf bytes.Buffer
		ct := multipartWriter(&buf, map[string]string{"code": "subject_credential", "action": "upload"}, "file",
			bytes.Repeat([]byte{0xff}, size))
		status, body := c.sendRaw("POST", page+"?code=subject_credential", ct, buf.Bytes(), "Cookie", cookie, "Origin", c.base)
		if status != 422 {
			t.Fatalf("%d bytes: status %d", size, status)
		}
		got := card(t, string(body), path)
		if !strings.Contains(got, `class="error" id="`+web.FieldID(path)+`-err">`) ||
			!strings.Contains(got, "文件过大（超过15 MB），请压缩后重新上传。") {
			t.Errorf("%d bytes: the card does not say the file is too large:\n%s", size, got)
		}
	}
}
