package dashboard

import (
	"context"
	"sort"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune"
	"github.com/antq-atlas/antq/dashboard/chart"
	"github.com/antq-atlas/antq/dashboard/figures"
)

type detailMetric struct {
	Metric metricJSON `json:"metric"`
	Value  *float64   `json:"value"`
	Text   string     `json:"text_vi"`
	Num    float64    `json:"num"`
	Den    float64    `json:"den"`
	Rank   *int       `json:"rank"` // in the province, 1 = best
	// RankText is the rank over the communes ranked: "12/124".
	RankText string   `json:"rank_text,omitempty"`
	Province *float64 `json:"province"` // the province figure, for comparison
	// Reason says why Value is null.
	Reason analytics.Reason `json:"reason,omitempty"`
}

type siteJSON struct {
	Key         string                `json:"key"`
	Name        string                `json:"name"`
	ModelName   string                `json:"model_name"`
	ModelType   string                `json:"model_type"`
	Sector      string                `json:"sector"`
	Opened      string                `json:"opened"`
	Point       *[2]float64           `json:"point"` // lon, lat; null when unknown
	SourcePlace string                `json:"source_place"`
	Rule        analytics.ResolveRule `json:"resolve_rule"`
	Split       bool                  `json:"split"`
}

type restatedJSON struct {
	Kind        analytics.Kind        `json:"kind"`
	Rule        analytics.ResolveRule `json:"resolve_rule"`
	SourcePlace string                `json:"source_place"`
	OldCode     string                `json:"old_code"`
	OldName     string                `json:"old_name,omitempty"`
	Split       bool                  `json:"split"`
	N           uint64                `json:"n"`
}

type crosswalkJSON struct {
	OldCode     string   `json:"old_code"`
	OldName     string   `json:"old_name"`
	OldDistrict string   `json:"old_district"`
	OldProvince string   `json:"old_province"`
	Share       float64  `json:"share"`
	Split       bool     `json:"split"`
	Main        bool     `json:"main"`
	Repairs     []string `json:"repairs"`
}

type detailBody struct {
	Commune   communeJSON     `json:"commune"`
	Window    windowJSON      `json:"window"`
	Metrics   []detailMetric  `json:"metrics"`
	Models    []modelJSON     `json:"models"`
	Sites     []siteJSON      `json:"sites"`
	Restated  []restatedJSON  `json:"restated"`
	Crosswalk []crosswalkJSON `json:"crosswalk"`
	Synthetic bool            `json:"synthetic"`
}

// figuresBody answers /api/v1/figures: a commune's public figures, what
// a viewer (and an anonymous visitor of a --public server) may read of it.
type figuresBody struct {
	Commune   communeJSON    `json:"commune"`
	Window    windowJSON     `json:"window"`
	Metrics   []detailMetric `json:"metrics"`
	Synthetic bool           `json:"synthetic"`
}

// communeFigures is every metric of the commune with its rank in the
// province and the province figure: the public part of communeDetail.
func (s *service) communeFigures(ctx context.Context, c *commune.Commune, w analytics.Window) (figuresBody, error) {
	out := figuresBody{Commune: communeOf(c), Window: windowOf(w), Metrics: []detailMetric{}, Synthetic: s.synthetic}
	ts := s.fig.Tables()
	cs := s.geo.CommunesOf(c.Province)
	reqs := make([]figures.Req, 0, len(analytics.Metrics))
	for _, m := range analytics.Metrics {
		reqs = append(reqs, figures.Req{Metric: m, Province: c.Province, Window: w})
	}
	if _, err := ts.GetAll(ctx, reqs); err != nil {
		return out, err
	}
	for _, m := range analytics.Metrics {
		t, err := ts.Get(ctx, m, c.Province, w)
		if err != nil {
			return out, err
		}
		rows, _ := figures.BuildRows(cs, t, nil)
		dm := detailMetric{Metric: metricOf(m)}
		nRanked := 0
		for _, r := range rows {
			if r.Rank != nil {
				nRanked++
			}
		}
		for _, r := range rows {
			if r.Code == c.Code {
				dm.Value, dm.Rank, dm.Num, dm.Den = r.Value, r.Rank, figures.Round6(r.Num), figures.Round6(r.Den)
				if r.Rank != nil {
					dm.RankText = analytics.Rank(*r.Rank, nRanked)
				}
				if r.Value != nil {
					dm.Text = formatValue(m, *r.Value)
				} else {
					dm.Reason, dm.Text = r.Reason, noDataText(r.Reason)
				}
			}
		}
		dm.Province = totalsOf(t).Value
		out.Metrics = append(out.Metrics, dm)
	}
	return out, nil
}

// communeDetail answers /api/v1/communes/{code}: every metric of the
// commune (communeFigures), its models and sites, how its records were
// restated on it and the crosswalk rows naming it.
func (s *service) communeDetail(ctx context.Context, c *commune.Commune, w analytics.Window) (detailBody, error) {
	out := detailBody{Commune: communeOf(c), Window: windowOf(w), Models: []modelJSON{}, Sites: []siteJSON{},
		Restated: []restatedJSON{}, Crosswalk: []crosswalkJSON{}, Synthetic: s.synthetic}
	figs, err := s.communeFigures(ctx, c, w)
	if err != nil {
		return out, err
	}
	out.Metrics = figs.Metrics
	models, err := s.r.Models(ctx, c.Province, c.Code, w, 1000)
	if err != nil {
		return out, err
	}
	for _, m := range models {
		out.Models = append(out.Models, s.modelOf(m))
	}
	sites, err := s.r.Sites(ctx, analytics.SiteFilter{Province: c.Province, Commune: c.Code, Window: w, Limit: 5000})
	if err != nil {
		return out, err
	}
	for _, sp := range sites {
		j := siteJSON{Key: sp.Key, Name: sp.Name, ModelName: sp.ModelName, ModelType: sp.ModelType, Sector: sp.Sector,
			SourcePlace: sp.SourcePlace, Rule: sp.Rule, Split: sp.Split}
		if !sp.Opened.IsZero() {
			j.Opened = sp.Opened.Format("2006-01-02")
		}
		if sp.HasPoint {
			j.Point = &[2]float64{figures.Round6(sp.Lon), figures.Round6(sp.Lat)}
		}
		out.Sites = append(out.Sites, j)
	}
	rs, err := s.r.Restated(ctx, c.Code)
	if err != nil {
		return out, err
	}
	for _, r := range rs {
		j := restatedJSON{Kind: r.Kind, Rule: r.Rule, SourcePlace: r.SourcePlace, OldCode: r.OldCode, Split: r.Split, N: r.N}
		if u, ok := s.geo.OldUnit(r.OldCode); ok && r.OldCode != "" {
			j.OldName = u.Name + ", " + u.District + ", " + u.Province
		}
		out.Restated = append(out.Restated, j)
	}
	for _, x := range s.geo.Crosswalk {
		if x.NewCode != c.Code {
			continue
		}
		j := crosswalkJSON{OldCode: x.OldCode, OldName: x.OldName, OldDistrict: x.OldDistrict, OldProvince: x.OldProvince,
			Share: figures.Round6(x.Share), Split: x.Split, Main: x.Main, Repairs: []string{}}
		for _, r := range x.Rules {
			if r != commune.RepairNone {
				j.Repairs = append(j.Repairs, string(r))
			}
		}
		out.Crosswalk = append(out.Crosswalk, j)
	}
	sort.SliceStable(out.Crosswalk, func(i, j int) bool {
		a, b := out.Crosswalk[i], out.Crosswalk[j]
		if a.OldCode != b.OldCode {
			return a.OldCode < b.OldCode
		}
		return a.OldName < b.OldName
	})
	return out, nil
}

type breakdownBody struct {
	Province  string      `json:"province"`
	Commune   string      `json:"commune,omitempty"`
	By        string      `json:"by"`
	Counted   string      `json:"counted_vi"`
	CountedEN string      `json:"counted_en"`
	Window    windowJSON  `json:"window"`
	Total     uint64      `json:"total"`
	TotalText string      `json:"total_text_vi"`
	Shares    []shareJSON `json:"shares"`
	Synthetic bool        `json:"synthetic"`
}

// breakdownCounted says what a dimension counts (the store decides it by
// the dimension, not by a metric).
var breakdownCounted = map[string][2]string{
	analytics.ByModelType: {"điểm mô hình đang hoạt động cuối kỳ", "sites active at the end of the window"},
	analytics.BySector:    {"điểm mô hình đang hoạt động cuối kỳ", "sites active at the end of the window"},
	analytics.ByGrade:     {"điểm mô hình được xếp loại trong năm công an kết thúc kỳ", "sites graded in the police year the window ends in"},
	analytics.ByCategory:  {"vụ việc tiếp nhận trong kỳ", "incidents received within the window"},
	analytics.ByOutcome:   {"vụ việc tiếp nhận trong kỳ", "incidents received within the window"},
}

func (s *service) breakdown(ctx context.Context, by string, p analytics.ProvinceCode, c analytics.CommuneCode, w analytics.Window) (breakdownBody, error) {
	shares, err := s.r.Breakdown(ctx, by, p, c, w)
	if err != nil {
		return breakdownBody{}, err
	}
	out := breakdownBody{Province: string(p), Commune: string(c), By: by, Counted: breakdownCounted[by][0], CountedEN: breakdownCounted[by][1],
		Window: windowOf(w), Shares: sharesOf(shares), Synthetic: s.synthetic}
	if p == "" {
		out.Province = provinceAll
	}
	for _, sh := range shares {
		out.Total += sh.N
	}
	out.TotalText = chart.FormatNumber(float64(out.Total), 0)
	return out, nil
}

type rankedJSON struct {
	Rank     int                   `json:"rank"`
	Code     analytics.CommuneCode `json:"code"`
	Name     string                `json:"name"`
	Value    float64               `json:"value"`
	Text     string                `json:"text_vi"`
	Compare  *float64              `json:"value_compare,omitempty"`
	Delta    *float64              `json:"delta,omitempty"`
	DeltaPct *float64              `json:"delta_pct,omitempty"`
}

type rankingBody struct {
	Province      string       `json:"province"`
	Metric        metricJSON   `json:"metric"`
	Order         string       `json:"order"` // "desc" when higher is better
	Window        windowJSON   `json:"window"`
	WindowCompare *windowJSON  `json:"window_compare,omitempty"`
	Ranked        int          `json:"ranked"`  // communes with data
	NoData        int          `json:"no_data"` // communes without
	Communes      []rankedJSON `json:"communes"`
	Synthetic     bool         `json:"synthetic"`
	// NoDataReasons counts the communes left out by reason; Message says
	// when the province reported nothing ("Chưa có số liệu của tỉnh này").
	NoDataReasons map[analytics.Reason]int `json:"no_data_reasons,omitempty"`
	Message       string                   `json:"message_vi,omitempty"`
	MessageEN     string                   `json:"message_en,omitempty"`
}

// ranking lists the communes with data, best first (ties by code); limit
// 0 means all.
func (s *service) ranking(ctx context.Context, mp mapParams, limit int) (rankingBody, error) {
	cur, cmp, err := s.mapTables(ctx, mp)
	if err != nil {
		return rankingBody{}, err
	}
	rows, _ := figures.BuildRows(s.fig.Communes(mp.Province), cur, cmp)
	out := rankingBody{Province: string(mp.Province), Metric: metricOf(mp.Metric), Order: "asc", Window: windowOf(mp.Window),
		WindowCompare: windowPtr(mp.Compare), Communes: []rankedJSON{}, Synthetic: s.synthetic}
	if mp.Metric.HigherIsBetter {
		out.Order = "desc"
	}
	if cur.Silent {
		out.Message = analytics.ProvinceNoData(analytics.LangVI, cur.PlaceFull)
		out.MessageEN = analytics.ProvinceNoData(analytics.LangEN, cur.PlaceFull)
	}
	for _, r := range rows {
		if r.Value == nil {
			if out.NoDataReasons == nil {
				out.NoDataReasons = map[analytics.Reason]int{}
			}
			out.NoDataReasons[r.Reason]++
		}
	}
	if out.Province == "" {
		out.Province = provinceAll
	}
	var ranked []figures.Row
	for _, r := range rows {
		if r.Rank == nil {
			out.NoData++
			continue
		}
		ranked = append(ranked, r)
	}
	out.Ranked = len(ranked)
	sort.SliceStable(ranked, func(i, j int) bool {
		if *ranked[i].Rank != *ranked[j].Rank {
			return *ranked[i].Rank < *ranked[j].Rank
		}
		return ranked[i].Code < ranked[j].Code
	})
	if limit > 0 && len(ranked) > limit {
		ranked = ranked[:limit]
	}
	for _, r := range ranked {
		out.Communes = append(out.Communes, rankedJSON{Rank: *r.Rank, Code: r.Code, Name: r.Name, Value: *r.Value,
			Text: formatValue(mp.Metric, *r.Value), Compare: r.Compare, Delta: r.Delta, DeltaPct: r.DeltaPct})
	}
	return out, nil
}
