package figures

import (
	"context"
	"regexp"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune"
)

// MapQuery are the map's (and the exports') parameters.
type MapQuery struct {
	Province analytics.ProvinceCode // "" = all
	Metric   analytics.Metric
	Window   analytics.Window
	Compare  *analytics.Window
	Level    commune.Level
	// Unit is "commune" (a feature per commune) or "province" (a feature
	// per province; the whole country only).
	Unit string
}

// SeriesQuery is what a series asks for. from= and to= are police years ("2022", whole years) or
// days (YYYY-MM-DD, inclusive; the first and last buckets are then cut to
// the range and marked partial). Default: every police year with data, from
// the first to the last (the last four up to the current one when there is
// none). A bucket not over is cut to today and marked partial.
type SeriesQuery struct {
	Province analytics.ProvinceCode // "" = all
	Commune  analytics.CommuneCode
	Metric   analytics.Metric
	By       string
	From, To time.Time // [From, To)
}

// ProvinceName is the province's name, or "Toàn quốc" for all.
func (s *Service) ProvinceName(p analytics.ProvinceCode) string {
	return s.ProvinceNameIn(analytics.LangVI, p)
}

// ProvinceNameIn names a province in a title (analytics.PlaceName).
func (s *Service) ProvinceNameIn(lang analytics.Lang, p analytics.ProvinceCode) string {
	if p == "" {
		return analytics.PlaceName(lang, "", "")
	}
	if pr, ok := s.geo.Province(p); ok {
		return analytics.PlaceName(lang, pr.Name, pr.ShortName)
	}
	return string(p)
}

// MapTables computes the metric tables a map or an export needs (the
// comparison's at the same time).
func (s *Service) MapTables(ctx context.Context, mp MapQuery) (cur, cmp *Table, err error) {
	reqs := []Req{{Metric: mp.Metric, Province: mp.Province, Window: mp.Window}}
	if mp.Compare != nil {
		reqs = append(reqs, Req{Metric: mp.Metric, Province: mp.Province, Window: *mp.Compare})
	}
	got, err := s.Tables().GetAll(ctx, reqs)
	if err != nil {
		return nil, nil, err
	}
	if len(got) == 2 {
		cmp = got[1]
	}
	return got[0], cmp, nil
}

var reYear = regexp.MustCompile(`^\d{4}$`)

// IsYear says whether a period spec is a police year ("2025").
func IsYear(spec string) bool { return reYear.MatchString(spec) }
