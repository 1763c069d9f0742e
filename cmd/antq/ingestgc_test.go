package main

import (
	"math"
	"runtime/debug"
	"testing"
)

// TestIngestGC: an ingest runs with GOGC 400 within ingestGCLimit, a limit
// already set (GOMEMLIMIT) is kept, and both are put back afterwards.
func TestIngestGC(t *testing.T) {
	gc0, lim0 := debug.SetGCPercent(100), debug.SetMemoryLimit(math.MaxInt64)
	defer func() { debug.SetGCPercent(gc0); debug.SetMemoryLimit(lim0) }()

	restore := ingestGC()
	if gc, lim := debug.SetGCPercent(400), debug.SetMemoryLimit(-1); gc != 400 || lim != ingestGCLimit {
		t.Errorf("during: GOGC %d, limit %d; want 400, %d", gc, lim, ingestGCLimit)
	}
	restore()
	if gc, lim := debug.SetGCPercent(100), debug.SetMemoryLimit(-1); gc != 100 || lim != math.MaxInt64 {
		t.Errorf("after: GOGC %d, limit %d; want 100, no limit", gc, lim)
	}

	debug.SetMemoryLimit(3 << 30) // as GOMEMLIMIT=3GiB sets it
	restore = ingestGC()
	if lim := debug.SetMemoryLimit(-1); lim != 3<<30 {
		t.Errorf("a limit set by the user became %d", lim)
	}
	restore()
}
