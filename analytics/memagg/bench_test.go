package memagg_test

import (
	"fmt"
	"testing"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/chstore"
	"github.com/antq-atlas/antq/analytics/chstore/chstoretest"
	"github.com/antq-atlas/antq/analytics/memagg"
)

// benchStore is a province of Tuyên Quang's size: 124 communes, 20,000
// incidents and tips over 2022-2025, 1,200 sites, 300 models.
func benchStore(b *testing.B) *chstore.Store {
	s := chstoretest.Open(b)
	ref := chstore.Reference{Fingerprint: "memagg-bench", Provinces: []chstore.RefProvince{{Code: "08", Name: "Tỉnh Tuyên Quang", AreaKm2: 13795.5, Communes: 124}}}
	for i := range 124 {
		ref.Communes = append(ref.Communes, chstore.RefCommune{Code: fmt.Sprintf("%05d", 2000+i), Province: "08", FullName: fmt.Sprintf("Xã %d", i),
			Name: fmt.Sprint(i), Kind: "xã", AreaKm2: 40 + float64(i%17), Population: u32p(uint32(5000 + 97*i))})
	}
	if _, err := s.LoadReference(ctx, ref); err != nil {
		b.Fatal(err)
	}
	loc := func(i int) analytics.Located {
		return analytics.Located{Province: "08", Commune: analytics.CommuneCode(fmt.Sprintf("%05d", 2000+i%124)), Rule: analytics.RuleExactCode, Confidence: 1}
	}
	var bt analytics.Batch
	for i := range 20000 {
		rec := day("2022-01-01").AddDate(0, 0, (i*37)%1460)
		in := analytics.Incident{Key: fmt.Sprintf("i%d", i), Hash: 1, Received: rec, Outcome: analytics.Outcomes[i%len(analytics.Outcomes)],
			Tip: i%5 == 4, TipUseful: i%10 == 4, Located: loc(i * 7)}
		if i%3 > 0 {
			in.Closed = rec.AddDate(0, 0, i%30)
		}
		bt.Incidents = append(bt.Incidents, in)
	}
	for i := range 1200 {
		st := analytics.Site{Key: fmt.Sprintf("s%d", i), Hash: 1, ModelType: "5 tự quản", Opened: day("2020-01-01").AddDate(0, 0, (i*53)%2000), Located: loc(i)}
		if i%7 == 3 {
			st.Retired = st.Opened.AddDate(1, 2, 0)
		}
		bt.Sites = append(bt.Sites, st)
	}
	for i := range 300 {
		bt.Models = append(bt.Models, analytics.Model{Key: fmt.Sprintf("m%d", i), Hash: 1, Name: "Mô hình", Type: "5 tự quản",
			Founded: day("2019-06-01").AddDate(0, 0, (i*41)%2200), Advanced: i%4 == 0, Located: loc(i * 3)})
	}
	bt.Token = "bench"
	if err := s.Write(ctx, bt); err != nil {
		b.Fatal(err)
	}
	if err := s.Commit(ctx, []analytics.ProvinceCode{"08"}); err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkMetricByCommune: one province map's figures (police year 2025,
// 124 communes) from the store's SQL and from memory, side by side, for a
// sites map, a rate map and a window that is not half-month aligned.
func BenchmarkMetricByCommune(b *testing.B) {
	s := benchStore(b)
	r := memagg.New(s)
	if err := r.Refresh(ctx, nil); err != nil {
		b.Fatal(err)
	}
	b.Logf("tables: %+v", r.Stats())
	year, err := analytics.ParsePeriod("2025", day("2026-01-10"))
	if err != nil {
		b.Fatal(err)
	}
	custom := analytics.Window{Spec: "custom", From: day("2024-03-03"), To: day("2025-02-11")}
	for _, c := range []struct {
		name string
		id   analytics.MetricID
		w    analytics.Window
	}{
		{"sites", "sites", year},
		{"resolution_rate", "resolution_rate", year},
		{"resolution_rate_custom", "resolution_rate", custom},
	} {
		for _, side := range []struct {
			name   string
			reader analytics.Reader
		}{{"sql", s}, {"memory", r}} {
			b.Run(c.name+"/"+side.name, func(b *testing.B) {
				want, err := s.MetricByCommune(ctx, c.id, "08", c.w)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				for b.Loop() {
					got, err := side.reader.MetricByCommune(ctx, c.id, "08", c.w)
					if err != nil || len(got) != len(want) {
						b.Fatalf("%d figures, %v", len(got), err)
					}
				}
			})
		}
	}
}
