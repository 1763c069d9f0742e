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
// boundaries, and builds the resolver: the server's start-up cost, from
// the bundle embedded in the binary and from the shared/geo folder (with
// the original address.json) in one run.
// Run: go test -run '^$' -bench 'Load$' -benchtime 5x ./analytics/commune/
func BenchmarkLoad(b *testing.B) {
	for _, bc := range []struct {
		name string
		cfg  func() Config
	}{
		{"embedded", func() Config { return Config{} }},
		{"dir", func() Config { return Config{RefDir: testRefDir(b), VNADPath: testVNAD(b)} }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			cfg := bc.cfg()
			for b.Loop() {
				s, err := Load(context.Background(), cfg)
				if err != nil {
					b.Fatal(err)
				}
				NewResolver(s)
			}
		})
	}
}

// BenchmarkLoadFullProvince reads one province's finest boundaries (Hà
// Nội): the embedded bundle's detailed level (decoded on first use; each
// iteration loads a fresh Set outside the timer) and a scan of the all-34
// NDJSON of shared/geo.
func BenchmarkLoadFullProvince(b *testing.B) {
	b.Run("embedded", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			s, err := Load(context.Background(), Config{})
			if err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			if err := s.PreloadFull(context.Background(), "01"); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("dir", func(b *testing.B) {
		ref := testRefDir(b)
		for b.Loop() {
			if _, err := scanFullNDJSON(context.Background(), ref+"/"+FileFullRes, "01"); err != nil {
				b.Fatal(err)
			}
		}
	})
}
