package sheet

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/metrics"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
)

// heapBudget is the heap the test process may reach while it reads one
// hostile file.
const heapBudget = 256 << 20

// heapEnv names the one hostile case a child test process runs.
const heapEnv = "ANTQ_TEST_HEAP_CASE"

// heapSys is the heap the process has mapped: every heap class of
// runtime/metrics. The runtime never unmaps heap arenas, so it is a
// high-water mark: no object larger than it was ever alive at once.
func heapSys() uint64 {
	names := []string{
		"/memory/classes/heap/objects:bytes",
		"/memory/classes/heap/unused:bytes",
		"/memory/classes/heap/free:bytes",
		"/memory/classes/heap/released:bytes",
	}
	s := make([]metrics.Sample, len(names))
	for i, n := range names {
		s[i].Name = n
	}
	metrics.Read(s)
	var sum uint64
	for _, x := range s {
		sum += x.Value.Uint64()
	}
	return sum
}

// inFreshProcess runs fn in a child test process whose heap starts empty,
// so the heap it maps afterwards bounds what reading the file cost, and
// fails when it is over heapBudget.
func inFreshProcess(t *testing.T, fn func(t *testing.T)) {
	t.Helper()
	if os.Getenv(heapEnv) == t.Name() {
		fn(t)
		got := heapSys()
		t.Logf("heap mapped after the read: %d MiB (budget %d MiB)", got>>20, heapBudget>>20)
		if got > heapBudget {
			t.Fatalf("heap reached %d MiB, over the %d MiB budget", got>>20, heapBudget>>20)
		}
		return
	}
	parts := strings.Split(t.Name(), "/")
	for i, p := range parts {
		parts[i] = "^" + regexpQuote(p) + "$"
	}
	cmd := exec.Command(os.Args[0], "-test.run="+strings.Join(parts, "/"), "-test.count=1", "-test.v")
	cmd.Env = append(os.Environ(), heapEnv+"="+t.Name())
	out, err := cmd.CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte("--- PASS: "+t.Name()+" ")) {
		t.Fatalf("child process: %v\n%s", err, out)
	}
	for _, l := range strings.Split(string(out), "\n") {
		if strings.Contains(l, "heap mapped") {
			t.Log(strings.TrimSpace(l))
		}
	}
}

func regexpQuote(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`\.+*?()|[]{}^$`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// deflated is a part compressed without ever holding it: prefix, then
// fill repeated to n bytes in all, then suffix. The deflate blocks of one
// chunk of fill, flushed, decode the same after any history ending in
// fill, so they are written again and again; the CRC is computed over the
// real bytes, so the part is a sound one.
type deflated struct {
	data []byte
	crc  uint32
	size uint64
}

func deflateRepeat(t *testing.T, prefix, fill, suffix string, n uint64) deflated {
	t.Helper()
	unit := len(fill)
	chunk := []byte(strings.Repeat(fill, (1<<20)/unit))
	var out bytes.Buffer
	fw, err := flate.NewWriter(&out, flate.BestSpeed)
	if err != nil {
		t.Fatal(err)
	}
	crc := crc32.NewIEEE()
	write := func(b []byte) {
		fw.Write(b)
		fw.Flush()
		crc.Write(b)
	}
	write([]byte(prefix))
	write(chunk)
	mark := out.Len()
	write(chunk)
	again := slices.Clone(out.Bytes()[mark:])
	size := uint64(len(prefix)) + 2*uint64(len(chunk))
	for size+uint64(len(chunk)) <= n {
		out.Write(again)
		crc.Write(chunk)
		size += uint64(len(chunk))
	}
	fw.Write([]byte(suffix))
	if err := fw.Close(); err != nil {
		t.Fatal(err)
	}
	crc.Write([]byte(suffix))
	size += uint64(len(suffix))
	return deflated{data: out.Bytes(), crc: crc.Sum32(), size: size}
}

const (
	testWorkbook = `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Vụ việc" sheetId="1" r:id="rId1"/></sheets></workbook>`
	testRels     = `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`
	testHeader   = `<row r="1"><c r="A1" t="inlineStr"><is><t>Mã vụ việc</t></is></c><c r="B1" t="inlineStr"><is><t>Ngày tiếp nhận</t></is></c><c r="C1" t="inlineStr"><is><t>Xã/Phường</t></is></c></row>`
	sheetOpen    = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`
	sheetClose   = `</sheetData></worksheet>`
)

// writeZipXLSX writes a workbook of one sheet "Vụ việc": small parts as
// given, big parts already deflated (zip64 when over 4 GiB).
func writeZipXLSX(t *testing.T, path string, small map[string]string, big map[string]deflated) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	parts := map[string]string{"xl/workbook.xml": testWorkbook, "xl/_rels/workbook.xml.rels": testRels}
	for k, v := range small {
		parts[k] = v
	}
	for _, name := range slices.Sorted(mapsKeys(parts)) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, parts[name])
	}
	for name, d := range big {
		w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: d.crc,
			CompressedSize64: uint64(len(d.data)), UncompressedSize64: d.size})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(d.data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
}

func mapsKeys(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// readAll reads the file with lim and counts its rows.
func readAll(path string, lim Limits) (int, error) {
	n := 0
	err := ReadFile(context.Background(), path, ReadOptions{Limits: lim}, func(*Row) error { n++; return nil })
	return n, err
}

// wantLimit checks that err is the refusal of limit, at the place given
// (row 0 or column "": not checked), Vietnamese first.
func wantLimit(t *testing.T, err error, limit, file string, row int, column string) {
	t.Helper()
	var le *LimitError
	if !errors.As(err, &le) {
		t.Fatalf("err = %v, want the %s limit", err, limit)
	}
	if le.Limit != limit || le.File != file || (row != 0 && le.Row != row) || (column != "" && le.Column != column) {
		t.Fatalf("limit %s file %q row %d column %q, want %s %q %d %q (%v)", le.Limit, le.File, le.Row, le.Column, limit, file, row, column, err)
	}
	msg := err.Error()
	if !strings.HasPrefix(msg, "tệp "+file) || !strings.Contains(msg, "vượt giới hạn "+limit) || !strings.Contains(msg, "limit "+limit) {
		t.Fatalf("message %q: want Vietnamese first, naming the file and the limit", msg)
	}
	if strings.Index(msg, "vượt giới hạn") > strings.Index(msg, "exceeded") {
		t.Fatalf("message %q: English before Vietnamese", msg)
	}
}

const fourGiB = 4<<30 + 1<<20 // past 4 GiB: the zip needs zip64

// TestHostileFiles reads, each in a fresh process, files built to exhaust
// memory: each is refused with its limit named, or read, and the heap the
// process mapped stays under heapBudget.
func TestHostileFiles(t *testing.T) {
	big := Limits{MaxUnzipped: 1 << 40, MaxSharedStrings: 1 << 40}
	cellRow := `<row r="2"><c r="A2" t="inlineStr"><is><t>VV-1</t></is></c><c r="B2" t="inlineStr"><is><t>`
	cellEnd := `</t></is></c></row>` + sheetClose

	t.Run("xlsx_zip64_inline_cell", func(t *testing.T) {
		inFreshProcess(t, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "o.xlsx")
			d := deflateRepeat(t, sheetOpen+testHeader+cellRow, "A", cellEnd, fourGiB)
			writeZipXLSX(t, path, nil, map[string]deflated{"xl/worksheets/sheet1.xml": d})
			_, err := readAll(path, big)
			wantLimit(t, err, "MaxCell", "o.xlsx", 2, "B")
			// With the default limits the zip directory alone refuses it.
			_, err = readAll(path, Limits{})
			wantLimit(t, err, "MaxUnzipped", "o.xlsx", 0, "")
		})
	})
	t.Run("xlsx_shared_string", func(t *testing.T) {
		inFreshProcess(t, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "s.xlsx")
			sheet := sheetOpen + testHeader + `<row r="2"><c r="A2" t="s"><v>0</v></c></row>` + sheetClose
			d := deflateRepeat(t, `<sst><si><t>`, "A", `</t></si></sst>`, fourGiB)
			writeZipXLSX(t, path, map[string]string{"xl/worksheets/sheet1.xml": sheet}, map[string]deflated{"xl/sharedStrings.xml": d})
			_, err := readAll(path, big)
			wantLimit(t, err, "MaxCell", "s.xlsx", 0, "")
			_, err = readAll(path, Limits{MaxUnzipped: 1 << 40})
			wantLimit(t, err, "MaxSharedStrings", "s.xlsx", 0, "")
		})
	})
	t.Run("xlsx_many_small_shared_strings", func(t *testing.T) {
		inFreshProcess(t, func(t *testing.T) {
			// 60 MiB of empty strings, within the part's limit, would
			// take 16 bytes each in memory: 200 MiB, more while growing.
			path := filepath.Join(t.TempDir(), "e.xlsx")
			sheet := sheetOpen + testHeader + `<row r="2"><c r="A2" t="s"><v>0</v></c></row>` + sheetClose
			d := deflateRepeat(t, `<sst>`, `<si/>`, `</sst>`, 60<<20)
			writeZipXLSX(t, path, map[string]string{"xl/worksheets/sheet1.xml": sheet}, map[string]deflated{"xl/sharedStrings.xml": d})
			_, err := readAll(path, Limits{})
			wantLimit(t, err, "MaxSharedStrings", "e.xlsx", 0, "")
		})
	})
	t.Run("xlsx_millions_of_empty_rows", func(t *testing.T) {
		inFreshProcess(t, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "r.xlsx")
			data := `<row r="2"><c r="A2" t="inlineStr"><is><t>VV-1</t></is></c></row>`
			d := deflateRepeat(t, sheetOpen+testHeader+data, `<row/>`, sheetClose, 3_000_000*6)
			writeZipXLSX(t, path, nil, map[string]deflated{"xl/worksheets/sheet1.xml": d})
			n, err := readAll(path, Limits{})
			if err != nil || n != 1 {
				t.Fatalf("read %d rows, err %v; want the one data row", n, err)
			}
			_, err = readAll(path, Limits{MaxRows: 1_000_000})
			wantLimit(t, err, "MaxRows", "r.xlsx", 0, "")
		})
	})
	t.Run("xlsx_many_parts", func(t *testing.T) {
		inFreshProcess(t, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "p.xlsx")
			small := map[string]string{"xl/worksheets/sheet1.xml": sheetOpen + testHeader + sheetClose}
			for i := range DefaultMaxParts {
				small[fmt.Sprintf("xl/media/x%d.bin", i)] = ""
			}
			writeZipXLSX(t, path, small, nil)
			_, err := readAll(path, Limits{})
			wantLimit(t, err, "MaxParts", "p.xlsx", 0, "")
		})
	})
	t.Run("jsonl_huge_line", func(t *testing.T) {
		inFreshProcess(t, func(t *testing.T) {
			r := io.MultiReader(strings.NewReader("{\"Mã vụ việc\":\"VV-1\"}\n{\"Ghi chú\":\""), io.LimitReader(repeatByte('A'), 1<<30))
			err := readJSONL(context.Background(), r, "h.jsonl", Limits{}.withDefaults(), func(*Row) error { return nil })
			wantLimit(t, err, "MaxLine", "h.jsonl", 2, "")
		})
	})
	t.Run("csv_huge_line", func(t *testing.T) {
		inFreshProcess(t, func(t *testing.T) {
			r := io.MultiReader(strings.NewReader("Mã vụ việc,Ghi chú\nVV-1,"), io.LimitReader(repeatByte('A'), 1<<30))
			err := readCSV(context.Background(), r, "h.csv", EncodingUTF8, Limits{}.withDefaults(), func(*Row) error { return nil })
			wantLimit(t, err, "MaxLine", "h.csv", 2, "")
		})
	})
	t.Run("csv_quoted_field_over_many_lines", func(t *testing.T) {
		inFreshProcess(t, func(t *testing.T) {
			r := io.MultiReader(strings.NewReader("Mã vụ việc,Ghi chú\nVV-1,\""), io.LimitReader(repeatString("A\n"), 1<<30))
			err := readCSV(context.Background(), r, "q.csv", EncodingUTF8, Limits{}.withDefaults(), func(*Row) error { return nil })
			wantLimit(t, err, "MaxLine", "q.csv", 2, "")
		})
	})
	t.Run("csv_millions_of_empty_lines", func(t *testing.T) {
		inFreshProcess(t, func(t *testing.T) {
			r := io.MultiReader(strings.NewReader("Mã vụ việc,Ghi chú\nVV-1,x\n"), io.LimitReader(repeatString("\r\n"), 2*3_000_000))
			n := 0
			err := readCSV(context.Background(), r, "e.csv", EncodingUTF8, Limits{}.withDefaults(), func(*Row) error { n++; return nil })
			if err != nil || n != 1 {
				t.Fatalf("read %d rows, err %v; want the one data row", n, err)
			}
			r = io.MultiReader(strings.NewReader("Mã vụ việc,Ghi chú\nVV-1,x\n"), io.LimitReader(repeatString("\r\n"), 2*3_000_000))
			err = readCSV(context.Background(), r, "e.csv", EncodingUTF8, Limits{MaxRows: 1_000_000}.withDefaults(), func(*Row) error { return nil })
			wantLimit(t, err, "MaxRows", "e.csv", 0, "")
		})
	})
}

// repeatByte is an endless reader of c.
func repeatByte(c byte) io.Reader { return repeatString(string(c)) }

type repeater struct {
	s   string
	off int
}

func repeatString(s string) io.Reader { return &repeater{s: s} }

func (r *repeater) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = r.s[r.off]
		r.off = (r.off + 1) % len(r.s)
	}
	return len(p), nil
}

// TestLimitsCellAndRow covers each limit on small inputs: the smallest
// file past it is refused and the largest within it is read.
func TestLimitsCellAndRow(t *testing.T) {
	lim := Limits{MaxCell: 16, MaxLine: 60, MaxRows: 3}.withDefaults()
	cases := []struct {
		name, in      string
		jsonl         bool
		limit, column string
		row, wantRows int
	}{
		{name: "cell within", in: "Mã vụ việc,Ghi chú\nVV-1,1234567890123456\n", wantRows: 1},
		{name: "cell past", in: "Mã vụ việc,Ghi chú\nVV-1,12345678901234567\n", limit: "MaxCell", row: 2, column: "B"},
		{name: "quoted cell past", in: "Mã vụ việc,Ghi chú\nVV-1,\"12345678\n901234567\"\n", limit: "MaxCell", row: 2, column: "B"},
		{name: "line within", in: "Mã vụ việc,Ghi chú\n" + strings.Repeat(",", 60) + "\r\n", wantRows: 0},
		{name: "line past", in: "Mã vụ việc,Ghi chú\n" + strings.Repeat(",", 61) + "\n", limit: "MaxLine", row: 2},
		{name: "quoted line past", in: "Mã vụ việc,Ghi chú\n\"" + strings.Repeat("1234\n", 13) + "\"\n", limit: "MaxLine", row: 2},
		{name: "rows within", in: "Mã vụ việc\nVV-1\nVV-2\n", wantRows: 2},
		{name: "rows past", in: "Mã vụ việc\nVV-1\nVV-2\nVV-3\n", limit: "MaxRows"},
		{name: "json within", jsonl: true, in: `{"Mã vụ việc":"VV-1","Ghi chú":"1234567890123456"}`, wantRows: 1},
		{name: "json cell past", jsonl: true, in: `{"Mã vụ việc":"VV-1","Ghi chú":"12345678901234567"}`, limit: "MaxCell", row: 1, column: "Ghi chú"},
		{name: "json line past", jsonl: true, in: `{"Mã vụ việc":"VV-1","Ghi chú":"1","x":"1234567890123"}`, limit: "MaxLine", row: 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := 0
			count := func(*Row) error { n++; return nil }
			var err error
			file := "a.csv"
			if c.jsonl {
				file = "a.jsonl"
				err = readJSONL(context.Background(), strings.NewReader(c.in), file, lim, count)
			} else {
				err = readCSV(context.Background(), strings.NewReader(c.in), file, EncodingUTF8, lim, count)
			}
			if c.limit == "" {
				if err != nil || n != c.wantRows {
					t.Fatalf("read %d rows, err %v; want %d", n, err, c.wantRows)
				}
				return
			}
			wantLimit(t, err, c.limit, file, c.row, c.column)
		})
	}
}

// TestUnicodeBOM reads UTF-16 and UTF-32 files, which spreadsheet programs
// write as "Unicode text", as the same rows as their UTF-8 original,
// whatever encoding the caller guessed from the bytes.
func TestUnicodeBOM(t *testing.T) {
	src, err := os.ReadFile("../testdata/incidents_utf8.csv")
	if err != nil {
		t.Fatal(err)
	}
	rows := func(b []byte, enc Encoding, jsonl bool) [][]string {
		var out [][]string
		fn := func(r *Row) error { out = append(out, append(slices.Clone(r.Header), r.Values...)); return nil }
		var err error
		if jsonl {
			err = ReadJSONL(context.Background(), bytes.NewReader(b), "x", fn)
		} else {
			err = ReadCSV(context.Background(), bytes.NewReader(b), "x", enc, fn)
		}
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	jsonSrc := []byte("{\"Mã vụ việc\":\"VV-1\",\"Xã/Phường\":\"Xã Hùng Lợi\"}\n{\"Mã vụ việc\":\"VV-2\",\"Xã/Phường\":\"Phường Hà Giang 1\"}\n")
	want, wantJSON := rows(src, EncodingAuto, false), rows(jsonSrc, EncodingAuto, true)
	if len(want) < 2 || len(wantJSON) != 2 {
		t.Fatalf("fixture read %d and %d rows", len(want), len(wantJSON))
	}
	for _, e := range []struct {
		name string
		enc  func([]byte) ([]byte, error)
	}{
		{"utf-16le", unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes},
		{"utf-16be", unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewEncoder().Bytes},
		{"utf-32le", utf32.UTF32(utf32.LittleEndian, utf32.UseBOM).NewEncoder().Bytes},
		{"utf-32be", utf32.UTF32(utf32.BigEndian, utf32.UseBOM).NewEncoder().Bytes},
	} {
		t.Run(e.name, func(t *testing.T) {
			b, err := e.enc(bytes.TrimPrefix(src, []byte(BOM)))
			if err != nil {
				t.Fatal(err)
			}
			for _, enc := range []Encoding{EncodingAuto, DetectEncoding(b), EncodingWindows1252} {
				if got := rows(b, enc, false); !slices.EqualFunc(got, want, slices.Equal) {
					t.Fatalf("as %q: read %q, want %q", enc, got, want)
				}
			}
			j, err := e.enc(jsonSrc)
			if err != nil {
				t.Fatal(err)
			}
			if got := rows(j, "", true); !slices.EqualFunc(got, wantJSON, slices.Equal) {
				t.Fatalf("jsonl: read %q, want %q", got, wantJSON)
			}
		})
	}
}
