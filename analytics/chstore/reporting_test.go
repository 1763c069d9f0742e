package chstore_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/antq-atlas/antq/analytics"
)

// TestReporting counts, on the metric fixture, the records of each kind
// bearing on a window and those before it, aligned (from the aggregates)
// and not (from the incidents), and the half-months holding records.
func TestReporting(t *testing.T) {
	s := metricFixture(t)
	now := day("2026-01-10")
	tests := []struct {
		period string
		from   string // a range instead of a period
		to     string
		want   string
	}{
		// Police year 2024: 7 incidents and tips in it (i5 on 20/12/2023
		// included), none before; sites s1–s3 opened by its end; grades of
		// 2024.
		{"2024", "", "", "08 in: grades 2 incidents 7 sites 3; before: grades 0 incidents 0 sites 2"},
		{"2025", "", "", "08 in: grades 0 incidents 1 sites 4; before: grades 2 incidents 7 sites 3"},
		// Not on half-months: read from the incidents themselves.
		{"", "2024-03-02", "2024-04-01", "08 in: grades 2 incidents 2 sites 3; before: grades 0 incidents 3 sites 3"},
	}
	for _, tt := range tests {
		var w analytics.Window
		var err error
		if tt.period != "" {
			w, err = analytics.ParsePeriod(tt.period, now)
		} else {
			w, err = analytics.ParseRange(tt.from, tt.to)
		}
		if err != nil {
			t.Fatal(err)
		}
		reps, err := s.Reporting(ctx, "08", w)
		if err != nil {
			t.Fatal(err)
		}
		if len(reps) != 1 {
			t.Fatalf("%s: %d provinces reporting, want 1", w.Spec, len(reps))
		}
		r := reps[0]
		got := fmt.Sprintf("%s in: grades %d incidents %d sites %d; before: grades %d incidents %d sites %d", r.Province,
			r.InWindow[analytics.KindGrades], r.InWindow[analytics.KindIncidents], r.InWindow[analytics.KindSites],
			r.Before[analytics.KindGrades], r.Before[analytics.KindIncidents], r.Before[analytics.KindSites])
		if got != tt.want {
			t.Errorf("%s: %s, want %s", w.Spec, got, tt.want)
		}
		// A province holding nothing is absent.
		if none, err := s.Reporting(ctx, "25", w); err != nil || len(none) != 0 {
			t.Errorf("%s: Phú Thọ reports %v (%v), want nothing", w.Spec, none, err)
		}
	}
	hs, err := s.DataHalfMonths(ctx, "08")
	if err != nil {
		t.Fatal(err)
	}
	got := map[analytics.Kind][]string{}
	for k, list := range hs {
		for _, h := range list {
			got[k] = append(got[k], h.Format(time.DateOnly))
		}
	}
	// Sites opened 01/01/2020, 01/03/2024, 01/01/2025, one retired
	// 01/06/2024; grades of police year 2024 (from 15/12/2023); incidents
	// from 20/12/2023 to 05/01/2025.
	want := map[analytics.Kind]string{
		analytics.KindSites:     "[2020-01-01 2024-03-01 2024-06-01 2025-01-01]",
		analytics.KindGrades:    "[2023-12-15]",
		analytics.KindIncidents: "[2023-12-15 2024-01-01 2024-02-15 2024-03-15 2024-04-01 2024-05-01 2025-01-01]",
		analytics.KindModels:    "[]",
	}
	for k, w := range want {
		if g := fmt.Sprint(got[k]); g != w {
			t.Errorf("%s half-months %s, want %s", k, g, w)
		}
	}
}
