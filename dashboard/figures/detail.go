package figures

import (
	"context"
	"sort"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune"
	"github.com/antq-atlas/antq/dashboard/chart"
)

// DetailMetric is one metric of a commune: its value, rank in the province
// and the province figure.
type DetailMetric struct {
	Metric MetricInfo `json:"metric"`
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

// Site is one site of a commune's detail.
type Site struct {
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

// Restated counts the records restated on a commune by how they were
// resolved (rule, old unit).
type Restated struct {
	Kind        analytics.Kind        `json:"kind"`
	Rule        analytics.ResolveRule `json:"resolve_rule"`
	SourcePlace string                `json:"source_place"`
	OldCode     string                `json:"old_code"`
	OldName     string                `json:"old_name,omitempty"`
	Split       bool                  `json:"split"`
	N           uint64                `json:"n"`
}

// CrosswalkRow is one row of the old-to-new crosswalk naming a commune.
type CrosswalkRow struct {
	OldCode     string   `json:"old_code"`
	OldName     string   `json:"old_name"`
	OldDistrict string   `json:"old_district"`
	OldProvince string   `json:"old_province"`
	Share       float64  `json:"share"`
	Split       bool     `json:"split"`
	Main        bool     `json:"main"`
	Repairs     []string `json:"repairs"`
}

// Detail answers /api/v1/communes/{code} (Service.Detail).
type Detail struct {
	Commune   CommuneInfo    `json:"commune"`
	Window    Window         `json:"window"`
	Metrics   []DetailMetric `json:"metrics"`
	Models    []Model        `json:"models"`
	Sites     []Site         `json:"sites"`
	Restated  []Restated     `json:"restated"`
	Crosswalk []CrosswalkRow `json:"crosswalk"`
	Synthetic bool           `json:"synthetic"`
}

// CommuneFigures answers /api/v1/figures: a commune's public figures, what
// a viewer (and an anonymous visitor of a --public server) may read of it.
type CommuneFigures struct {
	Commune   CommuneInfo    `json:"commune"`
	Window    Window         `json:"window"`
	Metrics   []DetailMetric `json:"metrics"`
	Synthetic bool           `json:"synthetic"`
}

// CommuneFigures is every metric of the commune with its rank in the
// province and the province figure: the public part of Detail.
func (s *Service) CommuneFigures(ctx context.Context, c *commune.Commune, w analytics.Window) (CommuneFigures, error) {
	out := CommuneFigures{Commune: CommuneOf(c), Window: WindowOf(w), Metrics: []DetailMetric{}, Synthetic: s.synthetic}
	ts := s.Tables()
	cs := s.geo.CommunesOf(c.Province)
	reqs := make([]Req, 0, len(analytics.Metrics))
	for _, m := range analytics.Metrics {
		reqs = append(reqs, Req{Metric: m, Province: c.Province, Window: w})
	}
	if _, err := ts.GetAll(ctx, reqs); err != nil {
		return out, err
	}
	for _, m := range analytics.Metrics {
		t, err := ts.Get(ctx, m, c.Province, w)
		if err != nil {
			return out, err
		}
		rows, _ := BuildRows(cs, t, nil)
		dm := DetailMetric{Metric: MetricOf(m)}
		nRanked := 0
		for _, r := range rows {
			if r.Rank != nil {
				nRanked++
			}
		}
		for _, r := range rows {
			if r.Code == c.Code {
				dm.Value, dm.Rank, dm.Num, dm.Den = r.Value, r.Rank, Round6(r.Num), Round6(r.Den)
				if r.Rank != nil {
					dm.RankText = analytics.Rank(*r.Rank, nRanked)
				}
				if r.Value != nil {
					dm.Text = FormatValue(m, *r.Value)
				} else {
					dm.Reason, dm.Text = r.Reason, NoDataText(r.Reason)
				}
			}
		}
		dm.Province = TotalsOf(t).Value
		out.Metrics = append(out.Metrics, dm)
	}
	return out, nil
}

// Detail answers /api/v1/communes/{code}: every metric of the
// commune (CommuneFigures), its models and sites, how its records were
// restated on it and the crosswalk rows naming it.
func (s *Service) Detail(ctx context.Context, c *commune.Commune, w analytics.Window) (Detail, error) {
	out := Detail{Commune: CommuneOf(c), Window: WindowOf(w), Models: []Model{}, Sites: []Site{},
		Restated: []Restated{}, Crosswalk: []CrosswalkRow{}, Synthetic: s.synthetic}
	figs, err := s.CommuneFigures(ctx, c, w)
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
		j := Site{Key: sp.Key, Name: sp.Name, ModelName: sp.ModelName, ModelType: sp.ModelType, Sector: sp.Sector,
			SourcePlace: sp.SourcePlace, Rule: sp.Rule, Split: sp.Split}
		if !sp.Opened.IsZero() {
			j.Opened = sp.Opened.Format("2006-01-02")
		}
		if sp.HasPoint {
			j.Point = &[2]float64{Round6(sp.Lon), Round6(sp.Lat)}
		}
		out.Sites = append(out.Sites, j)
	}
	rs, err := s.r.Restated(ctx, c.Code)
	if err != nil {
		return out, err
	}
	for _, r := range rs {
		j := Restated{Kind: r.Kind, Rule: r.Rule, SourcePlace: r.SourcePlace, OldCode: r.OldCode, Split: r.Split, N: r.N}
		if u, ok := s.geo.OldUnit(r.OldCode); ok && r.OldCode != "" {
			j.OldName = u.Name + ", " + u.District + ", " + u.Province
		}
		out.Restated = append(out.Restated, j)
	}
	for _, x := range s.geo.Crosswalk {
		if x.NewCode != c.Code {
			continue
		}
		j := CrosswalkRow{OldCode: x.OldCode, OldName: x.OldName, OldDistrict: x.OldDistrict, OldProvince: x.OldProvince,
			Share: Round6(x.Share), Split: x.Split, Main: x.Main, Repairs: []string{}}
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

// Breakdown is the shares of a dimension (model type, sector, grade,
// category, outcome) in a province or commune (Service.Breakdown).
type Breakdown struct {
	Province  string  `json:"province"`
	Commune   string  `json:"commune,omitempty"`
	By        string  `json:"by"`
	Counted   string  `json:"counted_vi"`
	CountedEN string  `json:"counted_en"`
	Window    Window  `json:"window"`
	Total     uint64  `json:"total"`
	TotalText string  `json:"total_text_vi"`
	Shares    []Share `json:"shares"`
	Synthetic bool    `json:"synthetic"`
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

// Breakdown counts what dimension by counts in province p (or commune c)
// over w, with shares.
func (s *Service) Breakdown(ctx context.Context, by string, p analytics.ProvinceCode, c analytics.CommuneCode, w analytics.Window) (Breakdown, error) {
	shares, err := s.r.Breakdown(ctx, by, p, c, w)
	if err != nil {
		return Breakdown{}, err
	}
	out := Breakdown{Province: string(p), Commune: string(c), By: by, Counted: breakdownCounted[by][0], CountedEN: breakdownCounted[by][1],
		Window: WindowOf(w), Shares: SharesOf(shares), Synthetic: s.synthetic}
	if p == "" {
		out.Province = analytics.ProvinceAll
	}
	for _, sh := range shares {
		out.Total += sh.N
	}
	out.TotalText = chart.FormatNumber(float64(out.Total), 0)
	return out, nil
}

// Ranked is one commune of a ranking.
type Ranked struct {
	Rank     int                   `json:"rank"`
	Code     analytics.CommuneCode `json:"code"`
	Name     string                `json:"name"`
	Value    float64               `json:"value"`
	Text     string                `json:"text_vi"`
	Compare  *float64              `json:"value_compare,omitempty"`
	Delta    *float64              `json:"delta,omitempty"`
	DeltaPct *float64              `json:"delta_pct,omitempty"`
}

// Ranking answers /api/v1/ranking (Service.Ranking).
type Ranking struct {
	Province      string     `json:"province"`
	Metric        MetricInfo `json:"metric"`
	Order         string     `json:"order"` // "desc" when higher is better
	Window        Window     `json:"window"`
	WindowCompare *Window    `json:"window_compare,omitempty"`
	Ranked        int        `json:"ranked"`  // communes with data
	NoData        int        `json:"no_data"` // communes without
	Communes      []Ranked   `json:"communes"`
	Synthetic     bool       `json:"synthetic"`
	// NoDataReasons counts the communes left out by reason; Message says
	// when the province reported nothing ("Chưa có số liệu của tỉnh này").
	NoDataReasons map[analytics.Reason]int `json:"no_data_reasons,omitempty"`
	Message       string                   `json:"message_vi,omitempty"`
	MessageEN     string                   `json:"message_en,omitempty"`
}

// Side picks the top or the bottom of a ranking: the best first, or
// the worst first.
func (body Ranking) Side(side string, n int) []Ranked {
	cs := body.Communes
	if n > len(cs) {
		n = len(cs)
	}
	if side == "bottom" {
		out := make([]Ranked, 0, n)
		for i := len(cs) - 1; i >= len(cs)-n; i-- {
			out = append(out, cs[i])
		}
		return out
	}
	return cs[:n]
}

// Ranking lists the communes with data, best first (ties by code); limit
// 0 means all.
func (s *Service) Ranking(ctx context.Context, mp MapQuery, limit int) (Ranking, error) {
	cur, cmp, err := s.MapTables(ctx, mp)
	if err != nil {
		return Ranking{}, err
	}
	rows, _ := BuildRows(s.Communes(mp.Province), cur, cmp)
	out := Ranking{Province: string(mp.Province), Metric: MetricOf(mp.Metric), Order: "asc", Window: WindowOf(mp.Window),
		WindowCompare: WindowPtr(mp.Compare), Communes: []Ranked{}, Synthetic: s.synthetic}
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
		out.Province = analytics.ProvinceAll
	}
	var ranked []Row
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
		out.Communes = append(out.Communes, Ranked{Rank: *r.Rank, Code: r.Code, Name: r.Name, Value: *r.Value,
			Text: FormatValue(mp.Metric, *r.Value), Compare: r.Compare, Delta: r.Delta, DeltaPct: r.DeltaPct})
	}
	return out, nil
}
