package commune

import (
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune/topo"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geo"
)

func validRing(r orb.Ring) bool { return len(r) >= 4 && r[0] == r[len(r)-1] }

// TestBoundariesTQPT: every commune of Tuyên Quang and Phú Thọ has valid
// polygons at every level (closed rings, ≥ 4 points), and the RFC 7946
// output winds correctly.
func TestBoundariesTQPT(t *testing.T) {
	s, _ := mustSet(t)
	ctx := context.Background()
	for _, p := range []analytics.ProvinceCode{"08", "25"} {
		communes := s.CommunesOf(p)
		if want := map[analytics.ProvinceCode]int{"08": 124, "25": 148}[p]; len(communes) != want {
			t.Errorf("province %s: %d communes, want %d", p, len(communes), want)
		}
		for _, c := range communes {
			for _, lv := range Levels {
				g, err := s.Boundary(ctx, c.Code, lv)
				if err != nil {
					t.Fatalf("%s %s: %v", c.Code, lv, err)
				}
				for _, poly := range g {
					for _, r := range poly {
						if !validRing(r) {
							t.Errorf("%s %s %s: invalid ring of %d points", c.Code, c.FullName, lv, len(r))
						}
					}
				}
				for _, poly := range topo.RFC7946(g) {
					for i, r := range poly {
						if (i == 0) != (topo.RingArea(r) > 0) {
							t.Errorf("%s %s: ring %d wound wrongly", c.Code, lv, i)
						}
					}
				}
			}
		}
	}
}

func TestEveryCommuneHasPolygon(t *testing.T) {
	s, _ := mustSet(t)
	rep := Check(s)
	if len(rep.NoPolygon) != 0 {
		t.Errorf("communes without a polygon: %v", rep.NoPolygon)
	}
}

// TestSimplifiedNeighboursShareEdges: at LevelLow every segment of an arc
// shared by two communes appears in both communes' rings, so the simplified
// map has no gaps or overlaps along shared edges.
func TestSimplifiedNeighboursShareEdges(t *testing.T) {
	s, _ := mustSet(t)
	uses := map[int][]analytics.CommuneCode{}
	for _, g := range s.topo.Geoms {
		if g.Province != "08" && g.Province != "25" {
			continue
		}
		for _, p := range g.Polygons {
			for _, r := range p {
				for _, a := range r {
					uses[topo.ArcIndex(a)] = append(uses[topo.ArcIndex(a)], analytics.CommuneCode(g.ID))
				}
			}
		}
	}
	type seg struct{ a, b orb.Point }
	segsOf := func(code analytics.CommuneCode) map[seg]bool {
		g, err := s.Boundary(context.Background(), code, LevelLow)
		if err != nil {
			t.Fatal(err)
		}
		m := map[seg]bool{}
		for _, p := range g {
			for _, r := range p {
				for i := 0; i+1 < len(r); i++ {
					m[seg{r[i], r[i+1]}] = true
					m[seg{r[i+1], r[i]}] = true
				}
			}
		}
		return m
	}
	low := map[analytics.CommuneCode]map[seg]bool{}
	shared, checked, simplified := 0, 0, 0
	for arc, codes := range uses {
		if len(codes) != 2 || codes[0] == codes[1] {
			continue
		}
		shared++
		pts := topo.Simplify(s.topo.Arcs[arc], LowTolerance)
		if len(pts) < len(s.topo.Arcs[arc]) {
			simplified++
		}
		for _, c := range codes {
			if low[c] == nil {
				low[c] = segsOf(c)
			}
			for i := 0; i+1 < len(pts); i++ {
				checked++
				if !low[c][seg{pts[i], pts[i+1]}] {
					t.Fatalf("arc %d: segment %v-%v missing from %s", arc, pts[i], pts[i+1], c)
				}
			}
		}
	}
	if shared < 500 || simplified == 0 {
		t.Fatalf("only %d shared arcs (%d simplified): the test checks too little", shared, simplified)
	}
	t.Logf("%d shared arcs (%d simplified), %d segments found on both sides", shared, simplified, checked)
}

// TestProvinceAreaTotals: Σ commune area (portal) is within 0.1 % of the
// official province area for Tuyên Quang and Phú Thọ, and the polygons'
// spherical area agrees within 1 %.
func TestProvinceAreaTotals(t *testing.T) {
	s, _ := mustSet(t)
	for _, p := range []analytics.ProvinceCode{"08", "25"} {
		tot, ok := s.ProvinceTotals(p)
		if !ok {
			t.Fatalf("province %s missing", p)
		}
		if math.Abs(tot.AreaRatio-1) > 0.001 {
			t.Errorf("%s: Σ commune area %.2f vs province %.2f km²", p, tot.SumAreaKm2, tot.AreaKm2)
		}
		geom := 0.0
		for _, c := range s.CommunesOf(p) {
			g, _ := s.Boundary(context.Background(), c.Code, LevelFull)
			geom += geo.Area(g) / 1e6
		}
		if math.Abs(geom/tot.AreaKm2-1) > 0.01 {
			t.Errorf("%s: polygon area %.1f vs province %.1f km²", p, geom, tot.AreaKm2)
		}
		if tot.CommunesNoPopData == 0 || tot.SumPopulation <= 0 || tot.PopulationRatio > 1 {
			t.Errorf("%s: population totals %+v", p, tot)
		}
	}
}

func TestPopulationFlagged(t *testing.T) {
	s, _ := mustSet(t)
	c, _ := s.Commune("02215") // Phường Minh Xuân: portal says 72
	if _, ok := c.Population(); ok || c.RawPopulation() != 72 {
		t.Errorf("Minh Xuân population usable or rescaled: %d", c.RawPopulation())
	}
	c, _ = s.Commune("02509") // Phường Mỹ Lâm: 31,446
	if n, ok := c.Population(); !ok || n != 31446 {
		t.Errorf("Mỹ Lâm population %d %v", n, ok)
	}
}

func TestLocate(t *testing.T) {
	s, _ := mustSet(t)
	n, miss := 0, 0
	for _, c := range append(s.CommunesOf("08"), s.CommunesOf("25")...) {
		pt := interiorPoint(t, s, c.Code)
		got, ok := s.Locate(pt[0], pt[1])
		n++
		if !ok || got.Code != c.Code {
			miss++ // near an edge the medium boundary may differ
		}
	}
	if miss > n/20 {
		t.Errorf("Locate missed %d of %d interior points", miss, n)
	}
	if _, ok := s.Locate(0, 0); ok {
		t.Error("Locate(0,0) found a commune")
	}
	if got := s.InBound(s.Communes[0].Bound); len(got) == 0 {
		t.Error("InBound found nothing")
	}
	pr, _ := s.Province("08")
	if !pr.Bound.Contains(orb.Point{105.2, 22.0}) || pr.Bound.Contains(orb.Point{106.5, 20.0}) {
		t.Errorf("TQ bound %v", pr.Bound)
	}
}

func TestFeatureCollectionJSON(t *testing.T) {
	s, _ := mustSet(t)
	fc, err := s.FeatureCollection(context.Background(), "08", LevelLow)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(fc)
	if err != nil {
		t.Fatal(err)
	}
	js := string(b)
	if len(fc.Features) != 124 || strings.Contains(js, `"crs"`) || !strings.HasPrefix(js, `{"type":"FeatureCollection"`) {
		t.Errorf("%d features; crs present or wrong type", len(fc.Features))
	}
	if strings.Contains(js, `"population":72,`) {
		t.Error("flagged population exported")
	}
}

func TestFullResNDJSON(t *testing.T) {
	// A province without its own file is scanned from the all-34 NDJSON.
	if testing.Short() {
		t.Skip("reads the 43 MB NDJSON")
	}
	s, _ := mustSet(t)
	g, err := s.Boundary(context.Background(), "00004", LevelFull) // Phường Ba Đình, Hà Nội
	if err != nil {
		t.Fatal(err)
	}
	if a := geo.Area(g) / 1e6; math.Abs(a-2.97)/2.97 > 0.05 {
		t.Errorf("Ba Đình full area %.2f km², want ≈ 2.97", a)
	}
}
