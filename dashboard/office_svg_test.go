package dashboard_test

import (
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/antq-atlas/antq/dashboard/render"
)

var (
	svgTextRE = regexp.MustCompile(`<text([^>]*)>([^<]*)</text>`)
	svgAttrRE = regexp.MustCompile(`([a-z-]+)="([^"]*)"`)
	translRE  = regexp.MustCompile(`translate\(([-0-9.]+)[ ,]+([-0-9.]+)\)`)
)

// label is a value label as drawn: its text, fill colour and box (SVG px).
type label struct {
	text           string
	fill           [3]int
	x0, y0, x1, y1 float64
}

// haloLabels finds the labels drawn with a separate halo (a stroked copy
// followed by the plain text) and estimates each one's box from its
// position (textLabel).
func haloLabels(tb testing.TB, svg string) []label {
	tb.Helper()
	var out []label
	els := svgTextRE.FindAllStringSubmatch(svg, -1)
	for i := 1; i < len(els); i++ {
		prev, cur := attrsOf(els[i-1][1]), attrsOf(els[i][1])
		if prev["stroke"] == "" || cur["stroke"] != "" || els[i-1][2] != els[i][2] {
			continue
		}
		out = append(out, textLabel(tb, els[i][2], cur))
	}
	return out
}

// namedLabels finds the text elements whose text is one of names (the
// commune names a map draws with labels=top, plain text without a halo).
func namedLabels(tb testing.TB, svg string, names map[string]bool) []label {
	tb.Helper()
	var out []label
	for _, el := range svgTextRE.FindAllStringSubmatch(svg, -1) {
		if names[el[2]] {
			out = append(out, textLabel(tb, el[2], attrsOf(el[1])))
		}
	}
	return out
}

// textLabel estimates the box of a text element from its position, anchor,
// font size and dy (DejaVu Sans: ~0.6 em a character).
func textLabel(tb testing.TB, text string, a map[string]string) label {
	tb.Helper()
	m := translRE.FindStringSubmatch(a["transform"])
	if m == nil {
		tb.Fatalf("label %q without a translate: %q", text, a)
	}
	x, _ := strconv.ParseFloat(m[1], 64)
	y, _ := strconv.ParseFloat(m[2], 64)
	fs, _ := strconv.ParseFloat(strings.TrimSuffix(a["font-size"], "px"), 64)
	yy, _ := strconv.ParseFloat(a["y"], 64)
	y += yy
	if a["dy"] == "0.35em" {
		y += 0.35 * fs
	}
	w := 0.6 * fs * float64(utf8.RuneCountInString(text))
	switch a["text-anchor"] {
	case "middle":
		x -= w / 2
	case "end":
		x -= w
	}
	return label{text: text, fill: parseColour(tb, a["fill"]), x0: x, x1: x + w, y0: y - 0.75*fs, y1: y + 0.2*fs}
}

func attrsOf(s string) map[string]string {
	m := map[string]string{}
	for _, a := range svgAttrRE.FindAllStringSubmatch(s, -1) {
		m[a[1]] = a[2]
	}
	return m
}

func parseColour(tb testing.TB, s string) [3]int {
	tb.Helper()
	if strings.HasPrefix(s, "#") {
		h := s[1:]
		if len(h) == 3 {
			h = string([]byte{h[0], h[0], h[1], h[1], h[2], h[2]})
		}
		n, err := strconv.ParseUint(h, 16, 32)
		if err == nil && len(h) == 6 {
			return [3]int{int(n >> 16), int(n >> 8 & 0xff), int(n & 0xff)}
		}
	}
	if m := regexp.MustCompile(`rgba?\((\d+),\s*(\d+),\s*(\d+)`).FindStringSubmatch(s); m != nil {
		r, _ := strconv.Atoi(m[1])
		g, _ := strconv.Atoi(m[2])
		b, _ := strconv.Atoi(m[3])
		return [3]int{r, g, b}
	}
	tb.Fatalf("colour %q", s)
	return [3]int{}
}

// TestChartsSVGForOffice: the SVG charts hold no construct office software
// ignores (paint-order, dominant-baseline, CSS), and LibreOffice, converting
// each one to PNG, draws every value label: inside each label's box there
// are pixels of the label's colour that stand out from the background (before, the labels were white text on
// white in LibreOffice).
func TestChartsSVGForOffice(t *testing.T) {
	soffice := requireTool(t, "libreoffice-draw", "soffice")
	f := pageFixture(t)
	dir := t.TempDir()
	// The maps name no commune by default, so each is also drawn with
	// labels=top (the highest and lowest communes named), whose names must
	// be visible too. The key is the PNG's name, the chart before "-".
	charts := map[string]string{
		"map":       "province=08&period=2025&metric=sites",
		"map-top":   "province=08&period=2025&metric=sites&labels=top",
		"delta":     "province=08&period=2025&metric=sites",
		"delta-top": "province=08&period=2025&metric=sites&labels=top",
		"trend":     "province=08&metric=sites",
		"breakdown": "province=08&period=2025",
		"ranking":   "province=08&period=2025&metric=share_good",
	}
	names := map[string]bool{}
	for _, c := range f.geo.CommunesOf("08") {
		names[c.FullName] = true
	}
	svgs := map[string]string{}
	var files []string
	for name, q := range charts {
		kind, _, _ := strings.Cut(name, "-")
		r := f.get(t, "/charts/"+kind+".svg?"+q+"&width=1280&height=720&scale=1")
		if r.status != 200 {
			t.Fatalf("%s: status %d: %s", name, r.status, r.body)
		}
		if u := render.OfficeUnsafe(r.body); u != "" {
			t.Errorf("%s.svg contains %q, which office software ignores", name, u)
		}
		for _, m := range svgTextRE.FindAllStringSubmatch(string(r.body), -1) {
			if attrsOf(m[1])["font-size"] == "" { // its CSS font was lost
				t.Errorf("%s.svg: text %q without a font-size", name, m[2])
			}
		}
		svgs[name] = string(r.body)
		p := filepath.Join(dir, name+".svg")
		if err := os.WriteFile(p, r.body, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, p)
	}
	args := append([]string{"--headless", "--norestore", "-env:UserInstallation=file://" + filepath.Join(dir, "profile"),
		"--convert-to", "png", "--outdir", filepath.Join(dir, "png")}, files...)
	out, err := exec.Command(soffice, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("soffice: %v\n%s", err, out)
	}
	checked := 0
	for name, svg := range svgs {
		labels := haloLabels(t, svg)
		if strings.HasSuffix(name, "-top") {
			labels = namedLabels(t, svg, names)
		}
		if name != "map" && name != "delta" && len(labels) == 0 {
			t.Errorf("%s: no value label with a separate halo, nor commune name", name)
		}
		if len(labels) == 0 {
			continue
		}
		fh, err := os.Open(filepath.Join(dir, "png", name+".png"))
		if err != nil {
			t.Fatalf("%s: no PNG from LibreOffice: %v\n%s", name, err, out)
		}
		img, err := png.Decode(fh)
		fh.Close()
		if err != nil {
			t.Fatal(err)
		}
		sx, sy := float64(img.Bounds().Dx())/1280, float64(img.Bounds().Dy())/720
		for _, l := range labels {
			if n := pixelsVisible(img, l, sx, sy); n < 5 {
				t.Errorf("%s: label %q (box %.0f,%.0f–%.0f,%.0f) has %d visible pixels in LibreOffice's PNG", name, l.text, l.x0, l.y0, l.x1, l.y1, n)
			}
			checked++
		}
	}
	t.Logf("%d labels checked in LibreOffice's PNGs", checked)
}

// pixelsVisible counts the pixels inside l's box that stand out from the
// background (the colour of the image's corner) and are near the label's
// own colour.
func pixelsVisible(img image.Image, l label, sx, sy float64) int {
	br, bg, bb, _ := img.At(0, 0).RGBA()
	bgc := [3]int{int(br >> 8), int(bg >> 8), int(bb >> 8)}
	n := 0
	for y := int(l.y0 * sy); y <= int(l.y1*sy); y++ {
		for x := int(l.x0 * sx); x <= int(l.x1*sx); x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			dr, dg, db := int(r>>8)-l.fill[0], int(g>>8)-l.fill[1], int(b>>8)-l.fill[2]
			er, eg, eb := int(r>>8)-bgc[0], int(g>>8)-bgc[1], int(b>>8)-bgc[2]
			if dr*dr+dg*dg+db*db < 60*60 && er*er+eg*eg+eb*eb > 100*100 {
				n++
			}
		}
	}
	return n
}

// TestMapLabels: a static map names no commune by default (124 names on a
// slide overprint), labels=top names at most the five highest and five
// lowest (fewer when names would overlap), labels=all names every commune.
func TestMapLabels(t *testing.T) {
	f := pageFixture(t)
	names := map[string]bool{}
	for _, c := range f.geo.CommunesOf("08") {
		names[c.FullName] = true
	}
	count := func(query string) int {
		r := f.get(t, "/charts/map.svg?province=08&period=2025&metric=sites&preset=16:9"+query)
		if r.status != 200 {
			t.Fatalf("%s: status %d: %s", query, r.status, r.body)
		}
		n := 0
		for _, m := range svgTextRE.FindAllStringSubmatch(string(r.body), -1) {
			if names[m[2]] {
				n++
			}
		}
		return n
	}
	if n := count(""); n != 0 {
		t.Errorf("default: %d commune names on the map, want none", n)
	}
	if n := count("&labels=top"); n < 1 || n > 10 {
		t.Errorf("labels=top: %d commune names, want 1–10", n)
	}
	if n := count("&labels=all"); n < 100 {
		t.Errorf("labels=all: %d commune names, want every commune (124)", n)
	}
}
