package commune

import (
	"context"
	"testing"
	"time"

	"github.com/antq-atlas/antq/analytics"
)

// BenchmarkResolve resolves 1,000,000 places per iteration, cycling through
// every old unit (commune, district, old province, pre-merger date, as
// written and abbreviated without diacritics) and every 2025 commune (name
// and province). Run: go test -run '^$' -bench Resolve -benchtime 3x ./analytics/commune/
func BenchmarkResolve(b *testing.B) {
	s, r := mustSet(b)
	date := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	var places []analytics.Place
	for i := range s.OldUnits {
		u := &s.OldUnits[i]
		places = append(places,
			analytics.Place{Commune: u.Name, District: u.District, Province: u.Province, Date: date},
			analytics.Place{Commune: plain(abbreviate(u.Name)), District: plain(abbreviate(u.District)), Province: plain(u.Province)})
	}
	for i := range s.Communes {
		c := &s.Communes[i]
		places = append(places, analytics.Place{Commune: c.FullName, Province: string(c.Province)})
	}
	const n = 1_000_000
	b.ResetTimer()
	for b.Loop() {
		t0 := time.Now()
		errs := 0
		for i := 0; i < n; i++ {
			if _, err := r.Resolve(places[i%len(places)]); err != nil {
				errs++
			}
		}
		b.ReportMetric(float64(n)/time.Since(t0).Seconds(), "rows/s")
		b.ReportMetric(float64(errs)/n, "err-share")
	}
}

// BenchmarkLoad loads everything except the lazy full-resolution
// boundaries, and builds the resolver: the server's start-up cost.
func BenchmarkLoad(b *testing.B) {
	ref, vn := testRefDir(b), testVNAD(b)
	for b.Loop() {
		s, err := Load(context.Background(), Config{RefDir: ref, VNADPath: vn})
		if err != nil {
			b.Fatal(err)
		}
		NewResolver(s)
	}
}

// BenchmarkLoadFullProvince scans the all-34 NDJSON for one province.
func BenchmarkLoadFullProvince(b *testing.B) {
	ref := testRefDir(b)
	for b.Loop() {
		if _, err := scanFullNDJSON(context.Background(), ref+"/"+FileFullRes, "01"); err != nil {
			b.Fatal(err)
		}
	}
}
