package sheet

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/antq-atlas/antq/ingest/ingesttest"
)

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
		{"BOM", BOM + "a,b\n1,2\n", []string{"2:1|2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			err := ReadCSV(context.Background(), strings.NewReader(tt.in), "t.csv", EncodingAuto, func(r *Row) error {
				if r.Header[0] != "a" {
					t.Errorf("header %q", r.Header)
				}
				if r.Err != nil {
					got = append(got, strconv.Itoa(r.Num)+":ERR")
				} else {
					got = append(got, strconv.Itoa(r.Num)+":"+strings.Join(r.Values, "|"))
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
	path := filepath.Join("..", "testdata", "sites_merged.xlsx")
	var rows []Row
	err := ReadXLSX(context.Background(), path, ReadOptions{}, func(r *Row) error {
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
	err = ReadXLSX(context.Background(), path, ReadOptions{Sheet: "tổng hợp"}, func(*Row) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "no header row") {
		t.Errorf("summary sheet: %v", err)
	}
	err = ReadXLSX(context.Background(), path, ReadOptions{Sheet: "Nope"}, func(*Row) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "sheets: Danh sách, Tổng hợp") {
		t.Errorf("unknown sheet: %v", err)
	}
}
