package ingest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/ingest/record"
	"github.com/antq-atlas/antq/ingest/sheet"
)

// benchIncidents writes n incident rows shaped like a provincial export.
func benchIncidents(n int) []byte {
	var b bytes.Buffer
	b.WriteString("Mã vụ việc,Mã điểm,Lĩnh vực vụ việc,Ngày tiếp nhận,Ngày kết thúc,Kết quả,Tin báo,Xã/Phường,Huyện,Tỉnh,Ghi chú\n")
	communes := []string{"Xã Trung Minh", "Xã Hùng Lợi", "Phường Hà Giang 1", "Xã Yên Phú", "Xã Hàm Yên"}
	cats := []string{"Mâu thuẫn, tranh chấp", "Tệ nạn xã hội", "Trật tự công cộng", "Giao thông"}
	outs := []string{"Hòa giải thành", "hòa giải không thành", "Giải quyết tại cơ sở", "Chuyển cơ quan chức năng"}
	for i := 0; i < n; i++ {
		d := i % 600
		fmt.Fprintf(&b, "VV-%07d,D-%04d,%q,%02d/%02d/2024,%02d/%02d/2024,%s,,%s,,Tuyên Quang,\n",
			i, i%2000, cats[i%len(cats)], 1+d%28, 1+d/28%11, 1+d%28, 2+d/28%11, outs[i%len(outs)], communes[i%len(communes)])
	}
	return b.Bytes()
}

// BenchmarkReadCSV measures reading, mapping, parsing, resolving (through
// the fixture resolver and the job's cache), validating and keying
// incidents from CSV: the job's work up to the writer.
func BenchmarkReadCSV(b *testing.B) {
	const n = 200_000
	data := benchIncidents(n)
	path := filepath.Join(b.TempDir(), "bench.csv")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	rows := 0
	// The job reuses its batch slices from one batch to the next.
	batch := make([]analytics.Incident, 0, n)
	b.ResetTimer()
	for b.Loop() {
		r := benchRun(path, len(data))
		r.batch.Incidents = batch[:0]
		err := r.read(sheet.ReadOptions{Encoding: sheet.EncodingUTF8}, nil)
		rows += r.fs.Read
		if err != nil {
			b.Fatal(err)
		}
		if r.fs.Rejected != 0 || len(r.batch.Incidents) != n {
			b.Fatalf("%d rejected, %d accepted", r.fs.Rejected, len(r.batch.Incidents))
		}
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}

func benchRun(path string, size int) *fileRun {
	j := &Job{Resolver: &fixtureResolver{}, Now: func() time.Time { return testNow }}
	return &fileRun{
		job: j, ctx: context.Background(), path: path, now: testNow, sum: newSummary(), fs: &FileSummary{Kinds: map[analytics.Kind]Counts{}},
		touched: map[analytics.ProvinceCode]bool{}, b: record.NewBuilder(j.Resolver, DefaultMinDate, testNow), minDate: DefaultMinDate,
		seen: newKeySet(size / 100), size: 1 << 30,
	}
}

// BenchmarkReadXLSX measures the same work from an XLSX sheet.
func BenchmarkReadXLSX(b *testing.B) {
	const n = 100_000
	path := filepath.Join(b.TempDir(), "bench.xlsx")
	x := excelize.NewFile()
	sw, _ := x.NewStreamWriter("Sheet1")
	recs := csvReader(string(benchIncidents(n)))
	for i, rec := range recs {
		row := make([]any, len(rec))
		for j, v := range rec {
			row[j] = v
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		sw.SetRow(cell, row)
	}
	sw.Flush()
	if err := x.SaveAs(path); err != nil {
		b.Fatal(err)
	}
	st, _ := os.Stat(path)
	b.SetBytes(st.Size())
	rows := 0
	for b.Loop() {
		r := benchRun(path, n*100)
		err := r.read(sheet.ReadOptions{}, nil)
		rows += r.fs.Read
		if err != nil {
			b.Fatal(err)
		}
		if len(r.batch.Incidents) != n {
			b.Fatalf("%d accepted", len(r.batch.Incidents))
		}
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}
