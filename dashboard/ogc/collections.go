package ogc

import (
	"context"
	"net/url"
	"strings"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune"
	"github.com/antq-atlas/antq/dashboard/figures"
	"github.com/antq-atlas/antq/dashboard/geo"
)

// Source is what the items of the two collections are built from: the
// communes, the figures, the geometry caches and the store's sites (Store).
type Source struct {
	Geo     *commune.Set
	Figures *figures.Service
	Maps    *geo.Maps
	Store   func(context.Context, analytics.SiteFilter) ([]analytics.SitePoint, error)
}

// Query is one items request. The shell reads province=, the window
// (datetime=, period=, from=&to=), the communes' metrics= (ParseMetrics)
// and simplify=, in that order; paging and bbox= are read here from Values.
type Query struct {
	Values     url.Values
	Base, Path string                 // the server's base URL and the request's path, for links
	Province   analytics.ProvinceCode // "" = every province
	Window     analytics.Window
	Metrics    []analytics.Metric // communes only
	Level      commune.Level      // communes only
}

// Communes answers /collections/communes/items (fid "") with a page of
// features, or /items/{fid} with one feature; each carries q.Metrics over
// the window, and the reason where a value is missing.
func (s Source) Communes(ctx context.Context, q Query, fid string) (any, error) {
	metrics, p := q.Metrics, q.Province
	var err error
	var cs []*commune.Commune
	var page Page
	if fid != "" {
		c, ok := s.Geo.Commune(analytics.CommuneCode(fid))
		if !ok {
			return nil, FeatureNotFound(fid)
		}
		cs, p = []*commune.Commune{c}, c.Province
	} else {
		if page, err = ParsePage(q.Values); err != nil {
			return nil, err
		}
		bb, hasBBox, err := ParseBBox(q.Values)
		if err != nil {
			return nil, err
		}
		if hasBBox {
			for _, c := range s.Geo.InBound(bb) {
				if p == "" || c.Province == p {
					cs = append(cs, c)
				}
			}
		} else {
			cs = s.Figures.Communes(p)
		}
	}
	matched := len(cs)
	if fid == "" {
		lo, hi := page.Bounds(len(cs))
		cs = cs[lo:hi]
	}
	// Metric values: one table per metric for the province (all when the
	// page spans several).
	tabs := make([]*figures.Table, len(metrics))
	if len(cs) > 0 {
		scope := p
		if scope == "" && allOneProvince(cs) {
			scope = cs[0].Province
		}
		reqs := make([]figures.Req, len(metrics))
		for i, m := range metrics {
			reqs[i] = figures.Req{Metric: m, Province: scope, Window: q.Window}
		}
		if tabs, err = s.Figures.Tables().GetAll(ctx, reqs); err != nil {
			return nil, err
		}
	}
	feats := make([]geo.Feature, 0, len(cs))
	for _, c := range cs {
		g, err := s.Maps.Geometry(ctx, c.Code, q.Level)
		if err != nil {
			return nil, err
		}
		cj := figures.CommuneOf(c)
		values := make([]MetricValue, len(metrics))
		for i, m := range metrics {
			values[i].Metric = m.ID
			if v, ok := tabs[i].Value(c.Code); ok {
				values[i].Value, values[i].OK = figures.Round6(v), true
			} else if fg, ok := tabs[i].Lookup(c.Code); ok {
				values[i].Reason = fg.Reason
			}
		}
		props := CommuneProperties(Commune{Code: c.Code, Name: c.FullName, Kind: cj.Kind, Province: c.Province, AreaKm2: cj.AreaKm2,
			Population: cj.Population, PopulationFlag: cj.PopulationFlag, FormerUnits: c.FormerRaw}, q.Window, values)
		f := geo.Feature{Type: "Feature", ID: string(c.Code), Geometry: geo.NewMultiPolygon(g), Properties: props}
		if fid != "" {
			f.Links = ItemLinks(q.Base, "communes", string(c.Code))
			return f, nil
		}
		feats = append(feats, f)
	}
	n := len(feats)
	return geo.FeatureCollection{Type: "FeatureCollection", Features: feats, NumberMatched: &matched, NumberReturned: &n,
		Links: page.Links(q.Base, q.Path, q.Values, matched)}, nil
}

func allOneProvince(cs []*commune.Commune) bool {
	for _, c := range cs {
		if c.Province != cs[0].Province {
			return false
		}
	}
	return true
}

// Sites answers /collections/sites/items (fid "") with a page of sites, or
// /items/{fid} with one; a site's id is its commune code, "_" and its key.
func (s Source) Sites(ctx context.Context, q Query, fid string) (any, error) {
	f := analytics.SiteFilter{Province: q.Province, Window: q.Window}
	var key string
	if fid != "" {
		c, k, ok := strings.Cut(fid, "_")
		cm, found := s.Geo.Commune(analytics.CommuneCode(c))
		if !ok || !found {
			return nil, FeatureNotFound(fid)
		}
		f.Province, f.Commune, key = cm.Province, cm.Code, k
	}
	sites, err := s.Store(ctx, f)
	if err != nil {
		return nil, err
	}
	if fid != "" {
		for _, sp := range sites {
			if sp.Key == key {
				ft := siteFeature(sp)
				ft.Links = ItemLinks(q.Base, "sites", fid)
				return ft, nil
			}
		}
		return nil, FeatureNotFound(fid)
	}
	page, err := ParsePage(q.Values)
	if err != nil {
		return nil, err
	}
	bb, hasBBox, err := ParseBBox(q.Values)
	if err != nil {
		return nil, err
	}
	if hasBBox {
		sites = SitesIn(sites, bb)
	}
	matched := len(sites)
	lo, hi := page.Bounds(len(sites))
	feats := make([]geo.Feature, 0, hi-lo)
	for _, sp := range sites[lo:hi] {
		feats = append(feats, siteFeature(sp))
	}
	n := len(feats)
	return geo.FeatureCollection{Type: "FeatureCollection", Features: feats, NumberMatched: &matched, NumberReturned: &n,
		Links: page.Links(q.Base, q.Path, q.Values, matched)}, nil
}

// siteFeature is a site as an OGC feature: null geometry when the site has
// no coordinates (it still counts).
func siteFeature(sp analytics.SitePoint) geo.Feature {
	var g *geo.Geometry
	if sp.HasPoint {
		g = geo.NewPoint(sp.Lon, sp.Lat)
	}
	return geo.Feature{Type: "Feature", ID: geo.SiteID(sp), Geometry: g, Properties: geo.SiteProps(sp)}
}
