package ingest

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/ingest/ingesttest"
	"github.com/antq-atlas/antq/ingest/sheet"
)

// parsed is what one file gives before the writer: the records of the
// pending batch, the counts and the rejects file.
type parsed struct {
	Batch   analytics.Batch
	Counts  Counts
	Kinds   map[analytics.Kind]Counts
	Err     string `json:",omitempty"`
	Rejects string `json:",omitempty"`
}

// parseFile runs a file through the job up to the batch, without a writer.
func parseFile(t testing.TB, path string, kind analytics.Kind) parsed {
	t.Helper()
	j := &Job{Resolver: &fixtureResolver{}, Kind: kind, Now: func() time.Time { return testNow }, BatchSize: 1 << 30, Lang: LangEN}
	ctx := context.Background()
	r, opt, err := j.newFileRun(ctx, path, newSummary(), map[analytics.ProvinceCode]bool{})
	if err != nil {
		t.Fatal(err)
	}
	if r.fs.Err == nil {
		err = sheet.ReadFile(ctx, path, opt, r.row)
	}
	fs, err := r.finish(err)
	if err != nil {
		t.Fatal(err)
	}
	p := parsed{Batch: r.batch, Counts: fs.Counts, Kinds: fs.Kinds}
	if fs.Err != nil {
		p.Err = fs.Err.Error()
	}
	if fs.Rejects != "" {
		b, err := os.ReadFile(fs.Rejects)
		if err != nil {
			t.Fatal(err)
		}
		p.Rejects = string(b)
	}
	return p
}

func TestFixturesGolden(t *testing.T) {
	tests := []struct {
		file string
		kind analytics.Kind
	}{
		{"incidents_utf8.csv", ""},
		{"incidents_bom_crlf.csv", ""},
		{"incidents_cp1258.csv", ""},
		{"incidents_cp1252_en.csv", ""},
		{"sites_plain.csv", ""},
		{"sites_english.tsv", analytics.KindSites},
		{"models.jsonl", ""},
		{"sites_merged.xlsx", ""},
		{"grades_titles.xlsx", ""},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := copyFixture(t, tt.file)
			enc := sheet.EncodingAuto
			if strings.Contains(tt.file, "cp1252") {
				enc = sheet.EncodingWindows1252
			}
			got := parseWith(t, path, tt.kind, enc)
			b, err := json.MarshalIndent(got, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden(t, tt.file+".golden.json", b)
		})
	}
}

func parseWith(t testing.TB, path string, kind analytics.Kind, enc sheet.Encoding) parsed {
	t.Helper()
	if enc == sheet.EncodingAuto {
		return parseFile(t, path, kind)
	}
	j := &Job{Resolver: &fixtureResolver{}, Kind: kind, Encoding: enc, Now: func() time.Time { return testNow }, BatchSize: 1 << 30, Lang: LangEN}
	ctx := context.Background()
	r, opt, err := j.newFileRun(ctx, path, newSummary(), map[analytics.ProvinceCode]bool{})
	if err != nil {
		t.Fatal(err)
	}
	fs, err := r.finish(sheet.ReadFile(ctx, path, opt, r.row))
	if err != nil {
		t.Fatal(err)
	}
	p := parsed{Batch: r.batch, Counts: fs.Counts, Kinds: fs.Kinds}
	if fs.Rejects != "" {
		b, _ := os.ReadFile(fs.Rejects)
		p.Rejects = string(b)
	}
	return p
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("read golden (go test -update writes it): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; got:\n%s", name, got)
	}
}

type keyHash struct {
	Key  string
	Hash uint64
}

func incidentKeys(b analytics.Batch) []keyHash {
	var out []keyHash
	for _, in := range b.Incidents {
		out = append(out, keyHash{in.Key, in.Hash})
	}
	slices.SortFunc(out, func(a, b keyHash) int { return strings.Compare(a.Key, b.Key) })
	return out
}

// The same records read from UTF-8, UTF-8 with BOM and CRLF, Windows-1258
// with semicolons, and an English Windows-1252 export have the same keys
// and content hashes.
func TestSameRecordsAcrossFiles(t *testing.T) {
	base := parseFile(t, copyFixture(t, "incidents_utf8.csv"), "")
	want := incidentKeys(base.Batch)
	if len(want) != 5 {
		t.Fatalf("utf-8 file gave %d incidents, want 5", len(want))
	}
	for _, name := range []string{"incidents_bom_crlf.csv", "incidents_cp1258.csv"} {
		t.Run(name, func(t *testing.T) {
			got := parseFile(t, copyFixture(t, name), "")
			if g := incidentKeys(got.Batch); !slices.Equal(g, want) {
				t.Errorf("keys differ:\n got %v\nwant %v", g, want)
			}
			for i := range got.Batch.Incidents {
				g, w := got.Batch.Incidents[i], base.Batch.Incidents[i]
				if g.Extra != w.Extra || g.SourcePlace != w.SourcePlace || g.Category != w.Category {
					t.Errorf("row %d: got %q %q %q, want %q %q %q", g.Row, g.Extra, g.SourcePlace, g.Category, w.Extra, w.SourcePlace, w.Category)
				}
			}
			if got.Counts != base.Counts {
				t.Errorf("counts %+v, want %+v", got.Counts, base.Counts)
			}
		})
	}
	t.Run("english windows-1252", func(t *testing.T) {
		got := parseWith(t, copyFixture(t, "incidents_cp1252_en.csv"), "", sheet.EncodingWindows1252)
		if g := incidentKeys(got.Batch); !slices.Equal(g, want[:3]) {
			t.Errorf("keys differ:\n got %v\nwant %v", g, want[:3])
		}
		if x := got.Batch.Incidents[0].Extra; x != `{"note":"café n°5"}` {
			t.Errorf("extra %s", x)
		}
	})
}

// Keys and hashes do not depend on the row order or the file name.
func TestKeysStableAcrossRowOrder(t *testing.T) {
	rows := slices.Clone(ingesttest.IncidentRows[:6])
	slices.Reverse(rows[1:])
	p := filepath.Join(t.TempDir(), "another name.csv")
	if err := os.WriteFile(p, ingesttest.CSVBytes(rows, ',', false), 0o644); err != nil {
		t.Fatal(err)
	}
	got := incidentKeys(parseFile(t, p, "").Batch)
	want := incidentKeys(parseFile(t, copyFixture(t, "incidents_utf8.csv"), "").Batch)
	if !slices.Equal(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
	// Without IDs, the key is a content hash: still the same across orders.
	noID := func(rows [][]string) string {
		var out [][]string
		for _, r := range rows {
			out = append(out, r[1:])
		}
		p := filepath.Join(t.TempDir(), "x.csv")
		os.WriteFile(p, ingesttest.CSVBytes(out, ',', false), 0o644)
		return p
	}
	a := incidentKeys(parseFile(t, noID(ingesttest.IncidentRows[:6]), "").Batch)
	b := incidentKeys(parseFile(t, noID(rows), "").Batch)
	if !slices.Equal(a, b) || len(a) != 5 || !strings.HasPrefix(a[0].Key, "incidents:08:#") {
		t.Errorf("content keys differ or unexpected:\n%v\n%v", a, b)
	}
}

// Each reject reason names the row, the field and what is wrong.
func TestRejectReasons(t *testing.T) {
	got := parseFile(t, copyFixture(t, "incidents_utf8.csv"), "")
	lines := rejectLines(t, got.Rejects)
	tests := []struct {
		name, row, field, reason string
	}{
		{"unknown commune with nearest names", "7", "commune", `unknown commune "Xã Hưng Lộc"; nearest: Xã Hùng Lợi (08001), Xã Yên Phú (08002), Xã Hàm Yên (08004)`},
		{"date before 2015", "8", "received", "date 01/01/2014 outside 01/01/2015–today"},
		{"closed before received", "9", "closed", "closed 01/06/2024 before received 10/06/2024"},
		{"unknown outcome", "10", "outcome", `unknown outcome "xong rồi"`},
		{"swapped coordinates", "11", "lon", "longitude 21,82 and latitude 105,21 look swapped"},
		{"outside the province", "12", "lon", "point (105,40; 20,50) outside province 08 of Xã Hùng Lợi"},
		{"missing commune", "13", "commune", "missing commune"},
		{"not a day", "14", "received", `not a day: "31/02/2024"`},
		{"conflicting duplicate key", "16", "key", "duplicate key incidents:08:VV-002 with different content (first at row 3)"},
		{"ragged row", "17", "", "row has 3 fields, the header 14"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, ok := lines[tt.row]
			if !ok {
				t.Fatalf("row %s not rejected; rejects:\n%s", tt.row, got.Rejects)
			}
			if l[0] != "incidents_utf8.csv" || l[3] != tt.field || !strings.Contains(l[4], tt.reason) {
				t.Errorf("got file %q field %q reason %q; want field %q reason containing %q", l[0], l[3], l[4], tt.field, tt.reason)
			}
		})
	}
	if len(lines) != len(tests) {
		t.Errorf("%d rejects, want %d:\n%s", len(lines), len(tests), got.Rejects)
	}
	// Row 15 repeats VV-001 with the same content as written differently:
	// a duplicate, not a reject.
	want := Counts{Read: 16, Rejected: 10, Duplicates: 1}
	if got.Counts != want {
		t.Errorf("counts %+v, want %+v", got.Counts, want)
	}
}

func rejectLines(t *testing.T, s string) map[string][]string {
	t.Helper()
	if !strings.HasPrefix(s, sheet.BOM) {
		t.Fatalf("rejects file has no BOM")
	}
	rd := csvReader(strings.TrimPrefix(s, sheet.BOM))
	out := map[string][]string{}
	for _, rec := range rd {
		if rec[0] == "file" {
			continue
		}
		out[rec[2]] = rec
	}
	return out
}

// TestSamePlaceAcrossTheMerger: rows of one place in a row, on both sides
// of the merger and with and without a point, resolve as each would alone
// (the builder compares the previous row's place before its caches; a
// pre-2025 name is known to the fixture resolver only before the merger).
func TestSamePlaceAcrossTheMerger(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vu_viec.csv")
	csv := "Mã vụ việc,Lĩnh vực vụ việc,Ngày tiếp nhận,Kết quả,Xã/Phường,Huyện,Tỉnh,Kinh độ,Vĩ độ\n" +
		"VV-1,mâu thuẫn,03/02/2024,hòa giải thành,Xã Trung Minh,Huyện Yên Sơn,Tuyên Quang,,\n" +
		"VV-2,mâu thuẫn,03/08/2025,hòa giải thành,Xã Trung Minh,Huyện Yên Sơn,Tuyên Quang,,\n" +
		"VV-3,mâu thuẫn,04/02/2024,hòa giải thành,Xã Trung Minh,Huyện Yên Sơn,Tuyên Quang,,\n" +
		"VV-4,mâu thuẫn,05/02/2024,hòa giải thành,Xã Trung Minh,Huyện Yên Sơn,Tuyên Quang,\"105,2134\",\"21,8237\"\n" +
		"VV-5,mâu thuẫn,06/02/2024,hòa giải thành,Xã Trung Minh,Huyện Yên Sơn,Tuyên Quang,,\n" +
		"VV-6,mâu thuẫn,07/08/2025,hòa giải thành,Xã Trung Minh,Huyện Yên Sơn,Tuyên Quang,,\n"
	if err := os.WriteFile(path, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	got := parseFile(t, path, analytics.KindIncidents)
	lines := rejectLines(t, got.Rejects)
	for _, row := range []string{"3", "7"} { // VV-2 and VV-6: an old name after the merger
		if l, ok := lines[row]; !ok || !strings.Contains(l[4], `unknown commune "Xã Trung Minh"`) {
			t.Errorf("row %s: want rejected as unknown after the merger, got %q", row, l)
		}
	}
	if len(lines) != 2 {
		t.Errorf("%d rejects, want 2:\n%s", len(lines), got.Rejects)
	}
	var keys []string
	for _, in := range got.Batch.Incidents {
		keys = append(keys, in.SourceID)
		if in.Commune != "08001" || in.Confidence != 0.9 || in.SourcePlace != "Xã Trung Minh, Huyện Yên Sơn, Tuyên Quang" {
			t.Errorf("%s: %+v", in.SourceID, in.Located)
		}
		if in.HasPoint != (in.SourceID == "VV-4") {
			t.Errorf("%s: point %v", in.SourceID, in.HasPoint)
		}
	}
	if strings.Join(keys, " ") != "VV-1 VV-3 VV-4 VV-5" {
		t.Errorf("loaded %v", keys)
	}
}
