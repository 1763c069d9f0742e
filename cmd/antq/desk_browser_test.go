package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"
)

// deskChromium finds Chromium: without it the test fails under
// ANTQ_REQUIRE_E2E=1 (make test) and skips elsewhere.
func deskChromium(tb testing.TB) string {
	tb.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("ANTQ_REQUIRE_E2E") == "1" {
		tb.Fatal("chromium not found on PATH (ANTQ_REQUIRE_E2E=1): apt-get install chromium")
	}
	tb.Skip("chromium not installed: apt-get install chromium (under make test this fails)")
	return ""
}

// deskWorkbook writes an incidents workbook of Tuyên Quang, police year
// 2025: good rows (one per commune listed) and bad rows (a commune that
// does not exist, a day that does not exist, an unknown outcome).
func deskWorkbook(tb testing.TB, path string, good int) (bad int) {
	tb.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sh := "Vụ việc"
	f.SetSheetName("Sheet1", sh)
	rows := [][]any{{"Mã vụ việc", "Lĩnh vực vụ việc", "Ngày tiếp nhận", "Ngày kết thúc", "Kết quả", "Xã/Phường", "Tỉnh"}}
	for i := range good {
		rows = append(rows, []any{fmt.Sprintf("WEB-%03d", i), "Giao thông", fmt.Sprintf("%02d/08/2025", 1+i%28), "", "Đang giải quyết", crashCommunes[i%len(crashCommunes)], "Tỉnh Tuyên Quang"})
	}
	rows = append(rows,
		[]any{"WEB-BAD-1", "Giao thông", "03/08/2025", "", "Đang giải quyết", "Xã Hùng Lới Mới", "Tỉnh Tuyên Quang"},
		[]any{"WEB-BAD-2", "Giao thông", "31/02/2025", "", "Đang giải quyết", "Xã Yên Sơn", "Tỉnh Tuyên Quang"},
		[]any{"WEB-BAD-3", "Giao thông", "04/08/2025", "05/08/2025", "Không rõ thế nào", "Xã Yên Sơn", "Tỉnh Tuyên Quang"},
	)
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(sh, cell, &r); err != nil {
			tb.Fatal(err)
		}
	}
	if err := f.SaveAs(path); err != nil {
		tb.Fatal(err)
	}
	return 3
}

// TestDeskInBrowser: an editor signs in in Chromium, uploads a workbook
// with good and bad rows in "Nạp dữ liệu", sees the preview, confirms,
// watches the progress reach 100 %, sees the rejects table, downloads the
// rejects XLSX (it opens with excelize and has the reason column), sees the
// map change, undoes the batch and sees the map return.
func TestDeskInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary and Chromium")
	}
	chrome := deskChromium(t)
	bin := deskBinary(t)
	data := filepath.Join(t.TempDir(), "data")
	const pw = "mật khẩu đủ dài 123"
	addDeskUser(t, bin, data, "nhaplieu08", "editor", "08", pw)
	s := startDesk(t, bin, data)
	book := filepath.Join(t.TempDir(), "bao_cao_vu_viec.xlsx")
	const good = 14
	bad := deskWorkbook(t, book, good)

	var mu sync.Mutex
	var problems []string
	listen := func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventExceptionThrown:
			problems = append(problems, "exception: "+e.ExceptionDetails.Text+" "+fmt.Sprint(e.ExceptionDetails.Exception))
		}
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chrome), chromedp.Flag("headless", true), chromedp.Flag("no-sandbox", true), chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true), chromedp.Flag("disable-extensions", true), chromedp.WindowSize(1600, 1100))
	defer cancelAlloc()
	bctx, cancel := chromedp.NewContext(alloc, chromedp.WithListener(listen))
	defer cancel()
	if err := chromedp.Do(bctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	run := func(what string, a chromedp.Action[chromedp.Void]) {
		t.Helper()
		c, cancel := context.WithTimeout(bctx, 5*time.Minute) // hang guard
		defer cancel()
		if err := chromedp.Do(c, a); err != nil {
			t.Fatalf("%s: %v\n%s", what, err, s.logText())
		}
	}
	eval := func(expr string) string {
		t.Helper()
		c, cancel := context.WithTimeout(bctx, 5*time.Minute) // hang guard
		defer cancel()
		v, err := chromedp.Run(c, chromedp.Evaluate[string](expr, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("evaluate %s: %v", expr, err)
		}
		return v
	}
	// until polls expr (JavaScript returning a string, or null to go on).
	until := func(what, expr string) string {
		t.Helper()
		c, cancel := context.WithTimeout(bctx, 5*time.Minute) // hang guard
		defer cancel()
		v, err := chromedp.Run(c, chromedp.Poll[string](expr, chromedp.WithPollingInterval(20*time.Millisecond)))
		if err != nil {
			t.Fatalf("%s: %v\npage: %s\n%s", what, err, eval(`document.body.getAttribute('data-desk')+' '+(document.getElementById('desk-msg')||{}).textContent+' '+document.getElementById('error').textContent`), s.logText())
		}
		return v
	}
	// mapLoaded: the incidents of the map's communes, or "none" when no
	// commune has a value (the province reported nothing: no data, never 0).
	const mapLoaded = `(function(){var m=window.antqPage&&window.antqPage.lastMap(); if(!m){return null;} var n=0,has=false; m.features.forEach(function(f){if(f.properties.value!==null&&f.properties.value!==undefined){has=true;n+=f.properties.value;}}); return has?String(n):'none';})()`

	run("open the page", chromedp.Navigate(s.base+"/?province=08&metric=incidents&period=2025"))
	run("sign-in form", chromedp.WaitVisible("#login-user"))
	run("user", chromedp.SendKeys("#login-user", "nhaplieu08"))
	run("password", chromedp.SendKeys("#login-password", pw))
	run("sign in", chromedp.Click("#login button[type=submit]"))
	until("the page drawn", `document.body.getAttribute('data-ready')`)
	if got := until("the map", mapLoaded); got != "none" {
		t.Fatalf("before the upload the map shows %s incidents, want no data", got)
	}

	run("open the desk", chromedp.Click("#desk-open"))
	run("the desk", chromedp.WaitVisible("#desk"))
	run("pick the workbook", chromedp.SetUploadFiles("#desk-files", []string{book}))
	until("the file listed", `(function(){var t=document.getElementById('desk-filelist').textContent; return t.indexOf('bao_cao_vu_viec.xlsx')>=0?t:null;})()`)
	run("preview", chromedp.Click("#desk-preview-btn"))
	until("the preview", `document.body.getAttribute('data-desk')==='preview'?'ok':(document.body.getAttribute('data-desk')==='error'?'error':null)`)
	pv := eval(`document.getElementById('desk-preview').textContent`)
	for _, want := range []string{"Xem trước lô", "chưa ghi gì", "sẽ bị loại", fmt.Sprintf("sẽ nạp %d", good), "Xác nhận nạp"} {
		if want == fmt.Sprintf("sẽ nạp %d", good) {
			want = fmt.Sprintf("nạp %d, loại %d", good, bad)
		}
		if !strings.Contains(pv, want) {
			t.Errorf("preview lacks %q:\n%s", want, pv)
		}
	}

	run("confirm", chromedp.Click("#desk-confirm"))
	// The progress bar is followed to its end (polled by the page).
	until("the load done", `(function(){var d=document.body.getAttribute('data-desk'); return (d==='done'||d==='failed')?d:null;})()`)
	if p := eval(`String(document.getElementById('desk-progress').value)+'|'+document.getElementById('desk-percent').textContent`); p != "100|100 %" {
		t.Errorf("progress at the end: %s, want 100|100 %%", p)
	}
	summary := eval(`document.getElementById('desk-summary').textContent`)
	if !strings.Contains(summary, fmt.Sprintf("đọc %d, nạp %d, loại %d, trùng 0, bỏ qua 0", good+bad, good, bad)) || !strings.Contains(summary, "Tuyên Quang (08)") {
		t.Errorf("summary:\n%s", summary)
	}
	until("the rejects table", fmt.Sprintf(`document.querySelectorAll('#desk-rejects tbody tr').length===%d?'ok':null`, bad))
	rejects := eval(`document.getElementById('desk-rejects').textContent`)
	for _, want := range []string{"Hùng Lới Mới", "31/02/2025", "Không rõ thế nào", "gần nhất"} {
		if !strings.Contains(rejects, want) {
			t.Errorf("rejects table lacks %q:\n%s", want, rejects)
		}
	}

	// The rejects XLSX, fetched as the link does, opens with excelize.
	b64 := eval(`fetch(document.getElementById('desk-rejects-xlsx').href,{credentials:'same-origin'}).then(function(r){return r.arrayBuffer();}).then(function(b){var s='',u=new Uint8Array(b);for(var i=0;i<u.length;i++){s+=String.fromCharCode(u[i]);}return btoa(s);})`)
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("rejects XLSX does not open: %v", err)
	}
	xrows, err := x.GetRows(x.GetSheetList()[0])
	x.Close()
	if err != nil {
		t.Fatal(err)
	}
	if len(xrows) != bad+1 {
		t.Fatalf("rejects XLSX has %d rows, want a header and %d:\n%v", len(xrows), bad, xrows)
	}
	reasonCol := -1
	for i, h := range xrows[0] {
		if h == "Lý do loại" {
			reasonCol = i
		}
	}
	if reasonCol < 0 || xrows[0][0] != "Mã vụ việc" {
		t.Fatalf("rejects XLSX header %v: want the original columns and \"Lý do loại\"", xrows[0])
	}
	for _, r := range xrows[1:] {
		if reasonCol >= len(r) || r[reasonCol] == "" || !strings.HasPrefix(r[0], "WEB-BAD-") {
			t.Errorf("rejects XLSX row without its reason or original values: %v", r)
		}
	}

	// The map shows the loaded incidents (the page refreshed itself).
	until("the map with the load", fmt.Sprintf(`(function(){var v=%s; return v===%q?v:null;})()`, mapLoaded, fmt.Sprint(good)))

	// Undo from the batch history, through the confirm dialog.
	run("undo", chromedp.Click("#desk-batches button.desk-undo"))
	run("the confirm dialog", chromedp.WaitVisible("#desk-undo-yes"))
	run("confirm the undo", chromedp.Click("#desk-undo-yes"))
	until("the undo", `document.body.getAttribute('data-desk')==='undone'?'ok':null`)
	if msg := eval(`document.getElementById('desk-msg').textContent`); !strings.Contains(msg, fmt.Sprintf("xóa %d bản ghi", good)) {
		t.Errorf("undo message %q", msg)
	}
	until("the map back to no data", fmt.Sprintf(`(function(){var v=%s; return v==='none'?v:null;})()`, mapLoaded))
	until("the history says undone", `(function(){var t=document.getElementById('desk-batches').textContent; return t.indexOf('đã hoàn tác')>=0?t:null;})()`)
	mu.Lock()
	defer mu.Unlock()
	if len(problems) > 0 {
		t.Errorf("page errors:\n%s", strings.Join(problems, "\n"))
	}
}
