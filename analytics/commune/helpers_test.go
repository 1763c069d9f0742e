package commune

import (
	"context"
	"sync"
	"testing"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune/communetest"
	"github.com/paulmach/orb"
)

// Tests load the reference data embedded in the package (Config{}); the
// few that compare with the sources (full resolution, the checked
// crosswalk, the original table) find them through communetest, which
// fails when they are missing.
func testRefDir(tb testing.TB) string { tb.Helper(); return communetest.RefDir(tb) }

func testVNAD(tb testing.TB) string { tb.Helper(); return communetest.VNAD(tb) }

var (
	setOnce sync.Once
	theSet  *Set
	theRes  *Resolver
	setErr  error
)

// mustSet loads the real reference data once per test binary.
func mustSet(tb testing.TB) (*Set, *Resolver) {
	tb.Helper()
	setOnce.Do(func() {
		theSet, setErr = Load(context.Background(), Config{})
		if setErr == nil {
			theRes = NewResolver(theSet)
		}
	})
	if setErr != nil {
		tb.Fatal(setErr)
	}
	return theSet, theRes
}

// interiorPoint returns a point inside the commune's full-resolution
// boundary (its portal centre when inside, else a grid point).
func interiorPoint(tb testing.TB, s *Set, code analytics.CommuneCode) orb.Point {
	tb.Helper()
	ctx := context.Background()
	c, _ := s.Commune(code)
	if in, _ := s.Contains(ctx, code, LevelFull, c.Center[0], c.Center[1]); in {
		return c.Center
	}
	b := c.Bound
	for i := 1; i < 40; i++ {
		for j := 1; j < 40; j++ {
			x := b.Min[0] + (b.Max[0]-b.Min[0])*float64(i)/40
			y := b.Min[1] + (b.Max[1]-b.Min[1])*float64(j)/40
			if in, _ := s.Contains(ctx, code, LevelFull, x, y); in {
				return orb.Point{x, y}
			}
		}
	}
	tb.Fatalf("no interior point for %s", code)
	return orb.Point{}
}
