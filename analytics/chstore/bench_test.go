package chstore_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/chstore/chstoretest"
)

func benchIncidents(n int) []analytics.Incident {
	base := day("2022-01-01")
	cats := []string{"mâu thuẫn/tranh chấp", "tội phạm tố giác", "tệ nạn xã hội", "trật tự công cộng", "giao thông", "cháy nổ"}
	out := make([]analytics.Incident, n)
	for i := range out {
		rec := base.AddDate(0, 0, i%1400)
		out[i] = analytics.Incident{
			Key: fmt.Sprintf("08:bench-%d", i), Hash: uint64(i) * 2654435761, Category: cats[i%len(cats)],
			Received: rec, Closed: rec.AddDate(0, 0, i%30), Outcome: analytics.Outcomes[i%len(analytics.Outcomes)],
			Located: analytics.Located{Province: "08", Commune: analytics.CommuneCode(fmt.Sprintf("%05d", 2000+i%124)),
				SourcePlace: "Xã Trung Minh, Huyện Yên Sơn", Rule: analytics.RuleNormalisedName, Confidence: 0.95},
			Source: analytics.Source{File: "bench.csv", Row: i + 2},
		}
	}
	return out
}

// BenchmarkWriteIncidents: 1 M incident rows from Go values through the
// store (clickhouse-go columnar batch -> in-process transport ->
// chdb_stream_insert), in batches of 100k as the ingest sends them.
func BenchmarkWriteIncidents(b *testing.B) {
	s := chstoretest.Open(b)
	const n, batch = 1_000_000, 100_000
	rows := benchIncidents(n)
	ctx := b.Context()
	b.ResetTimer()
	start := time.Now()
	for it := 0; it < b.N; it++ {
		for off := 0; off < n; off += batch {
			bt := analytics.Batch{Token: fmt.Sprintf("bench/%d/%d", it, off), Incidents: rows[off : off+batch]}
			if err := s.Write(ctx, bt); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(n*b.N)/time.Since(start).Seconds(), "rows/s")
}

// BenchmarkIncidentsByCommune: the group-by-commune aggregate over 10 M
// incidents (34 provinces, 3,321 communes, 2022-2025), raw and from the
// daily aggregates the store keeps.
func BenchmarkIncidentsByCommune(b *testing.B) {
	s := chstoretest.Open(b)
	ctx := b.Context()
	// 10 M rows made in SQL: the subject here is the read, not the load.
	// Each commune belongs to one province, as in the reference data.
	gen := `INSERT INTO incidents (record_key, content_hash, version, category, received, closed, outcome, province_code, commune_code)
SELECT concat(p, ':', toString(number)), number, 1,
       ['mâu thuẫn/tranh chấp','tội phạm tố giác','tệ nạn xã hội','trật tự công cộng','giao thông','cháy nổ'][number % 6 + 1],
       toDate('2022-01-01') + (number % 1460), toDate('2022-01-01') + (number % 1460) + (number % 29), ['hòa giải thành','hòa giải không thành','giải quyết tại cơ sở','chuyển cơ quan chức năng','đang giải quyết'][number % 5 + 1],
       p, leftPad(toString(c), 5, '0')
FROM (SELECT number, (number * 7) % 3321 AS c, leftPad(toString(c % 34 + 1), 2, '0') AS p FROM numbers(10000000))`
	if err := s.RawExec(ctx, gen); err != nil {
		b.Fatal(err)
	}
	// Reads are measured in the steady state, not against the background
	// merges of the 340 parts just written.
	t0 := time.Now()
	if err := s.RawExec(ctx, "OPTIMIZE TABLE incidents FINAL"); err != nil {
		b.Fatal(err)
	}
	b.Logf("10 M incidents merged in %v", time.Since(t0))
	var provinces []analytics.ProvinceCode
	for i := 1; i <= 34; i++ {
		provinces = append(provinces, analytics.ProvinceCode(fmt.Sprintf("%02d", i)))
	}
	t0 = time.Now()
	if err := s.Commit(ctx, provinces); err != nil {
		b.Fatal(err)
	}
	b.Logf("aggregates for 10 M incidents rebuilt in %v", time.Since(t0))
	from, to := day("2023-12-15"), day("2024-12-15")
	b.Run("agg/national", func(b *testing.B) {
		for b.Loop() {
			rows, err := s.IncidentsByCommune(ctx, "", from, to)
			if err != nil || len(rows) != 3321 {
				b.Fatalf("%d rows, %v", len(rows), err)
			}
		}
	})
	w := analytics.Window{From: from, To: to}
	for _, id := range []analytics.MetricID{"incidents", "resolution_rate", "median_days", "sites_per_10k"} {
		b.Run("metric-"+string(id)+"/national", func(b *testing.B) {
			for b.Loop() {
				if _, err := s.MetricByCommune(ctx, id, "", w); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("agg/province", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.IncidentsByCommune(ctx, "08", from, to); err != nil {
				b.Fatal(err)
			}
		}
	})
	for name, q := range map[string]string{
		"agg-sums/national":  "SELECT commune_code, sum(incidents), sum(closed), sum(days_sum) FROM incidents_agg WHERE half_month >= '2023-12-15' AND half_month < '2024-12-15' GROUP BY commune_code FORMAT Null",
		"agg-count/national": "SELECT count() FROM incidents_agg FORMAT Null",
	} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if err := s.RawExec(ctx, q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("raw/national", func(b *testing.B) {
		for b.Loop() {
			if err := s.RawExec(ctx, "SELECT commune_code, count(), countIf(closed IS NOT NULL), median(dateDiff('day', received, closed)) FROM incidents WHERE received BETWEEN '2023-12-15' AND '2024-12-14' GROUP BY commune_code FORMAT Null"); err != nil {
				b.Fatal(err)
			}
		}
	})
}
