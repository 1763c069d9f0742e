package chart

import (
	"math"
	"strconv"
	"strings"
	"testing"
)

// relativeLuminance is WCAG 2's relative luminance of "#rrggbb".
func relativeLuminance(t *testing.T, hex string) float64 {
	t.Helper()
	if len(hex) != 7 || hex[0] != '#' {
		t.Fatalf("colour %q is not #rrggbb", hex)
	}
	var c [3]float64
	for i := range c {
		v, err := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		if err != nil {
			t.Fatalf("colour %q: %v", hex, err)
		}
		x := float64(v) / 255
		if x <= 0.04045 {
			c[i] = x / 12.92
		} else {
			c[i] = math.Pow((x+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*c[0] + 0.7152*c[1] + 0.0722*c[2]
}

// contrastRatio is WCAG 2's contrast ratio of two colours (1 to 21).
func contrastRatio(t *testing.T, a, b string) float64 {
	la, lb := relativeLuminance(t, a), relativeLuminance(t, b)
	return (math.Max(la, lb) + 0.05) / (math.Min(la, lb) + 0.05)
}

// The no-data fill must never be mistaken for a class: at least 3:1
// against every class colour a map can use and against the background.
func TestNoDataContrast(t *testing.T) {
	if r := contrastRatio(t, "#ffffff", "#000000"); math.Abs(r-21) > 1e-9 {
		t.Fatalf("contrast of white and black %v, want 21", r)
	}
	colours := map[string]string{"background": "#ffffff"}
	for i, c := range sequentialColors {
		colours["sequential "+strconv.Itoa(i)] = c
	}
	for i, c := range divergingColors {
		colours["diverging "+strconv.Itoa(i)] = c
	}
	for name, c := range colours {
		if r := contrastRatio(t, NoDataColor, c); r < 3 {
			t.Errorf("no-data %s against %s %s: contrast %.2f:1, want ≥ 3:1", NoDataColor, name, c, r)
		}
	}
}

// A map whose regions all lack a value draws no classes, only the no-data
// entry, and fills the regions with NoDataColor.
func TestMapWithoutValues(t *testing.T) {
	opt, err := Map(MapInput{MapName: "m", Values: []RegionValue{{Code: "01", Name: "A", NoData: "không có báo cáo"}}})
	if err != nil {
		t.Fatal(err)
	}
	s := string(opt)
	for _, want := range []string{`"areaColor":"` + NoDataColor + `"`, `"text":"Không có số liệu"`, `"noData":"không có báo cáo"`} {
		if !strings.Contains(s, want) {
			t.Errorf("option lacks %s: %s", want, s)
		}
	}
	if strings.Contains(s, "visualMap") {
		t.Errorf("classes drawn for a map without values: %s", s)
	}
}
