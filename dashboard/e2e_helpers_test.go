package dashboard_test

import (
	"context"
	"os"
	"os/exec"
	"testing"

	"github.com/chromedp/chromedp"
)

// requireTool returns the path of the first of names on PATH. Without one
// the test fails under `make test` (ANTQ_REQUIRE_E2E=1: CI must not pass
// because a tool was missing) and skips elsewhere, saying what to install.
func requireTool(tb testing.TB, install string, names ...string) string {
	tb.Helper()
	for _, name := range names {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("ANTQ_REQUIRE_E2E") == "1" {
		tb.Fatalf("%s not found on PATH (ANTQ_REQUIRE_E2E=1): apt-get install %s", names[0], install)
	}
	tb.Skipf("%s not installed: apt-get install %s (under make test this fails)", names[0], install)
	return ""
}

// newBrowser starts headless Chromium (found by requireTool) with the flags
// this closed network needs (no background networking, no component
// updates, no sync) and returns a browser context, started, ended with the
// test. opts are chromedp's context options (e.g. an event listener).
func newBrowser(tb testing.TB, opts ...chromedp.ContextOption) context.Context {
	tb.Helper()
	chrome := chromiumPath(tb)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chrome),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.WindowSize(1600, 1100),
	)
	tb.Cleanup(cancelAlloc)
	bctx, cancel := chromedp.NewContext(alloc, opts...)
	tb.Cleanup(cancel)
	// Start the browser (no timeout on the first Run: it would end the browser).
	if err := chromedp.Do(bctx, chromedp.Navigate("about:blank")); err != nil {
		tb.Fatalf("start chromium: %v", err)
	}
	return bctx
}
