package dashboard_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"image/png"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/antq-atlas/antq/dashboard"
)

// pageFixture is the API fixture, marked synthetic, with the page routes.
func pageFixture(t *testing.T) *fixture {
	t.Helper()
	f := newFixture(t, true)
	dashboard.PageRoutes(f.app)
	return f
}

// wellFormed checks that b parses as XML to the end.
func wellFormed(t *testing.T, name string, b []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Fatalf("%s is not well-formed XML: %v", name, err)
		}
	}
}

// svgText gathers the text content of an SVG or OOXML part (ECharts
// writes one <text> per label), leaving out style sheets.
func svgText(b []byte) string {
	var sb strings.Builder
	d := xml.NewDecoder(bytes.NewReader(b))
	inStyle := false
	for {
		tok, err := d.Token()
		if err != nil {
			return sb.String()
		}
		switch tk := tok.(type) {
		case xml.StartElement:
			inStyle = tk.Name.Local == "style"
		case xml.EndElement:
			inStyle = false
		case xml.CharData:
			if !inStyle {
				sb.Write(tk)
				sb.WriteByte('\n')
			}
		}
	}
}

func TestChartsSVG(t *testing.T) {
	f := pageFixture(t)
	tests := []struct {
		name, query string
		want        []string
	}{
		{"map", "province=08&period=2025&metric=sites&labels=all",
			[]string{"Số điểm mô hình — ", "Số liệu từ 15/12/2024 đến 01/12/2025 (kỳ chưa kết thúc)", "Không có số liệu", "Nguồn: Công an tỉnh", "Đơn vị tính: điểm", "Dữ liệu mô phỏng", "Hùng Lợi"}},
		{"delta", "province=08&period=2025&metric=sites",
			[]string{"Thay đổi số điểm mô hình — ", "so với 15/12/2023–01/12/2024", "Nguồn: Công an tỉnh"}},
		{"trend", "province=08&metric=sites",
			[]string{"Số điểm mô hình theo năm công an 2021–2025", "Số liệu từ 15/12/2020 đến 01/12/2025 (kỳ chưa kết thúc)", "Nguồn: Công an tỉnh"}},
		{"breakdown", "province=08&period=2025",
			[]string{"Điểm mô hình theo loại mô hình — ", "Tự phòng, tự quản, tự bảo vệ", "Nguồn: Công an tỉnh"}},
		{"ranking", "province=08&period=2025&metric=share_good&side=bottom",
			[]string{"xã, phường cuối bảng về tỷ lệ xếp loại Tốt, Khá", "Nguồn: Công an tỉnh", "Đơn vị tính: %"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			r := f.get(t, "/charts/"+tt.name+".svg?"+tt.query)
			if r.status != 200 {
				t.Fatalf("status %d: %s", r.status, r.body)
			}
			t.Logf("%s.svg cold: %v, %d bytes", tt.name, time.Since(start), len(r.body))
			if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "image/svg+xml") {
				t.Errorf("content type %q", ct)
			}
			wellFormed(t, tt.name+".svg", r.body)
			text := svgText(r.body)
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("%s.svg lacks %q; text:\n%.1500s", tt.name, w, text)
				}
			}
			// Vietnamese numbers: no "2,025"-style thousands.
			if regexp.MustCompile(`\d,\d{3}\b`).MatchString(text) {
				t.Errorf("%s.svg has an English-formatted number:\n%.800s", tt.name, text)
			}
		})
	}
}

func TestChartPNGSize(t *testing.T) {
	f := pageFixture(t)
	tests := []struct {
		name, query string
		w, h        int
	}{
		{"trend", "province=08&width=800&height=450&scale=2", 1600, 960}, // 450 is served as 480 (chart.Snap)
		{"breakdown", "province=08&period=2025&preset=4:3", 2880, 2160},
		{"map", "province=08&period=2025&preset=16:9", 3840, 2160},
		{"ranking", "province=08&period=2025&preset=16:9-small&scale=1", 1280, 720},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			r := f.get(t, "/charts/"+tt.name+".png?"+tt.query)
			if r.status != 200 {
				t.Fatalf("status %d: %s", r.status, r.body)
			}
			cold := time.Since(start)
			cfg, err := png.DecodeConfig(bytes.NewReader(r.body))
			if err != nil {
				t.Fatalf("not a PNG: %v", err)
			}
			if cfg.Width != tt.w || cfg.Height != tt.h {
				t.Errorf("PNG is %d×%d, want %d×%d", cfg.Width, cfg.Height, tt.w, tt.h)
			}
			start = time.Now()
			again := f.get(t, "/charts/"+tt.name+".png?"+tt.query, "If-None-Match", r.header.Get("ETag"))
			if again.status != 304 {
				t.Errorf("revalidation: status %d, want 304", again.status)
			}
			t.Logf("%s.png %d×%d: cold %v, cached 304 %v, %d bytes", tt.name, cfg.Width, cfg.Height, cold, time.Since(start), len(r.body))
		})
	}
}

func TestChartJSONAndCSV(t *testing.T) {
	f := pageFixture(t)
	r := f.get(t, "/charts/map.json?province=08&period=2025&metric=sites")
	if r.status != 200 {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	var opt struct {
		Antq struct {
			Name  string `json:"name"`
			Slide struct{ Title, Subtitle, Footnote string }
			Map   struct{ Name, URL string }
		} `json:"antq"`
		Series []struct {
			Type         string  `json:"type"`
			Map          string  `json:"map"`
			NameProperty string  `json:"nameProperty"`
			AspectScale  float64 `json:"aspectScale"`
			Data         []struct {
				Name       string `json:"name"`
				RegionName string `json:"regionName"`
			} `json:"data"`
		} `json:"series"`
	}
	if err := json.Unmarshal(r.body, &opt); err != nil {
		t.Fatal(err)
	}
	s := opt.Series[0]
	if s.Type != "map" || s.NameProperty != "code" || s.AspectScale != 0.94 || len(s.Data) != 124 {
		t.Errorf("map series: type %s, nameProperty %s, aspectScale %v, %d regions", s.Type, s.NameProperty, s.AspectScale, len(s.Data))
	}
	if !regexp.MustCompile(`^\d{5}$`).MatchString(s.Data[0].Name) {
		t.Errorf("regions must be keyed on the commune code, got %q (%s)", s.Data[0].Name, s.Data[0].RegionName)
	}
	if opt.Antq.Map.Name != s.Map || !strings.HasPrefix(opt.Antq.Map.URL, "/api/v1/map.geojson?") {
		t.Errorf("antq.map %+v", opt.Antq.Map)
	}
	if geo := f.get(t, opt.Antq.Map.URL); geo.status != 200 {
		t.Errorf("map url %s: %d", opt.Antq.Map.URL, geo.status)
	}
	if again := f.get(t, "/charts/map.json?province=08&period=2025&metric=sites", "If-None-Match", r.header.Get("ETag")); again.status != 304 {
		t.Errorf("json revalidation: %d", again.status)
	}

	c := f.get(t, "/charts/ranking.csv?province=08&period=2025&metric=sites&limit=5")
	if c.status != 200 || !strings.HasPrefix(c.header.Get("Content-Type"), "text/csv") {
		t.Fatalf("csv: %d %s", c.status, c.header.Get("Content-Type"))
	}
	lines := strings.Split(strings.TrimPrefix(string(c.body), "\ufeff"), "\r\n")
	if lines[0] != "Hạng (trên 124);Mã xã;Tên;Số điểm mô hình" || len(lines) < 7 || !strings.HasPrefix(lines[1], `1;"=""0`) {
		t.Errorf("csv:\n%s", c.body)
	}
	if !strings.Contains(string(c.body), "Nguồn: Công an tỉnh") {
		t.Errorf("csv lacks the footnote:\n%s", c.body)
	}

	for _, bad := range []string{"/charts/pie.svg?province=08", "/charts/map.gif?province=08", "/charts/map.svg", "/charts/map.png?province=08&scale=9"} {
		if r := f.get(t, bad); r.status != 404 && r.status != 400 {
			t.Errorf("%s: status %d", bad, r.status)
		}
	}
}

func TestEmbedLinks(t *testing.T) {
	f := pageFixture(t)
	r := f.get(t, "/api/v1/embed-link?chart=trend&days=7&province=08&metric=sites")
	if r.status != 200 {
		t.Fatalf("embed-link: %d %s", r.status, r.body)
	}
	var link struct{ URL, Path, Expires string }
	if err := json.Unmarshal(r.body, &link); err != nil {
		t.Fatal(err)
	}
	exp, _ := time.Parse(time.RFC3339, link.Expires)
	if d := time.Until(exp); d < 6*24*time.Hour || d > 8*24*time.Hour {
		t.Errorf("expires %s", link.Expires)
	}
	ok := f.get(t, link.Path)
	if ok.status != 200 || !strings.Contains(string(ok.body), "/assets/embed.js") {
		t.Fatalf("signed embed: %d %.300s", ok.status, ok.body)
	}
	if csp := ok.header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors") {
		t.Errorf("embed CSP %q", csp)
	}
	expired := dashboard.SignEmbed(f.app, "trend", url.Values{"province": {"08"}, "metric": {"sites"}}, time.Now().Add(-time.Minute))
	sig := regexp.MustCompile(`sig=([^&]+)`).FindStringSubmatch(link.Path)[1]
	for name, target := range map[string]string{
		"expired":          expired,
		"changed province": strings.Replace(link.Path, "province=08", "province=25", 1),
		"other chart":      strings.Replace(link.Path, "/embed/trend", "/embed/map", 1),
		"added parameter":  link.Path + "&period=2024",
		"no signature":     strings.Replace(link.Path, "sig="+sig, "", 1),
		"bad signature":    strings.Replace(link.Path, "sig="+sig, "sig="+otherFirst(sig)+sig[1:], 1),
		"later expiry":     strings.Replace(link.Path, "exp=", "exp=1", 1),
	} {
		t.Run(name, func(t *testing.T) {
			r := f.get(t, target)
			if r.status != 403 {
				t.Errorf("%s: status %d, want 403", target, r.status)
			}
			// A page in Vietnamese for the iframe, not the API's JSON.
			want := "Liên kết nhúng không hợp lệ"
			if name == "expired" {
				want = "Liên kết nhúng đã hết hạn"
			}
			if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") || !strings.Contains(string(r.body), want) {
				t.Errorf("%s: %s %.300s, want an HTML page saying %q", target, ct, r.body, want)
			}
		})
	}
	if r := f.get(t, "/embed/pie?province=08"); r.status != 404 || !strings.Contains(string(r.body), "Không có biểu đồ này") {
		t.Errorf("unknown embed chart: %d %.300s", r.status, r.body)
	}
	if r := f.get(t, "/api/v1/embed-link?chart=pie&province=08"); r.status != 400 {
		t.Errorf("unknown chart: %d", r.status)
	}
}

// TestPageServed: the page and every asset it names come from the binary,
// with no inline script, style or handler (a strict CSP will apply).
func TestPageServed(t *testing.T) {
	f := pageFixture(t)
	r := f.get(t, "/", "Accept-Encoding", "gzip")
	if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET /: %d %s", r.status, r.header.Get("Content-Type"))
	}
	if r.header.Get("Content-Encoding") != "gzip" {
		t.Errorf("page not compressed")
	}
	html := string(r.body)
	if !strings.Contains(html, `<meta name="antq-police-year" content="2025">`) {
		t.Errorf("police year not set in the page")
	}
	for _, re := range []string{`<script(?![^>]*\bsrc=)`, `\son[a-z]+=`, `\sstyle=`, `<style`, `https?://`} {
		if re == `<script(?![^>]*\bsrc=)` { // Go regexp has no look-ahead
			for _, m := range regexp.MustCompile(`<script[^>]*>`).FindAllString(html, -1) {
				if !strings.Contains(m, "src=") {
					t.Errorf("inline script: %s", m)
				}
			}
			continue
		}
		if m := regexp.MustCompile(re).FindString(html); m != "" {
			t.Errorf("page has %q (matches %s)", m, re)
		}
	}
	assets := regexp.MustCompile(`(?:src|href)="(/assets/[^"]+)"`).FindAllStringSubmatch(html, -1)
	if len(assets) < 6 {
		t.Fatalf("assets named: %v", assets)
	}
	want := map[string]string{".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml"}
	for _, a := range assets {
		r := f.get(t, a[1])
		if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), want[filepath.Ext(a[1])]) {
			t.Errorf("%s: %d %s", a[1], r.status, r.header.Get("Content-Type"))
		}
		if again := f.get(t, a[1], "If-None-Match", r.header.Get("ETag")); again.status != 304 {
			t.Errorf("%s revalidation: %d", a[1], again.status)
		}
	}
	for _, bad := range []string{"/assets/../web.go", "/assets/nope.js", "/assets/index.html", "/assets/embed.html"} {
		if r := f.get(t, bad); r.status != 404 {
			t.Errorf("%s: status %d, want 404", bad, r.status)
		}
	}
}

// TestBriefingDeck: the deck has its eight slides, each part is
// well-formed, and LibreOffice converts it to an eight-page PDF.
func TestBriefingDeck(t *testing.T) {
	f := pageFixture(t)
	start := time.Now()
	r := f.get(t, "/api/v1/briefing.pptx?province=08&period=2025&compare=prev")
	if r.status != 200 {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	t.Logf("briefing deck: %v, %d bytes", time.Since(start), len(r.body))
	if !strings.Contains(r.header.Get("Content-Disposition"), ".pptx") {
		t.Errorf("disposition %q", r.header.Get("Content-Disposition"))
	}
	zr, err := zip.NewReader(bytes.NewReader(r.body), int64(len(r.body)))
	if err != nil {
		t.Fatal(err)
	}
	slides, pictures := 0, 0
	var all strings.Builder
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		switch {
		case regexp.MustCompile(`^ppt/slides/slide\d+\.xml$`).MatchString(zf.Name):
			slides++
			all.WriteString(svgText(b))
		case strings.HasPrefix(zf.Name, "ppt/media/"):
			pictures++
			if cfg, err := png.DecodeConfig(bytes.NewReader(b)); err != nil || cfg.Width != 1920 || cfg.Height != 1080 {
				t.Errorf("%s: %v %+v", zf.Name, err, cfg)
			}
			continue
		}
		wellFormed(t, zf.Name, b)
	}
	if zr.File[0].Name != "[Content_Types].xml" {
		t.Errorf("first entry %s", zr.File[0].Name)
	}
	if slides != 8 || pictures != 4 {
		t.Errorf("%d slides and %d pictures, want 8 and 4", slides, pictures)
	}
	for _, w := range []string{"Điểm cần chú ý", "mô hình với", "điểm mô hình", "Dẫn đầu", "Cuối bảng", "Nguồn: Công an tỉnh", "Số liệu từ 15/12/2024 đến 01/12/2025 (kỳ chưa kết thúc)", "DỮ LIỆU MÔ PHỎNG"} {
		if !strings.Contains(all.String(), w) {
			t.Errorf("slides lack %q", w)
		}
	}

	soffice := requireTool(t, "libreoffice-impress", "soffice")
	dir := t.TempDir()
	deck := filepath.Join(dir, "briefing.pptx")
	if err := os.WriteFile(deck, r.body, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(soffice, "--headless", "--norestore", "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
		"--convert-to", "pdf", "--outdir", dir, deck)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	pdf, err := os.ReadFile(filepath.Join(dir, "briefing.pdf"))
	if err != nil {
		t.Fatalf("no PDF: %v\n%s", err, out)
	}
	pages := len(regexp.MustCompile(`/Type\s*/Page[^s]`).FindAll(pdf, -1))
	if pages != 8 {
		t.Errorf("PDF has %d pages, want 8\n%s", pages, out)
	}
	if d := os.Getenv("ANTQ_ARTIFACTS"); d != "" {
		_ = os.WriteFile(filepath.Join(d, "briefing.pptx"), r.body, 0o644)
		_ = os.WriteFile(filepath.Join(d, "briefing.pdf"), pdf, 0o644)
	}
}

// TestNationalMapRendersInBackground: a national map chart is not drawn on
// the request: the first answer is 503 with Retry-After while it renders in
// the background, and a later request gets the cached picture.
func TestNationalMapRendersInBackground(t *testing.T) {
	f := pageFixture(t)
	const u = "/charts/map.svg?province=all&metric=sites&period=2025&simplify=low"
	r := f.get(t, u)
	if r.status != 503 || r.header.Get("Retry-After") == "" {
		t.Fatalf("first request: status %d (Retry-After %q), want 503 with Retry-After", r.status, r.header.Get("Retry-After"))
	}
	deadline := time.Now().Add(10 * time.Minute) // hang guard: goja draws 3,321 communes slowly on a loaded machine
	for {
		r = f.get(t, u)
		if r.status == 200 {
			break
		}
		if r.status != 503 || time.Now().After(deadline) {
			t.Fatalf("status %d after waiting: %s", r.status, r.body)
		}
		time.Sleep(500 * time.Millisecond)
	}
	wellFormed(t, "national map", r.body)
}

// otherFirst is a base64url character other than sig's first, so the
// tampered signature always differs from the real one (replacing it with a
// fixed "A" left it unchanged once in 64 runs).
func otherFirst(sig string) string {
	if strings.HasPrefix(sig, "A") {
		return "B"
	}
	return "A"
}
