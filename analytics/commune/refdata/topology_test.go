package main

import (
	"bytes"
	"encoding/json"
	"testing"
)

// square returns the open ring of an axis-aligned square (counter-clockwise).
func square(x, y, s int64) []pt {
	return []pt{{x, y}, {x + s, y}, {x + s, y + s}, {x, y + s}}
}

// sameRing reports whether closed ring got is open ring want, rotated.
func sameRing(got, want []pt) bool {
	if len(got) != len(want)+1 || got[0] != got[len(got)-1] {
		return false
	}
	for off := range want {
		ok := true
		for i := range want {
			if got[i] != want[(i+off)%len(want)] {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

func TestBuildTopology(t *testing.T) {
	// Two squares side by side sharing the edge x=10 (with a midpoint on it in
	// both), and an enclave inside a third square's hole.
	left := []pt{{0, 0}, {10, 0}, {10, 5}, {10, 10}, {0, 10}}
	right := []pt{{10, 0}, {20, 0}, {20, 10}, {10, 10}, {10, 5}}
	outer, hole := square(100, 100, 30), []pt{{110, 110}, {110, 120}, {120, 120}, {120, 110}}
	enclave := square(110, 110, 10)
	fs := []feature{
		{code: "A", province: "01", polygons: [][][]pt{{left}}},
		{code: "B", province: "01", polygons: [][][]pt{{right}}},
		{code: "C", province: "02", polygons: [][][]pt{{outer, hole}}},
		{code: "D", province: "02", polygons: [][][]pt{{enclave}}},
	}
	topo := buildTopology(fs)
	for fi, f := range fs {
		for pi, poly := range f.polygons {
			for ri, r := range poly {
				if got := assemble(topo.arcs, topo.refs[fi][pi][ri]); !sameRing(got, r) {
					t.Errorf("%s ring %d: assembled %v, want %v", f.code, ri, got, r)
				}
			}
		}
	}
	shared := func(a, b []int) bool {
		for _, x := range a {
			for _, y := range b {
				if x == ^y {
					return true
				}
			}
		}
		return false
	}
	if !shared(topo.refs[0][0][0], topo.refs[1][0][0]) {
		t.Errorf("A and B do not share their common edge: %v, %v", topo.refs[0][0][0], topo.refs[1][0][0])
	}
	if !shared(topo.refs[2][0][1], topo.refs[3][0][0]) {
		t.Errorf("the hole of C and the enclave D do not share one arc: %v, %v", topo.refs[2][0][1], topo.refs[3][0][0])
	}
	// A|B cut at the junctions (10,0) and (10,10): the shared edge, A's rest,
	// B's rest; then C's outer ring and the hole/enclave arc.
	if len(topo.arcs) != 5 {
		t.Errorf("%d arcs, want 5: %v", len(topo.arcs), topo.arcs)
	}
}

func TestSimplifyKeepsSharedEdgesAndRings(t *testing.T) {
	// A wiggly shared edge (deviation 1) between two communes, simplified at 2:
	// both sides lose the wiggle identically; a tiny triangle-ish ring that
	// would collapse keeps its vertices.
	left := []pt{{0, 0}, {100, 0}, {101, 50}, {100, 100}, {0, 100}}
	right := []pt{{100, 0}, {200, 0}, {200, 100}, {100, 100}, {101, 50}}
	tiny := []pt{{500, 500}, {501, 500}, {501, 501}}
	fs := []feature{
		{code: "A", polygons: [][][]pt{{left}}},
		{code: "B", polygons: [][][]pt{{right}}},
		{code: "T", polygons: [][][]pt{{tiny}}},
	}
	topo := buildTopology(fs)
	arcs := topo.simplify(2)
	a := assemble(arcs, topo.refs[0][0][0])
	for _, p := range a {
		if p == (pt{101, 50}) {
			t.Errorf("the wiggle survived: %v", a)
		}
	}
	if got := assemble(arcs, topo.refs[2][0][0]); len(got) != 4 {
		t.Errorf("tiny ring: %v, want its 3 vertices kept", got)
	}
	var buf bytes.Buffer
	if err := writeTopoJSON(&buf, fs, topo.refs, arcs); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Type      string
		Transform struct{ Scale, Translate [2]float64 }
		Arcs      [][][2]int64
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, buf.String())
	}
	if doc.Type != "Topology" || doc.Transform.Scale != [2]float64{quantum, quantum} || len(doc.Arcs) != len(arcs) {
		t.Errorf("topology header: %+v", doc)
	}
	// Delta decoding gives the arcs back (the grid starts at 0,0 here, so
	// the translate is 0).
	for i, a := range doc.Arcs {
		var x, y int64
		for j, d := range a {
			x, y = x+d[0], y+d[1]
			if (pt{x, y}) != arcs[i][j] {
				t.Fatalf("arc %d point %d: decoded %v, want %v", i, j, pt{x, y}, arcs[i][j])
			}
		}
	}
}
