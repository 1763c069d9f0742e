package render

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/dashboard/chart"
)

// thinDivisor sets how far geometry is thinned before ECharts sees it: the
// Douglas–Peucker tolerance is the map's larger extent divided by this, i.e.
// a quarter of a device pixel on a 1920 px canvas at scale 2 (0.0006° ≈ 60 m
// for Tuyên Quang). goja's cost grows with vertices (≈ 10 µs each), so this
// takes the 124-commune province from ≈ 30,000 to ≈ 18,000 vertices with no
// visible change. Neighbours are thinned separately and may part by less than
// that quarter pixel, which the 0.5 px borders cover.
const thinDivisor = 4000

// coordDecimals keeps 5 decimals of a degree (≈ 1 m), which also shortens the
// JSON that every runtime parses.
const coordDecimals = 5

type geoFeatureCollection struct {
	Type     string       `json:"type"`
	Features []geoFeature `json:"features"`
}

type geoFeature struct {
	Type       string          `json:"type"`
	ID         json.RawMessage `json:"id,omitempty"`
	Properties json.RawMessage `json:"properties"`
	Geometry   *geoGeometry    `json:"geometry"`
}

type geoGeometry struct {
	Type        string          `json:"type"`
	Coordinates json.RawMessage `json:"coordinates"`
}

type ring = [][2]float64

// thinGeoJSON returns a FeatureCollection of Polygons and MultiPolygons
// simplified for drawing (see thinDivisor), and its extent. Properties pass
// through as they are; other geometry types are dropped, as a choropleth
// cannot fill them.
func thinGeoJSON(name string, raw []byte) ([]byte, chart.Bounds, error) {
	var fc geoFeatureCollection
	if err := json.Unmarshal(raw, &fc); err != nil {
		return nil, chart.Bounds{}, analytics.Errorf(analytics.CodeInvalid, "map %s: read geojson: %v", name, err)
	}
	if fc.Type != "FeatureCollection" {
		return nil, chart.Bounds{}, analytics.Errorf(analytics.CodeInvalid, "map %s: geojson type is %q, want FeatureCollection", name, fc.Type)
	}
	polys := make([][][]ring, len(fc.Features)) // feature -> polygons -> rings
	minX, minY, maxX, maxY := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for i, f := range fc.Features {
		if f.Geometry == nil {
			continue
		}
		switch f.Geometry.Type {
		case "Polygon":
			var p []ring
			if err := json.Unmarshal(f.Geometry.Coordinates, &p); err != nil {
				return nil, chart.Bounds{}, analytics.Errorf(analytics.CodeInvalid, "map %s feature %d: %v", name, i, err)
			}
			polys[i] = [][]ring{p}
		case "MultiPolygon":
			if err := json.Unmarshal(f.Geometry.Coordinates, &polys[i]); err != nil {
				return nil, chart.Bounds{}, analytics.Errorf(analytics.CodeInvalid, "map %s feature %d: %v", name, i, err)
			}
		}
		for _, p := range polys[i] {
			for _, r := range p {
				for _, c := range r {
					minX, minY = math.Min(minX, c[0]), math.Min(minY, c[1])
					maxX, maxY = math.Max(maxX, c[0]), math.Max(maxY, c[1])
				}
			}
		}
	}
	tol := math.Max(maxX-minX, maxY-minY) / thinDivisor

	out := geoFeatureCollection{Type: "FeatureCollection", Features: make([]geoFeature, 0, len(fc.Features))}
	for i, f := range fc.Features {
		if len(polys[i]) == 0 {
			continue
		}
		mp := make([][]ring, 0, len(polys[i]))
		for _, p := range polys[i] {
			q := make([]ring, 0, len(p))
			for _, r := range p {
				q = append(q, roundRing(thinRing(r, tol)))
			}
			mp = append(mp, q)
		}
		coords, err := json.Marshal(mp)
		if err != nil {
			return nil, chart.Bounds{}, fmt.Errorf("map %s: %w", name, err)
		}
		props := f.Properties
		if len(props) == 0 {
			props = json.RawMessage("{}")
		}
		out.Features = append(out.Features, geoFeature{
			Type: "Feature", ID: f.ID, Properties: props,
			Geometry: &geoGeometry{Type: "MultiPolygon", Coordinates: coords},
		})
	}
	b, err := json.Marshal(out)
	if err != nil {
		return nil, chart.Bounds{}, fmt.Errorf("map %s: %w", name, err)
	}
	return b, chart.Bounds{MinX: minX, MinY: minY, MaxX: maxX, MaxY: maxY}, nil
}

// thinRing simplifies a closed ring with Douglas–Peucker; a ring that would
// fall below 4 positions is kept as it is, so no small commune disappears.
func thinRing(r ring, tol float64) ring {
	if len(r) <= 4 || tol <= 0 {
		return r
	}
	keep := make([]bool, len(r))
	keep[0], keep[len(r)-1] = true, true
	type span struct{ a, b int }
	stack := []span{{0, len(r) - 1}}
	// A closed ring's first and last positions coincide; split it at the
	// position farthest from the start so both halves have a real baseline.
	if far := farthest(r, 0, len(r)-1); far > 0 {
		keep[far] = true
		stack = []span{{0, far}, {far, len(r) - 1}}
	}
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		i, d := maxDeviation(r, s.a, s.b)
		if i > 0 && d > tol {
			keep[i] = true
			stack = append(stack, span{s.a, i}, span{i, s.b})
		}
	}
	out := make(ring, 0, len(r)/2)
	for i, k := range keep {
		if k {
			out = append(out, r[i])
		}
	}
	if len(out) < 4 {
		return r
	}
	return out
}

func farthest(r ring, a, b int) int {
	best, bestD := -1, 0.0
	for i := a + 1; i < b; i++ {
		dx, dy := r[i][0]-r[a][0], r[i][1]-r[a][1]
		if d := dx*dx + dy*dy; d > bestD {
			best, bestD = i, d
		}
	}
	return best
}

// maxDeviation returns the position between a and b farthest from the
// segment a–b and its distance.
func maxDeviation(r ring, a, b int) (int, float64) {
	ax, ay := r[a][0], r[a][1]
	dx, dy := r[b][0]-ax, r[b][1]-ay
	l := math.Hypot(dx, dy)
	best, bestD := -1, 0.0
	for i := a + 1; i < b; i++ {
		px, py := r[i][0]-ax, r[i][1]-ay
		var d float64
		if l == 0 {
			d = math.Hypot(px, py)
		} else {
			d = math.Abs(dy*px-dx*py) / l
		}
		if d > bestD {
			best, bestD = i, d
		}
	}
	return best, bestD
}

func roundRing(r ring) ring {
	f := math.Pow10(coordDecimals)
	out := make(ring, 0, len(r))
	for _, c := range r {
		p := [2]float64{math.Round(c[0]*f) / f, math.Round(c[1]*f) / f}
		if n := len(out); n > 0 && out[n-1] == p {
			continue
		}
		out = append(out, p)
	}
	if len(out) < 4 {
		return r
	}
	return out
}
