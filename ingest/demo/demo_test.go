package demo_test

import (
	"context"
	"os"
	"testing"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/chstore"
	"github.com/antq-atlas/antq/analytics/chstore/chstoretest"
	"github.com/antq-atlas/antq/analytics/commune"
	"github.com/antq-atlas/antq/ingest"
	"github.com/antq-atlas/antq/ingest/demo"
)

func TestMain(m *testing.M) { os.Exit(chstoretest.Main(m)) }

// loadSet loads the reference data embedded in the binary.
func loadSet(t *testing.T) *commune.Set {
	t.Helper()
	set, err := commune.Load(context.Background(), commune.Config{})
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// TestDemoReproducesReportedFigures generates the demo files, ingests them
// through the ordinary path into the real engine, and checks every
// calibrated figure, the accounting, and that a second run adds nothing.
func TestDemoReproducesReportedFigures(t *testing.T) {
	ctx := context.Background()
	set := loadSet(t)
	out := t.TempDir()
	res, err := demo.Generate(ctx, set, demo.Config{Out: out, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	store := chstoretest.Open(t)
	if _, err := store.LoadReference(ctx, chstore.ReferenceFromSet(set)); err != nil {
		t.Fatal(err)
	}
	job := &ingest.Job{Writer: store, Resolver: commune.NewResolver(set)}
	sum, err := job.Run(ctx, res.Files...)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("ingest: %+v", sum.Counts)
	if sum.Read != sum.Loaded+sum.Rejected+sum.Duplicates {
		t.Fatalf("accounting: %+v", sum.Counts)
	}
	if sum.Read != res.Rows {
		t.Errorf("read %d rows, the generator wrote %d", sum.Read, res.Rows)
	}
	if sum.Rejected != res.Invalid {
		for _, f := range sum.Files {
			if f.Rejects != "" {
				b, _ := os.ReadFile(f.Rejects)
				t.Logf("%s:\n%.3000s", f.Rejects, b)
			}
		}
		t.Errorf("rejected %d rows, the generator spoiled %d", sum.Rejected, res.Invalid)
	}
	if sum.Duplicates != res.Duplicates {
		t.Errorf("duplicates %d, the generator repeated %d", sum.Duplicates, res.Duplicates)
	}

	for _, e := range demo.Expectations() {
		w, err := analytics.ParsePeriod(itoa(e.Year), mustDay("2026-06-01"))
		if err != nil {
			t.Fatal(err)
		}
		if got := figure(t, store, e, w); got != e.Value {
			t.Errorf("%s %d %s = %d, want %d", e.Province, e.Year, e.Metric, got, e.Value)
		}
	}
	// The nationally exemplary models are in Trường Sinh, Hùng Lợi, Hà Giang 1.
	w, _ := analytics.ParsePeriod("2025", mustDay("2026-06-01"))
	ms, err := store.Models(ctx, "08", "", w, 10)
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, m := range ms {
		if m.Exemplary {
			c, _ := set.Commune(m.Commune)
			found[c.Name] = true
		}
	}
	for _, ex := range demo.Exemplary {
		if !found[ex.Commune] {
			t.Errorf("no exemplary model in %s (found %v)", ex.Commune, found)
		}
	}

	again, err := job.Run(ctx, res.Files...)
	if err != nil {
		t.Fatal(err)
	}
	if again.Loaded != 0 || again.Read != sum.Read {
		t.Errorf("second run: %+v, want nothing loaded", again.Counts)
	}
}

func figure(t *testing.T, s *chstore.Store, e demo.Expect, w analytics.Window) int {
	t.Helper()
	ctx := context.Background()
	sum := func(id analytics.MetricID) int {
		figs, err := s.MetricByCommune(ctx, id, e.Province, w)
		if err != nil {
			t.Fatal(err)
		}
		var n float64
		for _, f := range figs {
			n += f.Num
		}
		return int(n)
	}
	switch e.Metric {
	case "models", "sites", "advanced":
		return sum(analytics.MetricID(e.Metric))
	case "model_types", "exemplary":
		f, err := s.ProvinceFacts(ctx, e.Province, w)
		if err != nil {
			t.Fatal(err)
		}
		if e.Metric == "exemplary" {
			return int(f.Exemplary)
		}
		return int(f.ModelTypes)
	case "models_commune_level", "models_agencies":
		ms, err := s.Models(ctx, e.Province, "", w, 100000)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, m := range ms {
			switch {
			case e.Metric == "models_commune_level" && m.Level == "xã":
				n++
			case e.Metric == "models_agencies" && (m.Sector == analytics.SectorAgency || m.Sector == analytics.SectorEducation):
				n++
			}
		}
		return n
	case "five_self_managed":
		sites, err := s.Sites(ctx, analytics.SiteFilter{Province: e.Province, ModelType: demo.ModelTypes[0].Name, Sector: analytics.SectorResidential, Window: w})
		if err != nil {
			t.Fatal(err)
		}
		return len(sites)
	}
	t.Fatalf("unknown expectation %s", e.Metric)
	return 0
}

// TestNationalScaleLoadsEveryValidRow: at national scale (34 provinces,
// fewer incidents than the benchmark's 10 M) every row the generator meant
// to be valid resolves and loads, across every province's old units.
func TestNationalScaleLoadsEveryValidRow(t *testing.T) {
	ctx := context.Background()
	set := loadSet(t)
	out := t.TempDir()
	if d := os.Getenv("ANTQ_DEMO_KEEP"); d != "" {
		out = d
	}
	res, err := demo.Generate(ctx, set, demo.Config{Out: out, Seed: 3, National: true, Incidents: 20000})
	if err != nil {
		t.Fatal(err)
	}
	store := chstoretest.Open(t)
	sum, err := (&ingest.Job{Writer: store, Resolver: commune.NewResolver(set)}).Run(ctx, res.Files...)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Rejected != res.Invalid || sum.Duplicates != res.Duplicates || sum.Read != res.Rows {
		for _, f := range sum.Files {
			if f.Err != nil {
				t.Logf("%s: %v", f.Path, f.Err)
			}
		}
		t.Fatalf("read %d / rejected %d / duplicates %d; the generator wrote %d rows, %d invalid, %d duplicates",
			sum.Read, sum.Rejected, sum.Duplicates, res.Rows, res.Invalid, res.Duplicates)
	}
	if len(sum.Provinces) < 34 {
		t.Fatalf("records in %d provinces, want 34", len(sum.Provinces))
	}
}
