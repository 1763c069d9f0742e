package topo

import (
	"math"

	"github.com/paulmach/orb"
)

// RFC7946 returns a copy of mp fit for RFC 7946 GeoJSON: coordinates rounded
// to 6 decimals (≈ 0.1 m), repeated points dropped, rings closed, outer rings
// counter-clockwise and holes clockwise. Rings left with fewer than 4 points
// are dropped (a polygon whose outer ring is dropped goes with it).
func RFC7946(mp orb.MultiPolygon) orb.MultiPolygon {
	out := make(orb.MultiPolygon, 0, len(mp))
	for _, poly := range mp {
		np := make(orb.Polygon, 0, len(poly))
		for ri, r := range poly {
			nr := make(orb.Ring, 0, len(r)+1)
			for _, pt := range r {
				q := orb.Point{round6(pt[0]), round6(pt[1])}
				if len(nr) > 0 && nr[len(nr)-1] == q {
					continue
				}
				nr = append(nr, q)
			}
			if len(nr) > 0 && nr[0] != nr[len(nr)-1] {
				nr = append(nr, nr[0])
			}
			if len(nr) < 4 {
				if ri == 0 {
					break
				}
				continue
			}
			area := RingArea(nr)
			if (ri == 0 && area < 0) || (ri > 0 && area > 0) {
				nr.Reverse()
			}
			np = append(np, nr)
		}
		if len(np) > 0 {
			out = append(out, np)
		}
	}
	return out
}

func round6(v float64) float64 { return math.Round(v*1e6) / 1e6 }
