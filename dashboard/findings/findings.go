// Package findings gathers the inputs of finding.All (the sentences
// a leader reads first) through the metric tables of dashboard/figures and
// the Reader, and shapes them for /api/v1/findings and the XLSX export's
// findings sheet. What counts as a finding is decided in
// analytics/finding; this package holds no Fiber.
package findings

import (
	"context"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune"
	"github.com/antq-atlas/antq/analytics/finding"
	"github.com/antq-atlas/antq/dashboard/chart"
	"github.com/antq-atlas/antq/dashboard/figures"
)

// Service answers the findings of a province.
type Service struct {
	fig       *figures.Service
	r         analytics.Reader
	geo       *commune.Set
	synthetic bool
}

// New is a Service over the figures' metric tables and the Reader (the
// models and sites lists); synthetic marks a demo store's bodies.
func New(fig *figures.Service, r analytics.Reader, geo *commune.Set, synthetic bool) *Service {
	return &Service{fig: fig, r: r, geo: geo, synthetic: synthetic}
}

// rates are the rates compared between periods and tested for
// outliers; counts the counts compared.
var (
	rates  = []analytics.MetricID{"resolution_rate", "mediation_rate", "share_good", "useful_tip_share"}
	counts = []analytics.MetricID{"incidents"}
)

// NotAvailable says which inputs of the findings the store cannot
// give yet, so their absence is not read as "nothing to report".
var NotAvailable = []string{
	"grades per model (sites of exemplary and advanced models graded Yếu) / xếp loại theo mô hình",
	"rows rejected in the last loads (the store keeps no load summaries) / số dòng bị loại trong các lần nạp",
	"former communes of whole districts silent since the merger / xã cũ theo huyện",
	"reporting gaps of models (incidents are not kept per model) / thiếu báo cáo theo mô hình",
}

// Place is a commune a finding names.
type Place struct {
	Code analytics.CommuneCode `json:"code"`
	Name string                `json:"name"`
}

// Model is an exemplary or advanced model a finding names.
type Model struct {
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

// Figures are the numbers behind a finding; absent ones are omitted.
type Figures struct {
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

// Finding is one finding of /api/v1/findings, ranked.
type Finding struct {
	Rank          int                `json:"rank"`
	Kind          string             `json:"kind"`
	Severity      string             `json:"severity"`
	Metric        analytics.MetricID `json:"metric,omitempty"`
	Text          string             `json:"text"` // in the language asked (lang=)
	TextVI        string             `json:"text_vi"`
	TextEN        string             `json:"text_en"`
	Communes      []Place            `json:"communes"`
	Models        []Model            `json:"models,omitempty"`
	Figures       Figures            `json:"figures"`
	Window        figures.Window     `json:"window"`
	WindowCompare *figures.Window    `json:"window_compare,omitempty"`
	Method        string             `json:"method,omitempty"` // in the language asked
	MethodVI      string             `json:"method_vi,omitempty"`
	MethodEN      string             `json:"method_en,omitempty"`
	Link          string             `json:"link"`
}

// Thresholds are the thresholds the findings were found with
// (analytics/finding), so a reader can check them.
type Thresholds struct {
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

// Body is the body of /api/v1/findings.
type Body struct {
	Province      string          `json:"province"`
	ProvinceName  string          `json:"province_name"`
	Lang          string          `json:"lang"`
	Window        figures.Window  `json:"window"`
	WindowCompare *figures.Window `json:"window_compare,omitempty"`
	Findings      []Finding       `json:"findings"`
	Thresholds    Thresholds      `json:"thresholds"`
	NotAvailable  []string        `json:"not_available"`
	Footnote      string          `json:"footnote_vi"`
	FootnoteEN    string          `json:"footnote_en"`
	Synthetic     bool            `json:"synthetic"`
}

// Input gathers the per-commune inputs of finding.All for a
// province, a window and an optional compared window.
func (s *Service) Input(ctx context.Context, p analytics.ProvinceCode, w analytics.Window, cmp *analytics.Window) (finding.Input, error) {
	in := finding.Input{
		Context: finding.Context{Province: p, ProvinceName: s.fig.ProvinceName(p), Window: w, Compare: cmp, Format: chart.FormatNumber},
		Rates:   map[analytics.MetricID][]finding.CommuneRatio{},
		Counts:  map[analytics.MetricID][]finding.CommuneRatio{},
	}
	earlier := make([]analytics.Window, finding.GapMinPeriods)
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
	for _, id := range append(append([]analytics.MetricID(nil), rates...), counts...) {
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
	ratio := func(t *figures.Table, c analytics.CommuneCode) finding.Ratio {
		f, ok := t.Lookup(c)
		if !ok || !f.OK {
			return finding.Ratio{}
		}
		return finding.Ratio{Num: f.Num, Den: f.Den, Known: true}
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
		in.Sites = append(in.Sites, finding.CommuneSites{Place: finding.Place{Code: c.Code, Name: c.FullName},
			Sites: ratio(sites, c.Code), Density: ratio(dens, c.Code)})
	}
	pairs := func(id analytics.MetricID) ([]finding.CommuneRatio, error) {
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
		out := make([]finding.CommuneRatio, len(cs))
		for i, c := range cs {
			out[i] = finding.CommuneRatio{Place: finding.Place{Code: c.Code, Name: c.FullName}, Now: ratio(now, c.Code)}
			if before != nil {
				out[i].Before = ratio(before, c.Code)
			}
		}
		return out, nil
	}
	for _, id := range rates {
		if in.Rates[id], err = pairs(id); err != nil {
			return in, err
		}
	}
	for _, id := range counts {
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
		h := finding.CommuneHistory{Place: finding.Place{Code: c.Code, Name: c.FullName}, Now: ratio(now, c.Code)}
		if provinceReported && !h.Now.Known {
			h.Now = finding.Ratio{Num: 0, Den: 1, Known: true}
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
		place := finding.Place{Code: m.Commune}
		if c, ok := s.geo.Commune(m.Commune); ok {
			place.Name = c.FullName
		}
		in.Models = append(in.Models, finding.ModelStatus{Key: m.Key, Name: m.Name, Commune: place, Advanced: m.Advanced, Exemplary: m.Exemplary,
			Retired: !activeEnd[m.Key], RetiredSites: retiredByModel[m.Name]})
	}

	// Data quality: active sites restated through split former communes.
	split := 0
	for _, sp := range sEnd {
		if sp.Split {
			split++
		}
	}
	in.Quality = finding.DataQuality{Rows: len(sEnd), SplitRows: split, RowsKnown: len(sEnd) > 0,
		RowsWhatVI: "điểm mô hình đang hoạt động", RowsWhatEN: "active sites"}
	return in, nil
}

// Answer is the body of /api/v1/findings: source names the province's
// source in Vietnamese, sourceEN in English.
func (s *Service) Answer(ctx context.Context, p analytics.ProvinceCode, w analytics.Window, cmp *analytics.Window, lang, source, sourceEN string) (Body, error) {
	out := Body{Province: string(p), ProvinceName: s.fig.ProvinceName(p), Lang: lang, Window: figures.WindowOf(w), WindowCompare: figures.WindowPtr(cmp),
		Findings: []Finding{}, NotAvailable: NotAvailable, Synthetic: s.synthetic,
		Footnote:   analytics.Footnote(analytics.LangVI, source, w, ""),
		FootnoteEN: analytics.Footnote(analytics.LangEN, sourceEN, w, ""),
		Thresholds: Thresholds{MinCases: finding.MinCases, ChangeMinPoints: finding.ChangeMinPoints,
			ChangeMinRelative: finding.ChangeMinRelative, ChangeMinZ: finding.ChangeMinZ, OutlierZ: finding.OutlierZ,
			OutlierMethodVI: finding.OutlierMethodVI, OutlierMethodEN: finding.OutlierMethodEN,
			CoverageFarBelow: finding.CoverageFarBelow, GapMinPeriods: finding.GapMinPeriods,
			SplitShareNotable: finding.SplitShareNotable, RejectShareNotable: finding.RejectShareNotable}}
	in, err := s.Input(ctx, p, w, cmp)
	if err != nil {
		return out, err
	}
	for i, f := range finding.All(in) {
		out.Findings = append(out.Findings, findingOf(i+1, f, lang))
	}
	return out, nil
}

func findingOf(rank int, f finding.Finding, lang string) Finding {
	j := Finding{Rank: rank, Kind: string(f.Kind), Severity: string(f.Severity), Metric: f.Metric, Text: f.TextVI, TextVI: f.TextVI, TextEN: f.TextEN,
		Communes: []Place{}, Window: figures.WindowOf(f.Window), WindowCompare: figures.WindowPtr(f.Compare), Method: f.MethodVI, MethodVI: f.MethodVI, MethodEN: f.MethodEN, Link: f.Link,
		Figures: Figures{Value: f.Figures.Value, Compare: f.Figures.Compare, Province: f.Figures.Province, ProvCmp: f.Figures.ProvinceCompare, Change: f.Figures.Change,
			Num: f.Figures.Num, Den: f.Figures.Den, CmpNum: f.Figures.CmpNum, CmpDen: f.Figures.CmpDen, Shrunk: f.Figures.Shrunk, Z: f.Figures.Z,
			Count: f.Figures.Count, Of: f.Figures.Of}}
	if lang == "en" {
		j.Text, j.Method = f.TextEN, f.MethodEN
	}
	for _, c := range f.Communes {
		j.Communes = append(j.Communes, Place{Code: c.Code, Name: c.Name})
	}
	for _, m := range f.Models {
		mj := Model{Key: m.Key, Name: m.Name, Commune: m.Commune.Code, CommuneName: m.Commune.Name, Advanced: m.Advanced,
			Exemplary: m.Exemplary, Retired: m.Retired, RetiredSites: m.RetiredSites}
		if m.WeakKnown {
			mj.WeakSites = &m.WeakSites
		}
		j.Models = append(j.Models, mj)
	}
	return j
}
