package dashboard

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/dashboard/chart"
	"github.com/antq-atlas/antq/dashboard/figures"
)

// The other charts: the trend by police year, the breakdown by a
// dimension and the ranking of communes.

func (a *App) trendChart(ctx context.Context, q url.Values, t chartText) (builtChart, error) {
	sp, err := a.svc.parseSeriesParams(ctx, q)
	if err != nil {
		return builtChart{}, err
	}
	body, err := a.svc.fig.Series(ctx, sp)
	if err != nil {
		return builtChart{}, err
	}
	m := sp.Metric
	cats := make([]string, len(body.Points))
	vals := make([]float64, len(body.Points))
	table := [][]string{{t.s("Kỳ", "Period"), t.s("Từ ngày", "From"), t.s("Đến ngày", "To"), t.label(m)}}
	partial := make([]bool, len(body.Points))
	for i, p := range body.Points {
		cats[i] = p.Period
		partial[i] = p.Partial && p.Window.PeriodTo != ""
		vals[i] = math.NaN()
		if p.Value != nil {
			vals[i] = *p.Value
		}
		table = append(table, []string{p.Period, p.Window.From, p.Window.To, csvNumber(p.Value)})
	}
	opt, err := chart.Line(chart.LineInput{Categories: cats, Series: []chart.NamedValues{{Name: t.label(m), Values: vals}},
		Unit: t.unit(m), Decimals: m.Decimals, Labels: true, Partial: partial, Lang: t.lang()})
	if err != nil {
		return builtChart{}, err
	}
	place := a.svc.fig.ProvinceNameIn(t.lang(), sp.Province)
	if sp.Commune != "" {
		if c, ok := a.deps.Geo.Commune(sp.Commune); ok {
			place = c.FullName + ", " + place
		}
	}
	w := analytics.Window{From: sp.From, To: sp.To}.AsOf(a.cfg.Now())
	source := a.sourceIn(t.lang(), sp.Province)
	span := ""
	if len(cats) > 0 {
		span = " " + cats[0] + "–" + cats[len(cats)-1]
	}
	byVI := map[string]string{"year": "năm công an", "half": "6 tháng (kỳ công an)", "quarter": "quý (kỳ công an)", "month": "tháng công an (15 đến 14)"}[sp.By]
	slide := chart.Slide{
		Title:    t.label(m) + t.s(" theo "+byVI, " by police "+sp.By) + span + " — " + place,
		Subtitle: t.withSynthetic(t.window(w), a.deps.Synthetic),
		Footnote: t.footnote(source, w, t.unit(m)),
	}
	return builtChart{Name: "trend", Spec: chart.Spec{Option: opt, Slide: &slide}, Table: table, Synthetic: a.deps.Synthetic}, nil
}

// breakdownTitles say what a breakdown shows.
var breakdownTitles = map[string][2]string{
	analytics.ByModelType: {"Điểm mô hình theo loại mô hình", "Sites by model type"},
	analytics.BySector:    {"Điểm mô hình theo lĩnh vực", "Sites by sector"},
	analytics.ByGrade:     {"Điểm mô hình theo xếp loại", "Sites by grade"},
	analytics.ByCategory:  {"Vụ việc theo loại", "Incidents by category"},
	analytics.ByOutcome:   {"Vụ việc theo kết quả", "Incidents by outcome"},
}

func (a *App) breakdownChart(ctx context.Context, q url.Values, t chartText) (builtChart, error) {
	p, err := parseProvince(a.deps.Geo, q, true)
	if err != nil {
		return builtChart{}, err
	}
	by, err := parseEnum(q, "by", analytics.BreakdownDims, analytics.ByModelType)
	if err != nil {
		return builtChart{}, err
	}
	w, err := a.svc.window(ctx, q, p)
	if err != nil {
		return builtChart{}, err
	}
	c, err := parseCommune(a.deps.Geo, q, p)
	if err != nil {
		return builtChart{}, err
	}
	body, err := a.svc.fig.Breakdown(ctx, by, p, c, w)
	if err != nil {
		return builtChart{}, err
	}
	top, err := parseInt(q, "top", defaultTop, 1, 500)
	if err != nil {
		return builtChart{}, err
	}
	shares := topShares(body.Shares, top, t)
	unit := t.s("điểm", "sites")
	if by == analytics.ByCategory || by == analytics.ByOutcome {
		unit = t.s("vụ việc", "incidents")
	}
	cats := make([]string, len(shares))
	vals := make([]float64, len(shares))
	table := [][]string{{t.s("Nhóm", "Group"), t.s("Số lượng", "Count"), t.s("Tỷ lệ (%)", "Share (%)")}}
	for i, sh := range shares {
		label := analytics.ValueLabel(t.lang(), sh.Label) // grades, outcomes, sectors in English too
		cats[i], vals[i] = label, float64(sh.N)
		table = append(table, []string{label, strconv.FormatUint(sh.N, 10), strconv.FormatFloat(sh.SharePct, 'f', 1, 64)})
	}
	if len(cats) == 0 { // an empty chart still says what it is
		cats, vals = []string{t.s("Không có số liệu", "No data")}, []float64{math.NaN()}
	}
	opt, err := chart.Bar(chart.BarInput{Categories: cats, Series: []chart.NamedValues{{Name: t.s(body.Counted, body.CountedEN), Values: vals}},
		Unit: unit, Horizontal: true, Labels: true})
	if err != nil {
		return builtChart{}, err
	}
	place := a.svc.fig.ProvinceNameIn(t.lang(), p)
	if c != "" {
		if cc, ok := a.deps.Geo.Commune(c); ok {
			place = analytics.CommuneName(t.lang(), cc.FullName) + ", " + place
		}
	}
	source := a.sourceIn(t.lang(), p)
	bt := breakdownTitles[by]
	slide := chart.Slide{
		Title:    t.s(bt[0], bt[1]) + " — " + place,
		Subtitle: t.withSynthetic(t.window(w)+t.s("; tổng "+body.TotalText+" "+unit, "; total "+analytics.Plural(analytics.LangEN, float64(body.Total), strings.TrimSuffix(unit, "s"), unit)), a.deps.Synthetic),
		Footnote: t.footnote(source, w, unit),
	}
	return builtChart{Name: "breakdown", Spec: chart.Spec{Option: opt, Slide: &slide}, Table: table, Synthetic: a.deps.Synthetic}, nil
}

// defaultTop is how many groups a breakdown chart shows by name before the
// rest are summed into "Khác" (top=): with more than defaultTop+1 groups
// the bars would be too thin to label on a slide.
const defaultTop = 11

// topShares keeps shares as they are when there are at most top+1 of them;
// otherwise it keeps the top largest (ties by label) and sums the rest into
// one last group "Khác (n nhóm)" / "Other (n groups)", so the counts and
// shares still add up to the total. shares is not changed.
func topShares(shares []figures.Share, top int, t chartText) []figures.Share {
	if len(shares) <= top+1 {
		return shares
	}
	sorted := slices.Clone(shares)
	slices.SortStableFunc(sorted, func(a, b figures.Share) int {
		if a.N != b.N {
			return cmp.Compare(b.N, a.N)
		}
		return strings.Compare(a.Label, b.Label)
	})
	rest := sorted[top:]
	other := figures.Share{Label: t.s(fmt.Sprintf("Khác (%d nhóm)", len(rest)), fmt.Sprintf("Other (%d groups)", len(rest)))}
	for _, sh := range rest {
		other.N += sh.N
		other.SharePct += sh.SharePct
	}
	other.SharePct = math.Round(other.SharePct*1e6) / 1e6
	other.Text = chart.FormatNumber(float64(other.N), 0) + " (" + chart.FormatPercent(other.SharePct, 1) + ")"
	return append(sorted[:top:top], other)
}

func (a *App) rankingChart(ctx context.Context, q url.Values, t chartText) (builtChart, error) {
	mp, err := a.svc.parseMapParams(ctx, q)
	if err != nil {
		return builtChart{}, err
	}
	n, err := parseInt(q, "limit", 10, 1, 50)
	if err != nil {
		return builtChart{}, err
	}
	side, err := parseEnum(q, "side", []string{"top", "bottom"}, "top")
	if err != nil {
		return builtChart{}, err
	}
	body, err := a.svc.fig.Ranking(ctx, mp, 0)
	if err != nil {
		return builtChart{}, err
	}
	m := mp.Metric
	rows := body.Side(side, n)
	cats := make([]string, len(rows))
	vals := make([]float64, len(rows))
	table := [][]string{{analytics.RankColumn(t.lang(), body.Ranked), t.s("Mã xã", "Commune code"), t.s("Tên", "Name"), t.label(m)}}
	for i, r := range rows {
		cats[i], vals[i] = r.Name, r.Value
		table = append(table, []string{strconv.Itoa(r.Rank), string(r.Code), r.Name, csvNumber(r.Value)})
	}
	if len(cats) == 0 {
		cats, vals = []string{t.s("Không có số liệu", "No data")}, []float64{math.NaN()}
	}
	opt, err := chart.Bar(chart.BarInput{Categories: cats, Series: []chart.NamedValues{{Name: t.label(m), Values: vals}},
		Unit: t.unit(m), Decimals: m.Decimals, Horizontal: true, Labels: true})
	if err != nil {
		return builtChart{}, err
	}
	head := t.s(strconv.Itoa(len(rows))+" xã, phường dẫn đầu", "Top "+analytics.Plural(analytics.LangEN, float64(len(rows)), "commune", "communes"))
	if side == "bottom" {
		head = t.s(strconv.Itoa(len(rows))+" xã, phường cuối bảng", "Bottom "+analytics.Plural(analytics.LangEN, float64(len(rows)), "commune", "communes"))
	}
	if len(rows) == 0 { // no "0 xã, phường dẫn đầu"
		head = t.s("Xã, phường dẫn đầu", "Top communes")
		if side == "bottom" {
			head = t.s("Xã, phường cuối bảng", "Bottom communes")
		}
	}
	source := a.sourceIn(t.lang(), mp.Province)
	slide := chart.Slide{
		Title: head + t.s(" về ", " by ") + analytics.LowerFirst(t.label(m), t.en) + " — " + a.svc.fig.ProvinceNameIn(t.lang(), mp.Province),
		Subtitle: t.withSynthetic(t.window(mp.Window)+t.s("; xếp hạng trong "+strconv.Itoa(body.Ranked)+" xã, phường có số liệu",
			"; ranked among "+analytics.Plural(analytics.LangEN, float64(body.Ranked), "commune", "communes")+" with data"), a.deps.Synthetic),
		Footnote: t.footnote(source, mp.Window, t.unit(m)),
	}
	return builtChart{Name: "ranking", Spec: chart.Spec{Option: opt, Slide: &slide}, Table: table, CodeCols: []int{1}, Synthetic: a.deps.Synthetic}, nil
}
