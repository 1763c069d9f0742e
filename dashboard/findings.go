package dashboard

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/dashboard/chart"
	"github.com/antq-atlas/antq/dashboard/figures"
	"github.com/antq-atlas/antq/internal/pptx"

	"github.com/xuri/excelize/v2"
)

// /api/v1/findings: the sentences a leader reads first (analytics.Findings),
// with the figures behind each. This file only gathers the inputs through
// the metric tables and the Reader; what counts as a finding is decided in
// analytics/findings.go.

// findingRates are the rates compared between periods and tested for
// outliers; findingCounts the counts compared.
var (
	findingRates  = []analytics.MetricID{"resolution_rate", "mediation_rate", "share_good", "useful_tip_share"}
	findingCounts = []analytics.MetricID{"incidents"}
)

// findingsNotAvailable says which inputs of the findings the store cannot
// give yet, so their absence is not read as "nothing to report".
var findingsNotAvailable = []string{
	"grades per model (sites of exemplary and advanced models graded Yếu) / xếp loại theo mô hình",
	"rows rejected in the last loads (the store keeps no load summaries) / số dòng bị loại trong các lần nạp",
	"former communes of whole districts silent since the merger / xã cũ theo huyện",
	"reporting gaps of models (incidents are not kept per model) / thiếu báo cáo theo mô hình",
}

type findingPlaceJSON struct {
	Code analytics.CommuneCode `json:"code"`
	Name string                `json:"name"`
}

type findingModelJSON struct {
	Key          string                `json:"key"`
	Name         string                `json:"name"`
	Commune      analytics.CommuneCode `json:"commune"`
	CommuneName  string                `json:"commune_name"`
	Advanced     bool                  `json:"advanced"`
	Exemplary    bool                  `json:"exemplary"`
	Retired      bool                  `json:"retired"`
	RetiredSites int                   `json:"retired_sites"`
	WeakSites    *int                  `json:"weak_sites"` // null: not known
}

type findingFiguresJSON struct {
	Value    *float64 `json:"value,omitempty"`
	Compare  *float64 `json:"value_compare,omitempty"`
	Province *float64 `json:"province,omitempty"`
	ProvCmp  *float64 `json:"province_compare,omitempty"`
	Change   *float64 `json:"change,omitempty"`
	Num      *float64 `json:"num,omitempty"`
	Den      *float64 `json:"den,omitempty"`
	CmpNum   *float64 `json:"num_compare,omitempty"`
	CmpDen   *float64 `json:"den_compare,omitempty"`
	Shrunk   *float64 `json:"shrunk,omitempty"`
	Z        *float64 `json:"z,omitempty"`
	Count    *float64 `json:"count,omitempty"`
	Of       *float64 `json:"of,omitempty"`
}

type findingJSON struct {
	Rank          int                `json:"rank"`
	Kind          string             `json:"kind"`
	Severity      string             `json:"severity"`
	Metric        analytics.MetricID `json:"metric,omitempty"`
	Text          string             `json:"text"` // in the language asked (lang=)
	TextVI        string             `json:"text_vi"`
	TextEN        string             `json:"text_en"`
	Communes      []findingPlaceJSON `json:"communes"`
	Models        []findingModelJSON `json:"models,omitempty"`
	Figures       findingFiguresJSON `json:"figures"`
	Window        figures.Window     `json:"window"`
	WindowCompare *figures.Window    `json:"window_compare,omitempty"`
	Method        string             `json:"method,omitempty"` // in the language asked
	MethodVI      string             `json:"method_vi,omitempty"`
	MethodEN      string             `json:"method_en,omitempty"`
	Link          string             `json:"link"`
}

type findingThresholdsJSON struct {
	MinCases           int     `json:"min_cases"`
	ChangeMinPoints    float64 `json:"change_min_points"`
	ChangeMinRelative  float64 `json:"change_min_relative"`
	ChangeMinZ         float64 `json:"change_min_z"`
	OutlierZ           float64 `json:"outlier_z"`
	OutlierMethodVI    string  `json:"outlier_method_vi"`
	OutlierMethodEN    string  `json:"outlier_method_en"`
	CoverageFarBelow   float64 `json:"coverage_far_below"`
	GapMinPeriods      int     `json:"gap_min_periods"`
	SplitShareNotable  float64 `json:"split_share_notable"`
	RejectShareNotable float64 `json:"reject_share_notable"`
}

type findingsBody struct {
	Province      string                `json:"province"`
	ProvinceName  string                `json:"province_name"`
	Lang          string                `json:"lang"`
	Window        figures.Window        `json:"window"`
	WindowCompare *figures.Window       `json:"window_compare,omitempty"`
	Findings      []findingJSON         `json:"findings"`
	Thresholds    findingThresholdsJSON `json:"thresholds"`
	NotAvailable  []string              `json:"not_available"`
	Footnote      string                `json:"footnote_vi"`
	FootnoteEN    string                `json:"footnote_en"`
	Synthetic     bool                  `json:"synthetic"`
}

// findingsInput gathers the per-commune inputs of analytics.Findings for a
// province, a window and an optional compared window.
func (s *service) findingsInput(ctx context.Context, p analytics.ProvinceCode, w analytics.Window, cmp *analytics.Window) (analytics.FindingsInput, error) {
	in := analytics.FindingsInput{
		Context: analytics.FindingContext{Province: p, ProvinceName: s.fig.ProvinceName(p), Window: w, Compare: cmp, Format: chart.FormatNumber},
		Rates:   map[analytics.MetricID][]analytics.CommuneRatio{},
		Counts:  map[analytics.MetricID][]analytics.CommuneRatio{},
	}
	earlier := make([]analytics.Window, analytics.FindingGapMinPeriods)
	prev := w
	for i := range earlier {
		prev = prev.SamePeriodLastYear()
		earlier[i] = prev
	}
	metric := func(id analytics.MetricID) analytics.Metric { m, _ := analytics.MetricByID(id); return m }
	var reqs []figures.Req
	add := func(id analytics.MetricID, ws ...analytics.Window) {
		for _, x := range ws {
			reqs = append(reqs, figures.Req{Metric: metric(id), Province: p, Window: x})
		}
	}
	add("sites", w)
	add("sites_per_10k", w)
	for _, id := range append(append([]analytics.MetricID(nil), findingRates...), findingCounts...) {
		add(id, w)
		if cmp != nil {
			add(id, *cmp)
		}
	}
	add("incidents", earlier...)
	ts := s.fig.Tables()
	if _, err := ts.GetAll(ctx, reqs); err != nil {
		return in, err
	}
	get := func(id analytics.MetricID, x analytics.Window) (*figures.Table, error) {
		return ts.Get(ctx, metric(id), p, x)
	}
	ratio := func(t *figures.Table, c analytics.CommuneCode) analytics.Ratio {
		f, ok := t.ByCode[c]
		if !ok || !f.OK {
			return analytics.Ratio{}
		}
		return analytics.Ratio{Num: f.Num, Den: f.Den, Known: true}
	}
	cs := s.fig.Communes(p)
	sites, err := get("sites", w)
	if err != nil {
		return in, err
	}
	dens, err := get("sites_per_10k", w)
	if err != nil {
		return in, err
	}
	for _, c := range cs {
		in.Sites = append(in.Sites, analytics.CommuneSites{FindingPlace: analytics.FindingPlace{Code: c.Code, Name: c.FullName},
			Sites: ratio(sites, c.Code), Density: ratio(dens, c.Code)})
	}
	pairs := func(id analytics.MetricID) ([]analytics.CommuneRatio, error) {
		now, err := get(id, w)
		if err != nil {
			return nil, err
		}
		var before *figures.Table
		if cmp != nil {
			if before, err = get(id, *cmp); err != nil {
				return nil, err
			}
		}
		out := make([]analytics.CommuneRatio, len(cs))
		for i, c := range cs {
			out[i] = analytics.CommuneRatio{FindingPlace: analytics.FindingPlace{Code: c.Code, Name: c.FullName}, Now: ratio(now, c.Code)}
			if before != nil {
				out[i].Before = ratio(before, c.Code)
			}
		}
		return out, nil
	}
	for _, id := range findingRates {
		if in.Rates[id], err = pairs(id); err != nil {
			return in, err
		}
	}
	for _, id := range findingCounts {
		if in.Counts[id], err = pairs(id); err != nil {
			return in, err
		}
	}

	// Reporting gaps: a commune with nothing in the current period counts
	// as "reported nothing" only when the province reported incidents in
	// it at all; otherwise the whole period is missing, not the commune.
	now, err := get("incidents", w)
	if err != nil {
		return in, err
	}
	var before []*figures.Table
	for _, x := range earlier {
		t, err := get("incidents", x)
		if err != nil {
			return in, err
		}
		before = append(before, t)
	}
	provinceReported := now.TotalOK && now.SumNum > 0
	for _, c := range cs {
		h := analytics.CommuneHistory{FindingPlace: analytics.FindingPlace{Code: c.Code, Name: c.FullName}, Now: ratio(now, c.Code)}
		if provinceReported && !h.Now.Known {
			h.Now = analytics.Ratio{Num: 0, Den: 1, Known: true}
		}
		for _, t := range before {
			h.Earlier = append(h.Earlier, ratio(t, c.Code))
		}
		in.Incidents = append(in.Incidents, h)
	}

	// Models: exemplary and advanced models active at the window's start,
	// whether they were retired by its end, and how many sites naming them
	// (sites name their model; matched by name within the province) were
	// retired within it.
	start := analytics.Window{Spec: w.Spec + "-start", From: w.From, To: w.From}
	mStart, err := s.r.Models(ctx, p, "", start, 100000)
	if err != nil {
		return in, err
	}
	mEnd, err := s.r.Models(ctx, p, "", w, 100000)
	if err != nil {
		return in, err
	}
	sStart, err := s.r.Sites(ctx, analytics.SiteFilter{Province: p, Window: start, Limit: 1000000})
	if err != nil {
		return in, err
	}
	sEnd, err := s.r.Sites(ctx, analytics.SiteFilter{Province: p, Window: w, Limit: 1000000})
	if err != nil {
		return in, err
	}
	activeEnd := make(map[string]bool, len(mEnd))
	for _, m := range mEnd {
		activeEnd[m.Key] = true
	}
	siteEnd := make(map[string]bool, len(sEnd))
	for _, sp := range sEnd {
		siteEnd[sp.Key] = true
	}
	retiredByModel := map[string]int{}
	for _, sp := range sStart {
		if !siteEnd[sp.Key] {
			retiredByModel[sp.ModelName]++
		}
	}
	for _, m := range mStart {
		if !m.Advanced && !m.Exemplary {
			continue
		}
		place := analytics.FindingPlace{Code: m.Commune}
		if c, ok := s.geo.Commune(m.Commune); ok {
			place.Name = c.FullName
		}
		in.Models = append(in.Models, analytics.ModelStatus{Key: m.Key, Name: m.Name, Commune: place, Advanced: m.Advanced, Exemplary: m.Exemplary,
			Retired: !activeEnd[m.Key], RetiredSites: retiredByModel[m.Name]})
	}

	// Data quality: active sites restated through split former communes.
	split := 0
	for _, sp := range sEnd {
		if sp.Split {
			split++
		}
	}
	in.Quality = analytics.DataQuality{Rows: len(sEnd), SplitRows: split, RowsKnown: len(sEnd) > 0,
		RowsWhatVI: "điểm mô hình đang hoạt động", RowsWhatEN: "active sites"}
	return in, nil
}

// findings answers /api/v1/findings.
func (s *service) findings(ctx context.Context, p analytics.ProvinceCode, w analytics.Window, cmp *analytics.Window, lang, source string) (findingsBody, error) {
	out := findingsBody{Province: string(p), ProvinceName: s.fig.ProvinceName(p), Lang: lang, Window: figures.WindowOf(w), WindowCompare: figures.WindowPtr(cmp),
		Findings: []findingJSON{}, NotAvailable: findingsNotAvailable, Synthetic: s.synthetic,
		Footnote:   analytics.Footnote(analytics.LangVI, source, w, ""),
		FootnoteEN: analytics.Footnote(analytics.LangEN, s.sourceEN(p), w, ""),
		Thresholds: findingThresholdsJSON{MinCases: analytics.FindingMinCases, ChangeMinPoints: analytics.FindingChangeMinPoints,
			ChangeMinRelative: analytics.FindingChangeMinRelative, ChangeMinZ: analytics.FindingChangeMinZ, OutlierZ: analytics.FindingOutlierZ,
			OutlierMethodVI: analytics.FindingOutlierMethodVI, OutlierMethodEN: analytics.FindingOutlierMethodEN,
			CoverageFarBelow: analytics.FindingCoverageFarBelow, GapMinPeriods: analytics.FindingGapMinPeriods,
			SplitShareNotable: analytics.FindingSplitShareNotable, RejectShareNotable: analytics.FindingRejectShareNotable}}
	in, err := s.findingsInput(ctx, p, w, cmp)
	if err != nil {
		return out, err
	}
	for i, f := range analytics.Findings(in) {
		out.Findings = append(out.Findings, findingOf(i+1, f, lang))
	}
	return out, nil
}

func findingOf(rank int, f analytics.Finding, lang string) findingJSON {
	j := findingJSON{Rank: rank, Kind: string(f.Kind), Severity: string(f.Severity), Metric: f.Metric, Text: f.TextVI, TextVI: f.TextVI, TextEN: f.TextEN,
		Communes: []findingPlaceJSON{}, Window: figures.WindowOf(f.Window), WindowCompare: figures.WindowPtr(f.Compare), Method: f.MethodVI, MethodVI: f.MethodVI, MethodEN: f.MethodEN, Link: f.Link,
		Figures: findingFiguresJSON{Value: f.Figures.Value, Compare: f.Figures.Compare, Province: f.Figures.Province, ProvCmp: f.Figures.ProvinceCompare, Change: f.Figures.Change,
			Num: f.Figures.Num, Den: f.Figures.Den, CmpNum: f.Figures.CmpNum, CmpDen: f.Figures.CmpDen, Shrunk: f.Figures.Shrunk, Z: f.Figures.Z,
			Count: f.Figures.Count, Of: f.Figures.Of}}
	if lang == "en" {
		j.Text, j.Method = f.TextEN, f.MethodEN
	}
	for _, c := range f.Communes {
		j.Communes = append(j.Communes, findingPlaceJSON{Code: c.Code, Name: c.Name})
	}
	for _, m := range f.Models {
		mj := findingModelJSON{Key: m.Key, Name: m.Name, Commune: m.Commune.Code, CommuneName: m.Commune.Name, Advanced: m.Advanced,
			Exemplary: m.Exemplary, Retired: m.Retired, RetiredSites: m.RetiredSites}
		if m.WeakKnown {
			mj.WeakSites = &m.WeakSites
		}
		j.Models = append(j.Models, mj)
	}
	return j
}

func (a *App) apiFindings(ctx context.Context, r request) (response, error) {
	p, err := parseProvince(a.deps.Geo, r.query, false)
	if err != nil {
		return response{}, err
	}
	now := a.cfg.Now()
	w, err := parseWindow(r.query, now)
	if err != nil {
		return response{}, err
	}
	cmp, err := parseCompare(r.query, w, now)
	if err != nil {
		return response{}, err
	}
	lang, err := parseEnum(r.query, "lang", []string{"vi", "en"}, "vi")
	if err != nil {
		return response{}, err
	}
	body, err := a.svc.findings(ctx, p, w, cmp, lang, a.sourceOf(p))
	if err != nil {
		return response{}, err
	}
	return jsonResponse(body, ctJSON)
}

// findingsSlideRows is how many findings the deck's findings slide lists.
const findingsSlideRows = 7

var severityVI = map[string]string{"high": "Cao", "medium": "Trung bình", "low": "Thấp"}

// findingsSlide is the deck's "Điểm cần chú ý" slide: the top findings as a
// native table (rank, severity, the sentence with its figures), after the
// headline figures.
func findingsSlide(fb findingsBody) pptx.Slide {
	rows := [][]string{{"#", "Mức độ", "Điểm cần chú ý"}}
	for i, f := range fb.Findings {
		if i == findingsSlideRows {
			break
		}
		rows = append(rows, []string{strconv.Itoa(f.Rank), severityVI[f.Severity], f.TextVI})
	}
	if len(rows) == 1 {
		rows = append(rows, []string{"", "", "Không có điểm nào vượt ngưỡng"})
	}
	sub := fb.Window.LabelVI
	if fb.WindowCompare != nil {
		dmy := func(iso string) string { return iso[8:10] + "/" + iso[5:7] + "/" + iso[:4] }
		sub += "; so với " + dmy(fb.WindowCompare.From) + "–" + dmy(fb.WindowCompare.To)
	}
	sub += fmt.Sprintf("; chỉ xét xã có từ %d trường hợp", analytics.FindingMinCases)
	shapes := []string{
		pptx.TextShape(2, pptx.Margin, 300000, pptx.SlideW-2*pptx.Margin, 900000, pptx.Para{Text: "Điểm cần chú ý — " + fb.ProvinceName, Size: 28, Bold: true, Color: "1F2937"},
			pptx.Para{Text: sub, Size: 16, Color: "4B5563"}),
		pptx.TableShape(3, pptx.Margin, 1250000, pptx.SlideW-2*pptx.Margin, []int{1, 3, 24}, rows, 1100),
		pptx.TextShape(4, pptx.Margin, pptx.SlideH-600000, pptx.SlideW-2*pptx.Margin, 400000, pptx.Para{Text: fb.Footnote + " · Bất thường: " + analytics.FindingOutlierMethodVI, Size: 11, Color: "4B5563"}),
	}
	if fb.Synthetic {
		shapes = append(shapes, pptx.TextShape(5, pptx.SlideW-3400000, 300000, 3400000-pptx.Margin, 400000, pptx.Para{Text: "Dữ liệu mô phỏng", Size: 14, Bold: true, Color: "B91C1C", Align: "r"}))
	}
	return pptx.Slide{Shapes: shapes}
}

// findingsSheet is the name of the XLSX export's findings sheet.
const findingsSheet = "Điểm cần chú ý"

// withFindingsSheet adds the findings sheet to an XLSX export (written by
// figures.Export.XLSX): one row per finding with the figures behind it, so
// each finding can be checked against the exported table.
func withFindingsSheet(xlsx []byte, fb findingsBody) ([]byte, error) {
	f, err := excelize.OpenReader(bytes.NewReader(xlsx))
	if err != nil {
		return nil, analytics.Errorf(analytics.CodeInternal, "reopen xlsx: %w", err)
	}
	defer f.Close()
	if _, err := f.NewSheet(findingsSheet); err != nil {
		return nil, analytics.Errorf(analytics.CodeInternal, "findings sheet: %w", err)
	}
	wide := analytics.Capitalize(analytics.ProvinceWide(analytics.LangVI, fb.ProvinceName)) // "Toàn tỉnh", "Toàn thành phố"
	head := []string{analytics.RankHeader(analytics.LangVI), "Mức độ", "Loại", "Chỉ tiêu", "Điểm cần chú ý", "Xã, phường (mã)", "Giá trị", "Giá trị kỳ so sánh", wide,
		wide + " kỳ so sánh", "Thay đổi", "Tử số", "Mẫu số", "Tử số kỳ so sánh", "Mẫu số kỳ so sánh", "z", "Số lượng", "Trên tổng", "Kỳ số liệu", "Phương pháp", "Liên kết"}
	var rows [][]any
	hr := make([]any, len(head))
	for i, h := range head {
		hr[i] = h
	}
	rows = append(rows, hr)
	for _, fd := range fb.Findings {
		var cs []string
		for _, c := range fd.Communes {
			cs = append(cs, c.Name+" ("+string(c.Code)+")")
		}
		fg := fd.Figures
		rows = append(rows, []any{fd.Rank, severityVI[fd.Severity], fd.Kind, string(fd.Metric), fd.TextVI, strings.Join(cs, "; "),
			figures.CellValue(fg.Value), figures.CellValue(fg.Compare), figures.CellValue(fg.Province), figures.CellValue(fg.ProvCmp), figures.CellValue(fg.Change), figures.CellValue(fg.Num), figures.CellValue(fg.Den), figures.CellValue(fg.CmpNum), figures.CellValue(fg.CmpDen),
			figures.CellValue(fg.Z), figures.CellValue(fg.Count), figures.CellValue(fg.Of), fd.Window.LabelVI, fd.Method, fd.Link})
	}
	if len(fb.Findings) == 0 {
		rows = append(rows, []any{nil, nil, nil, nil, "Không có điểm nào vượt ngưỡng"})
	}
	rows = append(rows, []any{}, []any{nil, nil, nil, nil, fb.Footnote}, []any{nil, nil, nil, nil,
		fmt.Sprintf("Ngưỡng: từ %d trường hợp mỗi kỳ; thay đổi từ %s điểm phần trăm (tỷ lệ) hoặc %s%% (số lượng) với |z| ≥ %s; bất thường |z| ≥ %s (%s)",
			analytics.FindingMinCases, chart.FormatNumber(analytics.FindingChangeMinPoints, 0), chart.FormatNumber(analytics.FindingChangeMinRelative*100, 0),
			chart.FormatNumber(analytics.FindingChangeMinZ, 2), chart.FormatNumber(analytics.FindingOutlierZ, 1), analytics.FindingOutlierMethodVI)})
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(findingsSheet, cell, &r); err != nil {
			return nil, analytics.Errorf(analytics.CodeInternal, "findings sheet: %w", err)
		}
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	if err != nil {
		return nil, err
	}
	last, _ := excelize.CoordinatesToCellName(len(head), 1)
	_ = f.SetCellStyle(findingsSheet, "A1", last, bold)
	_ = f.SetColWidth(findingsSheet, "E", "E", 90)
	_ = f.SetColWidth(findingsSheet, "F", "F", 40)
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		return nil, analytics.Errorf(analytics.CodeInternal, "write xlsx: %w", err)
	}
	return buf.Bytes(), nil
}
