package chart

import (
	"encoding/json"
	"testing"
)

// TestDecorateNoDataLegend: on a slide the map's no-data entry sits above
// the footnote (not at the canvas corner, over it) and the class legend
// above the entry.
func TestDecorateNoDataLegend(t *testing.T) {
	v := 3.0
	opt, err := Map(MapInput{MapName: "m", Values: []RegionValue{{Code: "1", Name: "A", Value: &v}, {Code: "2", Name: "B"}}, Breaks: []float64{0, 5}})
	if err != nil {
		t.Fatal(err)
	}
	d, err := Decorate(opt, Slide{Title: "T", Footnote: "Nguồn: Công an tỉnh"}, 1280, 720)
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		Graphic []struct {
			ID     string  `json:"id"`
			Left   float64 `json:"left"`
			Bottom float64 `json:"bottom"`
		} `json:"graphic"`
		VisualMap struct {
			Bottom float64 `json:"bottom"`
		} `json:"visualMap"`
	}
	if err := json.Unmarshal(d, &m); err != nil {
		t.Fatal(err)
	}
	var foot, nodata float64 = -1, -1
	for _, g := range m.Graphic {
		switch g.ID {
		case "antq-footnote":
			foot = g.Bottom
		case "antq-nodata":
			nodata = g.Bottom
			if g.Left < 20 {
				t.Errorf("no-data entry at left %v, want the slide margin", g.Left)
			}
		}
	}
	if foot < 0 || nodata < 0 {
		t.Fatalf("footnote %v, no-data entry %v: missing", foot, nodata)
	}
	if nodata <= foot+20 {
		t.Errorf("no-data entry at bottom %v overlaps the footnote at %v", nodata, foot)
	}
	if m.VisualMap.Bottom <= nodata+20 {
		t.Errorf("class legend at bottom %v overlaps the no-data entry at %v", m.VisualMap.Bottom, nodata)
	}
}
