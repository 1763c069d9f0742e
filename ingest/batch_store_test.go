package ingest_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/chstore"
	"github.com/antq-atlas/antq/analytics/chstore/chstoretest"
	"github.com/antq-atlas/antq/analytics/commune"
	"github.com/antq-atlas/antq/ingest"
)

// figures reads every figure the dashboard shows for the provinces, through
// the store's read API: each metric per commune for each police year, each
// breakdown, the province facts, the active sites and models.
func figures(t *testing.T, s *chstore.Store, provinces ...analytics.ProvinceCode) map[string]string {
	t.Helper()
	ctx := context.Background()
	out := map[string]string{}
	for _, p := range provinces {
		for _, spec := range []string{"2022", "2024", "2025", "cal2025"} {
			w, err := analytics.ParsePeriod(spec, ingest.TestNow)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range analytics.Metrics {
				if m.Composite() {
					continue // made of the other metrics, in the dashboard
				}
				f, err := s.MetricByCommune(ctx, m.ID, p, w)
				if err != nil {
					t.Fatalf("%s %s %s: %v", m.ID, p, spec, err)
				}
				slices.SortFunc(f, func(a, b analytics.CommuneFigure) int {
					return cmpStr(string(a.Commune), string(b.Commune))
				})
				out[fmt.Sprintf("%s/%s/%s", p, spec, m.ID)] = fmt.Sprint(f)
			}
			for _, by := range analytics.BreakdownDims {
				sh, err := s.Breakdown(ctx, by, p, "", w)
				if err != nil {
					t.Fatal(err)
				}
				out[fmt.Sprintf("%s/%s/by-%s", p, spec, by)] = fmt.Sprint(sh)
			}
			pf, err := s.ProvinceFacts(ctx, p, w)
			if err != nil {
				t.Fatal(err)
			}
			out[fmt.Sprintf("%s/%s/facts", p, spec)] = fmt.Sprint(pf)
			sites, err := s.Sites(ctx, analytics.SiteFilter{Province: p, Window: w})
			if err != nil {
				t.Fatal(err)
			}
			out[fmt.Sprintf("%s/%s/sites", p, spec)] = fmt.Sprint(len(sites))
			models, err := s.Models(ctx, p, "", w, 100000)
			if err != nil {
				t.Fatal(err)
			}
			out[fmt.Sprintf("%s/%s/models", p, spec)] = fmt.Sprint(len(models))
		}
	}
	for _, k := range analytics.Kinds {
		n, err := s.Count(ctx, k, "")
		if err != nil {
			t.Fatal(err)
		}
		out["count/"+string(k)] = fmt.Sprint(n)
	}
	return out
}

func cmpStr(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func reportCopies(t *testing.T, names ...string) []string {
	t.Helper()
	dir := t.TempDir()
	var out []string
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join("testdata", "reports", n))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, n)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

func diffFigures(a, b map[string]string) []string {
	var d []string
	for k, v := range a {
		if b[k] != v {
			d = append(d, k)
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			d = append(d, k)
		}
	}
	slices.Sort(d)
	return d
}

// TestBatchUndo: a load is a batch in the log; undoing it returns every
// figure to its value before the load, is itself recorded, cannot be done
// twice, and the same files load again afterwards.
func TestBatchUndo(t *testing.T) {
	ctx := context.Background()
	set := ingest.RefData(t)
	s := chstoretest.Open(t)
	if _, err := s.LoadReference(ctx, chstore.ReferenceFromSet(set, "08", "25")); err != nil {
		t.Fatal(err)
	}
	var invalidated int
	s.OnCommit(func([]analytics.ProvinceCode) { invalidated++ })
	job := func() *ingest.Job {
		return &ingest.Job{Writer: s, Resolver: commune.NewResolver(set), Now: func() time.Time { return ingest.TestNow }, Actor: "test@host"}
	}
	first := reportCopies(t, "diem_mo_hinh_tinh_tuyen_quang.xlsx", "mo_hinh_ha_giang_2022.xlsx")
	sumA, err := job().Run(ctx, first...)
	if err != nil {
		t.Fatal(err)
	}
	before := figures(t, s, "08", "25")

	second := reportCopies(t, "diem_mo_hinh_huyen_doan_hung.xlsx", "xep_loai_diem_2024.xlsx", "vu_viec_2024_huyen_son_duong.xlsx", "vu_viec_quy_3_2025.csv", "mo_hinh_sau_sap_nhap_phu_tho.xlsx")
	sumB, err := job().Run(ctx, second...)
	if err != nil {
		t.Fatal(err)
	}
	if sumB.Loaded == 0 || sumB.BatchID == "" || sumB.BatchID == sumA.BatchID {
		t.Fatalf("second load: %+v batch %q", sumB.Counts, sumB.BatchID)
	}
	loaded := figures(t, s, "08", "25")
	if len(diffFigures(before, loaded)) == 0 {
		t.Fatal("the second load changed no figure: the test cannot tell an undo")
	}

	batches, err := s.Batches(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(batches) != 2 || batches[1].ID != sumB.BatchID || batches[1].Actor != "test@host" || len(batches[1].Files) != 5 ||
		batches[1].Counts.Loaded != sumB.Loaded || batches[1].Counts.Skipped != sumB.Skipped || !reflect.DeepEqual(batches[1].Provinces, []analytics.ProvinceCode{"08", "25"}) {
		t.Fatalf("batch log %+v", batches)
	}
	for _, f := range batches[1].Files {
		if len(f.SHA256) != 64 || f.Counts.Read == 0 {
			t.Errorf("file %+v", f)
		}
	}

	inv := invalidated
	res, err := s.UndoBatch(ctx, sumB.BatchID, "test@host")
	if err != nil {
		t.Fatal(err)
	}
	var removed uint64
	for _, n := range res.Removed {
		removed += n
	}
	if removed != uint64(sumB.Loaded) || invalidated == inv {
		t.Errorf("undo removed %d rows (want %d), caches told %d times", removed, sumB.Loaded, invalidated-inv)
	}
	if d := diffFigures(before, figures(t, s, "08", "25")); len(d) > 0 {
		t.Errorf("after the undo %d figures differ from before the load: %v", len(d), d[:min(10, len(d))])
	}
	batches, _ = s.Batches(ctx)
	if batches[1].Undone.IsZero() || batches[1].UndoneBy != "test@host" || !batches[0].Undone.IsZero() {
		t.Errorf("undo not recorded: %+v", batches)
	}
	if _, err := s.UndoBatch(ctx, sumB.BatchID, "x"); analytics.ErrorCode(err) != analytics.CodeConflict {
		t.Errorf("second undo: %v", err)
	}
	if _, err := s.UndoBatch(ctx, "nope", "x"); analytics.ErrorCode(err) != analytics.CodeNotFound {
		t.Errorf("unknown batch: %v", err)
	}

	// The same files again load again, to the same figures.
	again, err := job().Run(ctx, second...)
	if err != nil {
		t.Fatal(err)
	}
	if again.Loaded != sumB.Loaded {
		t.Errorf("after the undo the files loaded %d records, first time %d", again.Loaded, sumB.Loaded)
	}
	if d := diffFigures(loaded, figures(t, s, "08", "25")); len(d) > 0 {
		t.Errorf("reloaded: %d figures differ: %v", len(d), d[:min(10, len(d))])
	}
}
