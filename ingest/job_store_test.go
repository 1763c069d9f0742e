package ingest_test

import (
	"archive/zip"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/chstore"
	"github.com/antq-atlas/antq/analytics/chstore/chstoretest"
	"github.com/antq-atlas/antq/ingest"
	"github.com/antq-atlas/antq/ingest/sheet"
)

// The Job is tested against the real store (embedded engine, or the server
// CLICKHOUSE_DSN names), never a stand-in. Only tests import chstore: the
// ingest package itself depends on the analytics.Writer contract alone.

func TestMain(m *testing.M) { os.Exit(chstoretest.Main(m)) }

func newJob(s *chstore.Store) *ingest.Job {
	return &ingest.Job{Writer: s, Resolver: ingest.NewFixtureResolver(), BatchSize: 2, Now: func() time.Time { return ingest.TestNow }}
}

func TestJobLoadsIntoStore(t *testing.T) {
	s := chstoretest.Open(t)
	ctx := context.Background()
	incidents := ingest.CopyFixture(t, "incidents_utf8.csv")
	sites := ingest.CopyFixture(t, "sites_plain.csv")
	models := ingest.CopyFixture(t, "models.jsonl")

	// Given in the wrong order: models load first, then sites, then incidents.
	sum, err := newJob(s).Run(ctx, incidents, sites, models)
	if err != nil {
		t.Fatal(err)
	}
	if got := []string{filepath.Base(sum.Files[0].Path), filepath.Base(sum.Files[1].Path), filepath.Base(sum.Files[2].Path)}; got[0] != "models.jsonl" || got[1] != "sites_plain.csv" || got[2] != "incidents_utf8.csv" {
		t.Errorf("load order %v", got)
	}
	want := ingest.Counts{Read: 24, Loaded: 9, Rejected: 14, Duplicates: 1}
	if sum.Counts != want {
		t.Errorf("first run %+v, want %+v", sum.Counts, want)
	}
	if c := sum.Kinds[analytics.KindIncidents]; c != (ingest.Counts{Read: 16, Loaded: 5, Rejected: 10, Duplicates: 1}) {
		t.Errorf("incidents %+v", c)
	}
	if c := sum.Provinces["08"]; c.Loaded != 9 {
		t.Errorf("province 08 %+v", c)
	}
	if sum.Elapsed <= 0 || sum.RowsPerSecond() <= 0 {
		t.Errorf("elapsed %v", sum.Elapsed)
	}
	if code := ingest.ExitCode(sum, err); code != ingest.ExitRejected {
		t.Errorf("exit code %d", code)
	}
	for kind, n := range map[analytics.Kind]uint64{analytics.KindModels: 2, analytics.KindSites: 2, analytics.KindIncidents: 5} {
		if got, err := s.Count(ctx, kind, "08"); err != nil || got != n {
			t.Errorf("store holds %d %s (%v), want %d", got, kind, err, n)
		}
	}

	// The same files again: nothing new is written; every accepted row is a
	// duplicate of what the store holds.
	again, err := newJob(s).Run(ctx, incidents, sites, models)
	if err != nil {
		t.Fatal(err)
	}
	if want := (ingest.Counts{Read: 24, Loaded: 0, Rejected: 14, Duplicates: 10}); again.Counts != want {
		t.Errorf("second run %+v, want %+v", again.Counts, want)
	}
	if got, _ := s.Count(ctx, analytics.KindIncidents, "08"); got != 5 {
		t.Errorf("store holds %d incidents after the second run", got)
	}
}

// The same records from an English Windows-1252 export are duplicates of
// those loaded from the Vietnamese UTF-8 file.
func TestJobSameRecordsFromAnotherFile(t *testing.T) {
	s := chstoretest.Open(t)
	ctx := context.Background()
	if _, err := newJob(s).Run(ctx, ingest.CopyFixture(t, "incidents_utf8.csv")); err != nil {
		t.Fatal(err)
	}
	j := newJob(s)
	j.Encoding = sheet.EncodingWindows1252
	sum, err := j.Run(ctx, ingest.CopyFixture(t, "incidents_cp1252_en.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if want := (ingest.Counts{Read: 3, Duplicates: 3}); sum.Counts != want {
		t.Errorf("%+v, want %+v", sum.Counts, want)
	}
	if code := ingest.ExitCode(sum, err); code != ingest.ExitOK {
		t.Errorf("exit code %d", code)
	}
}

// countingStore counts the key look-ups the job makes (its two batch
// writers may look up at the same time).
type countingStore struct {
	*chstore.Store
	lookups atomic.Int64
}

func (c *countingStore) Known(ctx context.Context, kind analytics.Kind, keys []string) (map[string]uint64, error) {
	c.lookups.Add(int64(len(keys)))
	return c.Store.Known(ctx, kind, keys)
}

// A first load into a province that holds nothing looks no key up; a second
// file with the same records, in the same run, finds them all, and so does
// a third run; the store holds each record once.
func TestJobLooksUpKeysOnlyWhereTheProvinceHoldsRecords(t *testing.T) {
	s := &countingStore{Store: chstoretest.Open(t)}
	ctx := context.Background()
	first := ingest.CopyFixture(t, "incidents_utf8.csv")
	second := filepath.Join(t.TempDir(), "again.csv")
	data, err := os.ReadFile(first)
	if err != nil {
		t.Fatal(err)
	}
	// One more byte: another file content, so other batch tokens.
	if err := os.WriteFile(second, append(data, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	job := &ingest.Job{Writer: s, Resolver: ingest.NewFixtureResolver(), BatchSize: 2, Now: func() time.Time { return ingest.TestNow }}
	sum, err := job.Run(ctx, first, second)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Files[0].Loaded != 5 || sum.Files[1].Loaded != 0 || sum.Files[1].Duplicates != 6 {
		t.Errorf("first file %+v, second %+v", sum.Files[0].Counts, sum.Files[1].Counts)
	}
	if s.lookups.Load() != 5 {
		t.Errorf("%d keys looked up, want the second file's 5 (none for the first)", s.lookups.Load())
	}
	again, err := job.Run(ctx, first)
	if err != nil || again.Loaded != 0 || again.Duplicates != 6 {
		t.Errorf("rerun %+v, %v", again.Counts, err)
	}
	if n, err := s.Count(ctx, analytics.KindIncidents, "08"); err != nil || n != 5 {
		t.Errorf("store holds %d incidents (%v), want 5", n, err)
	}
}

func TestJobUnreadableFile(t *testing.T) {
	s := chstoretest.Open(t)
	sum, err := newJob(s).Run(context.Background(), filepath.Join(t.TempDir(), "missing.csv"), ingest.CopyFixture(t, "incidents_utf8.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if sum.Err() == nil || sum.Loaded != 5 || ingest.ExitCode(sum, err) != ingest.ExitFailure {
		t.Errorf("%+v %v", sum.Counts, sum.Err())
	}
}

// BenchmarkIngestIntoStore measures the whole ingest of incidents, file to
// committed rows in the embedded engine: read, map, parse, resolve,
// validate, key, write, commit. Each iteration loads into a fresh database
// (a first load: no key look-ups, the province holds nothing yet); "rerun"
// loads the same file a second time, when every key is looked up and every
// row is a duplicate.
func BenchmarkIngestIntoStore(b *testing.B) {
	for _, tc := range []struct {
		name  string
		n     int
		xlsx  bool
		rerun bool
	}{{"csv-1M", 1_000_000, false, false}, {"xlsx-100k", 100_000, true, false}, {"csv-1M-rerun", 1_000_000, false, true}} {
		b.Run(tc.name, func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "bench.csv")
			if err := os.WriteFile(path, ingest.BenchIncidents(tc.n), 0o644); err != nil {
				b.Fatal(err)
			}
			if tc.xlsx {
				path = csvToXLSX(b, path)
			}
			rows := 0
			var elapsed time.Duration
			for b.Loop() {
				b.StopTimer()
				s := chstoretest.Open(b)
				job := &ingest.Job{Writer: s, Resolver: ingest.NewFixtureResolver(), Now: func() time.Time { return ingest.TestNow }}
				if tc.rerun {
					if sum, err := job.Run(context.Background(), path); err != nil || sum.Loaded != tc.n {
						b.Fatalf("first load: %d of %d: %v", sum.Loaded, tc.n, err)
					}
				}
				b.StartTimer()
				t0 := time.Now()
				sum, err := job.Run(context.Background(), path)
				elapsed += time.Since(t0)
				want := sum.Loaded
				if tc.rerun {
					want = sum.Duplicates
				}
				if err != nil || want != tc.n {
					b.Fatalf("%d of %d loaded (or duplicates on a rerun): %v", want, tc.n, err)
				}
				rows += sum.Read
			}
			b.ReportMetric(float64(rows)/elapsed.Seconds(), "rows/s")
		})
	}
}

// csvToXLSX copies a CSV into one XLSX sheet.
func csvToXLSX(b testing.TB, csvPath string) string {
	f, err := os.Open(csvPath)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		b.Fatal(err)
	}
	x := excelize.NewFile()
	defer x.Close()
	sw, err := x.NewStreamWriter("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	for i, rec := range recs {
		row := make([]any, len(rec))
		for j, v := range rec {
			row[j] = v
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sw.SetRow(cell, row); err != nil {
			b.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		b.Fatal(err)
	}
	out := strings.TrimSuffix(csvPath, ".csv") + ".xlsx"
	if err := x.SaveAs(out); err != nil {
		b.Fatal(err)
	}
	return out
}

// failingStore fails every write after the first n. The job writes two
// batches at a time: n is counted under a lock.
type failingStore struct {
	*chstore.Store
	mu sync.Mutex
	n  int
}

func (f *failingStore) Write(ctx context.Context, b analytics.Batch) error {
	f.mu.Lock()
	ok := f.n > 0
	f.n--
	f.mu.Unlock()
	if !ok {
		return errors.New("disk full")
	}
	return f.Store.Write(ctx, b)
}

// A writer that fails stops the run with its error, whether it fails on a
// batch written while the file is read or on the last one.
func TestJobStopsWhenTheWriterFails(t *testing.T) {
	for _, ok := range []int{0, 1} {
		s := &failingStore{Store: chstoretest.Open(t), n: ok}
		job := &ingest.Job{Writer: s, Resolver: ingest.NewFixtureResolver(), BatchSize: 2, Now: func() time.Time { return ingest.TestNow }}
		sum, err := job.Run(context.Background(), ingest.CopyFixture(t, "incidents_utf8.csv"))
		if err == nil || !strings.Contains(err.Error(), "disk full") {
			t.Errorf("after %d good writes: err = %v, want disk full", ok, err)
		}
		if strings.Count(fmt.Sprint(err), "disk full") != 1 {
			t.Errorf("error said more than once: %v", err)
		}
		if ingest.ExitCode(sum, err) != ingest.ExitFailure {
			t.Errorf("exit code %d", ingest.ExitCode(sum, err))
		}
	}
	// One batch for the whole file: the failure is on the last write.
	s := &failingStore{Store: chstoretest.Open(t)}
	job := &ingest.Job{Writer: s, Resolver: ingest.NewFixtureResolver(), Now: func() time.Time { return ingest.TestNow }}
	if _, err := job.Run(context.Background(), ingest.CopyFixture(t, "incidents_utf8.csv")); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("failure on the last write: err = %v", err)
	}
}

// A sheet cut short (its XML ends in the middle of a row) is the file's
// error; the rows before the cut are loaded and every row read is
// accounted for.
func TestJobLoadsTheRowsBeforeASheetIsCutShort(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "full.csv")
	if err := os.WriteFile(src, ingest.BenchIncidents(200), 0o644); err != nil {
		t.Fatal(err)
	}
	full := csvToXLSX(t, src)
	cut := filepath.Join(dir, "cut.xlsx")
	truncateSheet(t, full, cut, "xl/worksheets/sheet1.xml", 0.6)
	s := chstoretest.Open(t)
	job := &ingest.Job{Writer: s, Resolver: ingest.NewFixtureResolver(), BatchSize: 7, Now: func() time.Time { return ingest.TestNow }}
	sum, err := job.Run(context.Background(), cut)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	if sum.Err() == nil || ingest.ExitCode(sum, err) != ingest.ExitFailure {
		t.Errorf("a cut sheet is not the file's error: %v", sum.Err())
	}
	if sum.Read < 50 || sum.Read >= 200 || sum.Loaded != sum.Read {
		t.Errorf("%+v: want the rows before the cut, all loaded", sum.Counts)
	}
	if n, err := s.Count(context.Background(), analytics.KindIncidents, "08"); err != nil || int(n) != sum.Loaded {
		t.Errorf("store holds %d (%v), summary says %d loaded", n, err, sum.Loaded)
	}
}

// truncateSheet copies the XLSX in to out with part cut to frac of its bytes.
func truncateSheet(t *testing.T, in, out, part string, frac float64) {
	t.Helper()
	zr, err := zip.OpenReader(in)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if zf.Name == part {
			data = data[:int(float64(len(data))*frac)]
		}
		w, err := zw.Create(zf.Name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
}
