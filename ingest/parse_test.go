package ingest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/ingest/ingesttest"
	"github.com/antq-atlas/antq/ingest/schema"
)

// A newcomer fills the template: the example row loads as it is.
func TestTemplates(t *testing.T) {
	for _, name := range []string{"models.xlsx", "sites.xlsx", "diem-mo-hinh.csv", "grades.xlsx", "xep_loai.csv", "incidents.xlsx", "vu viec 2025.csv"} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), name)
			if err := WriteTemplate(path); err != nil {
				t.Fatal(err)
			}
			kind, _ := KindOfName(name)
			got := parseFile(t, path, "")
			if got.Err != "" || got.Counts.Read != 1 || got.Counts.Rejected != 0 || got.Batch.Len() != 1 {
				t.Fatalf("template of %s: %+v %s %s", kind, got.Counts, got.Err, got.Rejects)
			}
			if strings.HasSuffix(name, ".xlsx") {
				x, err := excelize.OpenFile(path)
				if err != nil {
					t.Fatal(err)
				}
				defer x.Close()
				guide, err := x.GetRows(GuideSheet)
				if err != nil {
					t.Fatal(err)
				}
				if len(guide) < len(schema.Columns(kind))+1 || guide[0][0] != "Cột" {
					t.Errorf("guide has %d rows for %d columns", len(guide), len(schema.Columns(kind)))
				}
			}
		})
	}
	if err := WriteTemplate(filepath.Join(t.TempDir(), "data.xlsx")); err == nil {
		t.Error("a template name without a kind was accepted")
	}
}

func TestRejectsRemovedOnCleanRun(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sites.csv")
	os.WriteFile(path, ingesttest.CSVBytes(ingesttest.SitesRowsPlain[:3], ',', false), 0o644)
	os.WriteFile(RejectsPath(path), []byte("old"), 0o644)
	got := parseFile(t, path, "")
	if got.Counts.Rejected != 0 || got.Rejects != "" {
		t.Fatalf("%+v", got)
	}
	if _, err := os.Stat(RejectsPath(path)); !os.IsNotExist(err) {
		t.Errorf("old rejects file left: %v", err)
	}
}

func TestExitCode(t *testing.T) {
	tests := []struct {
		name string
		s    Summary
		err  error
		want int
	}{
		{"all loaded", Summary{Counts: Counts{Read: 3, Loaded: 2, Duplicates: 1}}, nil, ExitOK},
		{"some rejected", Summary{Counts: Counts{Read: 3, Loaded: 2, Rejected: 1}}, nil, ExitRejected},
		{"failure", Summary{}, context.Canceled, ExitFailure},
		{"unreadable file", Summary{Files: []FileSummary{{Err: analytics.Errorf(analytics.CodeInvalid, "bad")}}}, nil, ExitFailure},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ExitCode(tt.s, tt.err); got != tt.want {
				t.Errorf("got %d, want %d", got, tt.want)
			}
		})
	}
}

func TestReadCSV(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string // "num:value|value" per row, "num:ERR" for a ragged one
	}{
		{"comma", "a,b\n1,2\n", []string{"2:1|2"}},
		{"semicolon", "a;b\r\n1;2,5\r\n", []string{"2:1|2,5"}},
		{"tab", "a\tb\n1\t2\n", []string{"2:1|2"}},
		{"quoted delimiter and quote", "a,b\n\"x, \"\"y\"\"\",2\n", []string{`2:x, "y"|2`}},
		{"quoted line break", "a,b\n\"line 1\nline 2\",2\n3,4\n", []string{"2:line 1\nline 2|2", "3:3|4"}},
		{"blank rows skipped", "a,b\n\n,\n1,2\n", []string{"4:1|2"}},
		{"ragged row is an error for the row", "a,b\n1,2,3\n4,5\n6\n", []string{"2:ERR", "3:4|5", "4:ERR"}},
		{"trailing empty fields", "a,b\n1,2,,\n", []string{"2:1|2"}},
		{"no final newline", "a,b\n1,2", []string{"2:1|2"}},
		{"bom", bom + "a,b\n1,2\n", []string{"2:1|2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			err := ReadCSV(context.Background(), strings.NewReader(tt.in), "t.csv", EncodingAuto, func(r *Row) error {
				if r.Header[0] != "a" {
					t.Errorf("header %q", r.Header)
				}
				if r.Err != nil {
					got = append(got, itoa(r.Num)+":ERR")
				} else {
					got = append(got, itoa(r.Num)+":"+strings.Join(r.Values, "|"))
				}
				return nil
			})
			if err != nil || strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestDetectEncoding(t *testing.T) {
	if e := DetectEncoding([]byte("Xã Hùng Lợi")); e != EncodingUTF8 {
		t.Errorf("utf-8: %s", e)
	}
	if e := DetectEncoding(ingesttest.Enc1258("Xã Hùng Lợi")); e != EncodingWindows1258 {
		t.Errorf("1258: %s", e)
	}
	// A sample cut inside a character is still UTF-8.
	if e := DetectEncoding([]byte("Xã Hùng L\xe1\xbb")); e != EncodingUTF8 {
		t.Errorf("cut: %s", e)
	}
}

func TestXLSXMergedHeader(t *testing.T) {
	var rows []Row
	err := ReadXLSX(context.Background(), fixture(t, "sites_merged.xlsx"), ReadOptions{}, func(r *Row) error {
		c := *r
		c.Values = append([]string(nil), r.Values...)
		rows = append(rows, c)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "Mã điểm|Tên điểm|Mã mô hình|Loại mô hình|Xã/Phường|Ngày thành lập|Số tổ|Số thành viên|Tọa độ - Kinh độ|Tọa độ - Vĩ độ|Ghi chú"
	if got := strings.Join(rows[0].Header, "|"); got != want {
		t.Errorf("header %s\nwant   %s", got, want)
	}
	if len(rows) != 4 || rows[0].Num != 5 || rows[3].Num != 8 || rows[0].Sheet != "Danh sách" {
		t.Fatalf("rows %d, first %d", len(rows), rows[0].Num)
	}
	if rows[1].Values[4] != "Xã Trung Minh" {
		t.Errorf("merged commune not lent to row 6: %q", rows[1].Values[4])
	}
	if rows[0].Values[5] != "45078" || rows[1].Values[5] != "02/09/2023" {
		t.Errorf("dates read as %q and %q, want the raw serial and the text", rows[0].Values[5], rows[1].Values[5])
	}
	// One named sheet; a sheet without a header is an error.
	err = ReadXLSX(context.Background(), fixture(t, "sites_merged.xlsx"), ReadOptions{Sheet: "tổng hợp"}, func(*Row) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "no header row") {
		t.Errorf("summary sheet: %v", err)
	}
	err = ReadXLSX(context.Background(), fixture(t, "sites_merged.xlsx"), ReadOptions{Sheet: "Nope"}, func(*Row) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "sheets: Danh sách, Tổng hợp") {
		t.Errorf("unknown sheet: %v", err)
	}
}
