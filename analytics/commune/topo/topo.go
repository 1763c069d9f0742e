// Package topo reads the boundaries' TopoJSON and shapes their geometry
// for the reference geography (analytics/commune): Decode turns a
// (quantised) topology into absolute arcs and per-commune rings of arc
// indices, Geom.MultiPolygon assembles a commune from one level's arcs,
// Simplify thins an arc with Douglas–Peucker keeping its endpoints (so
// neighbours still share their border), and RFC7946 makes a polygon fit
// for GeoJSON. Hand-written: orb has no TopoJSON decoder, and the shared
// arcs are what lets every level keep neighbours gap-free.
package topo

import (
	"encoding/json"
	"fmt"

	"github.com/paulmach/orb"
)

// Topology is a decoded TopoJSON topology: absolute arcs and, per object
// geometry, its polygons as rings of arc indices (negative = reversed,
// ~i). Only Polygon and MultiPolygon geometries are kept.
type Topology struct {
	Arcs  [][]orb.Point
	Geoms []Geom
}

// Geom is one commune's geometry in a topology.
type Geom struct {
	ID       string    // the commune code
	Province string    // the province code
	Polygons [][][]int // polygon -> ring -> arc indices
}

type topoFile struct {
	Type      string `json:"type"`
	Transform *struct {
		Scale     [2]float64 `json:"scale"`
		Translate [2]float64 `json:"translate"`
	} `json:"transform"`
	Arcs    [][][2]float64 `json:"arcs"`
	Objects map[string]struct {
		Type       string `json:"type"`
		Geometries []struct {
			Type       string          `json:"type"`
			ID         json.RawMessage `json:"id"`
			Arcs       json.RawMessage `json:"arcs"`
			Properties struct {
				Code     string `json:"code"`
				Province string `json:"province_code"`
			} `json:"properties"`
		} `json:"geometries"`
	} `json:"objects"`
}

// Decode decodes a TopoJSON document. A quantised topology
// (with "transform") has delta-encoded integer arcs: each position after
// the first is the difference from the previous one, and a position is
// x*scale+translate once summed.
func Decode(b []byte) (*Topology, error) {
	var f topoFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, err
	}
	if f.Type != "Topology" {
		return nil, fmt.Errorf("type %q, want Topology", f.Type)
	}
	t := &Topology{Arcs: make([][]orb.Point, len(f.Arcs))}
	for i, a := range f.Arcs {
		pts := make([]orb.Point, len(a))
		if f.Transform != nil {
			var x, y float64
			sx, sy := f.Transform.Scale[0], f.Transform.Scale[1]
			tx, ty := f.Transform.Translate[0], f.Transform.Translate[1]
			for j, p := range a {
				x += p[0]
				y += p[1]
				pts[j] = orb.Point{x*sx + tx, y*sy + ty}
			}
		} else {
			for j, p := range a {
				pts[j] = orb.Point{p[0], p[1]}
			}
		}
		t.Arcs[i] = pts
	}
	for name, o := range f.Objects {
		for gi, g := range o.Geometries {
			tg := Geom{ID: g.Properties.Code, Province: g.Properties.Province}
			if tg.ID == "" && len(g.ID) > 0 {
				var s string
				if json.Unmarshal(g.ID, &s) == nil {
					tg.ID = s
				} else {
					tg.ID = string(g.ID)
				}
			}
			switch g.Type {
			case "Polygon":
				var rings [][]int
				if err := json.Unmarshal(g.Arcs, &rings); err != nil {
					return nil, fmt.Errorf("object %s geometry %d: %w", name, gi, err)
				}
				tg.Polygons = [][][]int{rings}
			case "MultiPolygon":
				if err := json.Unmarshal(g.Arcs, &tg.Polygons); err != nil {
					return nil, fmt.Errorf("object %s geometry %d: %w", name, gi, err)
				}
			default:
				continue // null geometries and other types carry no area
			}
			for _, p := range tg.Polygons {
				for _, r := range p {
					for _, a := range r {
						if i := ArcIndex(a); i < 0 || i >= len(t.Arcs) {
							return nil, fmt.Errorf("object %s geometry %d: arc %d out of range", name, gi, a)
						}
					}
				}
			}
			t.Geoms = append(t.Geoms, tg)
		}
	}
	return t, nil
}

// ArcIndex is the arc a ring refers to: i, or ~i (= -i-1) reversed.
func ArcIndex(a int) int {
	if a < 0 {
		return ^a
	}
	return a
}

// assembleRing assembles a ring from arcs (one level's arcs). Consecutive arcs
// share their joining point, which is written once.
func assembleRing(arcs [][]orb.Point, idx []int) orb.Ring {
	n := 0
	for _, a := range idx {
		n += len(arcs[ArcIndex(a)])
	}
	r := make(orb.Ring, 0, n)
	for j, a := range idx {
		pts := arcs[ArcIndex(a)]
		if a >= 0 {
			if j > 0 && len(pts) > 0 {
				pts = pts[1:]
			}
			r = append(r, pts...)
			continue
		}
		end := len(pts) - 1
		if j > 0 {
			end--
		}
		for k := end; k >= 0; k-- {
			r = append(r, pts[k])
		}
	}
	return r
}

// MultiPolygon assembles a geometry from one level's arcs. fallback, when
// not nil, supplies a ring from another level for rings that degenerate
// (fewer than 4 points or no area); it reports how many were replaced.
func (g *Geom) MultiPolygon(arcs [][]orb.Point, fallback [][]orb.Point) (orb.MultiPolygon, int) {
	mp := make(orb.MultiPolygon, 0, len(g.Polygons))
	replaced := 0
	for _, p := range g.Polygons {
		poly := make(orb.Polygon, 0, len(p))
		for _, idx := range p {
			r := assembleRing(arcs, idx)
			if fallback != nil && (len(r) < 4 || RingArea(r) == 0) {
				r = assembleRing(fallback, idx)
				replaced++
			}
			poly = append(poly, r)
		}
		mp = append(mp, poly)
	}
	return mp, replaced
}

// RingArea is the planar signed area in square degrees (positive = CCW).
func RingArea(r orb.Ring) float64 {
	var a float64
	for i := 0; i+1 < len(r); i++ {
		a += r[i][0]*r[i+1][1] - r[i+1][0]*r[i][1]
	}
	return a / 2
}
