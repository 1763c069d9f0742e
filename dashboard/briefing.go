package dashboard

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/dashboard/figures"
	"github.com/antq-atlas/antq/internal/pptx"

	"golang.org/x/sync/errgroup"
)

// The briefing deck, /api/v1/briefing.pptx: a PowerPoint (Office Open XML)
// file written by internal/pptx, of eight 16:9 slides:
//
//  1. title: province, window, comparison, source
//  2. headline figures: "336 mô hình với 2.025 điểm mô hình" and a table
//     of the summary figures with their change "so với cùng kỳ"
//  2b. findings ("Điểm cần chú ý"): the top findings as a table (findings.go)
//  3. the choropleth        (PNG from chart.Renderer, 1920×1080, scale 1 or 2)
//  4. the delta map         (PNG)
//  5. the trend by police year (PNG)
//  6. sites by model type   (PNG)
//  7. the top and bottom communes, as two tables
//
// Every chart picture carries its title, window and source footnote
// (chart.Slide); the text slides carry the footnote as a text box.

// BriefingSlides is the number of slides of every deck.
const briefingSlides = 8

// briefingEndpoint answers /api/v1/briefing.pptx?province=&period=&compare=
// (&metric=, default sites; &scale=1|2 of the pictures: 1 by default, a
// 1920×1080 picture fills a full-HD projector; 2 for print or 4K screens).
func (a *App) briefingEndpoint(ctx context.Context, r request) (response, error) {
	q := cloneValues(r.query)
	if q.Get("compare") == "" {
		q.Set("compare", "prev")
	}
	if q.Get("metric") == "" {
		q.Set("metric", "sites")
	}
	scale := 1.0
	if v := q.Get("scale"); v != "" {
		s, err := strconv.ParseFloat(v, 64)
		if err != nil || s < 1 || s > 2 {
			return response{}, invalidParam("scale", v, "1 hoặc 2", "1 or 2")
		}
		scale = s
	}
	q.Del("scale")
	mp, err := a.svc.parseMapParams(ctx, q)
	if err != nil {
		return response{}, err
	}
	if mp.Province == "" {
		return response{}, invalidParam("province", figures.ProvinceAll, "một tỉnh (bản tin theo tỉnh)", "one province (the deck is per province)")
	}
	source := a.sourceOf(mp.Province)
	sum, err := a.svc.fig.Summary(ctx, mp.Province, mp.Window, mp.Compare, source)
	if err != nil {
		return response{}, err
	}
	rank, err := a.svc.fig.Ranking(ctx, mp, 0)
	if err != nil {
		return response{}, err
	}

	// A deck build is admitted as one piece of work costing the client's
	// share of the renderers (admission.go); its four pictures are drawn
	// that many at a time.
	cost := a.admit.share()
	release, err := a.admit.enter(ctx, r.client, cost)
	if err != nil {
		return response{}, err
	}
	defer release()
	rd, err := a.pages().renderer()
	if err != nil {
		return response{}, err
	}
	names := []string{"map", "delta", "trend", "breakdown"}
	pics := make([][]byte, len(names))
	titles := make([]string, len(names))
	var g errgroup.Group
	g.SetLimit(int(cost))
	for i, name := range names {
		bc, err := a.buildChart(ctx, name, q)
		if err != nil {
			g.Wait()
			return response{}, err
		}
		spec := bc.Spec
		spec.Width, spec.Height, spec.Scale = 1920, 1080, scale
		titles[i] = spec.Slide.Title
		g.Go(func() (err error) {
			pics[i], err = rd.PNG(ctx, spec)
			return err
		})
	}
	if err := g.Wait(); err != nil {
		return response{}, err
	}

	d := pptx.Deck{Title: "Bản tin phong trào Toàn dân bảo vệ ANTQ — " + sum.ProvinceName, Created: a.cfg.Now()}
	d.Slides = append(d.Slides, titleSlide(sum, mp, source, a.deps.Synthetic, a.cfg.Now()))
	d.Slides = append(d.Slides, headlineSlide(sum, mp))
	fb, err := a.svc.findings(ctx, mp.Province, mp.Window, mp.Compare, "vi", source)
	if err != nil {
		return response{}, err
	}
	d.Slides = append(d.Slides, findingsSlide(fb))
	for i := range names {
		d.Slides = append(d.Slides, pptx.Slide{Shapes: []string{pptx.PictureShape(2, titles[i], "rId2", 0, 0, pptx.SlideW, pptx.SlideH)}, Image: pics[i]})
	}
	d.Slides = append(d.Slides, rankingSlide(rank, mp, source, a.deps.Synthetic))
	b, err := d.Write()
	if err != nil {
		return response{}, analytics.Errorf(analytics.CodeInternal, "write briefing deck: %w", err)
	}
	file := chartFilename("briefing", url.Values{"province": {string(mp.Province)}, "period": {mp.Window.Spec}}, "pptx")
	return response{body: b, contentType: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
		disposition: `attachment; filename="` + file + `"`}, nil
}

// windowRange is "15/12/2024–14/12/2025".
func windowRange(w analytics.Window) string {
	return w.From.Format("02/01/2006") + "–" + w.Last().Format("02/01/2006")
}

func titleSlide(sum figures.Summary, mp figures.MapQuery, source string, synthetic bool, now time.Time) pptx.Slide {
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

func headlineSlide(sum figures.Summary, mp figures.MapQuery) pptx.Slide {
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

func rankingSlide(rank figures.Ranking, mp figures.MapQuery, source string, synthetic bool) pptx.Slide {
	n := 10
	table := func(side string) [][]string {
		rows := [][]string{{analytics.RankHeader(analytics.LangVI), "Xã, phường", mp.Metric.LabelVI}}
		for _, r := range rankingSide(rank, side, n) {
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
		pptx.TextShape(2, pptx.Margin, 300000, pptx.SlideW-2*pptx.Margin, 900000, pptx.Para{Text: "Xã, phường dẫn đầu và cuối bảng — " + lowerFirst(mp.Metric.LabelVI, false), Size: 28, Bold: true, Color: "1F2937"},
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
	if len(in) > 0 {
		parts = append(parts, "gồm: "+labels(in))
	}
	if len(missing) > 0 {
		parts = append(parts, "thiếu: "+labels(missing))
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, "; ") + ")"
}
