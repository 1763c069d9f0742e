package dashboard_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkMapGeoJSON serves the choropleth of Tuyên Quang (124 communes,
// medium boundaries) and of the whole country (3,321 communes, low
// boundaries): cold (the cache emptied before each request: store queries,
// GeoJSON encoding and gzip), cold for a client without gzip (the plain
// body) and cached (the compressed bytes as they are).
func BenchmarkMapGeoJSON(b *testing.B) {
	f := newFixture(b, true)
	for _, m := range []struct{ name, url string }{
		{"province", "/api/v1/map.geojson?province=08&metric=sites&period=2025"},
		{"province_compare", "/api/v1/map.geojson?province=08&metric=resolution_rate&period=2025&compare=prev"},
		{"national", "/api/v1/map.geojson?province=all&metric=sites&period=2025"},
	} {
		for _, mode := range []string{"cold", "cold_identity", "cached"} {
			b.Run(m.name+"/"+mode, func(b *testing.B) {
				first := f.get(b, m.url, "Accept-Encoding", "gzip") // warms boundaries and engine
				if first.status != http.StatusOK {
					b.Fatalf("status %d: %s", first.status, first.body)
				}
				b.ReportAllocs()
				b.ResetTimer()
				for b.Loop() {
					if mode != "cached" {
						f.app.Invalidate()
					}
					req := httptest.NewRequest(http.MethodGet, m.url, nil)
					if mode != "cold_identity" {
						req.Header.Set("Accept-Encoding", "gzip")
					}
					resp, err := f.app.Fiber().Test(req, -1)
					if err != nil || resp.StatusCode != http.StatusOK {
						b.Fatalf("%v %v", err, resp)
					}
					resp.Body.Close()
				}
				b.ReportMetric(float64(len(first.raw))/1024, "KiB-gzip")
				b.ReportMetric(float64(len(first.body))/1024, "KiB-json")
			})
		}
	}
}
