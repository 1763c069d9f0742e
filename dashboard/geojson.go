package dashboard

import (
	"context"
	"net/url"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/dashboard/figures"
	"github.com/antq-atlas/antq/dashboard/geo"
)

func (s *service) parseMapParams(ctx context.Context, q map[string][]string) (figures.MapQuery, error) {
	var mp figures.MapQuery
	var err error
	if mp.Province, err = parseProvince(s.geo, q, true); err != nil {
		return mp, err
	}
	if mp.Metric, err = parseMetric(q, "metric", "sites"); err != nil {
		return mp, err
	}
	now := s.now()
	if mp.Window, err = s.window(ctx, q, mp.Province); err != nil {
		return mp, err
	}
	if mp.Compare, err = parseCompare(q, mp.Window, now); err != nil {
		return mp, err
	}
	if mp.Level, err = parseLevel(q, mp.Province == ""); err != nil {
		return mp, err
	}
	if mp.Unit, err = parseEnum(q, "level", []string{geo.LevelCommune, geo.LevelProvince}, geo.LevelCommune); err != nil {
		return mp, err
	}
	if mp.Unit == geo.LevelProvince && mp.Province != "" {
		return mp, invalidParam("level", geo.LevelProvince, "province chỉ dùng với province=all (toàn quốc)", "province goes with province=all (the whole country)")
	}
	return mp, nil
}

// window reads the window of a request for province p ("" = all): without
// period= or from=&to=, the latest complete period with data
// (analytics.DefaultPeriod).
func (s *service) window(ctx context.Context, q url.Values, p analytics.ProvinceCode) (analytics.Window, error) {
	now := s.now()
	if q.Get("period") != "" || q.Get("from") != "" || q.Get("to") != "" {
		return parseWindow(q, now)
	}
	hs, err := s.fig.DataHalfMonths(ctx, p)
	if err != nil {
		return analytics.Window{}, err
	}
	def := analytics.DefaultPeriod(now, hs)
	return parseWindowOr(q, now, &def)
}

// sourceEN is the English source of a province's figures ("Tuyên Quang
// Provincial Police"), "" when the service was made without one.
func (s *service) sourceEN(p analytics.ProvinceCode) string {
	if s.sourceIn == nil {
		return ""
	}
	return s.sourceIn(analytics.LangEN, p)
}
