package render

import (
	"bytes"
	"image/png"
	"strings"
	"testing"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/dashboard/chart"
)

func TestSnap(t *testing.T) {
	for _, c := range []struct {
		name   string
		w, h   int
		scale  float64
		ww, wh int
		wscale float64
	}{
		{"a preset stays", 1920, 1080, 2, 1920, 1080, 2},
		{"a pixel off", 1921, 1079, 2, 1920, 1080, 2},
		{"nearby widths meet", 1000, 700, 1, 1024, 720, 1},
		{"nearby widths meet, other side", 1030, 730, 1, 1024, 720, 1},
		{"smallest", 100, 101, 0.5, 100, 100, 0.5},
		{"largest", 4095, 4000, 4, 4096, 4096, 4},
		{"odd scale", 1280, 720, 1.7, 1280, 720, 1.5},
		{"tie goes up", 1280, 1360, 2.5, 1280, 1440, 3},
	} {
		t.Run(c.name, func(t *testing.T) {
			w, h, s := chart.Snap(c.w, c.h, c.scale)
			if w != c.ww || h != c.wh || s != c.wscale {
				t.Errorf("Snap(%d, %d, %g) = %d, %d, %g; want %d, %d, %g", c.w, c.h, c.scale, w, h, s, c.ww, c.wh, c.wscale)
			}
		})
	}
	for _, p := range chart.Presets {
		if w, h, s := chart.Snap(p.Width, p.Height, p.Scale); w != p.Width || h != p.Height || s != p.Scale {
			t.Errorf("preset %s snaps to %dx%d@%g", p.Name, w, h, s)
		}
	}
}

// TestPixelLimit: a PNG over 16 Mpx is refused before any work; 16 Mpx
// exactly is drawn.
func TestPixelLimit(t *testing.T) {
	r := mustRenderer(t)
	s := rankingSpec(t)
	s.Width, s.Height, s.Scale = 4096, 4096, 2 // 64 Mpx: 8192 per side was allowed before
	before := r.Stats().Rasters
	if _, err := r.PNG(ctxT(t), s); analytics.ErrorCode(err) != analytics.CodeInvalid || !strings.Contains(err.Error(), "16 Mpx") {
		t.Fatalf("64 Mpx: err = %v, want invalid naming 16 Mpx", err)
	}
	if r.Stats().Rasters != before {
		t.Error("the refused PNG was rasterised")
	}
	s.Scale = 1
	b, err := r.PNG(ctxT(t), s)
	if err != nil {
		t.Fatalf("16 Mpx: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil || img.Bounds().Dx() != 4096 {
		t.Fatalf("16 Mpx png: %v %v", img.Bounds(), err)
	}
}

// TestRasterMemoryLimit: rsvg-convert runs under the address-space limit:
// too small a limit makes the rasterisation fail (and say so), the
// default draws the same chart.
func TestRasterMemoryLimit(t *testing.T) {
	mustAssets(t)
	tight, err := New(Options{RasterMemory: 24 << 20, CacheBytes: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer tight.Close()
	s := rankingSpec(t)
	s.Width, s.Height, s.Scale = 2048, 2048, 2
	if _, err := tight.PNG(ctxT(t), s); err == nil || !strings.Contains(err.Error(), "memory limit 24 MiB") {
		t.Fatalf("24 MiB limit: err = %v, want a failed rasterisation naming the limit", err)
	}
	if _, err := mustRenderer(t).PNG(ctxT(t), s); err != nil {
		t.Fatalf("default limit: %v", err)
	}
}
