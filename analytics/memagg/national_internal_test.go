package memagg

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"github.com/antq-atlas/antq/analytics"
)

// natSource is a national dataset's shape without the engine: 34
// provinces of 98 communes, each receiving incidents on about nine days
// in ten of 2022-2025 (4.3 M commune-days, as the national demo dataset).
type natSource struct{ Source }

func natCommune(p, i int) analytics.CommuneCode {
	return analytics.CommuneCode(fmt.Sprintf("%02d%03d", p, i))
}

func (natSource) CommuneRefs(context.Context) ([]analytics.CommuneRef, error) {
	var out []analytics.CommuneRef
	for p := range 34 {
		for i := range 98 {
			out = append(out, analytics.CommuneRef{Code: natCommune(p+1, i), Province: analytics.ProvinceCode(fmt.Sprintf("%02d", p+1)), AreaKm2: 40, Population: 9000})
		}
	}
	return out, nil
}

func (natSource) Provinces(_ context.Context, k analytics.Kind) (map[analytics.ProvinceCode]bool, error) {
	out := map[analytics.ProvinceCode]bool{}
	if k == analytics.KindIncidents {
		for p := range 34 {
			out[analytics.ProvinceCode(fmt.Sprintf("%02d", p+1))] = true
		}
	}
	return out, nil
}

func (natSource) IncidentDays(_ context.Context, p analytics.ProvinceCode) ([]analytics.IncidentDay, error) {
	pn, err := strconv.Atoi(string(p))
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(uint64(pn), 7))
	base := time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC)
	var out []analytics.IncidentDay
	for i := range 98 {
		for d := range 1461 {
			if rng.IntN(10) == 0 {
				continue
			}
			x := analytics.IncidentDay{Province: p, Commune: natCommune(pn, i), Day: base.AddDate(0, 0, d),
				Incidents: uint64(1 + rng.IntN(3)), ResolvedLocal: uint64(rng.IntN(2)), Tips: uint64(rng.IntN(2))}
			x.Rows = x.Incidents + x.Tips
			out = append(out, x)
		}
	}
	return out, nil
}

func (natSource) Spans(context.Context, analytics.ProvinceCode) ([]analytics.SpanCount, error) {
	return nil, nil
}

func (natSource) GradeCounts(context.Context, analytics.ProvinceCode) ([]analytics.GradeCount, error) {
	return nil, nil
}

// BenchmarkNationalFigures: a national map's figures from memory (3,332
// communes, 4.4 M commune-days) over police year 2025, for a count with
// AnyOf rows as its denominator and for a rate of two counters.
func BenchmarkNationalFigures(b *testing.B) {
	r := New(natSource{})
	if err := r.Refresh(b.Context(), nil); err != nil {
		b.Fatal(err)
	}
	w := analytics.Window{Spec: "2025", From: time.Date(2024, 12, 15, 0, 0, 0, 0, time.UTC), To: time.Date(2025, 12, 15, 0, 0, 0, 0, time.UTC)}
	// A server writes megabytes between two maps (a national map's body is
	// 6 MB): cold, the caches are overwritten before each map, untimed.
	evict := make([]byte, 64<<20)
	for _, id := range []analytics.MetricID{"incidents", "resolution_rate"} {
		for _, cold := range []bool{false, true} {
			name := string(id) + "/warm"
			if cold {
				name = string(id) + "/cold"
			}
			b.Run(name, func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					if cold {
						b.StopTimer()
						for j := 0; j < len(evict); j += 64 {
							evict[j]++
						}
						b.StartTimer()
					}
					figs, err := r.MetricByCommune(b.Context(), id, "", w)
					if err != nil || len(figs) != 34*98 {
						b.Fatalf("%d figures, %v", len(figs), err)
					}
				}
			})
		}
	}
}
