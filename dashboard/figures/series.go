package figures

import (
	"context"

	"github.com/antq-atlas/antq/analytics"
)

// SeriesPoint is one bucket of a series: its window, value or why it has none.
type SeriesPoint struct {
	Period  string   `json:"period"`
	Window  Window   `json:"window"`
	Partial bool     `json:"partial"`
	Value   *float64 `json:"value"`
	Text    string   `json:"text_vi"`
	Num     float64  `json:"num"`
	Den     float64  `json:"den"`
	// Reason says why Value is null.
	Reason analytics.Reason `json:"reason,omitempty"`
}

// Series answers /api/v1/series (Service.Series).
type Series struct {
	Province  string        `json:"province"`
	Commune   string        `json:"commune,omitempty"`
	Metric    MetricInfo    `json:"metric"`
	By        string        `json:"by"`
	Calendar  string        `json:"calendar"`
	Points    []SeriesPoint `json:"points"`
	Synthetic bool          `json:"synthetic"`
}

// Series computes the metric of a province or commune per police-calendar
// bucket of sp (analytics.PoliceBuckets); a bucket not over is cut to now
// and marked partial.
func (s *Service) Series(ctx context.Context, sp SeriesQuery) (Series, error) {
	bs, err := analytics.PoliceBuckets(sp.By, sp.From, sp.To)
	if err != nil {
		return Series{}, err
	}
	out := Series{Province: string(sp.Province), Commune: string(sp.Commune), Metric: MetricOf(sp.Metric), By: sp.By,
		Calendar: "police: 15th to 14th; year Y = 15/12/(Y-1)–14/12/Y", Points: make([]SeriesPoint, 0, len(bs)), Synthetic: s.synthetic}
	if out.Province == "" {
		out.Province = analytics.ProvinceAll
	}
	now := s.now()
	for i := range bs {
		if w := bs[i].Window.AsOf(now); w.Partial {
			bs[i].Window, bs[i].Partial = w, true
		}
	}
	ts := s.Tables()
	reqs := make([]Req, 0, len(bs))
	for _, b := range bs {
		reqs = append(reqs, Req{Metric: sp.Metric, Province: sp.Province, Window: b.Window})
	}
	if _, err := ts.GetAll(ctx, reqs); err != nil {
		return Series{}, err
	}
	for _, b := range bs {
		t, err := ts.Get(ctx, sp.Metric, sp.Province, b.Window)
		if err != nil {
			return Series{}, err
		}
		pt := SeriesPoint{Period: b.Window.Spec, Window: WindowOf(b.Window), Partial: b.Partial}
		if sp.Commune != "" {
			f, _ := t.Lookup(sp.Commune)
			pt.Num, pt.Den = Round6(f.Num), Round6(f.Den)
			if f.OK {
				v := Round6(f.Value)
				pt.Value, pt.Text = &v, FormatValue(sp.Metric, f.Value)
			} else {
				pt.Reason, pt.Text = f.Reason, NoDataText(f.Reason)
			}
		} else {
			tj := TotalsOf(t)
			pt.Value, pt.Text, pt.Num, pt.Den, pt.Reason = tj.Value, tj.Text, tj.Num, tj.Den, tj.Reason
		}
		out.Points = append(out.Points, pt)
	}
	return out, nil
}
