package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/chromedp/chromedp"
)

func main() {
	opts := []chromedp.ExecAllocatorOption{chromedp.ExecPath("/usr/bin/chromium"), chromedp.NoSandbox, chromedp.Headless, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.UserDataDir(os.TempDir() + "/expud"), chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("accept-lang", "zh-CN,zh"), chromedp.Flag("force-color-profile", "srgb")}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	b, cancel := chromedp.NewContext(actx, chromedp.WithLogf(func(f string, a ...any) { fmt.Printf("LOG "+f+"\n", a...) }))
	defer cancel()
	fmt.Println("start", chromedp.Do(b))
	for _, newBC := range []bool{false, true} {
		var o []chromedp.ContextOption
		if newBC {
			o = append(o, chromedp.WithNewBrowserContext())
		}
		tctx, c2 := chromedp.NewContext(b, o...)
		ctx, c3 := context.WithTimeout(tctx, 10*time.Second)
		err := chromedp.Do(ctx, chromedp.EmulateViewport(400, 800))
		fmt.Println("newBC", newBC, "emulate:", err)
		ctx2, c4 := context.WithTimeout(tctx, 10*time.Second)
		err = chromedp.Do(ctx2, chromedp.Navigate("http://127.0.0.1:18080/register"))
		fmt.Println("navigate:", err)
		c4(); c3(); c2()
	}
}
