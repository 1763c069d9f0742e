package analytics

import (
	"slices"
	"sort"
)

// MetricID names a metric in URLs and in the catalogue.
type MetricID string

// Metric is one entry of the catalogue, the one place a metric is defined.
// Every metric is computed per 2025 commune as Num / Den × Scale, Num and Den
// being typed expressions over the columns of a source (measure.go); the
// store makes its SQL from them. A province's and the country's figure roll
// up as Roll says: Σnum / Σden × Scale over the communes with a value (so
// ratios are never averaged), Σnum for counts, the group's own distinct
// count, or the composite of the group's component figures.
//
// Adding a metric is one entry here and its expected values in the table
// of chstore's TestMetrics (see the README's recipe).
type Metric struct {
	ID       MetricID
	LabelVI  string
	LabelEN  string
	UnitVI   string
	UnitEN   string
	Formula  string  // how it is computed, in words
	Scale    float64 // 1, 100 (percent), 10000 (per 10,000 residents), ...
	Decimals int     // shown decimals
	// HigherIsBetter is the direction; a component of the composite whose
	// lower values are better enters it as 100 − value.
	HigherIsBetter bool
	Percent        bool // the value is a percentage
	Num, Den       Expr
	Roll           Roll
	// Weight is the metric's default weight in the composite index (0: not
	// a component).
	Weight float64
	// NoData says when the metric has no value, in words.
	NoData string
}

// SumTotal reports whether the metric is a count whose group figure is the
// sum of its communes'.
func (m Metric) SumTotal() bool { return m.Roll == RollSum }

// Composite reports whether the metric is computed from other metrics, not
// read from the store.
func (m Metric) Composite() bool { return m.Roll == RollComposite }

// Sources are the kinds of record the metric reads. A commune has no value
// (ReasonNoReports) when its province holds no record of one of them
// bearing on the window (Reporting): then a 0 would claim a count nobody
// reported.
func (m Metric) Sources() []Kind {
	var out []Kind
	for _, e := range []Expr{m.Num, m.Den} {
		for _, k := range e.sources() {
			if !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
	}
	return out
}

var (
	activeSites  = Count(KindSites, ActiveAtEnd())
	activeModels = Count(KindModels, ActiveAtEnd())
)

// Metrics is the catalogue, in display order.
var Metrics = []Metric{
	{ID: "models", LabelVI: "Số mô hình", LabelEN: "Models", UnitVI: "mô hình", UnitEN: "models",
		Formula: "models active at the end of the window (founded before it ends, not retired by then)", Scale: 1, HigherIsBetter: true,
		Num: activeModels, Den: One(), Roll: RollSum,
		NoData: "no model of the province founded by the window's end: no_reports (a province reporting models has real zeros in its other communes)"},
	{ID: "model_types", LabelVI: "Số loại mô hình", LabelEN: "Model types", UnitVI: "loại", UnitEN: "types",
		Formula: "distinct model types among the sites active at the end of the window", Scale: 1, HigherIsBetter: true,
		Num: Distinct(KindSites, ColModelType, ActiveAtEnd()), Den: One(), Roll: RollDistinct,
		NoData: "no site of the province opened by the window's end: no_reports"},
	{ID: "sites", LabelVI: "Số điểm mô hình", LabelEN: "Sites", UnitVI: "điểm", UnitEN: "sites",
		Formula: "sites active at the end of the window (opened before it ends, not retired by then)", Scale: 1, HigherIsBetter: true,
		Num: activeSites, Den: One(), Roll: RollSum,
		NoData: "no site of the province opened by the window's end: no_reports (a province reporting sites has real zeros in its other communes)"},
	{ID: "sites_per_commune", LabelVI: "Điểm mô hình bình quân mỗi xã", LabelEN: "Sites per commune", UnitVI: "điểm/xã", UnitEN: "sites per commune",
		Formula: "active sites ÷ 2025 communes", Scale: 1, Decimals: 1, HigherIsBetter: true,
		Num: activeSites, Den: One(), Roll: RollRatio,
		NoData: "as sites"},
	{ID: "sites_per_10k", LabelVI: "Điểm mô hình trên 10.000 dân", LabelEN: "Sites per 10,000 residents", UnitVI: "điểm/10.000 dân", UnitEN: "sites per 10,000 residents",
		Formula: "active sites ÷ population × 10,000; communes whose population is flagged have no data and are left out of totals", Scale: 10000, Decimals: 2, HigherIsBetter: true,
		Num: activeSites, Den: OfCommune(CommunePopulation), Roll: RollRatio,
		NoData: "as sites; a commune whose population is flagged: not_applicable"},
	{ID: "sites_per_100km2", LabelVI: "Điểm mô hình trên 100 km²", LabelEN: "Sites per 100 km²", UnitVI: "điểm/100 km²", UnitEN: "sites per 100 km²",
		Formula: "active sites ÷ official area (km²) × 100", Scale: 100, Decimals: 2, HigherIsBetter: true,
		Num: activeSites, Den: OfCommune(CommuneArea), Roll: RollRatio,
		NoData: "as sites; a commune without an official area: not_applicable"},
	{ID: "commune_coverage", LabelVI: "Tỷ lệ xã có mô hình", LabelEN: "Commune coverage", UnitVI: "%", UnitEN: "%",
		Formula: "2025 communes with at least one active site ÷ communes", Scale: 100, Decimals: 1, HigherIsBetter: true, Percent: true,
		Num: AnyOf(KindSites, ActiveAtEnd()), Den: One(), Roll: RollRatio,
		NoData: "as sites"},
	{ID: "former_coverage", LabelVI: "Tỷ lệ xã cũ có mô hình", LabelEN: "Coverage of former communes", UnitVI: "%", UnitEN: "%",
		Formula: "pre-2025 units inside a 2025 commune with at least one active site recorded under them ÷ those units", Scale: 100, Decimals: 1, HigherIsBetter: true, Percent: true,
		Num: FormerWithSites(ActiveAtEnd()), Den: FormerUnits(), Roll: RollRatio,
		NoData: "as sites; a commune with no former unit in the crosswalk: not_applicable"},
	{ID: "new_sites", LabelVI: "Điểm mô hình mới", LabelEN: "New sites", UnitVI: "điểm", UnitEN: "sites",
		Formula: "sites opened within the window", Scale: 1, HigherIsBetter: true,
		Num: Count(KindSites, Within(ColOpened)), Den: One(), Roll: RollSum,
		NoData: "as sites (a province reporting sites that opened none in the window has real zeros)"},
	{ID: "retired_sites", LabelVI: "Điểm mô hình thanh loại", LabelEN: "Retired sites", UnitVI: "điểm", UnitEN: "sites",
		Formula: "sites retired (thanh loại) within the window", Scale: 1, HigherIsBetter: false,
		Num: Count(KindSites, Within(ColRetired)), Den: One(), Roll: RollSum,
		NoData: "as sites"},
	{ID: "retirement_rate", LabelVI: "Tỷ lệ thanh loại", LabelEN: "Retirement rate", UnitVI: "%", UnitEN: "%",
		Formula: "sites retired within the window ÷ sites active at its start", Scale: 100, Decimals: 1, HigherIsBetter: false, Percent: true,
		Num: Count(KindSites, Within(ColRetired), StartedBefore()), Den: Count(KindSites, ActiveAtStart()), Roll: RollRatio, Weight: 0.15,
		NoData: "as sites; a commune with no site active at the window's start: not_applicable"},
	{ID: "share_good", LabelVI: "Tỷ lệ xếp loại Tốt, Khá", LabelEN: "Share graded Good or Fair", UnitVI: "%", UnitEN: "%",
		Formula: "sites graded Tốt or Khá in the police year the window ends in ÷ sites graded that year", Scale: 100, Decimals: 1, HigherIsBetter: true, Percent: true,
		Num: Count(KindGrades, In(ColGrade, GradesGood...)), Den: Count(KindGrades), Roll: RollRatio, Weight: 0.30,
		NoData: "no grade of the province for the police year the window ends in: no_reports, or partial_period while that year runs and earlier years were graded; a commune with no graded site: not_applicable"},
	{ID: "advanced", LabelVI: "Điển hình tiên tiến", LabelEN: "Advanced examples", UnitVI: "mô hình", UnitEN: "models",
		Formula: "active models recognised as advanced examples (điển hình tiên tiến)", Scale: 1, HigherIsBetter: true,
		Num: Count(KindModels, ActiveAtEnd(), Is(ColAdvanced)), Den: One(), Roll: RollSum,
		NoData: "as models"},
	{ID: "incidents", LabelVI: "Vụ việc tiếp nhận", LabelEN: "Incidents received", UnitVI: "vụ việc", UnitEN: "incidents",
		Formula: "incidents (not tips) received within the window", Scale: 1, HigherIsBetter: false,
		Num: IncidentsReceived, Den: IncidentRecords, Roll: RollSum,
		NoData: "no incident or tip of the province received within the window: no_reports, or partial_period while the window runs and earlier ones were reported"},
	{ID: "resolved_local", LabelVI: "Vụ việc giải quyết tại cơ sở", LabelEN: "Resolved at the grassroots", UnitVI: "vụ việc", UnitEN: "incidents",
		Formula: "incidents received within the window and mediated successfully or resolved at the grassroots", Scale: 1, HigherIsBetter: true,
		Num: IncidentsResolved, Den: IncidentRecords, Roll: RollSum,
		NoData: "as incidents"},
	{ID: "resolution_rate", LabelVI: "Tỷ lệ giải quyết tại cơ sở", LabelEN: "Grassroots resolution rate", UnitVI: "%", UnitEN: "%",
		Formula: "resolved at the grassroots ÷ incidents received", Scale: 100, Decimals: 1, HigherIsBetter: true, Percent: true,
		Num: IncidentsResolved, Den: IncidentsReceived, Roll: RollRatio, Weight: 0.25,
		NoData: "as incidents; a commune with no incident received: not_applicable"},
	{ID: "mediation_rate", LabelVI: "Tỷ lệ hòa giải thành", LabelEN: "Mediation success rate", UnitVI: "%", UnitEN: "%",
		Formula: "hòa giải thành ÷ (hòa giải thành + hòa giải không thành)", Scale: 100, Decimals: 1, HigherIsBetter: true, Percent: true,
		Num: IncidentsMediated, Den: MediationsEnded, Roll: RollRatio, Weight: 0.20,
		NoData: "as incidents; a commune with no mediation concluded: not_applicable"},
	{ID: "tips", LabelVI: "Tin báo của quần chúng", LabelEN: "Tips from the public", UnitVI: "tin", UnitEN: "tips",
		Formula: "tips (tin báo) received within the window", Scale: 1, HigherIsBetter: true,
		Num: TipsReceived, Den: IncidentRecords, Roll: RollSum,
		NoData: "as incidents"},
	{ID: "useful_tip_share", LabelVI: "Tỷ lệ tin có giá trị", LabelEN: "Share of useful tips", UnitVI: "%", UnitEN: "%",
		Formula: "useful tips (tin có giá trị) ÷ tips", Scale: 100, Decimals: 1, HigherIsBetter: true, Percent: true,
		Num: TipsUseful, Den: TipsReceived, Roll: RollRatio, Weight: 0.10,
		NoData: "as incidents; a commune with no tip: not_applicable"},
	{ID: "median_days", LabelVI: "Số ngày giải quyết (trung vị)", LabelEN: "Median days to resolve", UnitVI: "ngày", UnitEN: "days",
		Formula: "median of days from receipt to closure, incidents received within the window and closed", Scale: 1, Decimals: 1, HigherIsBetter: false,
		Num: MedianDays(Not(ColTip), Has(ColClosed)).From("days_quantile"), Den: AnyOf(KindIncidents, Not(ColTip), Has(ColClosed)).From("closed"), Roll: RollRatio,
		NoData: "as incidents; a commune with no incident closed: not_applicable"},
	{ID: "incidents_per_site", LabelVI: "Vụ việc trên mỗi điểm mô hình", LabelEN: "Incidents per site", UnitVI: "vụ việc/điểm", UnitEN: "incidents per site",
		Formula: "incidents received within the window ÷ sites active at its end", Scale: 1, Decimals: 2, HigherIsBetter: true,
		Num: IncidentsReceived, Den: activeSites, Roll: RollRatio,
		NoData: "as incidents and as sites; a commune with no active site: not_applicable"},
	{ID: "effectiveness", LabelVI: "Chỉ số hiệu quả tổng hợp", LabelEN: "Composite effectiveness index", UnitVI: "điểm (0–100)", UnitEN: "points (0–100)",
		Formula: "weighted mean of share_good, resolution_rate, mediation_rate, useful_tip_share and (100 − retirement_rate), each 0–100; weights configurable; a component with no data drops out and the rest are re-weighted, and the index has a value only when the components with a value carry at least 70 % of the weight", Scale: 1, Decimals: 1, HigherIsBetter: true,
		Roll:   RollComposite,
		NoData: "insufficient_components when the components with a value carry less than 70 % of the weight (CompositeMinWeight)"},
}

// MetricByID returns the catalogue entry for id.
func MetricByID(id MetricID) (Metric, bool) {
	for _, m := range Metrics {
		if m.ID == id {
			return m, true
		}
	}
	return Metric{}, false
}

// MetricIDs lists the ids, for error messages and the API docs.
func MetricIDs() []string {
	out := make([]string, len(Metrics))
	for i, m := range Metrics {
		out[i] = string(m.ID)
	}
	return out
}

// EffectivenessWeights weighs the components of the composite index.
type EffectivenessWeights map[MetricID]float64

// DefaultEffectivenessWeights are the documented default weights: each
// catalogue entry's Weight.
var DefaultEffectivenessWeights = defaultWeights()

func defaultWeights() EffectivenessWeights {
	w := EffectivenessWeights{}
	for _, m := range Metrics {
		if m.Weight > 0 {
			w[m.ID] = m.Weight
		}
	}
	return w
}

// CompositeMinWeight is the share of the weight whose components must
// have a value for the composite index to have one: below it the index
// would stand for one or two components while claiming five.
const CompositeMinWeight = 0.70

// CompositeResult is the composite index of one commune or province.
type CompositeResult struct {
	Index float64
	OK    bool // false: ReasonInsufficientComponents
	// In are the components that had a value, Missing those that had not,
	// each sorted by id; Weight is the share of the weight In carries.
	In, Missing []MetricID
	Weight      float64
}

// Composite computes the composite index (0–100) from component values
// (percentages, nil = no data): the weighted mean of the components with a
// value, re-weighted over them, when they carry at least CompositeMinWeight
// of the weight; else no value.
func Composite(w EffectivenessWeights, values map[MetricID]*float64) CompositeResult {
	var r CompositeResult
	var sum, weight, total float64
	ids := make([]MetricID, 0, len(w))
	for id := range w {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		wt := w[id]
		if wt <= 0 {
			continue
		}
		total += wt
		v := values[id]
		if v == nil {
			r.Missing = append(r.Missing, id)
			continue
		}
		r.In = append(r.In, id)
		x := *v
		if m, ok := MetricByID(id); ok && !m.HigherIsBetter {
			x = 100 - x // a rate whose lower values are better
		}
		x = max(0, min(100, x))
		sum += wt * x
		weight += wt
	}
	if total == 0 {
		return r
	}
	r.Weight = weight / total
	if weight == 0 || r.Weight < CompositeMinWeight-1e-9 {
		return r
	}
	r.Index, r.OK = sum/weight, true
	return r
}

// Component is one component's figure for a commune or a group, as the
// composite index reads it: its value, or why it has none.
type Component struct {
	Value  float64
	OK     bool
	Reason Reason // why there is no value
}

// CompositeFigure computes the composite index of one commune or group
// from its components' figures (Composite), and, when it has no value, why:
// when no component has a value and all lack it for the same reason (no
// reports, period not started), that reason; else
// ReasonInsufficientComponents.
func CompositeFigure(w EffectivenessWeights, comps map[MetricID]Component) (CompositeResult, Reason) {
	vals := map[MetricID]*float64{}
	why := map[Reason]int{}
	for id, c := range comps {
		if c.OK {
			v := c.Value
			vals[id] = &v
		} else {
			why[c.Reason]++
		}
	}
	r := Composite(w, vals)
	if r.OK {
		return r, ""
	}
	if len(r.In) == 0 && len(why) == 1 {
		for reason := range why {
			if reason != ReasonNotApplicable {
				return r, reason
			}
		}
	}
	return r, ReasonInsufficientComponents
}

// CommuneFigure is one commune's raw figure for a metric: value = Num / Den ×
// Scale; Den = 0 means no data.
type CommuneFigure struct {
	Commune CommuneCode
	Num     float64
	Den     float64
}

// Value returns the figure's value, and false when there is no data.
func (f CommuneFigure) Value(m Metric) (float64, bool) {
	if f.Den == 0 {
		return 0, false
	}
	if m.SumTotal() || m.Scale == 1 && f.Den == 1 {
		return f.Num * m.Scale / f.Den, true
	}
	return f.Num / f.Den * m.Scale, true
}

// RollUp is the figure of a group of communes (a province, the country)
// from the figures of those with a value, as m.Roll says: Σnum × Scale for
// counts, Σnum / Σden × Scale for ratios (never averaged), and for a
// distinct count (RollDistinct) the group's own count, distinct, which the
// caller reads from the store (the sum of the communes' would count a value
// twice). ok is false when no commune has a value, or the denominators add
// up to 0. The composite is computed from its components' group figures
// (CompositeFigure), not here.
func RollUp(m Metric, withValue []CommuneFigure, distinct float64) (value, num, den float64, ok bool) {
	for _, f := range withValue {
		num += f.Num
		den += f.Den
	}
	switch {
	case len(withValue) == 0:
		return 0, num, den, false
	case m.Roll == RollDistinct:
		return distinct, num, den, true
	case m.Roll == RollSum:
		return num * m.Scale, num, den, true
	case den > 0:
		return num / den * m.Scale, num, den, true
	}
	return 0, num, den, false
}
