package dashboard

import (
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune"
	"github.com/antq-atlas/antq/dashboard/figures"
	"github.com/antq-atlas/antq/dashboard/findings"
	"github.com/antq-atlas/antq/dashboard/geo"
)

// service holds what the endpoints read from: the figures
// (dashboard/figures), the findings (dashboard/findings) and the maps
// (dashboard/geo), and the parsing of their parameters.
type service struct {
	fig       *figures.Service
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
	s := &service{fig: fig, find: findings.New(fig, r, set, synthetic), geo: set, now: now, synthetic: synthetic}
	s.maps = geo.NewMaps(fig, set, synthetic, s.sourceEN)
	return s
}
