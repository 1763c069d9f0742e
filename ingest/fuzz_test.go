package ingest

// Fuzz tests of every reader and value parser. `go test` runs them over
// their seeds; `go test -run '^$' -fuzz '^FuzzReadCSV$' -fuzztime 10m
// ./ingest` (make fuzz) explores further. A crasher is written under
// testdata/fuzz/FuzzX/ and then runs with every `go test`.

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/chstore/chstoretest"
	"github.com/antq-atlas/antq/ingest/ingesttest"
	"github.com/antq-atlas/antq/ingest/sheet"
)

// TestJobBOMFileWithStrayByte is a bug found from a FuzzReadCSV input: a
// UTF-8 file with a byte order mark (Excel's "CSV UTF-8") and one byte
// that is not UTF-8 (a character pasted from a Windows-1258 file) is read
// by the Job as Windows-1258 whole: fingerprint looks only at validity,
// while DetectEncoding (and ReadCSV) let the mark decide. The mark becomes
// "ï»¿" in the first header, every Vietnamese letter of the file turns to
// mojibake, and here the file has no recognisable commune column at all.
func TestJobBOMFileWithStrayByte(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sheet.BOM.csv")
	data := sheet.BOM + "Mã vụ việc,Lĩnh vực vụ việc,Ngày tiếp nhận,Xã/Phường,Ghi chú\nVV-1,giao thông,01/08/2025,Xã Hùng Lợi,\nVV-2,giao thông,02/08/2025,Xã Hùng Lợi,H\xe0\n"
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	j := &Job{Writer: chstoretest.Open(t), Resolver: &fixtureResolver{}, Now: func() time.Time { return testNow }}
	sum, err := j.Run(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(sum.Files[0].Rejects); err == nil {
		t.Logf("rejects:\n%s", b)
	}
	if sum.Loaded != 2 || sum.Err() != nil {
		t.Errorf("loaded %d of 2 rows (file error: %v)", sum.Loaded, sum.Err())
	}
}

// memWriter is an analytics.Writer in memory: it knows what it was given.
// It serves FuzzJob only, which runs the pipeline thousands of times a
// second to check its accounting (every row one outcome, a re-run loads
// nothing); the same properties are tested against the real engine in
// job_store_test.go, and every other test of the Job uses the real store.
type memWriter struct {
	hashes map[analytics.Kind]map[string]uint64
	tokens map[string]bool
}

func newMemWriter() *memWriter {
	return &memWriter{hashes: map[analytics.Kind]map[string]uint64{}, tokens: map[string]bool{}}
}

func (w *memWriter) Known(_ context.Context, kind analytics.Kind, keys []string) (map[string]uint64, error) {
	out := map[string]uint64{}
	for _, k := range keys {
		if h, ok := w.hashes[kind][k]; ok {
			out[k] = h
		}
	}
	return out, nil
}

func (w *memWriter) Write(_ context.Context, b analytics.Batch) error {
	if w.tokens[b.Token] {
		return nil
	}
	w.tokens[b.Token] = true
	put := func(kind analytics.Kind, key string, h uint64) {
		if w.hashes[kind] == nil {
			w.hashes[kind] = map[string]uint64{}
		}
		w.hashes[kind][key] = h
	}
	for _, x := range b.Models {
		put(analytics.KindModels, x.Key, x.Hash)
	}
	for _, x := range b.Sites {
		put(analytics.KindSites, x.Key, x.Hash)
	}
	for _, x := range b.Grades {
		put(analytics.KindGrades, x.Key, x.Hash)
	}
	for _, x := range b.Incidents {
		put(analytics.KindIncidents, x.Key, x.Hash)
	}
	return nil
}

func (w *memWriter) Commit(context.Context, []analytics.ProvinceCode) error { return nil }

func (w *memWriter) count() int {
	n := 0
	for _, m := range w.hashes {
		n += len(m)
	}
	return n
}

// FuzzJob runs a whole ingest job (read, map, parse, resolve through the
// fixture resolver, validate, key, batch) on fuzzed CSV or JSON Lines
// bytes: no panic, no error other than the file's, every row read has one
// outcome, and a second run of the same file loads nothing new.
func FuzzJob(f *testing.F) {
	for _, b := range ingesttest.CSVSeeds() {
		f.Add(b, false)
	}
	f.Add([]byte(ingesttest.ModelLines), true)
	f.Add([]byte(`{"Xã/Phường": "Xã Hùng Lợi", "Ngày tiếp nhận": "01/08/2025", "Mã": "VV-1"}`+"\n"+`{"Xã/Phường": "Xã Hùng Lợi", "Ngày tiếp nhận": "01/08/2025", "Mã": "VV-1", "Kết quả": "HGT"}`), true)
	f.Fuzz(func(t *testing.T, data []byte, jsonl bool) {
		name := "fuzz.csv"
		if jsonl {
			name = "fuzz.jsonl"
		}
		path := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		w := newMemWriter()
		run := func() Summary {
			j := &Job{Writer: w, Resolver: &fixtureResolver{}, BatchSize: 7, Now: func() time.Time { return testNow }}
			sum, err := j.Run(context.Background(), path)
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
			if n := sum.Loaded + sum.Rejected + sum.Duplicates; n != sum.Read {
				t.Fatalf("%d read, %d outcomes", sum.Read, n)
			}
			if fe := sum.Err(); fe != nil && analytics.ErrorCode(fe) != analytics.CodeInvalid {
				t.Fatalf("file error %v has code %s", fe, analytics.ErrorCode(fe))
			}
			return sum
		}
		first := run()
		if first.Loaded != w.count() {
			t.Fatalf("%d loaded, the writer holds %d", first.Loaded, w.count())
		}
		second := run()
		if second.Loaded != 0 || second.Read != first.Read || second.Rejected != first.Rejected {
			t.Fatalf("second run: %+v after %+v", second.Counts, first.Counts)
		}
	})
}
