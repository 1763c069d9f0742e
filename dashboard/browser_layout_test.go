package dashboard_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/antq-atlas/antq/dashboard"
	"github.com/antq-atlas/antq/dashboard/access"
)

// browserPage drives one tab of a browser for the layout tests: every step
// under a hang guard of minutes, never a timed expectation.
type browserPage struct {
	t    *testing.T
	bctx context.Context
}

func (p browserPage) do(what string, a chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	c, cancel := context.WithTimeout(p.bctx, 5*time.Minute) // hang guard
	defer cancel()
	if err := chromedp.Do(c, a); err != nil {
		p.t.Fatalf("%s: %v", what, err)
	}
}

func (p browserPage) eval(expr string) string {
	p.t.Helper()
	c, cancel := context.WithTimeout(p.bctx, 5*time.Minute) // hang guard
	defer cancel()
	v, err := chromedp.Run(c, chromedp.Evaluate[string](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		p.t.Fatalf("evaluate %.200s: %v", expr, err)
	}
	return v
}

// poll waits (hang guard only) until expr is true.
func (p browserPage) poll(what, expr string) {
	p.t.Helper()
	c, cancel := context.WithTimeout(p.bctx, 5*time.Minute) // hang guard
	defer cancel()
	if _, err := chromedp.Run(c, chromedp.Poll[bool](expr, chromedp.WithPollingInterval(20*time.Millisecond))); err != nil {
		p.t.Fatalf("%s: %v (error banner %q)", what, err, p.eval(`document.getElementById('error').textContent`))
	}
}

// ready waits until the page has drawn a generation (or failed), then two
// animation frames so that the canvases are painted.
func (p browserPage) ready(what string) string {
	p.t.Helper()
	p.poll(what, `(function(){var r=document.body.getAttribute('data-ready'); return !!r;})()`)
	p.eval(`new Promise(function(ok){requestAnimationFrame(function(){requestAnimationFrame(function(){ok('');});});})`)
	return p.eval(`document.body.getAttribute('data-ready')`)
}

// open navigates to u and waits for the first drawing.
func (p browserPage) open(u string) {
	p.t.Helper()
	p.do("open "+u, chromedp.Steps(chromedp.Navigate("about:blank"), chromedp.Navigate(u)))
	if r := p.ready("load " + u); r == "error" {
		p.t.Fatalf("%s: page failed: %s", u, p.eval(`document.getElementById('error').textContent`))
	}
}

type rect struct {
	ID                       string
	Left, Top, Right, Bottom float64
}

func (r rect) String() string {
	return fmt.Sprintf("%s [%.0f,%.0f–%.0f,%.0f]", r.ID, r.Left, r.Top, r.Right, r.Bottom)
}

// overlap is the area two boxes share.
func overlap(a, b rect) float64 {
	w := min(a.Right, b.Right) - max(a.Left, b.Left)
	h := min(a.Bottom, b.Bottom) - max(a.Top, b.Top)
	if w <= 0 || h <= 0 {
		return 0
	}
	return w * h
}

// inside says whether a lies within b, give or take a pixel.
func inside(a, b rect) bool {
	return a.Left >= b.Left-1 && a.Top >= b.Top-1 && a.Right <= b.Right+1 && a.Bottom <= b.Bottom+1
}

// layoutJS measures, in page coordinates, every visible card, every visible
// chart box and the canvas ECharts drew in it, the map, its source line,
// the viewport and the document's width.
const layoutJS = `(function(){
  function box(el, id){ var r=el.getBoundingClientRect(); return {ID:id, Left:r.left+scrollX, Top:r.top+scrollY, Right:r.right+scrollX, Bottom:r.bottom+scrollY}; }
  function shown(el){ var r=el.getBoundingClientRect(); return r.width>0 && r.height>0 && getComputedStyle(el).visibility!=='hidden'; }
  var cards=[], charts=[];
  [].forEach.call(document.querySelectorAll('#main .card'), function(el){ if(shown(el)){ cards.push(box(el, el.id||el.className)); } });
  [].forEach.call(document.querySelectorAll('#main .chart'), function(el){
    if(!shown(el) || el.closest('.panel')){ return; }
    var c=el.querySelector('canvas'); var card=el.closest('.card');
    charts.push({Box:box(el, el.id), Canvas:c&&shown(c)?box(c, el.id+' canvas'):null, Card:card?card.id||card.className:'',
      Role:el.getAttribute('role')||'', Label:el.getAttribute('aria-label')||'',
      TableRows: document.getElementById(el.id+'-table') ? document.getElementById(el.id+'-table').querySelectorAll('tbody tr').length : -1});
  });
  return JSON.stringify({Cards:cards, Charts:charts, Map:box(document.getElementById('map-main'),'map-main'),
    Foot:box(document.getElementById('map-foot'),'map-foot'), FootText:document.getElementById('map-foot').textContent,
    ViewW:innerWidth, ViewH:innerHeight, ScrollW:document.documentElement.scrollWidth});
})()`

type chartBox struct {
	Box       rect
	Canvas    *rect
	Card      string
	Role      string
	Label     string
	TableRows int
}

type pageLayout struct {
	Cards        []rect
	Charts       []chartBox
	Map, Foot    rect
	FootText     string
	ViewW, ViewH float64
	ScrollW      float64
}

func (p browserPage) layout() pageLayout {
	p.t.Helper()
	var l pageLayout
	if err := json.Unmarshal([]byte(p.eval(layoutJS)), &l); err != nil {
		p.t.Fatal(err)
	}
	return l
}

// checkNoOverlap: no two cards and no two chart boxes share area, every
// chart box lies within its card and its canvas within the box.
func checkNoOverlap(t *testing.T, what string, l pageLayout) {
	t.Helper()
	if len(l.Cards) < 5 || len(l.Charts) < 5 {
		t.Fatalf("%s: %d cards, %d charts measured, want the map, headline, findings, trend, breakdown and ranking", what, len(l.Cards), len(l.Charts))
	}
	for i := range l.Cards {
		for j := i + 1; j < len(l.Cards); j++ {
			if a := overlap(l.Cards[i], l.Cards[j]); a > 1 {
				t.Errorf("%s: cards overlap by %.0f px²: %s and %s", what, a, l.Cards[i], l.Cards[j])
			}
		}
	}
	cards := map[string]rect{}
	for _, c := range l.Cards {
		cards[c.ID] = c
	}
	for i, c := range l.Charts {
		if card, ok := cards[c.Card]; !ok || !inside(c.Box, card) {
			t.Errorf("%s: chart %s is not inside its card %s", what, c.Box, card)
		}
		if c.Canvas == nil {
			t.Errorf("%s: chart %s has no canvas drawn", what, c.Box.ID)
		} else if !inside(*c.Canvas, c.Box) {
			t.Errorf("%s: the canvas %s spills out of its box %s", what, *c.Canvas, c.Box)
		}
		for j := i + 1; j < len(l.Charts); j++ {
			if a := overlap(c.Box, l.Charts[j].Box); a > 1 {
				t.Errorf("%s: charts overlap by %.0f px²: %s and %s", what, a, c.Box, l.Charts[j].Box)
			}
		}
	}
}

// TestPageLayoutInBrowser lays the page out in headless Chromium at a
// phone, a tablet, a laptop and a desktop size and in print (A4 landscape,
// the PDF kept as an artifact): no two cards or chart boxes overlap, every
// canvas stays in its box, no sideways scrolling; at 1366×768 the map with
// its legend and the source line under it are on the first screen. It also
// checks the accessible names and data tables of the charts, the distinct
// names of the downloads, and that an error is a Vietnamese sentence with
// a "Thử lại" button.
func TestPageLayoutInBrowser(t *testing.T) {
	base := demoServer(t)
	listen, problems := scriptProblems()
	p := browserPage{t: t, bctx: newBrowser(t, chromedp.WithListener(listen))}
	dir := artifactDir(t)
	defer func() {
		for _, e := range problems() {
			t.Errorf("browser: %s", e)
		}
	}()

	for _, sz := range []struct{ w, h int64 }{{390, 844}, {768, 1024}, {1366, 768}, {1920, 1080}} {
		name := fmt.Sprintf("%dx%d", sz.w, sz.h)
		t.Run(name, func(t *testing.T) {
			p := browserPage{t: t, bctx: p.bctx}
			p.do("viewport", chromedp.EmulateViewport(sz.w, sz.h))
			p.open(base + "/?province=08")
			l := p.layout()
			if l.ViewW != float64(sz.w) || l.ViewH != float64(sz.h) {
				t.Fatalf("viewport %vx%v, want %s", l.ViewW, l.ViewH, name)
			}
			checkNoOverlap(t, name, l)
			if l.ScrollW > l.ViewW+1 {
				t.Errorf("%s: the page is %.0f px wide: it scrolls sideways", name, l.ScrollW)
			}
			for _, c := range l.Charts {
				if c.Canvas != nil && c.Canvas.Right > l.ViewW+1 {
					t.Errorf("%s: chart %s ends past the screen's right edge", name, *c.Canvas)
				}
			}

			shot := p.screenshot(name)
			if err := os.WriteFile(filepath.Join(dir, "antq-layout-"+name+".png"), shot, 0o644); err != nil {
				t.Fatal(err)
			}
			// The screenshot shows the map drawn: many colours in its box.
			img, err := png.Decode(bytes.NewReader(shot))
			if err != nil {
				t.Fatal(err)
			}
			if b := img.Bounds(); b.Dx() != int(sz.w) || b.Dy() != int(sz.h) {
				t.Errorf("%s: screenshot %v", name, b)
			}
			if n := colours(img, l.Map, sz.h); n < 4 {
				t.Errorf("%s: the map's part of the screenshot has %d colours: nothing drawn", name, n)
			}

			if sz.w < 600 {
				// Phones: the ranking's names are cut to a third of the
				// screen instead of the 300 px of wide screens.
				w := p.eval(`String(window.antqPage.charts['ranking-top'].getOption().yAxis[0].axisLabel.width)`)
				var lw float64
				fmt.Sscan(w, &lw)
				if lw <= 0 || lw > float64(sz.w)/2 {
					t.Errorf("%s: ranking labels %s px wide on a phone", name, w)
				}
				if ticks := p.eval(`String(window.antqPage.charts['trend'].getOption().yAxis[0].splitNumber)`); ticks != "3" {
					t.Errorf("%s: trend value axis splitNumber %s, want 3 on a phone", name, ticks)
				}
			}
			if name == "1366x768" {
				// The map's legend is drawn inside its box, at its bottom; the
				// box and the source line under it are on the first screen.
				if l.Map.Bottom > l.ViewH || l.Foot.Bottom > l.ViewH {
					t.Errorf("%s: map %s or source %s below the first screen (%v px)", name, l.Map, l.Foot, l.ViewH)
				}
				if !strings.Contains(l.FootText, "Nguồn") {
					t.Errorf("%s: map source line %q", name, l.FootText)
				}
				if n := p.eval(`String(window.antqPage.charts['map-main'].getOption().visualMap[0].pieces.length)`); n == "0" {
					t.Errorf("%s: the map has no legend classes", name)
				}
				checkAccessible(t, p, l)
			}
		})
	}

	t.Run("print", func(t *testing.T) {
		p := browserPage{t: t, bctx: p.bctx}
		// The print layout: A4 landscape less 10 mm margins is 277×190 mm,
		// 1047×718 CSS px.
		const pageW, pageH = 1047, 718
		p.do("viewport", chromedp.EmulateViewport(pageW, pageH))
		p.open(base + "/?province=08")
		p.do("print media", chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
			return err
		}))
		p.eval(`new Promise(function(ok){requestAnimationFrame(function(){requestAnimationFrame(function(){ok('');});});})`)
		l := p.layout()
		checkNoOverlap(t, "print", l)
		for _, c := range l.Cards {
			if c.Bottom-c.Top > pageH {
				t.Errorf("print: block %s is %.0f px high, more than a page (%d px)", c, c.Bottom-c.Top, pageH)
			}
			if c.Right > pageW+1 {
				t.Errorf("print: block %s is wider than the page", c)
			}
		}
		if n := p.eval(`String([].filter.call(document.querySelectorAll('.controls, .downloads, .datatable'), function(e){return e.getBoundingClientRect().height>0;}).length)`); n != "0" {
			t.Errorf("print: %s controls, download rows or data tables are printed", n)
		}
		p.do("screen media", chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: ""})
			return err
		}))
		c, cancel := context.WithTimeout(p.bctx, 5*time.Minute) // hang guard
		pdf, err := chromedp.Run(c, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4), chromedp.PDFLandscape(), chromedp.PDFPreferCSSPageSize()))
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
			t.Fatalf("print: not a PDF: %.20q", pdf)
		}
		// The map alone on the first page, the other blocks after it.
		if n := len(regexp.MustCompile(`/Type\s*/Page\b`).FindAll(pdf, -1)); n < 2 {
			t.Errorf("print: the PDF has %d pages, want the map's page and at least one more", n)
		}
		if err := os.WriteFile(filepath.Join(dir, "antq-print.pdf"), pdf, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("print PDF: %s (%d bytes)", filepath.Join(dir, "antq-print.pdf"), len(pdf))
	})

	t.Run("embed", func(t *testing.T) {
		// An embed fills its frame and follows it when the frame changes size.
		p := browserPage{t: t, bctx: p.bctx}
		var link struct{ Path string }
		getJSON(t, base+"/api/v1/embed-link?chart=map&province=08&metric=sites&period=2025", &link)
		p.do("viewport", chromedp.EmulateViewport(900, 560))
		p.do("open embed", chromedp.Steps(chromedp.Navigate("about:blank"), chromedp.Navigate(base+link.Path)))
		p.poll("embed drawn", `document.body.getAttribute('data-ready')==='1'`)
		fits := func(w, h int) string {
			return fmt.Sprintf(`(function(){var c=document.querySelector('#chart canvas'); if(!c){return false;} var r=c.getBoundingClientRect();
				return r.width>=%d-40 && r.width<=%d && r.bottom<=%d && r.height>=%d/2 && document.documentElement.scrollHeight<=%d;})()`, w, w, h, h, h)
		}
		p.poll("embed fills 900×560", fits(900, 560))
		p.do("smaller frame", chromedp.EmulateViewport(420, 360))
		p.poll("embed follows 420×360", fits(420, 360))
		p.do("larger frame", chromedp.EmulateViewport(1200, 800))
		p.poll("embed follows 1200×800", fits(1200, 800))
	})

	t.Run("error", func(t *testing.T) {
		p := browserPage{t: t, bctx: p.bctx}
		p.do("viewport", chromedp.EmulateViewport(1366, 768))
		// A window that ends before it starts: the server answers 400.
		p.do("open", chromedp.Steps(chromedp.Navigate("about:blank"), chromedp.Navigate(base+"/?province=08&period=custom&from=2025-06-30&to=2024-01-01")))
		if r := p.ready("bad window"); r != "error" {
			t.Fatalf("a reversed window drew the page (%s)", r)
		}
		msg := p.eval(`document.querySelector('#error .error-text').textContent`)
		if !strings.HasPrefix(msg, "Lựa chọn chưa hợp lệ: ") || strings.Contains(msg, " / ") || strings.Contains(msg, "/api/") {
			t.Errorf("error shown as %q, want a Vietnamese sentence without the API's English half or URL", msg)
		}
		if got := p.eval(`document.getElementById('retry').textContent`); got != "Thử lại" {
			t.Errorf("retry button %q", got)
		}
		// Retry after mending the window draws the page.
		p.eval(`(function(){var s=window.antqPage.state; s.from='2024-01-01'; s.to='2024-06-30'; document.getElementById('retry').click(); return '';})()`)
		p.poll("retry", `(function(){var r=document.body.getAttribute('data-ready'); return r!=='error' && +r>0;})()`)
		if p.eval(`String(document.getElementById('error').classList.contains('hidden'))`) != "true" {
			t.Errorf("the error stays after a successful retry")
		}
	})
}

// scriptProblems listens for the page's uncaught exceptions and
// console.error calls (network errors the page handles are not counted).
func scriptProblems() (func(ev any), func() []string) {
	var mu sync.Mutex
	var out []string
	listen := func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventExceptionThrown:
			out = append(out, "exception: "+e.ExceptionDetails.Text+" "+fmt.Sprint(e.ExceptionDetails.Exception))
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError {
				var args []string
				for _, a := range e.Args {
					args = append(args, string(a.Value)+a.Description)
				}
				out = append(out, "console.error: "+strings.Join(args, " "))
			}
		}
	}
	return listen, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), out...)
	}
}

// checkAccessible: every chart drawn is an image with a name and a data
// table; the map's communes are buttons in a table; the downloads have
// distinct names.
func checkAccessible(t *testing.T, p browserPage, l pageLayout) {
	t.Helper()
	for _, c := range l.Charts {
		if c.Role != "img" || c.Label == "" {
			t.Errorf("chart %s: role %q, aria-label %q", c.Box.ID, c.Role, c.Label)
		}
		if !strings.HasPrefix(c.Box.ID, "map-") && c.TableRows < 1 {
			t.Errorf("chart %s: data table has %d rows", c.Box.ID, c.TableRows)
		}
	}
	if n := p.eval(`String(document.querySelectorAll('#map-table button[data-code]').length)`); n != "124" {
		t.Errorf("the communes table has %s buttons, want Tuyên Quang's 124", n)
	}
	var names []string
	if err := json.Unmarshal([]byte(p.eval(`JSON.stringify([].map.call(document.querySelectorAll('.downloads a, .downloads button'), function(e){return e.getAttribute('aria-label')||e.textContent;}))`)), &names); err != nil {
		t.Fatal(err)
	}
	if len(names) < 20 {
		t.Errorf("only %d download links", len(names))
	}
	seen := map[string]bool{}
	for _, n := range names {
		if seen[n] {
			t.Errorf("two downloads are named %q", n)
		}
		seen[n] = true
	}
}

// screenshot captures the viewport.
func (p browserPage) screenshot(what string) []byte {
	p.t.Helper()
	c, cancel := context.WithTimeout(p.bctx, 5*time.Minute) // hang guard
	defer cancel()
	b, err := chromedp.Run(c, chromedp.CaptureScreenshot())
	if err != nil {
		p.t.Fatalf("screenshot %s: %v", what, err)
	}
	return b
}

// colours counts the distinct colours of img inside r (page coordinates,
// the page not scrolled), up to the screen's height.
func colours(img image.Image, r rect, viewH int64) int {
	seen := map[uint32]bool{}
	for y := int(r.Top); y < int(min(r.Bottom, float64(viewH))); y += 3 {
		for x := int(r.Left); x < int(r.Right); x += 3 {
			cr, cg, cb, _ := img.At(x, y).RGBA()
			seen[cr>>8<<16|cg>>8<<8|cb>>8] = true
		}
	}
	return len(seen)
}

// TestPagePublicInBrowser: an anonymous visitor of a --public server sees
// no sites toggle, a "Đăng nhập" link, and a commune's public figures when
// clicking it on the map (and when picking it from the communes table by
// keyboard); signing in as an analyst brings the sites toggle back.
func TestPagePublicInBrowser(t *testing.T) {
	users, err := access.OpenStore(filepath.Join(t.TempDir(), access.UsersFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := users.Update(func(us *access.Users) error {
		return us.Add("an", access.Analyst, testPassword, access.All)
	}); err != nil {
		t.Fatal(err)
	}
	base := demoServerAuth(t, &dashboard.Auth{Users: users, Public: true})
	// Every answer refused to the anonymous visitor is a wall the page ran into.
	var mu sync.Mutex
	var walls []string
	scripts, problems := scriptProblems()
	defer func() {
		for _, e := range problems() {
			t.Errorf("browser: %s", e)
		}
	}()
	listen := func(ev any) {
		scripts(ev)
		if e, ok := ev.(*network.EventResponseReceived); ok && (e.Response.Status == 401 || e.Response.Status == 403) {
			mu.Lock()
			walls = append(walls, fmt.Sprintf("%d %s", e.Response.Status, e.Response.URL))
			mu.Unlock()
		}
	}
	p := browserPage{t: t, bctx: newBrowser(t, chromedp.WithListener(listen))}
	p.do("viewport", chromedp.EmulateViewport(1366, 768))
	p.open(base + "/?province=08")

	visible := func(id string) bool {
		return p.eval(fmt.Sprintf(`String(document.getElementById(%q).getBoundingClientRect().height>0)`, id)) == "true"
	}
	if visible("sites") || visible("sites-box") {
		t.Errorf("anonymous visitor sees the sites toggle")
	}
	if !visible("signin") || p.eval(`document.getElementById('signin').textContent`) != "Đăng nhập" {
		t.Errorf("no visible \"Đăng nhập\" link")
	}
	// The findings and the deck read site lists (analyst): not offered.
	if visible("findings-card") || visible("briefing") {
		t.Errorf("anonymous visitor is offered the findings or the deck, which answer 403")
	}

	// A real click on Xã Hùng Lợi shows its public figures.
	var cl struct {
		Communes []struct {
			Code     string     `json:"code"`
			FullName string     `json:"full_name"`
			Center   [2]float64 `json:"center"`
		} `json:"communes"`
	}
	getJSON(t, base+"/api/v1/communes?province=08", &cl)
	var code, other string
	var center [2]float64
	for _, c := range cl.Communes {
		if c.FullName == "Xã Hùng Lợi" {
			code, center = c.Code, c.Center
		} else if other == "" {
			other = c.Code
		}
	}
	if code == "" {
		t.Fatal("no Xã Hùng Lợi")
	}
	xy := p.eval(fmt.Sprintf(`(function(){var ch=window.antqPage.charts['map-main']; var q=ch.convertToPixel({seriesIndex:0}, [%f,%f]); var r=document.getElementById('map-main').getBoundingClientRect(); return (r.left+q[0])+','+(r.top+q[1]);})()`, center[0], center[1]))
	var x, y float64
	fmt.Sscanf(xy, "%f,%f", &x, &y)
	p.do("click Xã Hùng Lợi", chromedp.MouseClickXY(x, y))
	p.poll("panel figures", `document.querySelector('#panel-figures tbody tr[data-metric="sites"]') !== null && !document.getElementById('panel').classList.contains('hidden')`)
	period := p.eval(`window.antqPage.state.period`)
	checkPanel := func(code string) {
		t.Helper()
		var figs struct {
			Metrics []struct {
				Metric struct {
					ID string `json:"id"`
				} `json:"metric"`
				Text string `json:"text_vi"`
			} `json:"metrics"`
		}
		getJSON(t, base+"/api/v1/figures?commune="+code+"&period="+period, &figs) // anonymous, as the page
		if len(figs.Metrics) < 5 {
			t.Fatalf("figures of %s: %d metrics", code, len(figs.Metrics))
		}
		for _, m := range figs.Metrics {
			want := m.Text
			if want == "" {
				want = "không có số liệu"
			}
			if got := p.eval(fmt.Sprintf(`(function(){var tr=document.querySelector('#panel-figures tr[data-metric=%q]'); return tr ? tr.children[1].textContent : '';})()`, m.Metric.ID)); got != want {
				t.Errorf("%s %s: panel shows %q, /api/v1/figures %q", code, m.Metric.ID, got, want)
			}
		}
		if meta := p.eval(`document.getElementById('panel-meta').textContent`); meta == "Đang tải…" || !strings.Contains(meta, code) {
			t.Errorf("panel meta %q", meta)
		}
	}
	checkPanel(code)
	if visible("panel-more") || !visible("panel-more-signin") || !visible("panel-signin") {
		t.Errorf("anonymous panel: models and sites shown, or no sign-in offered for them")
	}
	if p.eval(`String(document.getElementById('error').classList.contains('hidden'))`) != "true" {
		t.Errorf("error banner shown: %q", p.eval(`document.getElementById('error').textContent`))
	}
	if got := p.eval(`document.getElementById('panel-title').textContent`); got != "Xã Hùng Lợi" {
		t.Errorf("panel title %q", got)
	}

	// The keyboard: the communes table's button for another commune, Enter.
	p.eval(`document.getElementById('panel-close').click(); document.getElementById('map-table').open = true; ''`)
	p.do("focus", chromedp.Focus(chromedp.CSS(fmt.Sprintf(`#map-table button[data-code="%s"]`, other))))
	if got := p.eval(`document.activeElement.getAttribute('data-code')||''`); got != other {
		t.Fatalf("focus on %q, want %s", got, other)
	}
	p.do("enter", chromedp.KeyEvent("\r"))
	p.poll("panel by keyboard", fmt.Sprintf(`window.antqPage.state.commune===%q && document.querySelector('#panel-figures tbody tr[data-metric="sites"]') !== null && document.getElementById('panel-meta').textContent.indexOf(%q) >= 0`, other, other))
	checkPanel(other)

	mu.Lock()
	for _, w := range walls {
		t.Errorf("anonymous visitor's page ran into %s", w)
	}
	mu.Unlock()

	// Signing in as an analyst: the sites toggle and the commune's lists.
	p.eval(`document.getElementById('panel-close').click(); document.getElementById('signin').click(); ''`)
	p.poll("login form", `!document.getElementById('login').classList.contains('hidden')`)
	p.do("sign in", chromedp.Steps(
		chromedp.SendKeys(chromedp.ID("login-user"), "an"),
		chromedp.SendKeys(chromedp.ID("login-password"), testPassword),
		chromedp.Click(chromedp.CSS("#login button[type=submit]")),
	))
	p.poll("signed in", `!document.getElementById('sites-box').classList.contains('hidden') && document.getElementById('signin').classList.contains('hidden') && !document.getElementById('main').classList.contains('hidden')`)
	p.poll("signed in, drawn", `document.body.getAttribute('data-ready')!=='error' && !document.getElementById('findings-card').classList.contains('hidden') && !document.getElementById('briefing').classList.contains('hidden')`)
}
