package dashboard

import (
	"context"
	"net/url"
	"regexp"
	"strconv"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/dashboard/figures"
)

// Series buckets follow the police calendar (analytics.PoliceBuckets).
var seriesBuckets = analytics.Buckets

var reYear = regexp.MustCompile(`^\d{4}$`)

// seriesParams: from= and to= are police years ("2022", whole years) or
// days (YYYY-MM-DD, inclusive; the first and last buckets are then cut to
// the range and marked partial). Default: every police year with data, from
// the first to the last (the last four up to the current one when there is
// none). A bucket not over is cut to today and marked partial.
type seriesParams struct {
	Province analytics.ProvinceCode // "" = all
	Commune  analytics.CommuneCode
	Metric   analytics.Metric
	By       string
	From, To time.Time // [From, To)
}

func (s *service) parseSeriesParams(ctx context.Context, q url.Values) (seriesParams, error) {
	var sp seriesParams
	var err error
	if sp.Province, err = parseProvince(s.geo, q, true); err != nil {
		return sp, err
	}
	if sp.Commune, err = parseCommune(s.geo, q, sp.Province); err != nil {
		return sp, err
	}
	if sp.Metric, err = parseMetric(q, "metric", "sites"); err != nil {
		return sp, err
	}
	if sp.By, err = parseEnum(q, "by", seriesBuckets, "year"); err != nil {
		return sp, err
	}
	now := s.now()
	cur := analytics.PoliceYearOf(now)
	from, to := q.Get("from"), q.Get("to")
	if from == "" || to == "" {
		first, last := cur-3, cur
		hs, err := s.fig.DataHalfMonths(ctx, sp.Province, sp.Metric.Sources()...)
		if err != nil {
			return sp, err
		}
		if len(hs) > 0 {
			first, last = analytics.PoliceYearOf(hs[0]), analytics.PoliceYearOf(hs[len(hs)-1])
			for _, h := range hs {
				first, last = min(first, analytics.PoliceYearOf(h)), max(last, analytics.PoliceYearOf(h))
			}
			last = min(last, cur)
		}
		if from == "" {
			from = strconv.Itoa(min(first, last))
		}
		if to == "" {
			to = strconv.Itoa(last)
		}
	}
	f, _, err := seriesBound("from", from)
	if err != nil {
		return sp, err
	}
	_, t, err := seriesBound("to", to)
	if err != nil {
		return sp, err
	}
	if !t.After(f) {
		return sp, analytics.Errorf(analytics.CodeInvalid, "to=%s trước from=%s / to=%s is before from=%s", to, from, to, from)
	}
	sp.From, sp.To = f, t
	return sp, nil
}

// seriesBound reads a year (the police year's window) or a day (that day).
func seriesBound(name, v string) (from, to time.Time, err error) {
	bad := invalidParam(name, v, "năm công an (2022) hoặc ngày YYYY-MM-DD", "a police year (2022) or a day YYYY-MM-DD")
	if reYear.MatchString(v) {
		w, err := analytics.ParsePeriod(v, time.Now())
		if err != nil {
			return from, to, bad
		}
		return w.From, w.To, nil
	}
	d, err := time.Parse("2006-01-02", v)
	if err != nil || d.Year() < 2000 || d.Year() > 2100 {
		return from, to, bad
	}
	return d, d.AddDate(0, 0, 1), nil
}

type seriesPoint struct {
	Period  string     `json:"period"`
	Window  windowJSON `json:"window"`
	Partial bool       `json:"partial"`
	Value   *float64   `json:"value"`
	Text    string     `json:"text_vi"`
	Num     float64    `json:"num"`
	Den     float64    `json:"den"`
	// Reason says why Value is null.
	Reason analytics.Reason `json:"reason,omitempty"`
}

type seriesBody struct {
	Province  string        `json:"province"`
	Commune   string        `json:"commune,omitempty"`
	Metric    metricJSON    `json:"metric"`
	By        string        `json:"by"`
	Calendar  string        `json:"calendar"`
	Points    []seriesPoint `json:"points"`
	Synthetic bool          `json:"synthetic"`
}

func (s *service) series(ctx context.Context, sp seriesParams) (seriesBody, error) {
	bs, err := analytics.PoliceBuckets(sp.By, sp.From, sp.To)
	if err != nil {
		return seriesBody{}, err
	}
	out := seriesBody{Province: string(sp.Province), Commune: string(sp.Commune), Metric: metricOf(sp.Metric), By: sp.By,
		Calendar: "police: 15th to 14th; year Y = 15/12/(Y-1)–14/12/Y", Points: make([]seriesPoint, 0, len(bs)), Synthetic: s.synthetic}
	if out.Province == "" {
		out.Province = provinceAll
	}
	now := s.now()
	for i := range bs {
		if w := bs[i].Window.AsOf(now); w.Partial {
			bs[i].Window, bs[i].Partial = w, true
		}
	}
	ts := s.fig.Tables()
	reqs := make([]figures.Req, 0, len(bs))
	for _, b := range bs {
		reqs = append(reqs, figures.Req{Metric: sp.Metric, Province: sp.Province, Window: b.Window})
	}
	if _, err := ts.GetAll(ctx, reqs); err != nil {
		return seriesBody{}, err
	}
	for _, b := range bs {
		t, err := ts.Get(ctx, sp.Metric, sp.Province, b.Window)
		if err != nil {
			return seriesBody{}, err
		}
		pt := seriesPoint{Period: b.Window.Spec, Window: windowOf(b.Window), Partial: b.Partial}
		if sp.Commune != "" {
			f := t.ByCode[sp.Commune]
			pt.Num, pt.Den = figures.Round6(f.Num), figures.Round6(f.Den)
			if f.OK {
				v := figures.Round6(f.Value)
				pt.Value, pt.Text = &v, formatValue(sp.Metric, f.Value)
			} else {
				pt.Reason, pt.Text = f.Reason, noDataText(f.Reason)
			}
		} else {
			tj := totalsOf(t)
			pt.Value, pt.Text, pt.Num, pt.Den, pt.Reason = tj.Value, tj.Text, tj.Num, tj.Den, tj.Reason
		}
		out.Points = append(out.Points, pt)
	}
	return out, nil
}
