package render

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image/png"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/dashboard/chart"
	"github.com/antq-atlas/antq/dashboard/web"
)

var (
	slideFrom = time.Date(2024, 12, 15, 0, 0, 0, 0, time.UTC)
	slideTo   = time.Date(2025, 12, 14, 0, 0, 0, 0, time.UTC)
)

func rankingSpec(tb testing.TB) chart.Spec {
	tb.Helper()
	opt, err := chart.Bar(chart.BarInput{
		Categories: []string{"Xã Hùng Lợi", "Phường Hà Giang 1", "Xã Trường Sinh", "Xã Yên Phú"},
		Series:     []chart.NamedValues{{Name: "Điểm mô hình", Values: []float64{2025, 1880, 1700, 950}}},
		Unit:       "điểm", Horizontal: true, Labels: true,
	})
	if err != nil {
		tb.Fatal(err)
	}
	return chart.Spec{Option: opt, Width: 1280, Height: 720, Scale: 2, Slide: &chart.Slide{
		Title:    "Điểm mô hình tỉnh Tuyên Quang",
		Subtitle: chart.Window(slideFrom, slideTo),
		Footnote: chart.Footnote("Công an tỉnh Tuyên Quang", slideFrom, slideTo, "điểm"),
	}}
}

func TestSVGBar(t *testing.T) {
	r := mustRenderer(t)
	svg, err := r.SVG(ctxT(t), rankingSpec(t))
	if err != nil {
		t.Fatal(err)
	}
	mustWellFormed(t, svg)
	for _, want := range []string{
		"Điểm mô hình tỉnh Tuyên Quang", // title
		"Số liệu từ 15/12/2024 đến 14/12/2025",
		"Xã Hùng Lợi",                     // category label with diacritics
		"2.025",                           // bar label, Vietnamese thousands
		"Nguồn: Công an tỉnh Tuyên Quang", // footnote
		`width="1280" height="720"`,
		"DejaVu Sans",
	} {
		if !bytes.Contains(svg, []byte(want)) {
			t.Errorf("svg lacks %q", want)
		}
	}
	if bytes.Contains(svg, []byte("2,025")) {
		t.Error("svg has ECharts' own number format 2,025")
	}
}

func TestSVGLineAndPie(t *testing.T) {
	r := mustRenderer(t)
	line, err := chart.Line(chart.LineInput{
		Categories: []string{"2022", "2023", "2024", "2025"},
		Series: []chart.NamedValues{
			{Name: "Năm nay", Values: []float64{1750, 1700, 1880, 2025}},
			{Name: "Cùng kỳ", Values: []float64{1600, 1750, 1700, 1880}, Compare: true},
		},
		Labels: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	pie, err := chart.Pie(chart.PieInput{Items: []chart.NamedValue{{Name: "Tốt", Value: 35}, {Name: "Khá", Value: 35}, {Name: "Trung bình", Value: 22}, {Name: "Yếu", Value: 8}}, Donut: true})
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		opt  []byte
		want []string
	}{
		"line": {line, []string{"Cùng kỳ", "2.025", "1.880", "stroke-dasharray"}},
		"pie":  {pie, []string{"Trung bình: 22 (22,0%)", "Yếu: 8 (8,0%)"}},
	} {
		t.Run(name, func(t *testing.T) {
			svg, err := r.SVG(ctxT(t), chart.Spec{Option: c.opt})
			if err != nil {
				t.Fatal(err)
			}
			mustWellFormed(t, svg)
			for _, w := range c.want {
				if !bytes.Contains(svg, []byte(w)) {
					t.Errorf("svg lacks %q", w)
				}
			}
		})
	}
}

func TestPNGSize(t *testing.T) {
	r := mustRenderer(t)
	for _, c := range []struct {
		w, h  int
		scale float64
	}{{1280, 720, 2}, {1440, 1080, 1}, {640, 360, 1.5}} {
		t.Run(fmt.Sprintf("%dx%d@%g", c.w, c.h, c.scale), func(t *testing.T) {
			s := rankingSpec(t)
			s.Width, s.Height, s.Scale = c.w, c.h, c.scale
			b, err := r.PNG(ctxT(t), s)
			if err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(bytes.NewReader(b))
			if err != nil {
				t.Fatal(err)
			}
			got := img.Bounds().Size()
			if got.X != int(float64(c.w)*c.scale) || got.Y != int(float64(c.h)*c.scale) {
				t.Errorf("png is %v, want %gx%g", got, float64(c.w)*c.scale, float64(c.h)*c.scale)
			}
		})
	}
}

// squares is a hand-made map: three unit squares side by side, keyed by
// code; two share a name, as communes do, which must not merge them.
func squares() json.RawMessage {
	feat := func(code, name string, x float64) string {
		return fmt.Sprintf(`{"type":"Feature","properties":{"code":%q,"name":%q},"geometry":{"type":"Polygon","coordinates":[[[%g,22],[%g,22],[%g,23],[%g,23],[%g,22]]]}}`,
			code, name, x, x+1, x+1, x, x)
	}
	return json.RawMessage(`{"type":"FeatureCollection","features":[` +
		feat("00001", "Xã Hùng Lợi", 104) + "," + feat("00002", "Xã Minh Quang", 105) + "," + feat("00003", "Xã Minh Quang", 106) + `]}`)
}

func TestSVGChoropleth(t *testing.T) {
	r := mustRenderer(t)
	opt, err := chart.Map(chart.MapInput{
		MapName: "squares",
		Values: []chart.RegionValue{
			{Code: "00001", Name: "Xã Hùng Lợi", Value: ptr(5)},
			{Code: "00002", Name: "Xã Minh Quang", Value: ptr(15)},
			{Code: "00003", Name: "Xã Minh Quang", Value: ptr(25)},
		},
		Breaks: []float64{0, 10, 20, 30}, Colors: []string{"#aa0001", "#aa0002", "#aa0003"}, Labels: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	svg, err := r.SVG(ctxT(t), chart.Spec{Option: opt, Maps: map[string]json.RawMessage{"squares": squares()}, MapVersion: "t1"})
	if err != nil {
		t.Fatal(err)
	}
	mustWellFormed(t, svg)
	// Each region is one path filled with its class colour; the legend
	// draws the same colours with other shapes.
	region := regexp.MustCompile(`<path d="M[^"]*Z" fill="(#aa000[123])"[^>]*stroke="#fff`)
	got := map[string]int{}
	for _, m := range region.FindAllSubmatch(svg, -1) {
		got[string(m[1])]++
	}
	if got["#aa0001"] != 1 || got["#aa0002"] != 1 || got["#aa0003"] != 1 {
		t.Errorf("region paths by colour = %v, want one each\n%s", got, svg)
	}
	if n := bytes.Count(svg, []byte("Xã Minh Quang")); n < 2 {
		t.Errorf("svg has the repeated name %d times, want 2 labels", n)
	}
	if !bytes.Contains(svg, []byte("20 – 30")) {
		t.Error("svg lacks the legend class 20 – 30")
	}
}

func TestSVGProvinceMap(t *testing.T) {
	geo := refGeo(t, "tuyen_quang_communes_2025_simplified.geojson")
	r := mustRenderer(t)
	spec := provinceSpec(t, geo)
	svg, err := r.SVG(ctxT(t), spec)
	if err != nil {
		t.Fatal(err)
	}
	mustWellFormed(t, svg)
	// One region path per commune: the map series' data items 0–123 (the
	// CSS classes ECharts shares between them are dropped, office.go).
	items := map[string]bool{}
	for _, m := range regexp.MustCompile(`<path [^>]*ecmeta_series_index="0" ecmeta_data_index="([0-9]+)"`).FindAllSubmatch(svg, -1) {
		items[string(m[1])] = true
	}
	if len(items) != 124 {
		t.Errorf("%d commune regions, want one per commune (124)", len(items))
	}
	if u := OfficeUnsafe(svg); u != "" {
		t.Errorf("svg contains %q, which office software ignores", u)
	}
	for _, want := range []string{"Mật độ điểm mô hình", "32 – 40", "Đơn vị tính: điểm"} {
		if !bytes.Contains(svg, []byte(want)) {
			t.Errorf("svg lacks %q", want)
		}
	}
}

// provinceSpec is Tuyên Quang's 124 communes with a made-up value each.
func provinceSpec(tb testing.TB, geo []byte) chart.Spec {
	tb.Helper()
	var fc struct {
		Features []struct {
			Properties struct{ Code, FullName string } `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(geo, &fc); err != nil {
		tb.Fatal(err)
	}
	vals := make([]chart.RegionValue, len(fc.Features))
	for i, f := range fc.Features {
		vals[i] = chart.RegionValue{Code: f.Properties.Code, Name: f.Properties.FullName, Value: ptr(float64(i % 40))}
	}
	opt, err := chart.Map(chart.MapInput{MapName: "tq-2025", Values: vals, Breaks: []float64{0, 8, 16, 24, 32, 40}, Unit: "điểm"})
	if err != nil {
		tb.Fatal(err)
	}
	return chart.Spec{Option: opt, Width: 1920, Height: 1080, Scale: 2,
		Maps: map[string]json.RawMessage{"tq-2025": geo}, MapVersion: "tq-2025-simplified",
		Slide: &chart.Slide{Title: "Mật độ điểm mô hình", Subtitle: chart.Window(slideFrom, slideTo),
			Footnote: chart.Footnote("Công an tỉnh Tuyên Quang", slideFrom, slideTo, "điểm")}}
}

func TestSpecInvalid(t *testing.T) {
	r := mustRenderer(t)
	ok := json.RawMessage(`{"series":[]}`)
	for _, c := range []struct {
		name string
		spec chart.Spec
		f    chart.Format
	}{
		{"empty option", chart.Spec{}, chart.SVG},
		{"option not JSON", chart.Spec{Option: json.RawMessage(`{`)}, chart.SVG},
		{"too narrow", chart.Spec{Option: ok, Width: 10, Height: 720}, chart.SVG},
		{"too tall", chart.Spec{Option: ok, Width: 1280, Height: 5000}, chart.SVG},
		{"negative width", chart.Spec{Option: ok, Width: -1, Height: 720}, chart.SVG},
		{"scale too big", chart.Spec{Option: ok, Scale: 9}, chart.PNG},
		{"too many pixels", chart.Spec{Option: ok, Width: 4096, Height: 2304, Scale: 4}, chart.PNG},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := r.get(ctxT(t), c.spec, c.f)
			if analytics.ErrorCode(err) != analytics.CodeInvalid {
				t.Errorf("err = %v (code %q), want invalid", err, analytics.ErrorCode(err))
			}
		})
	}
	if _, err := chart.PresetByName("21:9"); analytics.ErrorCode(err) != analytics.CodeInvalid {
		t.Errorf("PresetByName: %v", err)
	}
}

func TestCacheAndSingleflight(t *testing.T) {
	mustAssets(t)
	r, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	spec := rankingSpec(t)
	spec.Slide.Title = "singleflight"
	var wg sync.WaitGroup
	outs := make([][]byte, 8)
	for i := range outs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b, err := r.SVG(context.Background(), spec)
			if err != nil {
				t.Error(err)
			}
			outs[i] = b
		}()
	}
	wg.Wait()
	st := r.Stats()
	if st.Renders != 1 {
		t.Errorf("8 concurrent requests made %d renders, want 1 (stats %+v)", st.Renders, st)
	}
	for _, b := range outs[1:] {
		if !bytes.Equal(b, outs[0]) {
			t.Fatal("callers got different bytes")
		}
	}
	if _, err := r.SVG(context.Background(), spec); err != nil {
		t.Fatal(err)
	}
	if st2 := r.Stats(); st2.Hits != st.Hits+1 || st2.Renders != 1 {
		t.Errorf("second request: stats %+v, want a hit and no render", st2)
	}
	// PNG reuses the cached SVG: a raster, no new render.
	if _, err := r.PNG(context.Background(), spec); err != nil {
		t.Fatal(err)
	}
	if st3 := r.Stats(); st3.Renders != 1 || st3.Rasters != 1 || st3.Runtimes > 2 {
		t.Errorf("after PNG: stats %+v", st3)
	}
}

func TestWarm(t *testing.T) {
	mustAssets(t)
	r, err := New(Options{Runtimes: 1})
	if err != nil {
		t.Fatal(err)
	}
	spec := rankingSpec(t)
	spec.Slide.Title = "warm"
	if err := r.Warm(context.Background(), spec, chart.SVG); err != nil {
		t.Fatal(err)
	}
	if err := r.Warm(context.Background(), chart.Spec{}, chart.SVG); analytics.ErrorCode(err) != analytics.CodeInvalid {
		t.Errorf("Warm of an empty spec: %v", err)
	}
	deadline := time.Now().Add(time.Minute) // hang guard
	for r.Stats().CacheEntries == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if _, err := r.SVG(context.Background(), spec); err != nil {
		t.Fatal(err)
	}
	if st := r.Stats(); st.Renders != 1 || st.Hits != 1 {
		t.Errorf("stats %+v, want the warmed chart served from cache", st)
	}
	r.Close()
	if _, err := r.SVG(context.Background(), spec); analytics.ErrorCode(err) != analytics.CodeUnavailable {
		t.Errorf("after Close: %v", err)
	}
}

func TestCancelledRequest(t *testing.T) {
	r := mustRenderer(t)
	geo := squares()
	spec := chart.Spec{Option: mustJSON(t, map[string]any{"series": []any{map[string]any{"type": "map", "map": "c", "nameProperty": "code"}}}),
		Maps: map[string]json.RawMessage{"c": geo}, MapVersion: "cancel"}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := r.SVG(ctx, spec)
	if !errors.Is(err, context.Canceled) || analytics.ErrorCode(err) != analytics.CodeUnavailable {
		t.Errorf("cancelled request: %v (code %q)", err, analytics.ErrorCode(err))
	}
}

func TestMissingDependencies(t *testing.T) {
	t.Run("assets", func(t *testing.T) {
		_, err := New(Options{Assets: func(name string) ([]byte, error) {
			return nil, fmt.Errorf("%s: %w", name, web.ErrAssetsMissing)
		}})
		if !errors.Is(err, web.ErrAssetsMissing) || !strings.Contains(err.Error(), "run make assets") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("rsvg-convert", func(t *testing.T) {
		mustAssets(t)
		r, err := New(Options{RSVGConvert: "/nonexistent/rsvg-convert"})
		if err != nil {
			t.Fatal(err)
		}
		defer r.Close()
		_, err = r.PNG(ctxT(t), chart.Spec{Option: json.RawMessage(`{"title":{"text":"x"}}`)})
		if !errors.Is(err, ErrNoRasteriser) || analytics.ErrorCode(err) != analytics.CodeUnavailable ||
			!strings.Contains(analytics.ErrorMessage(err), "librsvg2-bin") {
			t.Errorf("err = %v (code %q), want ErrNoRasteriser, unavailable, naming librsvg2-bin", err, analytics.ErrorCode(err))
		}
		if _, err := r.SVG(ctxT(t), chart.Spec{Option: json.RawMessage(`{"title":{"text":"x"}}`)}); err != nil {
			t.Errorf("SVG without rsvg-convert: %v", err)
		}
	})
}
