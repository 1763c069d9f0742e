package render

import (
	"encoding/json"
	"testing"
)

func TestThinGeoJSON(t *testing.T) {
	geo := refGeo(t, "tuyen_quang_communes_2025_simplified.geojson")
	out, _, err := thinGeoJSON("tq", geo)
	if err != nil {
		t.Fatal(err)
	}
	count := func(b []byte) (features, vertices int, codes map[string]bool) {
		var fc struct {
			Features []struct {
				Properties struct{ Code string } `json:"properties"`
				Geometry   struct {
					Type        string          `json:"type"`
					Coordinates json.RawMessage `json:"coordinates"`
				} `json:"geometry"`
			} `json:"features"`
		}
		if err := json.Unmarshal(b, &fc); err != nil {
			t.Fatal(err)
		}
		codes = map[string]bool{}
		for _, f := range fc.Features {
			codes[f.Properties.Code] = true
			var mp [][]ring
			if f.Geometry.Type == "Polygon" {
				var p []ring
				_ = json.Unmarshal(f.Geometry.Coordinates, &p)
				mp = [][]ring{p}
			} else {
				_ = json.Unmarshal(f.Geometry.Coordinates, &mp)
			}
			for _, p := range mp {
				for _, r := range p {
					if len(r) < 4 || r[0] != r[len(r)-1] {
						t.Fatalf("feature %s: ring of %d positions, open=%v", f.Properties.Code, len(r), r[0] != r[len(r)-1])
					}
					vertices += len(r)
				}
			}
		}
		return len(fc.Features), vertices, codes
	}
	f0, v0, c0 := count(geo)
	f1, v1, c1 := count(out)
	t.Logf("features %d -> %d, vertices %d -> %d, bytes %d -> %d", f0, f1, v0, v1, len(geo), len(out))
	if f1 != f0 || len(c1) != len(c0) {
		t.Errorf("features %d -> %d, codes %d -> %d", f0, f1, len(c0), len(c1))
	}
	if v1 >= v0 {
		t.Errorf("no vertices removed: %d -> %d", v0, v1)
	}
}
