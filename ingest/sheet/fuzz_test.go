package sheet

// Fuzz tests of every reader. `go test` runs them over their seeds;
// `go test -run '^$' -fuzz '^FuzzReadCSV$' -fuzztime 10m ./ingest/sheet`
// (make fuzz) explores further. A crasher is written under
// testdata/fuzz/FuzzX/ and then runs with every `go test`.

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/ingest/ingesttest"
)

// fuzzEncodings are the encodings a fuzzed CSV is read in, chosen by a byte.
var fuzzEncodings = []Encoding{EncodingAuto, EncodingUTF8, EncodingWindows1258, EncodingWindows1252}

// FuzzReadCSV reads arbitrary bytes as CSV in each encoding: it never
// panics, row numbers grow, a row without error has as many values as the
// header, and text decoded from a code page is valid UTF-8.
func FuzzReadCSV(f *testing.F) {
	for _, b := range ingesttest.CSVSeeds() {
		for i := range fuzzEncodings {
			f.Add(b, uint8(i))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, encIdx uint8) {
		enc := fuzzEncodings[int(encIdx)%len(fuzzEncodings)]
		// A file whose only invalid bytes are a partial character at its
		// very end is read as UTF-8 by EncodingAuto: a known bug, see
		// TestReadCSVAutoTrailingPartialRune; the fuzzer looks past it.
		// A byte order mark says UTF-8 whatever follows.
		decoded := enc == EncodingWindows1258 || enc == EncodingWindows1252 ||
			enc == EncodingAuto && !bytes.HasPrefix(data, []byte(BOM)) && !utf8.Valid(data[:fullRunes(data)])
		last := 0
		var header []string
		err := ReadCSV(context.Background(), bytes.NewReader(data), "fuzz.csv", enc, func(r *Row) error {
			if r.Num <= last {
				t.Fatalf("row %d after row %d", r.Num, last)
			}
			last = r.Num
			if header == nil {
				header = slices.Clone(r.Header)
			} else if !slices.Equal(header, r.Header) {
				t.Fatalf("header changed from %q to %q", header, r.Header)
			}
			if r.Err == nil && len(r.Values) != len(r.Header) {
				t.Fatalf("row %d: %d values under %d headers without an error", r.Num, len(r.Values), len(r.Header))
			}
			if blank(r.Values) {
				t.Fatalf("row %d: a blank row was passed", r.Num)
			}
			if decoded {
				for _, v := range append(slices.Clone(r.Header), r.Values...) {
					if !utf8.ValidString(v) {
						t.Fatalf("row %d: decoded %s value %q is not UTF-8", r.Num, enc, v)
					}
				}
			}
			return nil
		})
		if err != nil && !strings.HasPrefix(err.Error(), "read fuzz.csv row ") {
			t.Fatalf("error without the file and row: %v", err)
		}
	})
}

// TestReadCSVAutoTrailingPartialRune is a bug found by FuzzReadCSV: with
// EncodingAuto, a file shorter than the sniffed megabyte whose last byte
// starts a UTF-8 sequence is taken for UTF-8 (DetectEncoding allows a
// character cut at the end of the sample, but here the sample is the whole
// file), so ReadCSV passes invalid UTF-8 on. A Windows-1258 export ending
// in "Hà" without a final line break, with no other letter outside ASCII,
// is such a file. (The Job is not
// affected: it tells the encoding from the whole file first.)
func TestReadCSVAutoTrailingPartialRune(t *testing.T) {
	data := ingesttest.Enc1258("commune,note\nXa Hung Loi,Hà") // ASCII but the final 0xE0
	err := ReadCSV(context.Background(), bytes.NewReader(data), "tail.csv", EncodingAuto, func(r *Row) error {
		for _, v := range r.Values {
			if !utf8.ValidString(v) {
				t.Errorf("row %d: value %q is not UTF-8: the file was not read as Windows-1258", r.Num, v)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// FuzzReadCSVRoundTrip writes a header and rows of fuzzed values with
// encoding/csv and reads them back: ReadCSV returns the values as written
// (a quoted CRLF inside a value reads as LF), blank rows left out.
func FuzzReadCSVRoundTrip(f *testing.F) {
	f.Add("Xã Hùng Lợi", "01/08/2025", "Mâu thuẫn, tranh chấp", "Tổ tự quản \"Làng Chẵng\"", uint8(0))
	f.Add("Phường Hà Giang 1", "2025-09-15 08:30", "", "dòng một\ndòng hai", uint8(1))
	f.Add("Xã Yên Phú", "", "tệ nạn xã hội; TNXH", "\ttab đầu", uint8(2))
	f.Add("", "", "", "", uint8(0))
	f.Add(" Xã  Hàm Yên ", "45366", "\"", "a\"\"b", uint8(1))
	f.Fuzz(func(t *testing.T, a, b, c, d string, sep uint8) {
		comma := []rune{',', ';', '\t'}[int(sep)%3]
		for _, v := range []string{a, b, c, d} {
			// ReadCSV reads lines: a lone CR inside a value is not kept
			// apart from a line break by encoding/csv either.
			if !utf8.ValidString(v) || strings.ContainsRune(v, '\r') {
				return
			}
		}
		header := []string{"Xã/Phường", "Ngày tiếp nhận", "Lĩnh vực vụ việc", "Ghi chú"}
		rows := [][]string{header, {a, b, c, d}, {d, c, b, a}, {"", "", "", ""}, {a, "x", c, "y"}}
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		w.Comma = comma
		if err := w.WriteAll(rows); err != nil {
			t.Skip(err)
		}
		var got [][]string
		err := ReadCSV(context.Background(), bytes.NewReader(buf.Bytes()), "rt.csv", EncodingUTF8, func(r *Row) error {
			if r.Err != nil {
				t.Fatalf("row %d: %v in %q", r.Num, r.Err, buf.Bytes())
			}
			if !slices.Equal(r.Header, header) {
				t.Fatalf("header %q, want %q", r.Header, header)
			}
			got = append(got, slices.Clone(r.Values))
			return nil
		})
		if err != nil {
			t.Fatalf("ReadCSV(%q): %v", buf.Bytes(), err)
		}
		var want [][]string
		for _, r := range rows[1:] {
			if !blank(r) {
				want = append(want, r)
			}
		}
		if !slices.EqualFunc(got, want, slices.Equal[[]string]) {
			t.Fatalf("read back %q\nwant %q\nfrom %q", got, want, buf.Bytes())
		}
	})
}

// FuzzReadJSONL reads arbitrary bytes as JSON Lines: no panic, a row
// without error has as many values as keys.
func FuzzReadJSONL(f *testing.F) {
	f.Add([]byte(ingesttest.ModelLines))
	for _, l := range strings.Split(ingesttest.ModelLines, "\n") {
		f.Add([]byte(l))
	}
	f.Add([]byte(`{"Xã/Phường": "Xã Hùng Lợi", "Ngày tiếp nhận": "01/08/2025", "Tin báo": null, "Số": 1.5e3, "Khác": [1, {"a": "b"}]}`))
	f.Add([]byte("\xEF\xBB\xBF{\"a\":1}\r\n[1,2]\n\"chuỗi\"\n{\"a\":1}{\"b\":2}\n{\"a\":\"\\ud800\"}\n{"))
	f.Add([]byte(`{"":"", " ":" ", "a":"\u0000"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		last := 0
		err := ReadJSONL(context.Background(), bytes.NewReader(data), "fuzz.jsonl", func(r *Row) error {
			if r.Num <= last {
				t.Fatalf("line %d after line %d", r.Num, last)
			}
			last = r.Num
			if len(r.Values) != len(r.Header) {
				t.Fatalf("line %d: %d values under %d keys (err %v)", r.Num, len(r.Values), len(r.Header), r.Err)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("ReadJSONL: %v", err)
		}
	})
}

// FuzzReadJSONLRoundTrip encodes fuzzed strings with encoding/json and
// reads them back unchanged.
func FuzzReadJSONLRoundTrip(f *testing.F) {
	f.Add("Xã Hùng Lợi", "Hai quản, \"Hai tích cực\"", "dòng một\ndòng hai", "\u2028\t\\")
	f.Add("", " ", "null", "<script>&amp;")
	f.Fuzz(func(t *testing.T, a, b, c, d string) {
		for _, v := range []string{a, b, c, d} {
			if !utf8.ValidString(v) {
				return // encoding/json writes U+FFFD for invalid bytes
			}
		}
		keys := []string{"Mã", "Tên mô hình", "Loại mô hình", "Xã/Phường"}
		vals := []string{a, b, c, d}
		var buf bytes.Buffer
		for range 2 {
			buf.WriteByte('{')
			for i := range keys {
				if i > 0 {
					buf.WriteByte(',')
				}
				k, _ := json.Marshal(keys[i])
				v, _ := json.Marshal(vals[i])
				buf.Write(k)
				buf.WriteByte(':')
				buf.Write(v)
			}
			buf.WriteString("}\n")
		}
		n := 0
		err := ReadJSONL(context.Background(), bytes.NewReader(buf.Bytes()), "rt.jsonl", func(r *Row) error {
			n++
			if r.Err != nil {
				t.Fatalf("line %d: %v", r.Num, r.Err)
			}
			if !slices.Equal(r.Header, keys) || !slices.Equal(r.Values, vals) {
				t.Fatalf("read %q = %q, want %q = %q", r.Header, r.Values, keys, vals)
			}
			return nil
		})
		if err != nil || n != 2 {
			t.Fatalf("ReadJSONL: %d rows, %v", n, err)
		}
	})
}

// seedWorkbook writes a small incidents workbook as the provinces make
// them: a title row merged over the columns, the header, typed and text
// dates, shared and inline strings.
func seedWorkbook(tb testing.TB) []byte {
	tb.Helper()
	x := excelize.NewFile()
	defer x.Close()
	s := "Vụ việc"
	x.SetSheetName("Sheet1", s)
	x.SetCellValue(s, "A1", "THỐNG KÊ VỤ VIỆC QUÝ III/2025")
	x.MergeCell(s, "A1", "F1")
	x.SetSheetRow(s, "A2", &[]any{"Mã vụ việc", "Lĩnh vực vụ việc", "Ngày tiếp nhận", "Kết quả", "Xã/Phường", "Tỉnh"})
	x.SetSheetRow(s, "A3", &[]any{"VV-1", "Mâu thuẫn, tranh chấp", time.Date(2025, 8, 1, 0, 0, 0, 0, time.UTC), "Hòa giải thành", "Xã Hùng Lợi", "Tuyên Quang"})
	x.SetSheetRow(s, "A4", &[]any{"VV-2", "Tệ nạn xã hội", "15/09/2025", "đang giải quyết", "Phường Hà Giang 1", "Tuyên Quang"})
	x.SetSheetRow(s, "A6", &[]any{3, "Giao thông", 45930, nil, "Xã Yên Phú"})
	x.MergeCell(s, "F3", "F4")
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// readXLSXBytes writes b to a temporary .xlsx file and reads it, checking
// what every row must hold.
func readXLSXBytes(t *testing.T, b []byte, opt ReadOptions) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "fuzz.xlsx")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	// Row numbers are as the XML writes them (r="..."), so a malformed
	// sheet may repeat or reverse them: only their shape is checked.
	err := ReadXLSX(context.Background(), path, opt, func(r *Row) error {
		if len(r.Header) > 16384 {
			t.Fatalf("sheet %q row %d: a header of %d columns, past Excel's last (XFD)", r.Sheet, r.Num, len(r.Header))
		}
		if len(r.Values) != len(r.Header) {
			t.Fatalf("sheet %q row %d: %d values under %d headers", r.Sheet, r.Num, len(r.Values), len(r.Header))
		}
		return nil
	})
	_ = err // unreadable workbooks are errors, which is all that is asked
}

// FuzzReadXLSX reads arbitrary bytes as a workbook file.
func FuzzReadXLSX(f *testing.F) {
	f.Add(seedWorkbook(f))
	dir := f.TempDir()
	for name, write := range map[string]func(string) error{"sites.xlsx": ingesttest.WriteSitesXLSX, "grades.xlsx": ingesttest.WriteGradesXLSX} {
		p := filepath.Join(dir, name)
		if err := write(p); err != nil {
			f.Fatal(err)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("PK\x05\x06" + strings.Repeat("\x00", 18)))
	f.Add([]byte("Mã vụ việc,Xã/Phường\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		readXLSXBytes(t, b, ReadOptions{})
	})
}

var (
	seedSheetOnce  sync.Once
	seedSheetParts map[string][]byte
	seedSheetNames []string
)

// seedParts returns the parts of seedWorkbook by name, in zip order.
func seedParts(tb testing.TB) (map[string][]byte, []string) {
	tb.Helper()
	seedSheetOnce.Do(func() {
		b := seedWorkbook(tb)
		z, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
		if err != nil {
			tb.Fatal(err)
		}
		seedSheetParts = map[string][]byte{}
		for _, f := range z.File {
			rc, err := f.Open()
			if err != nil {
				tb.Fatal(err)
			}
			var p bytes.Buffer
			p.ReadFrom(rc)
			rc.Close()
			seedSheetParts[f.Name] = p.Bytes()
			seedSheetNames = append(seedSheetNames, f.Name)
		}
	})
	if seedSheetParts == nil {
		tb.Fatal("seed workbook unreadable")
	}
	return seedSheetParts, seedSheetNames
}

// workbookWith returns the seed workbook with its sheet and shared strings
// replaced: the zip stays valid, so the fuzzer reaches the XML scanner.
func workbookWith(tb testing.TB, sheet, sst []byte) []byte {
	tb.Helper()
	parts, names := seedParts(tb)
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	for _, n := range names {
		b := parts[n]
		switch n {
		case "xl/worksheets/sheet1.xml":
			b = sheet
		case "xl/sharedStrings.xml":
			b = sst
		}
		w, err := z.Create(n)
		if err != nil {
			tb.Fatal(err)
		}
		w.Write(b)
	}
	if err := z.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// FuzzReadXLSXSheet fuzzes the sheet XML and the shared strings of a valid
// workbook: the hand-written scanner of sheetxml.go and the merged-cell
// and header logic of xlsx.go.
func FuzzReadXLSXSheet(f *testing.F) {
	parts, _ := seedParts(f)
	sheet, sst := parts["xl/worksheets/sheet1.xml"], parts["xl/sharedStrings.xml"]
	f.Add(sheet, sst)
	f.Add([]byte(`<worksheet><sheetData><row r="2"><c r="A2" t="inlineStr"><is><t>Xã/Phường</t></is></c><c r="B2" t="inlineStr"><is><t>Ngày tiếp nhận</t></is></c></row><row r="3"><c r="A3" t="s"><v>0</v></c><c r="B3"><v>45900</v></c></row></sheetData><mergeCells count="1"><mergeCell ref="A3:A5"/></mergeCells></worksheet>`),
		[]byte(`<sst><si><t>Xã Hùng Lợi</t><rPh><t>ふりがな</t></rPh></si><si><r><t>Tuyên </t></r><r><t>Quang</t></r></si></sst>`))
	f.Add([]byte(`<x:worksheet xmlns:x="x"><x:sheetData><x:row><x:c><x:v>&#7843;&lt;&amp;</x:v></x:c></x:row></x:sheetData></x:worksheet>`), []byte(`<sst/>`))
	f.Add([]byte(`<worksheet><sheetData/></worksheet>`), []byte{})
	f.Fuzz(func(t *testing.T, sheet, sst []byte) {
		readXLSXBytes(t, workbookWith(t, sheet, sst), ReadOptions{Kind: analytics.KindIncidents})
	})
}

// TestReadXLSXFarCellRef is a bug found while fuzzing the sheet scanner: a
// cell reference past Excel's last column (XFD) made the reader allocate
// every column up to it, so a 300-byte workbook with r="AAAAAA1" took
// 1.4 GB and 3 s, and r="AAAAAAA1" (321 million columns) ran out of memory.
// Fixed in sheetxml.go (row: a ref past XFD is ignored).
func TestReadXLSXFarCellRef(t *testing.T) {
	for _, ref := range []string{"XFE1", "AAAAA1", "AAAAAAA1", "ZZZZZZZZZZZZZZZZ1"} {
		t.Run(ref, func(t *testing.T) {
			sheet := `<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Xã/Phường</t></is></c>` +
				`<c r="B1" t="inlineStr"><is><t>Ngày tiếp nhận</t></is></c><c r="` + ref + `" t="inlineStr"><is><t>Ghi chú</t></is></c></row>` +
				`<row r="2"><c r="A2" t="inlineStr"><is><t>Xã Hùng Lợi</t></is></c><c r="B2"><v>45900</v></c></row></sheetData></worksheet>`
			path := filepath.Join(t.TempDir(), "far.xlsx")
			if err := os.WriteFile(path, workbookWith(t, []byte(sheet), []byte("<sst/>")), 0o600); err != nil {
				t.Fatal(err)
			}
			rows := 0
			err := ReadXLSX(context.Background(), path, ReadOptions{}, func(r *Row) error {
				rows++
				if len(r.Header) > 3 {
					t.Errorf("header of %d columns", len(r.Header))
				}
				return nil
			})
			if err != nil || rows != 1 {
				t.Fatalf("%d rows, %v", rows, err)
			}
		})
	}
}
