package params

import (
	"context"
	"net/url"
	"strconv"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune"
	"github.com/antq-atlas/antq/dashboard/figures"
	"github.com/antq-atlas/antq/dashboard/geo"
)

// HalfMonths says which half-months hold data of the kinds (every kind
// when none) in province p ("" = every province), oldest first;
// *figures.Service implements it.
type HalfMonths interface {
	DataHalfMonths(ctx context.Context, p analytics.ProvinceCode, kinds ...analytics.Kind) ([]time.Time, error)
}

// Parser reads the parameters whose defaults depend on the data: a
// request without a period gets the latest complete period with data, a
// series without bounds the police years with data.
type Parser struct {
	Geo  *commune.Set     // the reference geography
	Now  func() time.Time // today
	Data HalfMonths       // which half-months hold data
}

// Window reads the window of a request for province p ("" = all): without
// period= or from=&to=, the latest complete period with data
// (analytics.DefaultPeriod).
func (ps Parser) Window(ctx context.Context, q url.Values, p analytics.ProvinceCode) (analytics.Window, error) {
	now := ps.Now()
	if q.Get("period") != "" || q.Get("from") != "" || q.Get("to") != "" {
		return Period(q, now)
	}
	hs, err := ps.Data.DataHalfMonths(ctx, p)
	if err != nil {
		return analytics.Window{}, err
	}
	def := analytics.DefaultPeriod(now, hs)
	return PeriodOr(q, now, &def)
}

// Map reads the parameters of a map, and of the ranking and export made
// from the same table: province= (or all), metric= (default sites), the
// window, compare=, simplify= and level= (commune, or province with
// province=all).
func (ps Parser) Map(ctx context.Context, q url.Values) (figures.MapQuery, error) {
	var mp figures.MapQuery
	var err error
	if mp.Province, err = Province(ps.Geo, q, true); err != nil {
		return mp, err
	}
	if mp.Metric, err = Metric(q, "metric", "sites"); err != nil {
		return mp, err
	}
	now := ps.Now()
	if mp.Window, err = ps.Window(ctx, q, mp.Province); err != nil {
		return mp, err
	}
	if mp.Compare, err = Compare(q, mp.Window, now); err != nil {
		return mp, err
	}
	if mp.Level, err = Level(q, mp.Province == ""); err != nil {
		return mp, err
	}
	if mp.Unit, err = Enum(q, "level", []string{geo.LevelCommune, geo.LevelProvince}, geo.LevelCommune); err != nil {
		return mp, err
	}
	if mp.Unit == geo.LevelProvince && mp.Province != "" {
		return mp, Invalid("level", geo.LevelProvince, "province chỉ dùng với province=all (toàn quốc)", "province goes with province=all (the whole country)")
	}
	return mp, nil
}

// Series reads a series' parameters: province= (or all), commune=,
// metric= (default sites), by= (police-calendar buckets,
// analytics.Buckets; default year) and from=, to= (police years or days;
// default the police years with data, at most up to the current one, else
// the last four).
func (ps Parser) Series(ctx context.Context, q url.Values) (figures.SeriesQuery, error) {
	var sp figures.SeriesQuery
	var err error
	if sp.Province, err = Province(ps.Geo, q, true); err != nil {
		return sp, err
	}
	if sp.Commune, err = Commune(ps.Geo, q, sp.Province); err != nil {
		return sp, err
	}
	if sp.Metric, err = Metric(q, "metric", "sites"); err != nil {
		return sp, err
	}
	if sp.By, err = Enum(q, "by", analytics.Buckets, "year"); err != nil {
		return sp, err
	}
	now := ps.Now()
	cur := analytics.PoliceYearOf(now)
	from, to := q.Get("from"), q.Get("to")
	if from == "" || to == "" {
		first, last := cur-3, cur
		hs, err := ps.Data.DataHalfMonths(ctx, sp.Province, sp.Metric.Sources()...)
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
	f, _, err := seriesBound("from", from, now)
	if err != nil {
		return sp, err
	}
	_, t, err := seriesBound("to", to, now)
	if err != nil {
		return sp, err
	}
	if !t.After(f) {
		return sp, analytics.Errorf(analytics.CodeInvalid, "to=%s trước from=%s / to=%s is before from=%s", to, from, to, from)
	}
	sp.From, sp.To = f, t
	return sp, nil
}

// Sites reads the filter of the sites map: province= (or all), the
// window, model_type=, sector= and commune=.
func (ps Parser) Sites(ctx context.Context, q url.Values) (analytics.SiteFilter, error) {
	var f analytics.SiteFilter
	var err error
	if f.Province, err = Province(ps.Geo, q, true); err != nil {
		return f, err
	}
	if f.Window, err = ps.Window(ctx, q, f.Province); err != nil {
		return f, err
	}
	if f.ModelType, err = Text(q, "model_type", nil); err != nil {
		return f, err
	}
	if f.Sector, err = Text(q, "sector", analytics.Sectors); err != nil {
		return f, err
	}
	if f.Commune, err = Commune(ps.Geo, q, f.Province); err != nil {
		return f, err
	}
	return f, nil
}
