package chstore_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/chstore/chstoretest"
)

// TestInterruptedLoadRebuiltAtNextStart: a load that wrote incidents and
// was killed before its Commit leaves the provinces marked stale; the next
// process's Migrate rebuilds them, and the aggregates then equal the rows.
func TestInterruptedLoadRebuiltAtNextStart(t *testing.T) {
	s := chstoretest.Open(t)
	if err := s.Write(ctx, analytics.Batch{Token: "a", Incidents: []analytics.Incident{
		incident("08:1", 1, "02512", "2024-01-10", "2024-01-12"), incident("08:2", 1, "02512", "2024-01-11", ""),
	}}); err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(ctx, []analytics.ProvinceCode{"08"}); err != nil {
		t.Fatal(err)
	}
	if stale, err := s.StaleAggregates(ctx); err != nil || len(stale) != 0 {
		t.Fatalf("stale after a commit: %v, %v", stale, err)
	}
	// The killed load: written, never committed.
	in25 := incident("25:1", 1, "07100", "2024-03-10", "")
	in25.Province = "25"
	if err := s.Write(ctx, analytics.Batch{Token: "b", Incidents: []analytics.Incident{
		incident("08:3", 1, "02515", "2024-02-10", ""), incident("08:4", 1, "02515", "2024-02-11", "2024-02-13"), in25,
	}}); err != nil {
		t.Fatal(err)
	}
	stale, err := s.StaleAggregates(ctx)
	if err != nil || !slices.Equal(stale, []analytics.ProvinceCode{"08", "25"}) {
		t.Fatalf("stale = %v, %v; want [08 25]", stale, err)
	}
	if got, err := s.AggTotals(ctx, "08"); err != nil || got.Incidents != 2 {
		t.Fatalf("before the rebuild the aggregates hold %+v (%v), want the 2 committed incidents", got, err)
	}
	// A store rebuilds only what another process left: its own load is
	// still running.
	if got, err := s.RecoverAggregates(ctx); err != nil || len(got) != 0 {
		t.Fatalf("the writing store rebuilt %v (%v) under its own load", got, err)
	}

	// The next start: the process that wrote is gone (its memory of what
	// it wrote with it), and the store is migrated as every start does.
	next := s
	next.Restarted()
	if _, err := next.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if stale, err := next.StaleAggregates(ctx); err != nil || len(stale) != 0 {
		t.Fatalf("stale after the next start: %v, %v", stale, err)
	}
	for _, p := range []analytics.ProvinceCode{"08", "25"} {
		rows, err := next.Count(ctx, analytics.KindIncidents, p)
		if err != nil {
			t.Fatal(err)
		}
		agg, err := next.AggTotals(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		if agg.Incidents != rows || rows == 0 {
			t.Errorf("province %s: aggregates hold %d incidents, the rows %d", p, agg.Incidents, rows)
		}
	}
	national, err := next.IncidentsByCommune(ctx, "", day("2023-12-15"), day("2024-12-15"))
	if err != nil {
		t.Fatal(err)
	}
	got := map[analytics.CommuneCode]uint64{}
	for _, r := range national {
		got[r.Commune] = r.Incidents
	}
	if want := map[analytics.CommuneCode]uint64{"02512": 2, "02515": 2, "07100": 1}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("national aggregates %v, want %v", got, want)
	}
}
