package app_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/beian/beian/internal/app"
	"github.com/beian/beian/internal/face"
	"github.com/beian/beian/internal/face/facetest"
)

// The phone's live check in a real browser (issue 14), its camera being Chromium's fake device playing a film
// made here from facetest's face: the page shows the two actions the server asked for, films them through
// getUserMedia and sends the frames. A film in which the person opens the mouth and then blinks passes and the
// page offers the kept frame for confirmation; a film of a still photo is refused, the page saying what to do.
// The server's challenge is fixed through the test hook (app.EvidenceConfig.Challenge) so that the film,
// made before the browser starts, can perform it; the page cannot choose it.
func TestBrowserLiveness(t *testing.T) {
	st := facetest.Standard(t)
	still := func(n int) []*image.RGBA { return facetest.Repeat(st.M, n) }
	acting := facetest.Seq(still(10), facetest.Repeat(st.MouthOpen(), 12), still(8), facetest.Repeat(st.EyesClosed(), 12), still(25))
	dir := t.TempDir()
	actingFile := filepath.Join(dir, "acting.y4m")
	writeY4M(t, actingFile, facetest.Film(t, 21, acting...))
	stillFile := filepath.Join(dir, "still.y4m")
	// Longer than the filming: a film that loops would be refused as a replay (the same frame sent twice).
	writeY4M(t, stillFile, facetest.Film(t, 22, still(65)...))

	t.Run("actions done", func(t *testing.T) {
		ph := livePhone(t, "live-acting@example.com", actingFile)
		ph.do(chromedp.Click(chromedp.ID("btn-live-start")))
		ph.waitText("#live-steps", "张张嘴")
		if got := ph.text("#live-steps"); strings.Index(got, "张张嘴") > strings.Index(got, "眨眨眼") {
			t.Fatalf("the actions are shown out of order: %q", got)
		}
		ph.waitFor("the check ends", "document.getElementById('confirm') !== null || !document.getElementById('live-error').hidden", time.Minute)
		ph.contains("#confirm", "照片已通过检查")
		ph.vshot("liveness-passed")
	})

	t.Run("still photo", func(t *testing.T) {
		ph := livePhone(t, "live-still@example.com", stillFile)
		ph.do(chromedp.Click(chromedp.ID("btn-live-start")))
		ph.waitFor("the refusal shown", "!document.getElementById('live-error').hidden", time.Minute)
		ph.contains("#live-error", "检测未通过", "画面中没有任何动作", "重新开始")
		ph.contains("#btn-live-start", "重新开始")
		ph.accessible("live check refused")
		ph.vshot("liveness-refused")
	})
}

// livePhone opens, in a browser whose camera plays film, the phone page of a new applicant's order on a server
// that asks for opening the mouth, then a blink.
func livePhone(t *testing.T, email, film string) *tab {
	t.Helper()
	a := startApp(t, "", func(c *app.Config) {
		c.Evidence.Challenge = func(now time.Time) face.Challenge {
			ch := face.NewChallenge(now)
			ch.Actions = []face.Action{face.OpenMouth, face.Blink}
			return ch
		}
	})
	p := newParties(t, a)
	browser := newBrowser(t, chromedp.Flag("use-fake-ui-for-media-stream", true),
		chromedp.Flag("use-fake-device-for-media-stream", true), chromedp.Flag("use-file-for-fake-video-capture", film))
	c, res := p.newApplicant(email)
	o := p.draftReady(c, res, strings.Split(email, "@")[0]+".cn")
	var link struct {
		URL string `json:"url"`
	}
	c.must(201, "POST", path("/api/v1/orders/%d/verification/links", o.ID), map[string]string{"person": "subject_principal"}, &link)
	ph := newTab(t, browser, p.a.URL(), viewports[1])
	ph.do(chromedp.Navigate(link.URL))
	ph.waitFor("the live check offered", `!document.getElementById("live").hidden`, 10*time.Second)
	ph.contains("#live", "动作活体检测")
	if ph.eval(`String(document.getElementById("capture").hidden)`) != "true" {
		t.Fatal("with a camera the photo form still shows")
	}
	return ph
}

// waitFor waits up to d until the script js is true on the page as it is, tolerating a page being replaced;
// what says what was awaited.
func (b *tab) waitFor(what, js string, d time.Duration) {
	b.t.Helper()
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		ok, err := b.try(js)
		if err == nil && ok {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	b.t.Fatalf("%s: never happened (%s); the page shows %q", what, js, b.eval("document.body.innerText.slice(0, 1500)"))
}

// try evaluates js once, tolerating a page being replaced.
func (b *tab) try(js string) (bool, error) {
	ctx, cancel := context.WithTimeout(b.ctx, 2*time.Second)
	defer cancel()
	return chromedp.Run(ctx, chromedp.Evaluate[bool](js))
}

// writeY4M writes shots as a YUV4MPEG2 film (4:2:0, five frames a second: facetest.Film's 200 ms), the format
// Chromium's fake camera plays in a loop.
func writeY4M(t *testing.T, name string, shots []facetest.Shot) {
	t.Helper()
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	fmt.Fprintf(w, "YUV4MPEG2 W%d H%d F5:1 Ip A1:1 C420jpeg\n", facetest.W, facetest.H)
	for _, s := range shots {
		m, err := jpeg.Decode(bytes.NewReader(s.Image))
		if err != nil {
			t.Fatal(err)
		}
		w.WriteString("FRAME\n")
		w.Write(planes(m))
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
}

// planes is m as I420: the luma plane, then Cb and Cr sampled once per 2×2 block.
func planes(m image.Image) []byte {
	b := m.Bounds()
	wd, ht := b.Dx(), b.Dy()
	out := make([]byte, wd*ht+2*(wd/2)*(ht/2))
	cb, cr := out[wd*ht:], out[wd*ht+(wd/2)*(ht/2):]
	for y := range ht {
		for x := range wd {
			r, g, bl, _ := m.At(b.Min.X+x, b.Min.Y+y).RGBA()
			yy, u, v := color.RGBToYCbCr(uint8(r>>8), uint8(g>>8), uint8(bl>>8))
			out[y*wd+x] = yy
			if x%2 == 0 && y%2 == 0 {
				cb[(y/2)*(wd/2)+x/2], cr[(y/2)*(wd/2)+x/2] = u, v
			}
		}
	}
	return out
}
