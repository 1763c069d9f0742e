package ingest

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune"
	"github.com/antq-atlas/antq/ingest/sheet"
)

// TestReportFurnitureProperty wraps random valid records in random report
// furniture — title blocks, headers over one or two rows, column-number
// rows, sections naming districts or groups, subtotals, notes, repeated
// headers and signature blocks — as XLSX or CSV, and gets every record back
// exactly: each loaded from its row with its values and its 2025 commune,
// and nothing else loaded or rejected.
func TestReportFurnitureProperty(t *testing.T) {
	set := refData(t)
	res := commune.NewResolver(set)
	districts := []string{"Huyện Yên Sơn", "Huyện Hàm Yên", "Huyện Sơn Dương", "Huyện Chiêm Hóa", "Huyện Na Hang"}
	pool := map[string][]unit{}
	for _, d := range districts {
		for _, u := range oldUnits(set, res, d) {
			// Without the province, commune and district must still be
			// enough: some layouts do not name the province.
			if got, err := res.Resolve(analytics.Place{Commune: u.commune, District: u.district, Date: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}); err == nil && got.Commune == u.code {
				pool[d] = append(pool[d], u)
			}
		}
	}
	n := 40
	if testing.Short() {
		n = 10
	}
	for seed := range n {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(uint64(seed), 99))
			s, want := randomReport(rng, districts, pool)
			xlsx := rng.IntN(2) == 0
			name := "r.csv"
			if xlsx {
				name = "r.xlsx"
			}
			path := filepath.Join(t.TempDir(), name)
			var err error
			if xlsx {
				err = writeXLSX(path, s)
			} else {
				err = writeCSV(path, s, []rune{',', ';', '\t'}[rng.IntN(3)], rng.IntN(2) == 0)
			}
			if err != nil {
				t.Fatal(err)
			}
			sheet := ""
			if xlsx {
				sheet = s.name
			}
			j := &Job{Resolver: res, Now: func() time.Time { return testNow }, BatchSize: 1 << 30}
			r := runParsed(t, j, path)
			got := map[string]analytics.Site{}
			for _, x := range r.batch.Sites {
				got[strconv.Itoa(x.Source.Row)] = x
			}
			if len(r.fs.Rejects) > 0 || r.fs.Rejected > 0 {
				t.Errorf("%d rows rejected (%s)", r.fs.Rejected, r.fs.Rejects)
			}
			for row, w := range want {
				g, ok := got[row]
				if !ok {
					t.Errorf("record at row %s (%s) not loaded; skipped: %v", row, w.Name, r.fs.Skips)
					continue
				}
				if g.Name != w.Name || g.Commune != w.Commune || !g.Opened.Equal(w.Opened) || g.Members != w.Members || g.Sheet != sheet {
					t.Errorf("row %s: got %s %s %s %d, want %s %s %s %d", row, g.Name, g.Commune, g.Opened.Format("02/01/2006"), g.Members,
						w.Name, w.Commune, w.Opened.Format("02/01/2006"), w.Members)
				}
				delete(got, row)
			}
			for row, g := range got {
				t.Errorf("row %s loaded but is not a record: %s", row, g.Name)
			}
			if r.fs.Read != len(want)+r.fs.Skipped {
				t.Errorf("read %d = %d records + %d skipped?", r.fs.Read, len(want), r.fs.Skipped)
			}
			if t.Failed() {
				for i, row := range s.rows {
					t.Logf("%3d %v", i+1, row)
				}
			}
		})
	}
}

// randomReport lays random records of sites out as a report; want holds
// each record by its row.
func randomReport(rng *rand.Rand, districts []string, pool map[string][]unit) (*rep, map[string]analytics.Site) {
	grouped := rng.IntN(2) == 0
	top := []string{"STT", "Tên điểm", "Loại mô hình", "Xã", "Huyện", "Ngày thành lập", "Số thành viên", "Ghi chú"}
	var sub []string
	if grouped {
		top = []string{"STT", "Tên điểm", "Loại mô hình", "Địa bàn", "", "Ngày thành lập", "Số thành viên", "Ghi chú"}
		sub = []string{"", "", "", "Xã", "Huyện", "", "", ""}
	}
	s := newRep("Báo cáo", len(top))
	// Title block.
	if rng.IntN(3) > 0 {
		s.pair("CÔNG AN TỈNH TUYÊN QUANG", motto)
	}
	if rng.IntN(2) == 0 {
		s.line("DANH SÁCH ĐIỂM MÔ HÌNH NĂM 2024")
	}
	if rng.IntN(2) == 0 {
		s.line("(Số liệu tính từ ngày 15/12/2023 đến ngày 14/12/2024)")
	}
	if rng.IntN(2) == 0 {
		s.blank(expNone)
	}
	s.header(top, sub)
	if rng.IntN(2) == 0 {
		s.numbers(rng.IntN(3))
	}
	want := map[string]analytics.Site{}
	k := 0
	for si := range 1 + rng.IntN(4) {
		d := districts[rng.IntN(len(districts))]
		bySection := rng.IntN(2) == 0
		switch rng.IntN(4) {
		case 0:
			s.section([]string{"I", "II", "III", "IV"}[si], strings.ToUpper(d), true)
		case 1:
			s.section([]string{"A", "B", "C", "D"}[si], d, false)
		case 2:
			s.section(fmt.Sprint(si+1), "Khối "+[]string{"cơ quan, doanh nghiệp", "xã, thị trấn", "nhà trường", "dân cư"}[si], false)
			bySection = false
		default:
			bySection = false
		}
		for i := range 1 + rng.IntN(8) {
			u := pick(rng, pool[d])
			k++
			day := dayIn(rng, time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC))
			members := rng.IntN(3000)
			name := fmt.Sprintf("Điểm số %d %s", k, pick(rng, places))
			district := any(u.district)
			if bySection && rng.IntN(3) > 0 {
				district = nil // the section names it
			}
			mem := any(members)
			if rng.IntN(2) == 0 {
				mem = vnInt(members)
			}
			note := any(nil)
			if rng.IntN(5) == 0 {
				note = "Điển hình"
			}
			row := s.add([]any{i + 1, name, pick(rng, modelTypes), u.commune, district, typedDate(rng, day, true), mem, note},
				expRow{What: expRecord, Commune: string(u.code)})
			want[strconv.Itoa(row)] = analytics.Site{Name: name, Opened: day, Members: uint32(members), Located: analytics.Located{Commune: u.code}}
			if rng.IntN(12) == 0 {
				s.note("Ghi chú: " + pick(rng, places) + " mới thành lập")
			}
			if rng.IntN(15) == 0 {
				s.header(top, nil)
				s.exp[len(s.exp)-1] = expRow{What: expSkip}
			}
		}
		if rng.IntN(2) == 0 {
			s.total([]string{"Cộng", "Cộng " + d, "Tổng"}[rng.IntN(3)], 6, rng.IntN(5000))
		}
	}
	if rng.IntN(2) == 0 {
		s.total("TỔNG CỘNG", 6, rng.IntN(9000))
	}
	if rng.IntN(2) == 0 {
		s.note("Ghi chú: số liệu do Công an các xã báo cáo.")
	}
	if rng.IntN(3) > 0 {
		s.footer("Tuyên Quang", time.Date(2024, 12, 20, 0, 0, 0, 0, time.UTC), pick(rng, people), pick(rng, people))
	}
	return s, want
}

// runParsed runs a file through the job up to the batch, without a writer.
func runParsed(t testing.TB, j *Job, path string) *fileRun {
	t.Helper()
	r, opt, err := j.newFileRun(t.Context(), path, newSummary(), map[analytics.ProvinceCode]bool{})
	if err != nil {
		t.Fatal(err)
	}
	if r.fs.Err == nil {
		err = sheet.ReadFile(t.Context(), path, opt, r.row)
	}
	if _, err := r.finish(err); err != nil {
		t.Fatal(err)
	}
	if r.fs.Err != nil {
		t.Fatal(r.fs.Err)
	}
	return r
}
