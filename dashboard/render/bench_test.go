package render

import (
	"context"
	"fmt"
	"testing"
)

// Figures (README): go test ./dashboard/chart -run '^$' -bench . -benchtime 5x

func BenchmarkBarSVGCold(b *testing.B) {
	r := mustRenderer(b)
	spec := rankingSpec(b)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		spec.Slide.Title = fmt.Sprint("bench cold ", i) // a new chart each time
		if _, err := r.SVG(context.Background(), spec); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBarSVGCached(b *testing.B) {
	r := mustRenderer(b)
	spec := rankingSpec(b)
	if _, err := r.SVG(context.Background(), spec); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := r.SVG(context.Background(), spec); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkProvinceMapSVGCold(b *testing.B) {
	r := mustRenderer(b)
	spec := provinceSpec(b, refGeo(b, "tuyen_quang_communes_2025_simplified.geojson"))
	for i := 0; b.Loop(); i++ {
		spec.Slide.Title = fmt.Sprint("bench cold ", i)
		if _, err := r.SVG(context.Background(), spec); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkProvinceMapSVGCached(b *testing.B) {
	r := mustRenderer(b)
	spec := provinceSpec(b, refGeo(b, "tuyen_quang_communes_2025_simplified.geojson"))
	if _, err := r.SVG(context.Background(), spec); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := r.SVG(context.Background(), spec); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkProvinceMapPNGCold is the worst case a request meets: a fresh
// renderer (runtime load, map registration), render, rasterise at
// 1920×1080 scale 2.
func BenchmarkProvinceMapPNGColdRenderer(b *testing.B) {
	mustAssets(b)
	spec := provinceSpec(b, refGeo(b, "tuyen_quang_communes_2025_simplified.geojson"))
	for b.Loop() {
		r, err := New(Options{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := r.PNG(context.Background(), spec); err != nil {
			b.Fatal(err)
		}
		r.Close()
	}
}

// BenchmarkProvinceMapPNGCold has a warm runtime with the map registered:
// the usual uncached request.
func BenchmarkProvinceMapPNGCold(b *testing.B) {
	r := mustRenderer(b)
	spec := provinceSpec(b, refGeo(b, "tuyen_quang_communes_2025_simplified.geojson"))
	for i := 0; b.Loop(); i++ {
		spec.Slide.Title = fmt.Sprint("bench png ", i)
		if _, err := r.PNG(context.Background(), spec); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkBarPNG1920Scale2(b *testing.B) {
	r := mustRenderer(b)
	spec := rankingSpec(b)
	spec.Width, spec.Height, spec.Scale = 1920, 1080, 2
	for i := 0; b.Loop(); i++ {
		spec.Slide.Title = fmt.Sprint("bench png ", i)
		if _, err := r.PNG(context.Background(), spec); err != nil {
			b.Fatal(err)
		}
	}
}
