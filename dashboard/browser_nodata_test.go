package dashboard_test

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestNoDataColourInBrowser opens the national map by province in headless
// Chromium on the demo data (Tuyên Quang and Phú Thọ hold records, the 32
// other provinces none) and reads the drawn pixels: a province without data
// and one in the lowest class are painted in colours with a contrast of at
// least 3:1, and the legend has its "Không có số liệu" entry.
func TestNoDataColourInBrowser(t *testing.T) {
	chromiumPath(t) // fail (or skip) before building the demo data
	base := demoServer(t)

	// The lowest class and a province without data, from the API.
	var fc struct {
		Features []struct {
			Properties struct {
				Code   string   `json:"code"`
				Value  *float64 `json:"value"`
				Class  *int     `json:"class"`
				Reason string   `json:"reason"`
			} `json:"properties"`
		} `json:"features"`
	}
	getJSON(t, base+"/api/v1/map.geojson?province=all&level=province&metric=sites", &fc)
	lowest, empty := "", ""
	for _, f := range fc.Features {
		p := f.Properties
		if p.Class != nil && *p.Class == 0 && lowest == "" {
			lowest = p.Code
		}
		if p.Value == nil && p.Reason == "no_reports" && p.Code == "01" {
			empty = p.Code
		}
	}
	if lowest == "" || empty == "" {
		t.Fatalf("no lowest-class province (%q) or no province without data (%q)", lowest, empty)
	}
	// A point inside each: the centre of one of its communes.
	centre := func(p string) [2]float64 {
		var cs struct {
			Communes []struct {
				Center [2]float64 `json:"center"`
			} `json:"communes"`
		}
		getJSON(t, base+"/api/v1/communes?province="+p, &cs)
		if len(cs.Communes) == 0 {
			t.Fatalf("province %s has no communes", p)
		}
		return cs.Communes[len(cs.Communes)/2].Center
	}
	cLow, cEmpty := centre(lowest), centre(empty)

	bctx := newBrowser(t)
	// A hang guard only: the page signals when it has drawn.
	c, cancelRun := context.WithTimeout(bctx, 3*time.Minute)
	defer cancelRun()
	if err := chromedp.Do(c, chromedp.Navigate(base+"/?province=all&metric=sites")); err != nil {
		t.Fatal(err)
	}
	ready, err := chromedp.Run(c, chromedp.Poll[string](
		`(function(){var r=document.body.getAttribute('data-ready'); return r?r:null;})()`, chromedp.WithPollingInterval(50*time.Millisecond)))
	if err != nil || ready == "error" {
		t.Fatalf("page not drawn (%v, %s)", err, ready)
	}

	// The most common colour of the 7×7 device pixels around a point.
	pixel := func(lonlat [2]float64) [3]uint8 {
		t.Helper()
		js := fmt.Sprintf(`(function(){
			var chart = echarts.getInstanceByDom(document.getElementById('map-main'));
			var xy = chart.convertToPixel({seriesIndex: 0}, [%f, %f]);
			var canvas = document.getElementById('map-main').querySelector('canvas');
			var k = canvas.width / canvas.clientWidth;
			var d = canvas.getContext('2d').getImageData(Math.round(xy[0]*k) - 3, Math.round(xy[1]*k) - 3, 7, 7).data;
			var n = {}, best = '', most = 0;
			for (var i = 0; i < d.length; i += 4) {
				var key = d[i] + ',' + d[i+1] + ',' + d[i+2];
				n[key] = (n[key] || 0) + 1;
				if (n[key] > most) { most = n[key]; best = key; }
			}
			return best;
		})()`, lonlat[0], lonlat[1])
		v, err := chromedp.Run(c, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("read pixels: %v", err)
		}
		var px [3]uint8
		if _, err := fmt.Sscanf(v, "%d,%d,%d", &px[0], &px[1], &px[2]); err != nil {
			t.Fatalf("pixel %q: %v", v, err)
		}
		return px
	}
	low, none := pixel(cLow), pixel(cEmpty)
	ratio := contrast(low, none)
	t.Logf("lowest class (%s) %v, no data (%s) %v: contrast %.2f:1", lowest, low, empty, none, ratio)
	if low == none || ratio < 3 {
		t.Errorf("no-data %v and lowest class %v: contrast %.2f:1, want distinct colours at ≥ 3:1", none, low, ratio)
	}
	if ratio := contrast(none, [3]uint8{255, 255, 255}); ratio < 3 {
		t.Errorf("no-data %v against the white background: %.2f:1, want ≥ 3:1", none, ratio)
	}
	legend, err := chromedp.Run(c, chromedp.Evaluate[string](
		`JSON.stringify(echarts.getInstanceByDom(document.getElementById('map-main')).getOption().graphic)`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(legend, "Không có số liệu") {
		t.Errorf("legend without the no-data entry: %s", legend)
	}
}

// contrast is WCAG 2's contrast ratio of two sRGB colours.
func contrast(a, b [3]uint8) float64 {
	lum := func(c [3]uint8) float64 {
		var l [3]float64
		for i, v := range c {
			x := float64(v) / 255
			if x <= 0.04045 {
				l[i] = x / 12.92
			} else {
				l[i] = math.Pow((x+0.055)/1.055, 2.4)
			}
		}
		return 0.2126*l[0] + 0.7152*l[1] + 0.0722*l[2]
	}
	la, lb := lum(a), lum(b)
	return (math.Max(la, lb) + 0.05) / (math.Min(la, lb) + 0.05)
}
