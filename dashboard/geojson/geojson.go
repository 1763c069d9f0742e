// Package geojson checks GeoJSON documents against the rules of RFC 7946
// the API promises: a FeatureCollection or Feature, no "crs" member,
// positions of two or three numbers within WGS84 longitude/latitude, at most
// six decimals, closed linear rings of four or more positions, outer rings
// counter-clockwise and holes clockwise (RFC 7946 §3.1.6).
//
// It is a structural check written in Go, so tests need no Node tooling. It
// imports the standard library only.
package geojson

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// MaxDecimals is the most decimals a coordinate may carry (≈ 0.1 m).
const MaxDecimals = 6

// maxProblems bounds the report.
const maxProblems = 20

// Validate reports every problem found in raw (up to a bound), or nil.
func Validate(raw []byte) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		return fmt.Errorf("not a JSON object: %w", err)
	}
	v := &validator{}
	v.object(doc, "$")
	if len(v.problems) == 0 {
		return nil
	}
	return errors.New(strings.Join(v.problems, "; "))
}

type validator struct {
	problems []string
}

func (v *validator) fail(path, format string, args ...any) {
	if len(v.problems) < maxProblems {
		v.problems = append(v.problems, path+": "+fmt.Sprintf(format, args...))
	}
}

func (v *validator) object(doc map[string]any, path string) {
	if _, ok := doc["crs"]; ok {
		v.fail(path, `"crs" member (RFC 7946 §4 removed it)`)
	}
	switch t, _ := doc["type"].(string); t {
	case "FeatureCollection":
		fs, ok := doc["features"].([]any)
		if !ok {
			v.fail(path, "features is not an array")
			return
		}
		for i, f := range fs {
			fo, ok := f.(map[string]any)
			if !ok {
				v.fail(fmt.Sprintf("%s.features[%d]", path, i), "not an object")
				continue
			}
			if ft, _ := fo["type"].(string); ft != "Feature" {
				v.fail(fmt.Sprintf("%s.features[%d]", path, i), "type %q, want Feature", ft)
				continue
			}
			v.object(fo, fmt.Sprintf("%s.features[%d]", path, i))
		}
	case "Feature":
		g, ok := doc["geometry"]
		if !ok {
			v.fail(path, "no geometry member (null is allowed, absence is not)")
		} else if g != nil {
			if gm, ok := g.(map[string]any); ok {
				v.geometry(gm, path+".geometry")
			} else {
				v.fail(path+".geometry", "not an object or null")
			}
		}
		if p, ok := doc["properties"]; !ok {
			v.fail(path, "no properties member")
		} else if _, isObj := p.(map[string]any); p != nil && !isObj {
			v.fail(path+".properties", "not an object or null")
		}
		if id, ok := doc["id"]; ok {
			switch id.(type) {
			case string, json.Number:
			default:
				v.fail(path+".id", "not a string or number")
			}
		}
	default:
		v.fail(path, "type %q, want FeatureCollection or Feature", t)
	}
}

func (v *validator) geometry(g map[string]any, path string) {
	if _, ok := g["crs"]; ok {
		v.fail(path, `"crs" member`)
	}
	t, _ := g["type"].(string)
	if t == "GeometryCollection" {
		gs, _ := g["geometries"].([]any)
		for i, x := range gs {
			if xm, ok := x.(map[string]any); ok {
				v.geometry(xm, fmt.Sprintf("%s.geometries[%d]", path, i))
			}
		}
		return
	}
	c, ok := g["coordinates"]
	if !ok {
		v.fail(path, "no coordinates")
		return
	}
	switch t {
	case "Point":
		v.position(c, path+".coordinates")
	case "MultiPoint", "LineString":
		for i, p := range list(c) {
			v.position(p, fmt.Sprintf("%s.coordinates[%d]", path, i))
		}
	case "MultiLineString":
		for i, l := range list(c) {
			for j, p := range list(l) {
				v.position(p, fmt.Sprintf("%s.coordinates[%d][%d]", path, i, j))
			}
		}
	case "Polygon":
		v.polygon(c, path+".coordinates")
	case "MultiPolygon":
		polys := list(c)
		if len(polys) == 0 {
			v.fail(path, "empty MultiPolygon")
		}
		for i, p := range polys {
			v.polygon(p, fmt.Sprintf("%s.coordinates[%d]", path, i))
		}
	default:
		v.fail(path, "unknown geometry type %q", t)
	}
}

func list(x any) []any {
	l, _ := x.([]any)
	return l
}

// polygon checks rings: closed, ≥ 4 positions, the first counter-clockwise
// and the others clockwise.
func (v *validator) polygon(c any, path string) {
	rings := list(c)
	if len(rings) == 0 {
		v.fail(path, "polygon without rings")
	}
	for i, r := range rings {
		rp := fmt.Sprintf("%s[%d]", path, i)
		pts := list(r)
		if len(pts) < 4 {
			v.fail(rp, "ring of %d positions, want at least 4", len(pts))
			continue
		}
		xy := make([][2]float64, 0, len(pts))
		for j, p := range pts {
			x, y, ok := v.position(p, fmt.Sprintf("%s[%d]", rp, j))
			if !ok {
				return
			}
			xy = append(xy, [2]float64{x, y})
		}
		if xy[0] != xy[len(xy)-1] {
			v.fail(rp, "ring not closed")
		}
		area := signedArea(xy)
		switch {
		case area == 0:
			v.fail(rp, "ring without area")
		case i == 0 && area < 0:
			v.fail(rp, "outer ring clockwise, want counter-clockwise")
		case i > 0 && area > 0:
			v.fail(rp, "hole counter-clockwise, want clockwise")
		}
	}
}

// signedArea is the shoelace sum: positive for counter-clockwise rings in
// lon/lat.
func signedArea(r [][2]float64) float64 {
	var s float64
	for i := 0; i+1 < len(r); i++ {
		s += r[i][0]*r[i+1][1] - r[i+1][0]*r[i][1]
	}
	return s / 2
}

// position checks [lon, lat(, h)]: numbers, in range, ≤ MaxDecimals.
func (v *validator) position(p any, path string) (x, y float64, ok bool) {
	l := list(p)
	if len(l) < 2 || len(l) > 3 {
		v.fail(path, "position of %d numbers, want 2 or 3", len(l))
		return 0, 0, false
	}
	var f [3]float64
	for i, n := range l {
		num, isNum := n.(json.Number)
		if !isNum {
			v.fail(path, "coordinate %d not a number", i)
			return 0, 0, false
		}
		s := num.String()
		if strings.ContainsAny(s, "eE") {
			v.fail(path, "coordinate %s in exponent form", s)
		}
		if _, frac, has := strings.Cut(s, "."); has && len(frac) > MaxDecimals {
			v.fail(path, "coordinate %s has %d decimals, want at most %d", s, len(frac), MaxDecimals)
		}
		x, err := num.Float64()
		if err != nil {
			v.fail(path, "coordinate %s: %v", s, err)
			return 0, 0, false
		}
		f[i] = x
	}
	if f[0] < -180 || f[0] > 180 || f[1] < -90 || f[1] > 90 {
		v.fail(path, "position %v outside WGS84 lon/lat", l)
		return 0, 0, false
	}
	return f[0], f[1], true
}
