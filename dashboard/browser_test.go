package dashboard_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/chstore"
	"github.com/antq-atlas/antq/analytics/chstore/chstoretest"
	"github.com/antq-atlas/antq/analytics/commune"
	"github.com/antq-atlas/antq/dashboard"
	"github.com/antq-atlas/antq/ingest"
	"github.com/antq-atlas/antq/ingest/demo"
)

// chromiumPath finds a Chromium (see requireTool: under make test its
// absence fails the test).
func chromiumPath(tb testing.TB) string {
	tb.Helper()
	return requireTool(tb, "chromium", "chromium", "chromium-browser", "google-chrome")
}

// demoServer serves the page on loopback over the demo dataset (Tuyên
// Quang and Phú Thọ), ingested through ingest.Job into a real store.
func demoServer(t testing.TB) string {
	t.Helper()
	return demoServerAuth(t, nil)
}

// demoServerAuth is demoServer with access control (nil: the open mode of
// tests; Auth.Public: an anonymous visitor reads as a viewer).
func demoServerAuth(t testing.TB, auth *dashboard.Auth) string {
	t.Helper()
	set, err := commune.Load(ctx, commune.Config{Provinces: []analytics.ProvinceCode{"08", "25"}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := demo.Generate(ctx, set, demo.Config{Out: t.TempDir(), Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	store := chstoretest.Open(t)
	if _, err := store.LoadReference(ctx, chstore.ReferenceFromSet(set, "08", "25")); err != nil {
		t.Fatal(err)
	}
	job := &ingest.Job{Writer: store, Resolver: commune.NewResolver(set)}
	if _, err := job.Run(ctx, res.Files...); err != nil {
		t.Fatal(err)
	}
	app, err := newApp(dashboard.Config{Version: "test", Now: func() time.Time { return today }, Auth: auth},
		dashboard.Deps{Health: store, Reader: store, Geo: set, Synthetic: true})
	if err != nil {
		t.Fatal(err)
	}
	dashboard.PageRoutes(app)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go app.Serve(ln)
	t.Cleanup(func() { _ = app.Shutdown(context.Background()) })
	return "http://" + ln.Addr().String()
}

func getJSON(t *testing.T, u string, v any) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", u, resp.StatusCode, b)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
}

// artifactDir is ANTQ_ARTIFACTS, else the test's temporary directory.
func artifactDir(t *testing.T) string {
	if d := os.Getenv("ANTQ_ARTIFACTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err == nil {
			return d
		}
	}
	return t.TempDir()
}

// TestPageInBrowser loads the page in headless Chromium against the demo
// data, drives every picker and compare mode, opens a commune from a real
// click on the map, checks the figures shown against the API, and finds no
// console error and no request leaving loopback.
func TestPageInBrowser(t *testing.T) {
	base := demoServer(t)

	var mu sync.Mutex
	var problems, requests []string
	listen := func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			requests = append(requests, e.Request.URL)
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeAssert {
				var args []string
				for _, a := range e.Args {
					args = append(args, string(a.Value)+a.Description)
				}
				problems = append(problems, "console."+string(e.Type)+": "+strings.Join(args, " "))
			}
		case *runtime.EventExceptionThrown:
			problems = append(problems, "exception: "+e.ExceptionDetails.Text+" "+fmt.Sprint(e.ExceptionDetails.Exception))
		case *log.EventEntryAdded:
			if e.Entry.Level == log.EntryLevelError {
				problems = append(problems, "log: "+e.Entry.Text+" "+e.Entry.URL)
			}
		}
	}
	bctx := newBrowser(t, chromedp.WithListener(listen))

	run := func(what string, a chromedp.Action[chromedp.Void]) {
		t.Helper()
		c, cancel := context.WithTimeout(bctx, 5*time.Minute) // hang guard
		defer cancel()
		if err := chromedp.Do(c, a); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	eval := func(expr string) string {
		t.Helper()
		c, cancel := context.WithTimeout(bctx, 5*time.Minute) // hang guard
		defer cancel()
		v, err := chromedp.Run(c, chromedp.Evaluate[string](expr))
		if err != nil {
			t.Fatalf("evaluate %s: %v", expr, err)
		}
		return v
	}
	// ready waits until the page has drawn generation > after.
	ready := func(what string, after int) int {
		t.Helper()
		c, cancel := context.WithTimeout(bctx, 5*time.Minute) // hang guard
		defer cancel()
		v, err := chromedp.Run(c, chromedp.Poll[string](
			fmt.Sprintf(`(function(){var r=document.body.getAttribute('data-ready'); return (r==='error'||(r&&+r>%d))?r:null;})()`, after),
			chromedp.WithPollingInterval(20*time.Millisecond)))
		if err != nil || v == "error" {
			t.Fatalf("%s: page not ready (%v): %s", what, err, eval(`document.getElementById('error').textContent`))
		}
		var n int
		fmt.Sscan(v, &n)
		return n
	}
	pick := func(id, value string, gen int) int {
		t.Helper()
		eval(fmt.Sprintf(`(function(){var s=document.getElementById(%q); s.value=%q; s.dispatchEvent(new Event('change')); return s.value;})()`, id, value))
		return ready(id+"="+value, gen)
	}

	// First load: the cold figure includes the server's first queries.
	start := time.Now()
	run("open page", chromedp.Navigate(base+"/"))
	gen := ready("first load", 0)
	t.Logf("page load (navigation to everything drawn): %v; in-page %s ms", time.Since(start), eval(`String(Math.round(window.antqPage.firstReadyMs))`))
	// A second load, with the server's caches warm.
	start = time.Now()
	run("reload page", chromedp.Navigate(base+"/?province=08"))
	gen = ready("second load", 0)
	// Logged, not asserted: speed is measured by BenchmarkPageLoad (make bench).
	t.Logf("page load, warm server: %v; in-page %s ms", time.Since(start), eval(`String(Math.round(window.antqPage.firstReadyMs))`))

	var sum struct {
		Headline  string `json:"headline_vi"`
		Synthetic bool   `json:"synthetic"`
	}
	getJSON(t, base+"/api/v1/summary?province=08&compare=prev", &sum) // the page opens on the default period
	if got := eval(`document.getElementById('headline').textContent`); got != sum.Headline {
		t.Errorf("headline %q, API says %q", got, sum.Headline)
	}
	if !strings.Contains(sum.Headline, "mô hình với") {
		t.Errorf("headline %q", sum.Headline)
	}
	if eval(`String(!document.getElementById('synthetic').classList.contains('hidden'))`) != "true" {
		t.Errorf("synthetic banner not shown")
	}
	if n := eval(`String(echarts.getMap('antq-08-medium').geoJSON.features.length)`); n != "124" {
		t.Errorf("Tuyên Quang map has %s regions, want 124", n)
	}

	// Province, metric, period and compare modes redraw without a reload.
	eval(`window.__noReload = 1; ''`)
	gen = pick("province", "25", gen)
	if n := eval(`String(echarts.getMap('antq-25-medium').geoJSON.features.length)`); n != "148" {
		t.Errorf("Phú Thọ map has %s regions, want 148", n)
	}
	gen = pick("metric", "share_good", gen)
	gen = pick("period", "2024H2", gen)
	gen = pick("compare", "delta", gen)
	if !strings.Contains(eval(`document.getElementById('map-title').textContent`), "Thay đổi") {
		t.Errorf("delta map title %q", eval(`document.getElementById('map-title').textContent`))
	}
	gen = pick("compare", "side", gen)
	if eval(`String(document.getElementById('map-left-fig').classList.contains('hidden'))`) != "false" {
		t.Errorf("side-by-side map not shown")
	}
	gen = pick("period", "post-merger", gen)
	check := func(on bool) {
		t.Helper()
		eval(fmt.Sprintf(`(function(){var s=document.getElementById('sites'); s.checked=%v; s.dispatchEvent(new Event('change')); return '';})()`, on))
		gen = ready(fmt.Sprintf("sites %v", on), gen)
	}
	check(true)
	gen = pick("compare", "none", gen)
	gen = pick("province", "08", gen)
	gen = pick("metric", "sites", gen)
	gen = pick("period", "2025", gen)
	if n := eval(`String(window.antqPage.charts['map-main'].getOption().series.length)`); n != "2" {
		t.Errorf("map with sites has %s series, want 2 (regions and sites)", n)
	}
	check(false)
	if eval(`String(window.__noReload)`) != "1" {
		t.Errorf("the page reloaded")
	}

	// A real click on Xã Hùng Lợi opens its panel.
	var cl struct {
		Communes []struct {
			Code     string     `json:"code"`
			FullName string     `json:"full_name"`
			Center   [2]float64 `json:"center"`
		} `json:"communes"`
	}
	getJSON(t, base+"/api/v1/communes?province=08", &cl)
	code, name := "", ""
	var center [2]float64
	for _, c := range cl.Communes {
		if c.FullName == "Xã Hùng Lợi" {
			code, name, center = c.Code, c.FullName, c.Center
		}
	}
	if code == "" {
		t.Fatal("no Xã Hùng Lợi in the communes")
	}
	xy := eval(fmt.Sprintf(`(function(){var ch=window.antqPage.charts['map-main']; var p=ch.convertToPixel({seriesIndex:0}, [%f,%f]); var r=document.getElementById('map-main').getBoundingClientRect(); return (r.left+p[0])+','+(r.top+p[1]);})()`, center[0], center[1]))
	var x, y float64
	fmt.Sscanf(xy, "%f,%f", &x, &y)
	run("click "+name, chromedp.MouseClickXY(x, y))
	c, cancelPoll := context.WithTimeout(bctx, 5*time.Minute) // hang guard
	_, err := chromedp.Run(c, chromedp.Poll[bool](`document.querySelector('#panel-figures tbody tr[data-metric="sites"]') !== null && !document.getElementById('panel').classList.contains('hidden')`))
	cancelPoll()
	if err != nil {
		t.Fatalf("clicking %s at %s opened no panel: %v (panel title %q)", name, xy, err, eval(`document.getElementById('panel-title').textContent`))
	}
	if got := eval(`document.getElementById('panel-title').textContent`); got != name {
		t.Errorf("panel shows %q, clicked %q", got, name)
	}
	var detail struct {
		Metrics []struct {
			Metric struct {
				ID string `json:"id"`
			} `json:"metric"`
			Text     string `json:"text_vi"`
			Rank     *int   `json:"rank"`
			RankText string `json:"rank_text"`
		} `json:"metrics"`
		Models []json.RawMessage `json:"models"`
		Sites  []json.RawMessage `json:"sites"`
	}
	getJSON(t, base+"/api/v1/communes/"+code+"?period=2025", &detail)
	for _, m := range detail.Metrics {
		shown := eval(fmt.Sprintf(`(function(){var tr=document.querySelector('#panel-figures tr[data-metric=%q]'); return tr ? tr.children[1].textContent + '|' + tr.children[2].textContent : '';})()`, m.Metric.ID))
		want := m.Text
		if want == "" {
			want = "không có số liệu"
		}
		rank := "–"
		if m.Rank != nil {
			rank = m.RankText // "12/124"
			if !strings.HasPrefix(rank, fmt.Sprint(*m.Rank)+"/") {
				t.Errorf("%s: rank %d written %q", m.Metric.ID, *m.Rank, rank)
			}
		}
		if shown != want+"|"+rank {
			t.Errorf("%s: panel shows %q, API says %q", m.Metric.ID, shown, want+"|"+rank)
		}
	}
	// The commune's kind opens the meta line capitalised ("Xã · 02455", issue #21).
	if got := eval(`document.getElementById('panel-meta').textContent`); !strings.HasPrefix(got, "Xã · ") {
		t.Errorf("panel meta %q, want it to start with the kind capitalised, \"Xã · \"", got)
	}
	if got, want := eval(`document.getElementById('panel-sites-n').textContent`), fmt.Sprint(len(detail.Sites)); got != want {
		t.Errorf("panel counts %s sites, API %s", got, want)
	}
	if eval(`document.getElementById('crumb-commune').textContent`) != name {
		t.Errorf("breadcrumb does not name the commune")
	}

	// An embed link lives 30 days unless the user chooses another life.
	embedExp := func(what string, prev string) (string, time.Time) {
		t.Helper()
		c, cancel := context.WithTimeout(bctx, 5*time.Minute) // hang guard
		defer cancel()
		u, err := chromedp.Run(c, chromedp.Poll[string](fmt.Sprintf(`(function(){var v=document.getElementById('embed-url').value; return v && v!==%q ? v : null;})()`, prev)))
		if err != nil {
			t.Fatalf("%s: no embed link: %v", what, err)
		}
		pu, err := url.Parse(u)
		if err != nil {
			t.Fatalf("%s: embed link %q: %v", what, u, err)
		}
		var exp int64
		fmt.Sscan(pu.Query().Get("exp"), &exp)
		return u, time.Unix(exp, 0)
	}
	eval(`(function(){var bs=[].slice.call(document.querySelectorAll('button.button')).filter(function(b){return b.textContent==='Nhúng';}); bs[0].click(); return String(bs.length);})()`)
	u30, exp30 := embedExp("embed 30 days", "")
	if d := time.Until(exp30).Hours() / 24; d < 29 || d > 31 {
		t.Errorf("default embed link lives %.1f days, want 30", d)
	}
	if got := eval(`document.getElementById('embed-days').value`); got != "30" {
		t.Errorf("embed life selector shows %q, want 30", got)
	}
	eval(`(function(){var s=document.getElementById('embed-days'); s.value='365'; s.dispatchEvent(new Event('change')); return '';})()`)
	_, exp365 := embedExp("embed 1 year", u30)
	if d := time.Until(exp365).Hours() / 24; d < 364 || d > 366 {
		t.Errorf("1-year embed link lives %.1f days", d)
	}
	eval(`document.getElementById('embed-close').click(); ''`)

	// The English toggle relabels the page; numbers stay Vietnamese.
	eval(`document.getElementById('lang').click(); ''`)
	gen = ready("english", gen)
	if got := eval(`document.querySelector('[data-i18n=headline]').textContent`); got != "Headline figures" {
		t.Errorf("English label %q", got)
	}
	eval(`document.getElementById('lang').click(); ''`)
	gen = ready("vietnamese", gen)

	// Wait for the panel's trend, then keep a screenshot.
	time.Sleep(300 * time.Millisecond)
	shotCtx, cancelShot := context.WithTimeout(bctx, 5*time.Minute) // hang guard
	shot, err := chromedp.Run(shotCtx, chromedp.FullScreenshot(100))
	cancelShot()
	if err != nil {
		t.Fatal(err)
	}
	dir := artifactDir(t)
	if err := os.WriteFile(filepath.Join(dir, "antq-dashboard.png"), shot, 0o644); err != nil {
		t.Fatal(err)
	}
	_ = os.WriteFile(filepath.Join(os.TempDir(), "antq-dashboard.png"), shot, 0o644)
	t.Logf("screenshot: %s (and %s)", filepath.Join(dir, "antq-dashboard.png"), filepath.Join(os.TempDir(), "antq-dashboard.png"))

	mu.Lock()
	defer mu.Unlock()
	for _, p := range problems {
		t.Errorf("browser: %s", p)
	}
	if len(requests) < 20 {
		t.Errorf("only %d requests seen", len(requests))
	}
	for _, r := range requests {
		u, err := url.Parse(r)
		if err != nil {
			t.Errorf("request %q", r)
			continue
		}
		switch u.Scheme {
		case "data", "blob", "about":
			continue
		}
		if h := u.Hostname(); h != "127.0.0.1" {
			t.Errorf("request left loopback: %s", r)
		}
	}
}
