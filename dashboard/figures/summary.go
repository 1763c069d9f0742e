package figures

import (
	"context"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/dashboard/chart"
)

// SummaryMetrics are the headline figures, in display order.
var SummaryMetrics = []analytics.MetricID{"models", "sites", "model_types", "advanced", "commune_coverage",
	"share_good", "incidents", "resolution_rate", "mediation_rate", "effectiveness"}

// Compared is a figure's change against the comparison window.
type Compared struct {
	Value    *float64 `json:"value"`
	Delta    *float64 `json:"delta"`
	DeltaPct *float64 `json:"delta_pct"`
	// TextVI follows the reports: "tăng 145 (+7,7%) so với cùng kỳ"; for
	// percentages the change is in points ("tăng 2,1 điểm phần trăm").
	TextVI string `json:"text_vi"`
	// PctTextVI is the short form "tăng 12,4% so với cùng kỳ" ("" when the
	// comparison is 0 or a percentage).
	PctTextVI string `json:"pct_text_vi"`
	// TextEN and PctTextEN are the same in English: "up 145 (+7.7%) on
	// the same period last year".
	TextEN    string `json:"text_en"`
	PctTextEN string `json:"pct_text_en"`
}

// SummaryFigure is one headline figure of a summary.
type SummaryFigure struct {
	Metric  MetricInfo `json:"metric"`
	Value   *float64   `json:"value"`
	Text    string     `json:"text_vi"`
	Compare *Compared  `json:"compare,omitempty"`
	// Reason says why Value is null; the composite lists its components
	// with and without a value.
	Reason            analytics.Reason     `json:"reason,omitempty"`
	ComponentsIn      []analytics.MetricID `json:"components_in,omitempty"`
	ComponentsMissing []analytics.MetricID `json:"components_missing,omitempty"`
}

// Share is one part of a breakdown with its count and percent.
type Share struct {
	Label    string  `json:"label"`
	N        uint64  `json:"n"`
	SharePct float64 `json:"share_pct"`
	Text     string  `json:"text_vi"` // "259 (12,8%)"
}

// Model is one model (mô hình) as the summary and the detail list it.
type Model struct {
	Key         string                `json:"key"`
	Name        string                `json:"name"`
	Type        string                `json:"type"`
	Sector      string                `json:"sector"`
	HostUnit    string                `json:"host_unit"`
	Commune     analytics.CommuneCode `json:"commune"`
	CommuneName string                `json:"commune_name"`
	Founded     string                `json:"founded"`
	Advanced    bool                  `json:"advanced"`
	Exemplary   bool                  `json:"exemplary"`
	SourcePlace string                `json:"source_place"`
	Rule        analytics.ResolveRule `json:"resolve_rule"`
}

// Summary answers /api/v1/summary (Service.Summary).
type Summary struct {
	Province      string          `json:"province"`
	ProvinceName  string          `json:"province_name"`
	Window        Window          `json:"window"`
	WindowCompare *Window         `json:"window_compare,omitempty"`
	Headline      string          `json:"headline_vi"` // "336 mô hình với 2.025 điểm mô hình"
	HeadlineEN    string          `json:"headline_en"`
	Figures       []SummaryFigure `json:"figures"`
	ModelTypes    []Share         `json:"model_types"`
	Exemplary     uint64          `json:"exemplary"`
	ExemplaryList []Model         `json:"exemplary_models"`
	AdvancedList  []Model         `json:"advanced_models"`
	Footnote      string          `json:"footnote_vi"`
	FootnoteEN    string          `json:"footnote_en"`
	Synthetic     bool            `json:"synthetic"`
	// Message replaces the headline when the province reported nothing
	// for the window ("Chưa có số liệu của tỉnh này").
	Message string `json:"message_vi,omitempty"`
}

// CompareTail says what a change is against, in Vietnamese
// (analytics.CompareTail).
func CompareTail(w, c analytics.Window) string {
	return CompareTailIn(analytics.LangVI, w, c)
}

// CompareTailIn is CompareTail in a language.
func CompareTailIn(lang analytics.Lang, w, c analytics.Window) string {
	year := ""
	if reYear.MatchString(c.Spec) {
		year = c.Spec
	}
	return analytics.CompareTail(lang, w, c, year)
}

// ChangeText writes a change the Vietnamese way.
func ChangeText(m analytics.Metric, delta float64, pct *float64) (full, short string) {
	return ChangeTextAgainst(m, delta, pct, " so với cùng kỳ")
}

// ChangeTextAgainst writes a change against the comparison tail says
// (analytics.ChangeTexts).
func ChangeTextAgainst(m analytics.Metric, delta float64, pct *float64, tail string) (full, short string) {
	return ChangeTextIn(analytics.LangVI, m, delta, pct, tail)
}

// ChangeTextIn writes a change in a language against the comparison tail
// says; for a percentage metric the change is in points, without a percent.
func ChangeTextIn(lang analytics.Lang, m analytics.Metric, delta float64, pct *float64, tail string) (full, short string) {
	if m.Percent {
		pct = nil
	}
	return analytics.ChangeTexts(lang, analytics.Change{Delta: delta, Pct: pct, Percent: m.Percent, Decimals: m.Decimals}, tail)
}

// Summary is the headline figures of province p ("" = all) over w, with
// their changes against cmp when given, the model types and the exemplary
// and advanced models; source names where the figures come from.
func (s *Service) Summary(ctx context.Context, p analytics.ProvinceCode, w analytics.Window, cmp *analytics.Window, source string) (Summary, error) {
	ts := s.Tables()
	out := Summary{Province: string(p), ProvinceName: s.ProvinceName(p), Window: WindowOf(w), WindowCompare: WindowPtr(cmp),
		Footnote: analytics.Footnote(analytics.LangVI, source, w, ""), Synthetic: s.synthetic,
		ModelTypes: []Share{}, ExemplaryList: []Model{}, AdvancedList: []Model{}}
	if p == "" {
		out.Province = analytics.ProvinceAll
	}
	var reqs []Req
	for _, id := range SummaryMetrics {
		m, _ := analytics.MetricByID(id)
		reqs = append(reqs, Req{Metric: m, Province: p, Window: w})
		if cmp != nil {
			reqs = append(reqs, Req{Metric: m, Province: p, Window: *cmp})
		}
	}
	if _, err := ts.GetAll(ctx, reqs); err != nil {
		return out, err
	}
	vals := map[analytics.MetricID]float64{}
	for _, id := range SummaryMetrics {
		m, _ := analytics.MetricByID(id)
		t, err := ts.Get(ctx, m, p, w)
		if err != nil {
			return out, err
		}
		tj := TotalsOf(t)
		f := SummaryFigure{Metric: MetricOf(m), Value: tj.Value, Text: tj.Text, Reason: tj.Reason,
			ComponentsIn: tj.ComponentsIn, ComponentsMissing: tj.ComponentsMissing}
		if t.TotalOK {
			vals[id] = t.Total
		}
		if cmp != nil {
			ct, err := ts.Get(ctx, m, p, *cmp)
			if err != nil {
				return out, err
			}
			c := &Compared{Value: TotalsOf(ct).Value}
			c.Delta, c.DeltaPct = Change(t, ct)
			if c.Delta != nil {
				c.TextVI, c.PctTextVI = ChangeTextIn(analytics.LangVI, m, *c.Delta, c.DeltaPct, CompareTailIn(analytics.LangVI, w, *cmp))
				c.TextEN, c.PctTextEN = ChangeTextIn(analytics.LangEN, m, *c.Delta, c.DeltaPct, CompareTailIn(analytics.LangEN, w, *cmp))
			}
			f.Compare = c
		}
		out.Figures = append(out.Figures, f)
	}
	_, hasModels := vals["models"]
	_, hasSites := vals["sites"]
	silent := true
	for _, id := range SummaryMetrics {
		m, _ := analytics.MetricByID(id)
		if t, _ := ts.Get(ctx, m, p, w); t != nil && !t.Silent {
			silent = false
		}
	}
	switch {
	case silent:
		full := s.PlaceFull(p)
		out.Message = analytics.ProvinceNoData(analytics.LangVI, full)
		out.Headline, out.HeadlineEN = out.Message, analytics.ProvinceNoData(analytics.LangEN, full)
	case hasModels && hasSites:
		out.Headline = chart.FormatNumber(vals["models"], 0) + " mô hình với " + chart.FormatNumber(vals["sites"], 0) + " điểm mô hình"
		out.HeadlineEN = analytics.Plural(analytics.LangEN, vals["models"], "model", "models") + " with " + analytics.Plural(analytics.LangEN, vals["sites"], "site", "sites")
	case hasSites:
		out.Headline = chart.FormatNumber(vals["sites"], 0) + " điểm mô hình"
		out.HeadlineEN = analytics.Plural(analytics.LangEN, vals["sites"], "site", "sites")
	default:
		out.Headline, out.HeadlineEN = analytics.NoDataVI, analytics.NoDataEN
	}

	shares, err := s.r.Breakdown(ctx, analytics.ByModelType, p, "", w)
	if err != nil {
		return out, err
	}
	out.ModelTypes = SharesOf(shares)
	facts, err := s.r.ProvinceFacts(ctx, p, w)
	if err != nil {
		return out, err
	}
	out.Exemplary = facts.Exemplary
	models, err := s.r.Models(ctx, p, "", w, 100000)
	if err != nil {
		return out, err
	}
	for _, m := range models {
		if m.Exemplary && len(out.ExemplaryList) < 100 {
			out.ExemplaryList = append(out.ExemplaryList, s.modelOf(m))
		}
		if m.Advanced && len(out.AdvancedList) < 100 {
			out.AdvancedList = append(out.AdvancedList, s.modelOf(m))
		}
	}
	return out, nil
}

func (s *Service) modelOf(m analytics.ModelRow) Model {
	j := Model{Key: m.Key, Name: m.Name, Type: m.Type, Sector: m.Sector, HostUnit: m.HostUnit, Commune: m.Commune,
		Advanced: m.Advanced, Exemplary: m.Exemplary, SourcePlace: m.SourcePlace, Rule: m.Rule}
	if c, ok := s.geo.Commune(m.Commune); ok {
		j.CommuneName = c.FullName
	}
	if !m.Founded.IsZero() {
		j.Founded = m.Founded.Format("2006-01-02")
	}
	return j
}

// SharesOf turns counts into shares with Vietnamese text.
func SharesOf(in []analytics.Share) []Share {
	var total uint64
	for _, sh := range in {
		total += sh.N
	}
	out := make([]Share, len(in))
	for i, sh := range in {
		var pct float64
		if total > 0 {
			pct = Round6(float64(sh.N) / float64(total) * 100)
		}
		out[i] = Share{Label: sh.Label, N: sh.N, SharePct: pct, Text: chart.FormatNumber(float64(sh.N), 0) + " (" + chart.FormatPercent(pct, 1) + ")"}
	}
	return out
}
