package commune

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/antq-atlas/antq/analytics"
	"github.com/paulmach/orb"
)

// Tests find the reference bundle through $ANTQ_REFDATA, then FindRefData's
// own search (./refdata, ../shared/geo), then by walking up from the
// working directory to the first ancestor holding shared/geo (the sibling
// of the module root on the build machines). The official table comes from
// FindVNAD ($ANTQ_VNAD or the cache of deploy/setup/vnad.sh). Without
// them the tests fail, saying how to get them: they are not optional.
func testRefDir(tb testing.TB) string {
	tb.Helper()
	if d := os.Getenv("ANTQ_REFDATA"); d != "" {
		dir, err := FindRefData(d)
		if err != nil {
			tb.Fatal(err)
		}
		return dir
	}
	if dir, err := FindRefData(""); err == nil {
		return dir
	}
	wd, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for d := wd; ; d = filepath.Dir(d) {
		cand := filepath.Join(d, "shared", "geo")
		if len(missingFiles(cand, requiredRefFiles)) == 0 {
			return cand
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	_, err = FindRefData("")
	tb.Fatalf("%v (also searched upward from %s for shared/geo; set ANTQ_REFDATA)", err, wd)
	return ""
}

func testVNAD(tb testing.TB) string {
	tb.Helper()
	p, err := FindVNAD("")
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

var (
	setOnce sync.Once
	theSet  *Set
	theRes  *Resolver
	setErr  error
)

// mustSet loads the real reference data once per test binary.
func mustSet(tb testing.TB) (*Set, *Resolver) {
	tb.Helper()
	ref, vn := testRefDir(tb), testVNAD(tb)
	setOnce.Do(func() {
		theSet, setErr = Load(context.Background(), Config{RefDir: ref, VNADPath: vn})
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
