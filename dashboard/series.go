package dashboard

import (
	"context"
	"net/url"
	"strconv"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/dashboard/figures"
)

// Series buckets follow the police calendar (analytics.PoliceBuckets).
var seriesBuckets = analytics.Buckets

func (s *service) parseSeriesParams(ctx context.Context, q url.Values) (figures.SeriesQuery, error) {
	var sp figures.SeriesQuery
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
	if figures.IsYear(v) {
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
