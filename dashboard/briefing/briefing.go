// Package briefing writes the slides of the briefing deck,
// /api/v1/briefing.pptx, as internal/pptx slides. The HTTP shell gathers the
// figures and draws the pictures; this package holds no Fiber.
//
// The deck has eight 16:9 slides:
//
//  1. title: province, window, comparison, source (TitleSlide)
//  2. headline figures: "336 mô hình với 2.025 điểm mô hình" and a table
//     of the summary figures with their change "so với cùng kỳ" (HeadlineSlide)
//  3. findings ("Điểm cần chú ý"): the top findings as a table (FindingsSlide)
//  4. the choropleth        (PNG from render.Renderer, 1920×1080, scale 1 or 2)
//  5. the delta map         (PNG)
//  6. the trend by police year (PNG)
//  7. sites by model type   (PNG)
//  8. the top and bottom communes, as two tables (RankingSlide)
//
// Every chart picture carries its title, window and source footnote
// (chart.Slide); the text slides carry the footnote as a text box.
package briefing

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/finding"
	"github.com/antq-atlas/antq/dashboard/figures"
	"github.com/antq-atlas/antq/dashboard/findings"
	"github.com/antq-atlas/antq/internal/pptx"
)

// windowRange is "15/12/2024–14/12/2025".
func windowRange(w analytics.Window) string {
	return w.From.Format("02/01/2006") + "–" + w.Last().Format("02/01/2006")
}

// TitleSlide is the deck's first slide: the province, the window, the
// compared window, the map's metric, the source and the day it was made.
func TitleSlide(sum figures.Summary, mp figures.MapQuery, source string, synthetic bool, now time.Time) pptx.Slide {
	cmp := ""
	if mp.Compare != nil {
		cmp = "Kỳ so sánh: " + windowRange(*mp.Compare)
		if mp.Compare.Cut {
			cmp += " (cùng kỳ " + mp.Compare.SpanVI() + ", vì kỳ này chưa kết thúc)"
		}
	}
	shapes := []string{
		pptx.TextShape(2, pptx.Margin, 1600000, pptx.SlideW-2*pptx.Margin, 1500000, pptx.Para{Text: "Bản tin phong trào Toàn dân bảo vệ an ninh Tổ quốc", Size: 36, Bold: true, Color: "1D4E89"},
			pptx.Para{Text: sum.ProvinceName, Size: 32, Bold: true, Color: "1F2937"}),
		pptx.TextShape(3, pptx.Margin, 3300000, pptx.SlideW-2*pptx.Margin, 1200000, pptx.Para{Text: mp.Window.LabelVI(), Size: 22, Color: "374151"},
			pptx.Para{Text: cmp, Size: 18, Color: "4B5563"}, pptx.Para{Text: "Chỉ tiêu bản đồ: " + mp.Metric.LabelVI, Size: 18, Color: "4B5563"}),
		pptx.TextShape(4, pptx.Margin, pptx.SlideH-1100000, pptx.SlideW-2*pptx.Margin, 700000, pptx.Para{Text: analytics.Footnote(analytics.LangVI, source, mp.Window, ""), Size: 14, Color: "4B5563"},
			pptx.Para{Text: "Lập ngày " + now.Format("02/01/2006") + " bằng ANTQ Atlas", Size: 12, Color: "6B7280"}),
	}
	if synthetic {
		shapes = append(shapes, pptx.TextShape(5, pptx.Margin, 700000, pptx.SlideW-2*pptx.Margin, 500000,
			pptx.Para{Text: "DỮ LIỆU MÔ PHỎNG — không phải số liệu thật", Size: 18, Bold: true, Color: "B91C1C"}))
	}
	return pptx.Slide{Shapes: shapes}
}

// HeadlineSlide is the headline sentence and the summary figures with
// their change "so với cùng kỳ".
func HeadlineSlide(sum figures.Summary, mp figures.MapQuery) pptx.Slide {
	cmpHead := "So với cùng kỳ"
	if sum.WindowCompare != nil {
		cmpHead = "So với " + sum.WindowCompare.From[8:10] + "/" + sum.WindowCompare.From[5:7] + "/" + sum.WindowCompare.From[:4] +
			"–" + sum.WindowCompare.To[8:10] + "/" + sum.WindowCompare.To[5:7] + "/" + sum.WindowCompare.To[:4]
	}
	rows := [][]string{{"Chỉ tiêu", "Giá trị", cmpHead}}
	for _, f := range sum.Figures {
		c := ""
		if f.Compare != nil {
			c = f.Compare.TextVI
		}
		v := f.Text
		if v == "" {
			v = analytics.NoDataVI
		}
		if f.Metric.Composite {
			v += componentsText(f.ComponentsIn, f.ComponentsMissing)
		}
		rows = append(rows, []string{f.Metric.LabelVI, v, c})
	}
	shapes := []string{
		pptx.TextShape(2, pptx.Margin, 300000, pptx.SlideW-2*pptx.Margin, 900000, pptx.Para{Text: "Số liệu chính — " + sum.ProvinceName, Size: 28, Bold: true, Color: "1F2937"},
			pptx.Para{Text: mp.Window.LabelVI(), Size: 16, Color: "4B5563"}),
		pptx.TextShape(3, pptx.Margin, 1250000, pptx.SlideW-2*pptx.Margin, 600000, pptx.Para{Text: sum.Headline, Size: 26, Bold: true, Color: "1D4E89"}),
		pptx.TableShape(4, pptx.Margin, 1950000, pptx.SlideW-2*pptx.Margin, []int{5, 2, 5}, rows, 1300),
		pptx.TextShape(5, pptx.Margin, pptx.SlideH-600000, pptx.SlideW-2*pptx.Margin, 400000, pptx.Para{Text: sum.Footnote, Size: 12, Color: "4B5563"}),
	}
	if sum.Synthetic {
		shapes = append(shapes, pptx.TextShape(6, pptx.SlideW-3400000, 300000, 3400000-pptx.Margin, 400000, pptx.Para{Text: "Dữ liệu mô phỏng", Size: 14, Bold: true, Color: "B91C1C", Align: "r"}))
	}
	return pptx.Slide{Shapes: shapes}
}

// RankingSlide lists the top and the bottom ten communes as two tables.
func RankingSlide(rank figures.Ranking, mp figures.MapQuery, source string, synthetic bool) pptx.Slide {
	n := 10
	table := func(side string) [][]string {
		rows := [][]string{{analytics.RankHeader(analytics.LangVI), "Xã, phường", mp.Metric.LabelVI}}
		for _, r := range rank.Side(side, n) {
			rows = append(rows, []string{analytics.Rank(r.Rank, rank.Ranked), r.Name, r.Text})
		}
		if len(rows) == 1 {
			rows = append(rows, []string{"", analytics.Capitalize(analytics.NoDataVI), ""})
		}
		return rows
	}
	half := (pptx.SlideW - 3*pptx.Margin) / 2
	sub := mp.Window.LabelVI() + "; xếp hạng trong " + strconv.Itoa(rank.Ranked) + " xã, phường có số liệu (" + strconv.Itoa(rank.NoData) + " xã, phường không có số liệu)"
	if synthetic {
		sub += " · Dữ liệu mô phỏng"
	}
	return pptx.Slide{Shapes: []string{
		pptx.TextShape(2, pptx.Margin, 300000, pptx.SlideW-2*pptx.Margin, 900000, pptx.Para{Text: "Xã, phường dẫn đầu và cuối bảng — " + analytics.LowerFirst(mp.Metric.LabelVI, false), Size: 28, Bold: true, Color: "1F2937"},
			pptx.Para{Text: sub, Size: 16, Color: "4B5563"}),
		pptx.TextShape(3, pptx.Margin, 1250000, half, 400000, pptx.Para{Text: "Dẫn đầu", Size: 18, Bold: true, Color: "1D4E89"}),
		pptx.TextShape(4, 2*pptx.Margin+half, 1250000, half, 400000, pptx.Para{Text: "Cuối bảng", Size: 18, Bold: true, Color: "B91C1C"}),
		pptx.TableShape(5, pptx.Margin, 1700000, half, []int{1, 5, 3}, table("top"), 1200),
		pptx.TableShape(6, 2*pptx.Margin+half, 1700000, half, []int{1, 5, 3}, table("bottom"), 1200),
		pptx.TextShape(7, pptx.Margin, pptx.SlideH-600000, pptx.SlideW-2*pptx.Margin, 400000, pptx.Para{Text: analytics.Footnote(analytics.LangVI, source, mp.Window, mp.Metric.UnitVI), Size: 12, Color: "4B5563"}),
	}}
}

// componentsText says which components the composite index is made of:
// " (gồm: Tỷ lệ …; thiếu: …)".
func componentsText(in, missing []analytics.MetricID) string {
	labels := func(ids []analytics.MetricID) string {
		out := make([]string, 0, len(ids))
		for _, id := range ids {
			if m, ok := analytics.MetricByID(id); ok {
				out = append(out, m.LabelVI)
			}
		}
		return strings.Join(out, ", ")
	}
	var parts []string
	if l := labels(in); l != "" {
		parts = append(parts, "gồm: "+l)
	}
	if l := labels(missing); l != "" {
		parts = append(parts, "thiếu: "+l)
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, "; ") + ")"
}

// FindingsRows is how many findings the deck's findings slide lists.
const FindingsRows = 7

// FindingsSlide is the deck's "Điểm cần chú ý" slide: the top findings as a
// native table (rank, severity, the sentence with its figures), after the
// headline figures.
func FindingsSlide(fb findings.Body) pptx.Slide {
	rows := [][]string{{"#", "Mức độ", "Điểm cần chú ý"}}
	for i, f := range fb.Findings {
		if i == FindingsRows {
			break
		}
		rows = append(rows, []string{strconv.Itoa(f.Rank), findings.SeverityVI[f.Severity], f.TextVI})
	}
	if len(rows) == 1 {
		rows = append(rows, []string{"", "", "Không có điểm nào vượt ngưỡng"})
	}
	sub := fb.Window.LabelVI
	if fb.WindowCompare != nil {
		dmy := func(iso string) string { return iso[8:10] + "/" + iso[5:7] + "/" + iso[:4] }
		sub += "; so với " + dmy(fb.WindowCompare.From) + "–" + dmy(fb.WindowCompare.To)
	}
	sub += fmt.Sprintf("; chỉ xét xã có từ %d trường hợp", finding.MinCases)
	shapes := []string{
		pptx.TextShape(2, pptx.Margin, 300000, pptx.SlideW-2*pptx.Margin, 900000, pptx.Para{Text: "Điểm cần chú ý — " + fb.ProvinceName, Size: 28, Bold: true, Color: "1F2937"},
			pptx.Para{Text: sub, Size: 16, Color: "4B5563"}),
		pptx.TableShape(3, pptx.Margin, 1250000, pptx.SlideW-2*pptx.Margin, []int{1, 3, 24}, rows, 1100),
		pptx.TextShape(4, pptx.Margin, pptx.SlideH-600000, pptx.SlideW-2*pptx.Margin, 400000, pptx.Para{Text: fb.Footnote + " · Bất thường: " + finding.OutlierMethodVI, Size: 11, Color: "4B5563"}),
	}
	if fb.Synthetic {
		shapes = append(shapes, pptx.TextShape(5, pptx.SlideW-3400000, 300000, 3400000-pptx.Margin, 400000, pptx.Para{Text: "Dữ liệu mô phỏng", Size: 14, Bold: true, Color: "B91C1C", Align: "r"}))
	}
	return pptx.Slide{Shapes: shapes}
}
