package charts

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/dashboard/chart"
	"github.com/antq-atlas/antq/dashboard/figures"
)

// The other charts: the trend by police year, the breakdown by a
// dimension and the ranking of communes.

// Trend is the metric by police period.
func (b *Builder) Trend(ctx context.Context, t Text, sp figures.SeriesQuery) (Built, error) {
	body, err := b.fig.Series(ctx, sp)
	if err != nil {
		return Built{}, err
	}
	m := sp.Metric
	cats := make([]string, len(body.Points))
	vals := make([]float64, len(body.Points))
	table := [][]string{{t.S("Kỳ", "Period"), t.S("Từ ngày", "From"), t.S("Đến ngày", "To"), t.Label(m)}}
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
	opt, err := chart.Line(chart.LineInput{Categories: cats, Series: []chart.NamedValues{{Name: t.Label(m), Values: vals}},
		Unit: t.Unit(m), Decimals: m.Decimals, Labels: true, Partial: partial, Lang: t.Lang()})
	if err != nil {
		return Built{}, err
	}
	place := b.fig.ProvinceNameIn(t.Lang(), sp.Province)
	if sp.Commune != "" {
		if c, ok := b.set.Commune(sp.Commune); ok {
			place = c.FullName + ", " + place
		}
	}
	w := analytics.Window{From: sp.From, To: sp.To}.AsOf(b.now())
	source := b.sourceIn(t.Lang(), sp.Province)
	span := ""
	if len(cats) > 0 {
		span = " " + cats[0] + "–" + cats[len(cats)-1]
	}
	byVI := map[string]string{"year": "năm công an", "half": "6 tháng (kỳ công an)", "quarter": "quý (kỳ công an)", "month": "tháng công an (15 đến 14)"}[sp.By]
	slide := chart.Slide{
		Title:    t.Label(m) + t.S(" theo "+byVI, " by police "+sp.By) + span + " — " + place,
		Subtitle: t.WithSynthetic(t.Window(w), b.synthetic),
		Footnote: t.Footnote(source, w, t.Unit(m)),
	}
	return Built{Name: "trend", Spec: chart.Spec{Option: opt, Slide: &slide}, Table: table, Synthetic: b.synthetic}, nil
}

// breakdownTitles say what a breakdown shows.
var breakdownTitles = map[string][2]string{
	analytics.ByModelType: {"Điểm mô hình theo loại mô hình", "Sites by model type"},
	analytics.BySector:    {"Điểm mô hình theo lĩnh vực", "Sites by sector"},
	analytics.ByGrade:     {"Điểm mô hình theo xếp loại", "Sites by grade"},
	analytics.ByCategory:  {"Vụ việc theo loại", "Incidents by category"},
	analytics.ByOutcome:   {"Vụ việc theo kết quả", "Incidents by outcome"},
}

// Breakdown is the active sites (or incidents) by a dimension, the top
// groups by name and the rest summed.
func (b *Builder) Breakdown(ctx context.Context, t Text, by string, p analytics.ProvinceCode, c analytics.CommuneCode, w analytics.Window, top int) (Built, error) {
	body, err := b.fig.Breakdown(ctx, by, p, c, w)
	if err != nil {
		return Built{}, err
	}
	shares := topShares(body.Shares, top, t)
	unit := t.S("điểm", "sites")
	if by == analytics.ByCategory || by == analytics.ByOutcome {
		unit = t.S("vụ việc", "incidents")
	}
	cats := make([]string, len(shares))
	vals := make([]float64, len(shares))
	table := [][]string{{t.S("Nhóm", "Group"), t.S("Số lượng", "Count"), t.S("Tỷ lệ (%)", "Share (%)")}}
	for i, sh := range shares {
		label := analytics.ValueLabel(t.Lang(), sh.Label) // grades, outcomes, sectors in English too
		cats[i], vals[i] = label, float64(sh.N)
		table = append(table, []string{label, strconv.FormatUint(sh.N, 10), strconv.FormatFloat(sh.SharePct, 'f', 1, 64)})
	}
	if len(cats) == 0 { // an empty chart still says what it is
		cats, vals = []string{t.S("Không có số liệu", "No data")}, []float64{math.NaN()}
	}
	opt, err := chart.Bar(chart.BarInput{Categories: cats, Series: []chart.NamedValues{{Name: t.S(body.Counted, body.CountedEN), Values: vals}},
		Unit: unit, Horizontal: true, Labels: true})
	if err != nil {
		return Built{}, err
	}
	place := b.fig.ProvinceNameIn(t.Lang(), p)
	if c != "" {
		if cc, ok := b.set.Commune(c); ok {
			place = analytics.CommuneName(t.Lang(), cc.FullName) + ", " + place
		}
	}
	source := b.sourceIn(t.Lang(), p)
	bt := breakdownTitles[by]
	slide := chart.Slide{
		Title:    t.S(bt[0], bt[1]) + " — " + place,
		Subtitle: t.WithSynthetic(t.Window(w)+t.S("; tổng "+body.TotalText+" "+unit, "; total "+analytics.Plural(analytics.LangEN, float64(body.Total), strings.TrimSuffix(unit, "s"), unit)), b.synthetic),
		Footnote: t.Footnote(source, w, unit),
	}
	return Built{Name: "breakdown", Spec: chart.Spec{Option: opt, Slide: &slide}, Table: table, Synthetic: b.synthetic}, nil
}

// DefaultTop is how many groups a breakdown chart shows by name before the
// rest are summed into "Khác" (top=): with more than DefaultTop+1 groups
// the bars would be too thin to label on a slide.
const DefaultTop = 11

// topShares keeps shares as they are when there are at most top+1 of them;
// otherwise it keeps the top largest (ties by label) and sums the rest into
// one last group "Khác (n nhóm)" / "Other (n groups)", so the counts and
// shares still add up to the total. shares is not changed.
func topShares(shares []figures.Share, top int, t Text) []figures.Share {
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
	other := figures.Share{Label: t.S(fmt.Sprintf("Khác (%d nhóm)", len(rest)), fmt.Sprintf("Other (%d groups)", len(rest)))}
	for _, sh := range rest {
		other.N += sh.N
		other.SharePct += sh.SharePct
	}
	other.SharePct = math.Round(other.SharePct*1e6) / 1e6
	other.Text = chart.FormatNumber(float64(other.N), 0) + " (" + chart.FormatPercent(other.SharePct, 1) + ")"
	return append(sorted[:top:top], other)
}

// Ranking is the best (side top) or worst (bottom) n communes.
func (b *Builder) Ranking(ctx context.Context, t Text, mp figures.MapQuery, side string, n int) (Built, error) {
	body, err := b.fig.Ranking(ctx, mp, 0)
	if err != nil {
		return Built{}, err
	}
	m := mp.Metric
	rows := body.Side(side, n)
	cats := make([]string, len(rows))
	vals := make([]float64, len(rows))
	table := [][]string{{analytics.RankColumn(t.Lang(), body.Ranked), t.S("Mã xã", "Commune code"), t.S("Tên", "Name"), t.Label(m)}}
	for i, r := range rows {
		cats[i], vals[i] = r.Name, r.Value
		table = append(table, []string{strconv.Itoa(r.Rank), string(r.Code), r.Name, csvNumber(r.Value)})
	}
	if len(cats) == 0 {
		cats, vals = []string{t.S("Không có số liệu", "No data")}, []float64{math.NaN()}
	}
	opt, err := chart.Bar(chart.BarInput{Categories: cats, Series: []chart.NamedValues{{Name: t.Label(m), Values: vals}},
		Unit: t.Unit(m), Decimals: m.Decimals, Horizontal: true, Labels: true})
	if err != nil {
		return Built{}, err
	}
	head := t.S(strconv.Itoa(len(rows))+" xã, phường dẫn đầu", "Top "+analytics.Plural(analytics.LangEN, float64(len(rows)), "commune", "communes"))
	if side == "bottom" {
		head = t.S(strconv.Itoa(len(rows))+" xã, phường cuối bảng", "Bottom "+analytics.Plural(analytics.LangEN, float64(len(rows)), "commune", "communes"))
	}
	if len(rows) == 0 { // no "0 xã, phường dẫn đầu"
		head = t.S("Xã, phường dẫn đầu", "Top communes")
		if side == "bottom" {
			head = t.S("Xã, phường cuối bảng", "Bottom communes")
		}
	}
	source := b.sourceIn(t.Lang(), mp.Province)
	slide := chart.Slide{
		Title: head + t.S(" về ", " by ") + analytics.LowerFirst(t.Label(m), t.EN) + " — " + b.fig.ProvinceNameIn(t.Lang(), mp.Province),
		Subtitle: t.WithSynthetic(t.Window(mp.Window)+t.S("; xếp hạng trong "+strconv.Itoa(body.Ranked)+" xã, phường có số liệu",
			"; ranked among "+analytics.Plural(analytics.LangEN, float64(body.Ranked), "commune", "communes")+" with data"), b.synthetic),
		Footnote: t.Footnote(source, mp.Window, t.Unit(m)),
	}
	return Built{Name: "ranking", Spec: chart.Spec{Option: opt, Slide: &slide}, Table: table, CodeCols: []int{1}, Synthetic: b.synthetic}, nil
}
