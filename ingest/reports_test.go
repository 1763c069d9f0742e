package ingest

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune"
	"github.com/antq-atlas/antq/analytics/commune/placename"
	"github.com/antq-atlas/antq/ingest/layout"
	"github.com/antq-atlas/antq/ingest/sheet"
)

// The report fixtures under testdata/reports/ are written by these
// generators (go test -run TestReportFixtures -update), each beside its
// .expect.json: what every row must become. They take the shapes real
// police reports take: title blocks, headers over two rows with merged
// groups, column-number rows, sections naming districts and communes,
// subtotals, notes, signature blocks, dates and numbers as typed, old
// communes before 1 July 2025 and new ones after.

const motto = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"

var (
	d2022 = time.Date(2022, 1, 10, 0, 0, 0, 0, time.UTC)
	d2024 = time.Date(2024, 12, 14, 0, 0, 0, 0, time.UTC)
	dJul  = time.Date(2025, 7, 2, 0, 0, 0, 0, time.UTC)
	dNov  = time.Date(2025, 11, 15, 0, 0, 0, 0, time.UTC)
)

type reportGen func(set *commune.Set, res analytics.Resolver, path string) (expectation, error)

var reportFixtures = map[string]reportGen{
	"diem_mo_hinh_huyen_doan_hung.xlsx":  genDoanHung,
	"diem_mo_hinh_tinh_tuyen_quang.xlsx": genTuyenQuangByDistrict,
	"mo_hinh_ha_giang_2022.xlsx":         genHaGiangModels,
	"xep_loai_diem_2024.xlsx":            genGrades,
	"vu_viec_quy_3_2025.csv":             genIncidentsQ3,
	"vu_viec_2024_huyen_son_duong.xlsx":  genIncidentsSonDuong,
	"diem_mo_hinh_xa_hung_loi.csv":       genCommuneSites,
	"mo_hinh_sau_sap_nhap_phu_tho.xlsx":  genPhuThoModels,
	"vu_viec_danh_dau_ket_qua.xlsx":      genMarkedOutcomes,
}

// genDoanHung is the report of the issue: a district's list of sites, the
// district under a merged "Địa bàn" group, often left blank.
func genDoanHung(set *commune.Set, res analytics.Resolver, path string) (expectation, error) {
	rng := rand.New(rand.NewPCG(1, 1))
	units := oldUnits(set, res, "Huyện Đoan Hùng")
	s := newRep("Danh sách", 9)
	s.pair("CÔNG AN TỈNH PHÚ THỌ", motto)
	s.pair("CÔNG AN HUYỆN ĐOAN HÙNG", "Độc lập - Tự do - Hạnh phúc")
	s.blank(expNone)
	s.line("DANH SÁCH ĐIỂM MÔ HÌNH PHONG TRÀO TOÀN DÂN BẢO VỆ AN NINH TỔ QUỐC")
	s.line("(Tính đến ngày 30/6/2024)")
	s.header([]string{"STT", "Tên điểm", "Loại mô hình", "Địa bàn", "", "Ngày thành lập", "Số tổ", "Số thành viên", "Ghi chú"},
		[]string{"", "", "", "Xã", "Huyện", "", "", "", ""})
	s.numbers(0)
	n := 0
	for g, group := range []string{"Khối xã, thị trấn", "Khối cơ quan, doanh nghiệp, nhà trường"} {
		s.section([]string{"I", "II"}[g], group, false)
		teams := 0
		for range 12 + g*4 {
			u := pick(rng, units)
			n++
			t := 1 + rng.IntN(5)
			teams += t
			district := any(nil)
			if rng.IntN(2) == 0 {
				district = "Đoan Hùng"
			}
			s.record([]any{n, "Tổ tự quản " + pick(rng, places), pick(rng, modelTypes), u.commune, district,
				typedDate(rng, dayIn(rng, d2022, time.Date(2024, 6, 30, 0, 0, 0, 0, time.UTC)), true), t, fmt.Sprintf("%d", 10+rng.IntN(90)), nil}, string(u.code))
		}
		s.total("Cộng", 6, teams)
	}
	s.total("Tổng cộng", 6, 99)
	s.note("Ghi chú: số liệu do Công an các xã, thị trấn báo cáo.")
	s.footer("Đoan Hùng", time.Date(2024, 7, 5, 0, 0, 0, 0, time.UTC), pick(rng, people), "Thượng tá Vũ Đức Thắng")
	var e expectation
	e.addSheet(s.name, s)
	return e, writeXLSX(path, s)
}

// genTuyenQuangByDistrict is a provincial report: one section per old
// district (numbered, merged across), no district column, subtotals per
// district, the window line, numbers "1 2 3".
func genTuyenQuangByDistrict(set *commune.Set, res analytics.Resolver, path string) (expectation, error) {
	rng := rand.New(rand.NewPCG(2, 2))
	s := newRep("Tổng hợp", 6)
	s.pair("CÔNG AN TỈNH TUYÊN QUANG", motto)
	s.line("BÁO CÁO TỔNG HỢP ĐIỂM MÔ HÌNH NĂM 2023")
	s.line("(Số liệu tính từ ngày 15/12/2022 đến ngày 14/12/2023)")
	s.blank(expNone)
	s.header([]string{"STT", "Tên điểm mô hình", "Tên mô hình", "Xã, phường, thị trấn", "Ngày ra mắt", "Số thành viên"}, nil)
	s.numbers(1)
	for i, d := range []string{"Huyện Yên Sơn", "Huyện Hàm Yên", "Thành phố Tuyên Quang", "Huyện Chiêm Hóa"} {
		units := oldUnits(set, res, d)
		s.section([]string{"I", "II", "III", "IV"}[i], strings.ToUpper(d), true)
		members := 0
		for k := range 8 {
			u := pick(rng, units)
			m := 20 + rng.IntN(2000)
			members += m
			mem := any(m)
			if k%3 == 0 {
				mem = vnInt(m) // "1.250"
			}
			s.record([]any{k + 1, "Điểm " + pick(rng, places), pick(rng, modelTypes), u.commune,
				typedDate(rng, dayIn(rng, time.Date(2022, 12, 15, 0, 0, 0, 0, time.UTC), time.Date(2023, 12, 14, 0, 0, 0, 0, time.UTC)), true), mem}, string(u.code))
		}
		s.total("Cộng "+d, 5, members)
	}
	s.total("TỔNG CỘNG", 5, 12345)
	s.footer("Tuyên Quang", time.Date(2023, 12, 20, 0, 0, 0, 0, time.UTC), "Trần Thị Bình", "Đại tá Nguyễn Văn Hùng")
	var e expectation
	e.addSheet(s.name, s)
	return e, writeXLSX(path, s)
}

// genHaGiangModels is an old province's list of models with a
// three-level-looking header (groups "Địa bàn", "Thời gian" and "Khen
// thưởng"), letters as column numbers, sections by letter and district.
func genHaGiangModels(set *commune.Set, res analytics.Resolver, path string) (expectation, error) {
	rng := rand.New(rand.NewPCG(3, 3))
	s := newRep("Mô hình 2022", 12)
	s.pair("CÔNG AN TỈNH HÀ GIANG", motto)
	s.pair("PHÒNG THAM MƯU", "Độc lập - Tự do - Hạnh phúc")
	s.line("DANH SÁCH MÔ HÌNH, ĐIỂN HÌNH TIÊN TIẾN TRONG PHONG TRÀO TOÀN DÂN BVANTQ NĂM 2022")
	s.header([]string{"STT", "Tên mô hình", "Loại mô hình", "Lĩnh vực", "Đơn vị chủ trì", "Địa bàn", "", "Thời gian", "", "Khen thưởng", "", "Ghi chú"},
		[]string{"", "", "", "", "", "Xã/Phường", "Huyện/Thành phố", "Thành lập", "Công nhận", "Điển hình tiên tiến", "Tiêu biểu toàn quốc", ""})
	s.numbers(2)
	sectors := []string{"KDC", "Khu dân cư", "Cơ quan, doanh nghiệp", "Nhà trường", "xã, phường"}
	for i, d := range []string{"Huyện Vị Xuyên", "Huyện Bắc Quang", "Thành phố Hà Giang"} {
		units := oldUnits(set, res, d)
		s.section([]string{"A", "B", "C"}[i], d, false)
		for k := range 7 {
			u := pick(rng, units)
			day := dayIn(rng, d2022, time.Date(2022, 12, 14, 0, 0, 0, 0, time.UTC))
			founded := typedDate(rng, day, true)
			if k == 3 {
				founded = fmt.Sprintf("tháng %d/%d", day.Month(), day.Year()) // month only
			}
			district := any(nil)
			if k%2 == 0 {
				district = d
			}
			adv := []any{nil, "x", "X", "✓", "có"}[rng.IntN(5)]
			s.record([]any{k + 1, pick(rng, modelTypes) + " " + pick(rng, places), pick(rng, modelTypes), pick(rng, sectors),
				"Công an " + u.commune, u.commune, district, founded, nil, adv, nil, nil}, string(u.code))
		}
	}
	s.total("Tổng số", 2, 21)
	s.footer("Hà Giang", time.Date(2022, 12, 20, 0, 0, 0, 0, time.UTC), "Lê Văn Cường", "TRƯỞNG PHÒNG")
	var e expectation
	e.addSheet(s.name, s)
	return e, writeXLSX(path, s)
}

// genGrades is a provincial grading with sections per district, an
// unknown grade and an exact duplicate.
func genGrades(set *commune.Set, res analytics.Resolver, path string) (expectation, error) {
	rng := rand.New(rand.NewPCG(4, 4))
	s := newRep("Xếp loại", 8)
	s.pair("CÔNG AN TỈNH PHÚ THỌ", motto)
	s.line("KẾT QUẢ XẾP LOẠI ĐIỂM MÔ HÌNH NĂM 2024")
	s.line("Số liệu tính từ ngày 15/12/2023 đến ngày 14/12/2024")
	s.header([]string{"STT", "Mã điểm", "Tên điểm", "Xã", "Huyện", "Năm", "Xếp loại", "Ghi chú"}, nil)
	s.numbers(0)
	id := 0
	var last []any
	for i, d := range []string{"Huyện Thanh Sơn", "Huyện Tân Sơn", "Huyện Cẩm Khê"} {
		units := oldUnits(set, res, d)
		s.section(fmt.Sprint(i+1)+".", "Huyện "+strings.TrimPrefix(d, "Huyện "), false)
		for k := range 9 {
			u := pick(rng, units)
			id++
			row := []any{k + 1, fmt.Sprintf("PT-%04d", id), "Điểm " + pick(rng, places), u.commune, nil, 2024, pick(rng, grades), nil}
			s.record(row, string(u.code))
			last = row
		}
	}
	s.add([]any{99, "PT-9999", "Điểm thôn Mới", last[3], nil, 2024, "Xuất sắc", nil}, expRow{What: expReject})
	s.add(last, expRow{What: expDup})
	s.footer("Việt Trì", time.Date(2024, 12, 20, 0, 0, 0, 0, time.UTC), "Hoàng Thị Dung", "Đại tá Trần Văn Bình")
	var e expectation
	e.addSheet(s.name, s)
	return e, writeXLSX(path, s)
}

// genIncidentsQ3 is a CSV exported from a workbook (semicolons, BOM, merged
// cells in their first cell only) of incidents after the merger, with
// commune sections and the commune column left blank under them.
func genIncidentsQ3(set *commune.Set, res analytics.Resolver, path string) (expectation, error) {
	rng := rand.New(rand.NewPCG(5, 5))
	units := newUnits(set, res, "08")
	s := newRep("", 8)
	s.pair("CÔNG AN TỈNH TUYÊN QUANG", motto)
	s.line("BÁO CÁO KẾT QUẢ TIẾP NHẬN, GIẢI QUYẾT VỤ VIỆC QUÝ III NĂM 2025")
	s.line("(Số liệu tính từ ngày 01/7/2025 đến ngày 30/9/2025)")
	s.header([]string{"STT", "Mã vụ việc", "Lĩnh vực", "Thời gian", "", "Kết quả giải quyết", "Xã/Phường", "Ghi chú"},
		[]string{"", "", "", "Tiếp nhận", "Giải quyết xong", "", "", ""})
	s.numbers(1)
	id := 0
	for i, u := range sample(rng, units, 5) {
		s.section(fmt.Sprint(i+1), u.commune, false)
		for k := range 6 {
			id++
			recv := dayIn(rng, dJul, time.Date(2025, 9, 20, 0, 0, 0, 0, time.UTC))
			closed, outcome := any(nil), any("Đang xác minh")
			if k%4 != 3 {
				closed, outcome = typedDate(rng, recv.AddDate(0, 0, rng.IntN(10)), false), pick(rng, outcomes)
			}
			where := any(nil)
			if k%3 == 0 {
				where = u.commune
			}
			s.record([]any{k + 1, fmt.Sprintf("TQ-Q3-%03d", id), pick(rng, categories), typedDate(rng, recv, false), closed, outcome, where, nil}, string(u.code))
		}
		s.total("Cộng", 1, 6)
	}
	s.total("Tổng số: 30 vụ việc", 1, 30)
	s.footer("Tuyên Quang", time.Date(2025, 10, 5, 0, 0, 0, 0, time.UTC), "Nguyễn Văn An", "KT. GIÁM ĐỐC")
	var e expectation
	e.addSheet("", s)
	return e, writeCSV(path, s, ';', true)
}

// genIncidentsSonDuong is a district's incidents before the merger: the
// district from the title block, the commune from numbered sections.
func genIncidentsSonDuong(set *commune.Set, res analytics.Resolver, path string) (expectation, error) {
	rng := rand.New(rand.NewPCG(6, 6))
	units := oldUnits(set, res, "Huyện Sơn Dương")
	s := newRep("Vụ việc 2024", 9)
	s.pair("CÔNG AN TỈNH TUYÊN QUANG", motto)
	s.pair("CÔNG AN HUYỆN SƠN DƯƠNG", "Độc lập - Tự do - Hạnh phúc")
	s.line("THỐNG KÊ VỤ VIỆC DO CÁC MÔ HÌNH TIẾP NHẬN, GIẢI QUYẾT NĂM 2024")
	s.line("Tính đến ngày 14/12/2024")
	s.header([]string{"STT", "Ngày tiếp nhận", "Lĩnh vực", "Kết quả giải quyết", "", "Tin báo", "", "Địa bàn", "Ghi chú"},
		[]string{"", "", "", "Kết quả", "Ngày giải quyết", "Tin báo", "Có giá trị", "", ""})
	s.numbers(0)
	for i, u := range sample(rng, units, 4) {
		s.section("", fmt.Sprintf("%d. %s", i+1, u.commune), true)
		for k := range 7 {
			recv := dayIn(rng, time.Date(2023, 12, 15, 0, 0, 0, 0, time.UTC), time.Date(2024, 12, 1, 0, 0, 0, 0, time.UTC))
			tip, useful := any(nil), any(nil)
			if k == 2 {
				tip = "x"
			}
			if k == 5 {
				tip, useful = "✓", "x"
			}
			s.record([]any{k + 1, typedDate(rng, recv, true), pick(rng, categories), pick(rng, outcomes),
				typedDate(rng, recv.AddDate(0, 0, 1+rng.IntN(5)), true), tip, useful, nil, nil}, string(u.code))
		}
		s.total(fmt.Sprintf("Cộng %s", u.commune), 1, 7)
	}
	s.note("Ghi chú: các vụ việc chuyển cơ quan chức năng đã được theo dõi.")
	s.footer("Sơn Dương", time.Date(2024, 12, 16, 0, 0, 0, 0, time.UTC), "Đại úy Phạm Văn Hùng", "Thượng tá Lý Văn Minh")
	var e expectation
	e.addSheet(s.name, s)
	return e, writeXLSX(path, s)
}

// genCommuneSites is a commune's own list of sites after the merger: no
// commune column at all, the commune from the issuing unit.
func genCommuneSites(set *commune.Set, res analytics.Resolver, path string) (expectation, error) {
	rng := rand.New(rand.NewPCG(7, 7))
	var u unit
	for _, x := range newUnits(set, res, "08") {
		if x.commune == "Xã Hùng Lợi" {
			u = x
		}
	}
	if u.code == "" {
		return expectation{}, fmt.Errorf("Xã Hùng Lợi not found")
	}
	s := newRep("", 6)
	s.pair("CÔNG AN TỈNH TUYÊN QUANG", motto)
	s.pair("CÔNG AN XÃ HÙNG LỢI", "Độc lập - Tự do - Hạnh phúc")
	s.line("DANH SÁCH ĐIỂM MÔ HÌNH TRÊN ĐỊA BÀN XÃ")
	s.blank(expNone)
	s.header([]string{"STT", "Tên điểm", "Loại mô hình", "Ngày thành lập", "Số tổ", "Số thành viên"}, nil)
	for k := range 14 {
		s.record([]any{k + 1, "Tổ tự quản " + pick(rng, places), pick(rng, modelTypes), typedDate(rng, dayIn(rng, dJul, dNov), false), 1 + rng.IntN(4), fmt.Sprintf("%d", 8+rng.IntN(40))}, string(u.code))
	}
	s.total("Tổng cộng", 4, 30)
	s.footer("Hùng Lợi", time.Date(2025, 11, 16, 0, 0, 0, 0, time.UTC), "Nguyễn Văn An", "TRƯỞNG CÔNG AN XÃ")
	var e expectation
	e.addSheet("", s)
	return e, writeCSV(path, s, ',', false)
}

// genPhuThoModels is the new Phú Thọ's models after the merger in two
// sheets, a header repeated mid-sheet (pages pasted together) and notes.
func genPhuThoModels(set *commune.Set, res analytics.Resolver, path string) (expectation, error) {
	rng := rand.New(rand.NewPCG(8, 8))
	units := newUnits(set, res, "25")
	var e expectation
	var sheets []*rep
	top := []string{"STT", "Tên mô hình", "Loại mô hình", "Xã, phường", "Ngày thành lập", "Công nhận", "", "Ghi chú"}
	sub := []string{"", "", "", "", "", "Điển hình tiên tiến", "Tiêu biểu toàn quốc", ""}
	for i, name := range []string{"Khu vực 1", "Khu vực 2"} {
		s := newRep(name, 8)
		s.pair("CÔNG AN TỈNH PHÚ THỌ", motto)
		s.line("DANH SÁCH MÔ HÌNH SAU SẮP XẾP ĐƠN VỊ HÀNH CHÍNH")
		s.line("Tính đến ngày 15/11/2025")
		s.header(top, sub)
		for k := range 20 {
			if k == 10 {
				s.header(top, nil) // the header again, pasted from the next page
				s.exp[len(s.exp)-1] = expRow{What: expSkip}
			}
			u := pick(rng, units)
			s.record([]any{k + 1, pick(rng, modelTypes) + " " + pick(rng, places), pick(rng, modelTypes), u.commune,
				typedDate(rng, dayIn(rng, dJul, dNov), true), []any{nil, "x"}[rng.IntN(2)], nil, nil}, string(u.code))
		}
		s.note("Lưu ý: số liệu khu vực " + fmt.Sprint(i+1) + " chưa gồm các mô hình cấp tỉnh.")
		e.addSheet(name, s)
		sheets = append(sheets, s)
	}
	return e, writeXLSX(path, sheets...)
}

// genMarkedOutcomes is an incident log after the merger whose outcome is a
// mark in one of several columns under "Kết quả giải quyết", with month
// sections and a row marked twice.
func genMarkedOutcomes(set *commune.Set, res analytics.Resolver, path string) (expectation, error) {
	rng := rand.New(rand.NewPCG(9, 9))
	units := newUnits(set, res, "25")
	s := newRep("Sổ theo dõi", 11)
	s.pair("CÔNG AN TỈNH PHÚ THỌ", motto)
	s.line("SỔ THEO DÕI VỤ VIỆC DO MÔ HÌNH TIẾP NHẬN, GIẢI QUYẾT")
	s.line("(Từ ngày 01/7/2025 đến ngày 15/11/2025)")
	s.header([]string{"STT", "Ngày tiếp nhận", "Nội dung", "Lĩnh vực", "Kết quả giải quyết", "", "", "", "Ngày kết thúc", "Xã/Phường", "Ghi chú"},
		[]string{"", "", "", "", "Hòa giải thành", "Giải quyết tại cơ sở", "Chuyển cơ quan chức năng", "Đang giải quyết", "", "", ""})
	s.numbers(0)
	marks := []any{"x", "X", "✓", 1}
	for m := 7; m <= 10; m++ {
		s.section("", fmt.Sprintf("Tháng %d năm 2025", m), true)
		for k := range 6 {
			u := pick(rng, units)
			recv := time.Date(2025, time.Month(m), 1+rng.IntN(25), 0, 0, 0, 0, time.UTC)
			row := []any{k + 1, typedDate(rng, recv, true), "Tranh chấp " + pick(rng, places), pick(rng, categories), nil, nil, nil, nil, nil, u.commune, nil}
			o := rng.IntN(4)
			row[4+o] = pick(rng, marks)
			if o != 3 {
				row[8] = typedDate(rng, recv.AddDate(0, 0, 1+rng.IntN(4)), true)
			}
			s.record(row, string(u.code))
		}
		s.total(fmt.Sprintf("Cộng tháng %d", m), 1, 6)
	}
	u := pick(rng, units)
	s.add([]any{99, "03/11/2025", "Hai kết quả", "Mâu thuẫn", "x", nil, "x", nil, "05/11/2025", u.commune, nil}, expRow{What: expReject})
	s.footer("Phú Thọ", time.Date(2025, 11, 16, 0, 0, 0, 0, time.UTC), "Trần Thị Bình", "Thượng tá Vũ Đức Thắng")
	var e expectation
	e.addSheet(s.name, s)
	return e, writeXLSX(path, s)
}

// reportResult is what the ingest made of a report fixture.
type reportResult struct {
	Counts  Counts
	Records map[string]analytics.CommuneCode // "sheet!row" of each loaded record
	Skips   []Skip
	Rejects map[string]string // "sheet!row" -> reason
	Tables  []Table
}

// runReport runs a file through the job up to the batch, with the real
// resolver and no writer.
func runReport(t testing.TB, path string, res analytics.Resolver, jobCtx layout.Context) reportResult {
	t.Helper()
	j := &Job{Resolver: res, Now: func() time.Time { return testNow }, BatchSize: 1 << 30, Context: jobCtx}
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
	if fs.Err != nil {
		t.Fatalf("%s: %v", path, fs.Err)
	}
	out := reportResult{Counts: fs.Counts, Records: map[string]analytics.CommuneCode{}, Skips: fs.Skips, Rejects: map[string]string{}, Tables: fs.Tables}
	add := func(src analytics.Source, c analytics.CommuneCode) {
		out.Records[src.Sheet+"!"+strconv.Itoa(src.Row)] = c
	}
	for _, x := range r.batch.Models {
		add(x.Source, x.Commune)
	}
	for _, x := range r.batch.Sites {
		add(x.Source, x.Commune)
	}
	for _, x := range r.batch.Grades {
		add(x.Source, x.Commune)
	}
	for _, x := range r.batch.Incidents {
		add(x.Source, x.Commune)
	}
	// Without a writer the records stay in the pending batch: they are
	// the rows that would load.
	out.Counts.Loaded = len(out.Records)
	if fs.Rejects != "" {
		b, err := os.ReadFile(fs.Rejects)
		if err != nil {
			t.Fatal(err)
		}
		for _, rec := range csvReader(strings.TrimPrefix(string(b), sheet.BOM)) {
			if rec[0] != "file" && rec[0] != "tệp" {
				out.Rejects[rec[1]+"!"+rec[2]] = rec[4]
			}
		}
	}
	return out
}

// checkReport compares what the ingest made of a report with what each
// row was meant to be: every record loaded to its 2025 commune, every
// other row skipped, the deliberate errors rejected.
func checkReport(t *testing.T, got reportResult, want expectation) {
	t.Helper()
	if got.Counts != want.Counts {
		t.Errorf("counts %+v, want %+v", got.Counts, want.Counts)
	}
	records, right := 0, 0
	for at, e := range want.Rows {
		switch e.What {
		case expRecord:
			records++
			c, ok := got.Records[at]
			switch {
			case !ok && got.Rejects[at] != "":
				t.Errorf("record %s rejected: %s", at, got.Rejects[at])
			case !ok:
				t.Errorf("record %s not loaded", at)
			case string(c) != e.Commune:
				t.Errorf("record %s loaded to %s, want %s", at, c, e.Commune)
			default:
				right++
			}
		case expReject:
			if _, ok := got.Rejects[at]; !ok {
				t.Errorf("row %s not rejected", at)
			}
		}
	}
	for at := range got.Records {
		if w := want.Rows[at]; w.What != expRecord {
			t.Errorf("row %s (%q) loaded", at, w.What)
		}
	}
	for at, reason := range got.Rejects {
		if w := want.Rows[at]; w.What != expReject {
			t.Errorf("row %s (%q) rejected: %s", at, w.What, reason)
		}
	}
	for _, k := range got.Skips {
		at := k.Sheet + "!" + strconv.Itoa(k.Row)
		if w := want.Rows[at]; w.What != expSkip {
			t.Errorf("row %s (%q, %q) skipped as %s", at, w.What, k.Text, k.Reason)
		}
	}
	if records > 0 && float64(right) < 0.99*float64(records) {
		t.Errorf("%d of %d records loaded to the right commune (%.1f%%), want ≥ 99%%", right, records, 100*float64(right)/float64(records))
	}
}

func TestReportFixtures(t *testing.T) {
	set := refData(t)
	res := commune.NewResolver(set)
	dir := filepath.Join("testdata", "reports")
	names := make([]string, 0, len(reportFixtures))
	for name := range reportFixtures {
		names = append(names, name)
	}
	if len(names) < 8 {
		t.Fatalf("%d report fixtures, want at least 8", len(names))
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name)
			expPath := path + ".expect.json"
			if *update {
				if err := os.MkdirAll(dir, 0o755); err != nil {
					t.Fatal(err)
				}
				e, err := reportFixtures[name](set, res, path)
				if err != nil {
					t.Fatal(err)
				}
				b, _ := json.MarshalIndent(e, "", "  ")
				if err := os.WriteFile(expPath, b, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			var want expectation
			b, err := os.ReadFile(expPath)
			if err != nil {
				t.Fatalf("read expectation (go test -run TestReportFixtures -update writes it): %v", err)
			}
			if err := json.Unmarshal(b, &want); err != nil {
				t.Fatal(err)
			}
			tmp := filepath.Join(t.TempDir(), name)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(tmp, data, 0o644); err != nil {
				t.Fatal(err)
			}
			checkReport(t, runReport(t, tmp, res, layout.Context{}), want)
		})
	}
}

// TestReportContext: the title block's issuing units and window line are
// the tables' context; the place given to the job wins over them; and the
// context is what resolves the communes that are ambiguous nationwide.
func TestReportContext(t *testing.T) {
	set := refData(t)
	res := commune.NewResolver(set)
	day := func(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		file string
		want layout.Context
	}{
		{"diem_mo_hinh_huyen_doan_hung.xlsx", layout.Context{Province: "TỈNH PHÚ THỌ", District: "HUYỆN ĐOAN HÙNG", Issuer: "CÔNG AN HUYỆN ĐOAN HÙNG",
			Title: "DANH SÁCH ĐIỂM MÔ HÌNH PHONG TRÀO TOÀN DÂN BẢO VỆ AN NINH TỔ QUỐC", AsOf: day(2024, 6, 30)}},
		{"xep_loai_diem_2024.xlsx", layout.Context{Province: "TỈNH PHÚ THỌ", Issuer: "CÔNG AN TỈNH PHÚ THỌ", Title: "KẾT QUẢ XẾP LOẠI ĐIỂM MÔ HÌNH NĂM 2024",
			From: day(2023, 12, 15), To: day(2024, 12, 14), AsOf: day(2024, 12, 14), Year: 2024}},
		{"diem_mo_hinh_xa_hung_loi.csv", layout.Context{Province: "TỈNH TUYÊN QUANG", Commune: "XÃ HÙNG LỢI", Issuer: "CÔNG AN XÃ HÙNG LỢI",
			Title: "DANH SÁCH ĐIỂM MÔ HÌNH TRÊN ĐỊA BÀN XÃ"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got := runReport(t, copyReport(t, tt.file), res, layout.Context{})
			if len(got.Tables) != 1 {
				t.Fatalf("%d tables", len(got.Tables))
			}
			if got.Tables[0].Context != tt.want {
				t.Errorf("context\n got %+v\nwant %+v", got.Tables[0].Context, tt.want)
			}
		})
	}

	// The job's place wins: the same commune report said to be of Phú Thọ
	// finds no Hùng Lợi there and rejects every record with the reason.
	got := runReport(t, copyReport(t, "diem_mo_hinh_xa_hung_loi.csv"), res, layout.Context{Province: "Phú Thọ"})
	if got.Counts.Loaded != 0 || got.Counts.Rejected != 14 {
		t.Errorf("with --province Phú Thọ: %+v", got.Counts)
	}
	for at, reason := range got.Rejects {
		if !strings.HasPrefix(placename.Fold(reason), "khong tim thay xa xa hung loi") {
			t.Errorf("row %s: reason %q does not name the commune", at, reason)
		}
	}

	// The fixture needs its context: some of its communes are ambiguous
	// without their province and district.
	var e expectation
	b, err := os.ReadFile(filepath.Join("testdata", "reports", "diem_mo_hinh_huyen_doan_hung.xlsx.expect.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &e); err != nil {
		t.Fatal(err)
	}
	ambiguous := 0
	for _, u := range oldUnits(set, res, "Huyện Đoan Hùng") {
		if _, err := res.Resolve(analytics.Place{Commune: u.commune, Date: day(2024, 1, 1)}); err != nil {
			ambiguous++
		}
	}
	if ambiguous == 0 {
		t.Error("no commune of Đoan Hùng needs the context: the fixture does not test it")
	}
}

func copyReport(t testing.TB, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "reports", name))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestPreview: a dry run tells the header rows, each column's mapping, the
// context, the first records as they would be stored and the counts, and
// writes nothing.
func TestPreview(t *testing.T) {
	set := refData(t)
	res := commune.NewResolver(set)
	path := copyReport(t, "xep_loai_diem_2024.xlsx")
	j := &Job{Resolver: res, Now: func() time.Time { return testNow }}
	p, err := j.Preview(t.Context(), path)
	if err != nil {
		t.Fatal(err)
	}
	var want expectation
	b, _ := os.ReadFile(filepath.Join("testdata", "reports", "xep_loai_diem_2024.xlsx.expect.json"))
	if err := json.Unmarshal(b, &want); err != nil {
		t.Fatal(err)
	}
	if p.Counts != want.Counts {
		t.Errorf("counts %+v, want %+v", p.Counts, want.Counts)
	}
	if len(p.Files) != 1 || len(p.Files[0].Tables) != 1 {
		t.Fatalf("%+v", p.Files)
	}
	tb := p.Files[0].Tables[0]
	if tb.Kind != analytics.KindGrades || fmt.Sprint(tb.HeaderRows) != "[4]" || tb.Context.Province != "TỈNH PHÚ THỌ" {
		t.Errorf("table %s %v %+v", tb.Kind, tb.HeaderRows, tb.Context)
	}
	if tb.Columns[0].Field != "" || tb.Columns[6].Field != "Xếp loại" || tb.Columns[3].Field != "Xã/Phường" {
		t.Errorf("columns %+v", tb.Columns)
	}
	if len(tb.Records) != PreviewRows || len(tb.Rejects) != 1 || len(tb.Skips) != PreviewRows {
		t.Errorf("%d records, %d rejects, %d skips shown", len(tb.Records), len(tb.Rejects), len(tb.Skips))
	}
	for _, r := range tb.Records {
		if w := want.Rows["Xếp loại!"+strconv.Itoa(r.Row)]; w.Commune != string(r.Commune) || r.CommuneName == "" {
			t.Errorf("row %d previewed at %s %q, want %s", r.Row, r.Commune, r.CommuneName, w.Commune)
		}
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("the dry run wrote files: %v", entries)
	}
	var text strings.Builder
	if err := p.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	golden(t, filepath.Join("reports", "xep_loai_diem_2024.xlsx.preview.golden.txt"), []byte(text.String()))
}

// TestGradesYearFromTitle: a grading without a year column takes the year
// its title names, else the police year of its window line.
func TestGradesYearFromTitle(t *testing.T) {
	set := refData(t)
	res := commune.NewResolver(set)
	units := oldUnits(set, res, "Huyện Thanh Sơn")
	for _, tt := range []struct {
		title, window string
		want          uint16
	}{
		{"KẾT QUẢ XẾP LOẠI ĐIỂM MÔ HÌNH NĂM 2023", "", 2023},
		{"KẾT QUẢ XẾP LOẠI ĐIỂM MÔ HÌNH", "(Số liệu tính từ ngày 15/12/2023 đến ngày 14/12/2024)", 2024},
	} {
		s := newRep("Xếp loại", 6)
		s.pair("CÔNG AN TỈNH PHÚ THỌ", motto)
		s.line(tt.title)
		if tt.window != "" {
			s.line(tt.window)
		}
		s.header([]string{"STT", "Tên điểm", "Xã", "Huyện", "Xếp loại", "Ghi chú"}, nil)
		for i, u := range units[:4] {
			s.record([]any{i + 1, "Điểm " + places[i], u.commune, "Thanh Sơn", grades[i], nil}, string(u.code))
		}
		path := filepath.Join(t.TempDir(), "g.xlsx")
		if err := writeXLSX(path, s); err != nil {
			t.Fatal(err)
		}
		r := runParsed(t, &Job{Resolver: res, Now: func() time.Time { return testNow }, BatchSize: 1 << 30}, path)
		if len(r.batch.Grades) != 4 || r.fs.Rejected != 0 {
			t.Fatalf("%q: %d grades, %+v; tables %+v; %d sites", tt.title, len(r.batch.Grades), r.fs.Counts, r.fs.Tables, len(r.batch.Sites))
		}
		for _, g := range r.batch.Grades {
			if g.Year != tt.want {
				t.Errorf("%q: year %d, want %d", tt.title, g.Year, tt.want)
			}
		}
	}
}
