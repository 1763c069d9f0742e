package dashboard

import (
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune"
	"github.com/antq-atlas/antq/dashboard/figures"
	"github.com/antq-atlas/antq/dashboard/findings"
	"github.com/antq-atlas/antq/dashboard/geo"
	"github.com/antq-atlas/antq/dashboard/params"
)

// service holds what the endpoints read from: the figures
// (dashboard/figures), the findings (dashboard/findings) and the maps
// (dashboard/geo), and the parsing of their parameters (dashboard/params,
// with the defaults that depend on the data).
type service struct {
	fig       *figures.Service
	params    params.Parser
	find      *findings.Service
	maps      *geo.Maps
	geo       *commune.Set
	now       func() time.Time
	synthetic bool
	// sourceIn names a province's source in a language (App.sourceIn) for
	// the English footnotes; nil gives none.
	sourceIn func(analytics.Lang, analytics.ProvinceCode) string
}

func newService(r analytics.Reader, set *commune.Set, now func() time.Time, synthetic bool) *service {
	fig := figures.NewService(r, set, now, synthetic)
	s := &service{fig: fig, params: params.Parser{Geo: set, Now: now, Data: fig}, find: findings.New(fig, r, set, synthetic), geo: set, now: now, synthetic: synthetic}
	s.maps = geo.NewMaps(fig, set, synthetic, s.sourceEN)
	return s
}

// sourceEN is the English source of a province's figures ("Tuyên Quang
// Provincial Police"), "" when the service was made without one.
func (s *service) sourceEN(p analytics.ProvinceCode) string {
	if s.sourceIn == nil {
		return ""
	}
	return s.sourceIn(analytics.LangEN, p)
}
