package figures

import (
	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune"
	"github.com/antq-atlas/antq/dashboard/chart"
)

// Window states a window: first and last day (inclusive) and the label
// Vietnamese reports print.
type Window struct {
	Spec    string `json:"spec"`
	From    string `json:"from"`
	To      string `json:"to"` // the last day, inclusive
	LabelVI string `json:"label_vi"`
	LabelEN string `json:"label_en"`
	// Partial: the period has not ended; the window runs to today and
	// PeriodTo is the period's last day. SameSpan: a comparison cut to
	// the elapsed span of a partial period.
	Partial  bool   `json:"partial,omitempty"`
	PeriodTo string `json:"period_to,omitempty"`
	SameSpan bool   `json:"same_span,omitempty"`
}

// WindowOf states window w for the API.
func WindowOf(w analytics.Window) Window {
	j := Window{Spec: w.Spec, From: w.From.Format("2006-01-02"), To: w.Last().Format("2006-01-02"), LabelVI: w.LabelVI(), LabelEN: w.LabelEN(),
		Partial: w.Partial, SameSpan: w.Cut}
	if w.Partial {
		j.PeriodTo = w.PeriodTo.AddDate(0, 0, -1).Format("2006-01-02")
	}
	return j
}

// WindowPtr is WindowOf of an optional window (nil for none).
func WindowPtr(w *analytics.Window) *Window {
	if w == nil {
		return nil
	}
	j := WindowOf(*w)
	return &j
}

// MetricInfo is a catalogue entry as the API writes it.
type MetricInfo struct {
	ID             analytics.MetricID `json:"id"`
	LabelVI        string             `json:"label_vi"`
	LabelEN        string             `json:"label_en"`
	UnitVI         string             `json:"unit_vi"`
	UnitEN         string             `json:"unit_en"`
	Formula        string             `json:"formula"`
	Scale          float64            `json:"scale"`
	Decimals       int                `json:"decimals"`
	HigherIsBetter bool               `json:"higher_is_better"`
	SumTotal       bool               `json:"sum_total"`
	Percent        bool               `json:"percent"`
	Composite      bool               `json:"composite"`
}

// MetricOf is catalogue entry m as the API writes it.
func MetricOf(m analytics.Metric) MetricInfo {
	return MetricInfo{ID: m.ID, LabelVI: m.LabelVI, LabelEN: m.LabelEN, UnitVI: m.UnitVI, UnitEN: m.UnitEN, Formula: m.Formula,
		Scale: m.Scale, Decimals: m.Decimals, HigherIsBetter: m.HigherIsBetter, SumTotal: m.SumTotal(), Percent: m.Percent, Composite: m.Composite()}
}

// Catalogue is the body of /api/v1/metrics: the metric catalogue with
// what the other parameters take.
type Catalogue struct {
	Metrics []MetricInfo                   `json:"metrics"`
	Weights map[analytics.MetricID]float64 `json:"effectiveness_weights"`
	Periods string                         `json:"period_forms"`
	Dims    []string                       `json:"breakdown_dimensions"`
	Buckets []string                       `json:"series_buckets"`
	Levels  []commune.Level                `json:"simplify_levels"`
}

// Catalogue lists every metric, the composite index's weights, the period
// forms, breakdown dimensions, series buckets and boundary levels.
func (s *Service) Catalogue() Catalogue {
	out := Catalogue{Weights: s.Weights(), Periods: analytics.PeriodForms, Dims: analytics.BreakdownDims, Buckets: analytics.Buckets, Levels: commune.Levels}
	for _, m := range analytics.Metrics {
		out.Metrics = append(out.Metrics, MetricOf(m))
	}
	return out
}

// Totals is the province figure of a metric table.
type Totals struct {
	Value    *float64 `json:"value"`
	Text     string   `json:"text_vi"` // "2.025", "75,6%"; "Không có số liệu (…)" without a value
	Num      float64  `json:"num"`
	Den      float64  `json:"den"`
	Communes int      `json:"communes"`
	NoData   int      `json:"communes_no_data"`
	// Reason says why Value is null; Message replaces the figure when the
	// province reported nothing of the kind ("Chưa có số liệu của tỉnh
	// này"). The composite lists its components with and without a value.
	Reason            analytics.Reason     `json:"reason,omitempty"`
	Message           string               `json:"message_vi,omitempty"`
	MessageEN         string               `json:"message_en,omitempty"`
	ComponentsIn      []analytics.MetricID `json:"components_in,omitempty"`
	ComponentsMissing []analytics.MetricID `json:"components_missing,omitempty"`
}

// TotalsOf is the province figure of table t with its text, or why it has none.
func TotalsOf(t *Table) Totals {
	j := Totals{Num: Round6(t.SumNum), Den: Round6(t.SumDen), Communes: t.Communes, NoData: t.NoData,
		ComponentsIn: t.In, ComponentsMissing: t.Missing}
	if t.TotalOK {
		v := Round6(t.Total)
		j.Value = &v
		j.Text = FormatValue(t.Metric, t.Total)
		return j
	}
	j.Reason = t.TotalReason
	j.Text = NoDataText(t.TotalReason)
	if t.Silent {
		j.Message = analytics.ProvinceNoData(analytics.LangVI, t.PlaceFull)
		j.MessageEN = analytics.ProvinceNoData(analytics.LangEN, t.PlaceFull)
	}
	return j
}

// NoDataText is what a figure without a value says: "Không có số liệu
// (không có báo cáo)".
func NoDataText(r analytics.Reason) string {
	if r == "" {
		return analytics.NoDataVI
	}
	return analytics.NoDataVI + " (" + r.LabelVI() + ")"
}

// FormatValue writes a value the Vietnamese way with the metric's decimals.
func FormatValue(m analytics.Metric, v float64) string {
	if m.Percent {
		return chart.FormatPercent(v, m.Decimals)
	}
	return chart.FormatNumber(v, m.Decimals)
}

// CommuneInfo is one 2025 commune of /api/v1/communes.
type CommuneInfo struct {
	Code           analytics.CommuneCode  `json:"code"`
	Name           string                 `json:"name"`
	FullName       string                 `json:"full_name"`
	Kind           string                 `json:"kind"`
	Province       analytics.ProvinceCode `json:"province"`
	AreaKm2        float64                `json:"area_km2"`
	AreaFlag       string                 `json:"area_flag,omitempty"`
	Population     *int64                 `json:"population"` // null when flagged or missing: no data
	PopulationFlag string                 `json:"population_flag,omitempty"`
	Center         [2]float64             `json:"center"` // lon, lat (WGS84)
	FormerUnits    []Former               `json:"former_units"`
	FormerRaw      string                 `json:"former_units_raw"`
}

// Former is one pre-2025 unit a commune was formed from.
type Former struct {
	Name      string `json:"name"`
	Qualifier string `json:"qualifier,omitempty"`
	Partial   bool   `json:"partial"`
}

// CommuneOf is commune c as /api/v1/communes writes it.
func CommuneOf(c *commune.Commune) CommuneInfo {
	j := CommuneInfo{Code: c.Code, Name: c.Name, FullName: c.FullName, Kind: string(c.Kind), Province: c.Province,
		AreaKm2: Round6(c.AreaKm2), AreaFlag: c.AreaFlag, PopulationFlag: c.PopulationFlag(),
		Center: [2]float64{Round6(c.Center[0]), Round6(c.Center[1])}, FormerUnits: []Former{}, FormerRaw: c.FormerRaw}
	if v, ok := c.Population(); ok {
		j.Population = &v
	}
	for _, f := range c.Former {
		j.FormerUnits = append(j.FormerUnits, Former{Name: f.Name, Qualifier: f.Qualifier, Partial: f.Partial})
	}
	return j
}
