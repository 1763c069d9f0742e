package topo

import (
	"testing"

	"github.com/paulmach/orb"
)

// A quantised topology of two unit squares side by side sharing arc 1,
// and a MultiPolygon with a hole using a reversed arc.
const tinyTopo = `{"type":"Topology",
 "transform":{"scale":[0.5,0.5],"translate":[100,10]},
 "arcs":[
  [[2,0],[-2,0],[0,2],[2,0]],
  [[2,2],[0,-2]],
  [[2,2],[2,0],[0,-2],[-2,0]],
  [[10,10],[4,0],[0,4],[-4,0],[0,-4]],
  [[11,11],[0,2],[2,0],[0,-2],[-2,0]]
 ],
 "objects":{"c":{"type":"GeometryCollection","geometries":[
  {"type":"Polygon","id":"A","arcs":[[0,1]],"properties":{"code":"A"}},
  {"type":"Polygon","id":"B","arcs":[[-2,2]]},
  {"type":"MultiPolygon","id":"C","arcs":[[[3],[4]]]},
  {"type":null,"id":"D"}
 ]}}}`

func TestDecodeTopology(t *testing.T) {
	tp, err := Decode([]byte(tinyTopo))
	if err != nil {
		t.Fatal(err)
	}
	if len(tp.Geoms) != 3 {
		t.Fatalf("%d geometries, want 3 (null skipped)", len(tp.Geoms))
	}
	// Arc 0 decodes from deltas: (2,0) (0,0) (0,2) (2,2) scaled by 0.5 + translate.
	wantArc0 := []orb.Point{{101, 10}, {100, 10}, {100, 11}, {101, 11}}
	for i, p := range tp.Arcs[0] {
		if p != wantArc0[i] {
			t.Fatalf("arc 0 = %v, want %v", tp.Arcs[0], wantArc0)
		}
	}
	a, _ := tp.Geoms[0].MultiPolygon(tp.Arcs, nil)
	b, _ := tp.Geoms[1].MultiPolygon(tp.Arcs, nil)
	wantA := orb.Ring{{101, 10}, {100, 10}, {100, 11}, {101, 11}, {101, 10}}
	if !a[0][0].Equal(wantA) {
		t.Errorf("A = %v, want %v", a[0][0], wantA)
	}
	// B starts with arc 1 reversed (~1 = -2): from (101,10) up to (101,11).
	wantB := orb.Ring{{101, 10}, {101, 11}, {102, 11}, {102, 10}, {101, 10}}
	if !b[0][0].Equal(wantB) {
		t.Errorf("B = %v, want %v", b[0][0], wantB)
	}
	if tp.Geoms[0].ID != "A" || tp.Geoms[1].ID != "B" {
		t.Errorf("ids %q %q", tp.Geoms[0].ID, tp.Geoms[1].ID)
	}
	c, _ := tp.Geoms[2].MultiPolygon(tp.Arcs, nil)
	if len(c) != 1 || len(c[0]) != 2 {
		t.Fatalf("C = %v, want one polygon with a hole", c)
	}
	if _, err := Decode([]byte(`{"type":"Topology","arcs":[],"objects":{"o":{"type":"GeometryCollection","geometries":[{"type":"Polygon","arcs":[[0]]}]}}}`)); err == nil {
		t.Error("arc out of range accepted")
	}
}

func TestRFC7946Winding(t *testing.T) {
	cw := orb.Ring{{0, 0}, {0, 1}, {1, 1}, {1, 0}, {0, 0}}              // clockwise outer
	ccwHole := orb.Ring{{0.2, 0.2}, {0.8, 0.2}, {0.8, 0.8}, {0.2, 0.2}} // counter-clockwise hole
	out := RFC7946(orb.MultiPolygon{{cw, ccwHole}})
	if RingArea(out[0][0]) <= 0 {
		t.Error("outer ring not counter-clockwise")
	}
	if RingArea(out[0][1]) >= 0 {
		t.Error("hole not clockwise")
	}
	if RingArea(cw) >= 0 {
		t.Error("input was modified")
	}
	r := RFC7946(orb.MultiPolygon{{{{105.12345678, 21.1}, {105.2, 21.1}, {105.2, 21.2}, {105.12345678, 21.1}}}})
	if r[0][0][0][0] != 105.123457 {
		t.Errorf("not rounded to 6 decimals: %v", r[0][0][0][0])
	}
}

func TestSimplify(t *testing.T) {
	line := []orb.Point{{0, 0}, {1, 0.0001}, {2, 0}, {3, 1}, {4, 0}}
	got := Simplify(line, 0.001)
	if len(got) != 4 || got[0] != line[0] || got[len(got)-1] != line[4] {
		t.Errorf("Simplify = %v", got)
	}
	closed := []orb.Point{{0, 0}, {1, 0}, {1, 0.0001}, {1, 1}, {0, 1}, {0, 0}}
	if c := Simplify(closed, 0.001); len(c) < 4 || c[0] != c[len(c)-1] {
		t.Errorf("closed arc collapsed: %v", c)
	}
}
