package geo

import (
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

func square(x, y float64) orb.MultiPolygon {
	return orb.MultiPolygon{{{{x, y}, {x + 1, y}, {x + 1, y + 1}, {x, y + 1}, {x, y}}}}
}

// TestDissolve: neighbours sharing an edge merge into one outline; parts
// apart stay apart; a ring of parts keeps its hole.
func TestDissolve(t *testing.T) {
	tests := []struct {
		name         string
		parts        []orb.MultiPolygon
		polys, rings int
		area         float64
	}{
		{"two neighbours", []orb.MultiPolygon{square(0, 0), square(1, 0)}, 1, 1, 2},
		{"apart", []orb.MultiPolygon{square(0, 0), square(5, 5)}, 2, 2, 2},
		{"a ring around a hole", func() []orb.MultiPolygon {
			var ps []orb.MultiPolygon
			for x := range 3 {
				for y := range 3 {
					if x != 1 || y != 1 {
						ps = append(ps, square(float64(x), float64(y)))
					}
				}
			}
			return ps
		}(), 1, 2, 8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Dissolve(tt.parts)
			rings := 0
			for _, p := range got {
				rings += len(p)
			}
			if len(got) != tt.polys || rings != tt.rings {
				t.Fatalf("%d polygons, %d rings; want %d, %d: %v", len(got), rings, tt.polys, tt.rings, got)
			}
			if a := planar.Area(got); a < tt.area-1e-9 || a > tt.area+1e-9 {
				t.Errorf("area %v, want %v", a, tt.area)
			}
		})
	}
}
