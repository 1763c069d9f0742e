package commune

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/antq-atlas/antq/analytics"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// placementProvinces are the provinces sampled by TestPointPlacement: the
// two of the demo, the two largest cities, and a coast with islands and a
// delta (reading full resolution costs a scan of the national file per
// province, so not all 34).
var placementProvinces = []analytics.ProvinceCode{"08", "25", "01", "79", "22", "96"}

// placementGeom is one commune's geometry with its bounding box and the
// bounding box of each ring (computed once: planar.RingContains computes
// it on every call).
type placementGeom struct {
	code   analytics.CommuneCode
	bound  orb.Bound
	mp     orb.MultiPolygon
	bounds [][]orb.Bound
}

func (g *placementGeom) contains(pt orb.Point) bool {
	if !g.bound.Contains(pt) {
		return false
	}
	for i, poly := range g.mp {
		if !g.bounds[i][0].Contains(pt) || !planar.RingContains(poly[0], pt) {
			continue
		}
		inHole := false
		for j := 1; j < len(poly) && !inHole; j++ {
			inHole = g.bounds[i][j].Contains(pt) && planar.RingContains(poly[j], pt)
		}
		if !inHole {
			return true
		}
	}
	return false
}

func placementGeoms(tb testing.TB, s *Set, p analytics.ProvinceCode, level Level) []placementGeom {
	tb.Helper()
	var out []placementGeom
	for _, c := range s.CommunesOf(p) {
		mp, err := s.Boundary(context.Background(), c.Code, level)
		if err != nil {
			tb.Fatal(err)
		}
		g := placementGeom{code: c.Code, bound: mp.Bound(), mp: mp}
		for _, poly := range mp {
			var bs []orb.Bound
			for _, r := range poly {
				bs = append(bs, r.Bound())
			}
			g.bounds = append(g.bounds, bs)
		}
		out = append(out, g)
	}
	return out
}

func placeIn(gs []placementGeom, pt orb.Point) (analytics.CommuneCode, *placementGeom) {
	for i := range gs {
		if gs[i].contains(pt) {
			return gs[i].code, &gs[i]
		}
	}
	return "", nil
}

// boundaryMetres is the distance in metres from pt to the nearest edge of
// mp (equirectangular at the point's latitude; exact enough for tens of
// metres).
func boundaryMetres(mp orb.MultiPolygon, pt orb.Point) float64 {
	kx := 111320 * math.Cos(pt[1]*math.Pi/180)
	const ky = 110574.0
	best := math.Inf(1)
	for _, poly := range mp {
		for _, r := range poly {
			for i := 0; i+1 < len(r); i++ {
				ax, ay := (r[i][0]-pt[0])*kx, (r[i][1]-pt[1])*ky
				bx, by := (r[i+1][0]-pt[0])*kx, (r[i+1][1]-pt[1])*ky
				dx, dy := bx-ax, by-ay
				u := 0.0
				if l := dx*dx + dy*dy; l > 0 {
					u = math.Max(0, math.Min(1, -(ax*dx+ay*dy)/l))
				}
				ex, ey := ax+u*dx, ay+u*dy
				best = math.Min(best, math.Hypot(ex, ey))
			}
		}
	}
	return best
}

// TestPointPlacement places 100,002 seeded random points inside six
// provinces with the embedded bundle's detailed level (what the resolver
// reads when the medium level cannot decide, and what simplify=full draws
// without --refdata) and with the full-resolution sources: at least 99.9 %
// must land in the same commune, and every disagreement lies within
// 50 m of a full-resolution boundary. The published medium level is
// measured beside it for the record.
func TestPointPlacement(t *testing.T) {
	dir := testRefDir(t) // fails, never skips, when the sources are missing
	ctx := context.Background()
	bundle, _ := mustSet(t)
	full, err := Load(ctx, Config{RefDir: dir, Provinces: placementProvinces})
	if err != nil {
		t.Fatal(err)
	}
	const perProvince = 16_667 // × 6 = 100,002
	const maxMetres = 50.0
	var total, agree, agreeMedium, far int
	var worst, worstMedium float64
	for _, p := range placementProvinces {
		fg := placementGeoms(t, full, p, LevelFull)
		dg := placementGeoms(t, bundle, p, LevelFull)
		mg := placementGeoms(t, bundle, p, LevelMedium)
		b := fg[0].bound
		for _, g := range fg[1:] {
			b = b.Union(g.bound)
		}
		rng := rand.New(rand.NewPCG(2025, uint64(len(p))<<8|uint64(p[0])<<4|uint64(p[1])))
		n, pAgree := 0, 0
		for n < perProvince {
			pt := orb.Point{b.Min[0] + rng.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + rng.Float64()*(b.Max[1]-b.Min[1])}
			want, wg := placeIn(fg, pt)
			if wg == nil {
				continue // outside the province
			}
			n++
			if got, _ := placeIn(dg, pt); got == want {
				pAgree++
			} else {
				d := boundaryMetres(wg.mp, pt)
				worst = math.Max(worst, d)
				if d > maxMetres {
					far++
					if far <= 5 {
						t.Errorf("province %s: point %.6f,%.6f is in %s at full resolution, %q in the bundle, %.1f m from the boundary", p, pt[0], pt[1], want, got, d)
					}
				}
			}
			if got, _ := placeIn(mg, pt); got == want {
				agreeMedium++
			} else {
				worstMedium = math.Max(worstMedium, boundaryMetres(wg.mp, pt))
			}
		}
		total += n
		agree += pAgree
		t.Logf("province %s: %d points, %.4f %% placed alike by the bundle's detailed level", p, n, 100*float64(pAgree)/float64(n))
	}
	share := float64(agree) / float64(total)
	t.Logf("detailed level: %d of %d points (%.4f %%) in the same commune as full resolution; farthest disagreement %.1f m from a boundary",
		agree, total, 100*share, worst)
	t.Logf("published medium level (drawn maps), for the record: %.4f %% alike; farthest disagreement %.1f m",
		100*float64(agreeMedium)/float64(total), worstMedium)
	if total < 100_000 {
		t.Fatalf("%d points, want at least 100,000", total)
	}
	if share < 0.999 {
		t.Errorf("%.4f %% placed alike, want at least 99.9 %%", 100*share)
	}
	if far > 0 {
		t.Errorf("%d disagreements farther than %.0f m from a boundary", far, maxMetres)
	}
}
