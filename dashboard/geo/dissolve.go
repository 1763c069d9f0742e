package geo

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// Dissolve merges the polygons of neighbouring communes into one outline
// (a province's boundary for the national map). The communes' boundaries
// come from one topology whose arcs are simplified once, so neighbours
// share their edges point for point: an edge that appears in both
// directions is inside the union and cancels out; the edges left chain
// into the outline's rings. Written here because no library at hand
// dissolves polygons (orb has no union); it needs exactly shared edges,
// which the reference topology guarantees (TestDissolve checks the rule,
// dashboard's TestNationalByProvince the provinces).
func Dissolve(parts []orb.MultiPolygon) orb.MultiPolygon {
	type edge [2]orb.Point
	count := map[edge]int{}
	var order []edge
	for _, mp := range parts {
		for _, poly := range mp {
			for ri, r := range poly {
				// Outer rings counter-clockwise, holes clockwise (RFC 7946
				// copies): every edge runs with the interior on its left.
				ring := r
				if (ri == 0) != (signedArea(r) >= 0) {
					ring = append(orb.Ring(nil), r...)
					ring.Reverse()
				}
				for i := 0; i+1 < len(ring); i++ {
					e := edge{ring[i], ring[i+1]}
					if e[0] == e[1] {
						continue
					}
					if back := (edge{e[1], e[0]}); count[back] > 0 {
						count[back]--
						continue
					}
					if count[e] == 0 {
						order = append(order, e)
					}
					count[e]++
				}
			}
		}
	}
	next := map[orb.Point][]orb.Point{}
	for _, e := range order {
		for n := count[e]; n > 0; n-- {
			next[e[0]] = append(next[e[0]], e[1])
		}
	}
	var outers []orb.Ring
	var holes []orb.Ring
	for _, e := range order {
		for len(next[e[0]]) > 0 {
			start := e[0]
			ring := orb.Ring{start}
			at := start
			for {
				nx := next[at]
				if len(nx) == 0 {
					break
				}
				to := nx[len(nx)-1]
				next[at] = nx[:len(nx)-1]
				ring = append(ring, to)
				at = to
				if at == start {
					break
				}
			}
			if len(ring) < 4 || ring[0] != ring[len(ring)-1] {
				continue
			}
			switch a := signedArea(ring); {
			case math.Abs(a) < 1e-12: // a sliver between rounded points: no area
			case a > 0:
				outers = append(outers, ring)
			default:
				holes = append(holes, ring)
			}
		}
	}
	out := make(orb.MultiPolygon, len(outers))
	for i, r := range outers {
		out[i] = orb.Polygon{r}
	}
	for _, h := range holes {
		for i, r := range outers {
			if planar.RingContains(r, h[0]) || planar.RingContains(r, h[1]) {
				out[i] = append(out[i], h)
				break
			}
		}
	}
	return out
}

// signedArea is a ring's area, positive when counter-clockwise.
func signedArea(r orb.Ring) float64 {
	var a float64
	for i := 0; i+1 < len(r); i++ {
		a += r[i][0]*r[i+1][1] - r[i+1][0]*r[i][1]
	}
	return a / 2
}
