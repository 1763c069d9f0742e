package dashboard

import (
	"context"
	"strings"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune"
	"github.com/antq-atlas/antq/dashboard/figures"
	"github.com/antq-atlas/antq/dashboard/geo"
	"github.com/antq-atlas/antq/dashboard/ogc"
)

// The items of the OGC API collections, assembled from the store and the
// geometry caches (the parts that need the App); the rules they follow are
// in package dashboard/ogc.

func (a *App) ogcCommunes(ctx context.Context, r request, fid string) (response, error) {
	q := r.query
	p, err := a.ogcProvince(q)
	if err != nil {
		return response{}, err
	}
	w, err := parseDatetime(q, a.cfg.Now())
	if err != nil {
		return response{}, err
	}
	metrics, err := ogc.ParseMetrics(q)
	if err != nil {
		return response{}, err
	}
	level, err := parseLevel(q, false)
	if err != nil {
		return response{}, err
	}
	var cs []*commune.Commune
	var page ogc.Page
	if fid != "" {
		c, ok := a.deps.Geo.Commune(analytics.CommuneCode(fid))
		if !ok {
			return response{}, ogc.FeatureNotFound(fid)
		}
		cs, p = []*commune.Commune{c}, c.Province
	} else {
		if page, err = ogc.ParsePage(q); err != nil {
			return response{}, err
		}
		bb, hasBBox, err := ogc.ParseBBox(q)
		if err != nil {
			return response{}, err
		}
		if hasBBox {
			for _, c := range a.deps.Geo.InBound(bb) {
				if p == "" || c.Province == p {
					cs = append(cs, c)
				}
			}
		} else {
			cs = a.svc.fig.Communes(p)
		}
	}
	matched := len(cs)
	if fid == "" {
		lo, hi := page.Bounds(len(cs))
		cs = cs[lo:hi]
	}
	// Metric values: one table per metric for the province (all when the
	// page spans several).
	ts := a.svc.fig.Tables()
	tabs := make([]*figures.Table, len(metrics))
	if len(cs) > 0 {
		scope := p
		if scope == "" && allOneProvince(cs) {
			scope = cs[0].Province
		}
		reqs := make([]figures.Req, len(metrics))
		for i, m := range metrics {
			reqs[i] = figures.Req{Metric: m, Province: scope, Window: w}
		}
		if tabs, err = ts.GetAll(ctx, reqs); err != nil {
			return response{}, err
		}
	}
	feats := make([]geo.Feature, 0, len(cs))
	for _, c := range cs {
		g, err := a.svc.maps.Geometry(ctx, c.Code, level)
		if err != nil {
			return response{}, err
		}
		cj := figures.CommuneOf(c)
		values := make([]ogc.MetricValue, len(metrics))
		for i, m := range metrics {
			values[i].Metric = m.ID
			if v, ok := tabs[i].Value(c.Code); ok {
				values[i].Value, values[i].OK = figures.Round6(v), true
			} else if fg, ok := tabs[i].ByCode[c.Code]; ok {
				values[i].Reason = fg.Reason
			}
		}
		props := ogc.CommuneProperties(ogc.Commune{Code: c.Code, Name: c.FullName, Kind: cj.Kind, Province: c.Province, AreaKm2: cj.AreaKm2,
			Population: cj.Population, PopulationFlag: cj.PopulationFlag, FormerUnits: c.FormerRaw}, w, values)
		f := geo.Feature{Type: "Feature", ID: string(c.Code), Geometry: geo.NewMultiPolygon(g), Properties: props}
		if fid != "" {
			f.Links = ogc.ItemLinks(r.base, "communes", string(c.Code))
			return jsonResponse(f, geo.ContentType)
		}
		feats = append(feats, f)
	}
	n := len(feats)
	return jsonResponse(geo.FeatureCollection{Type: "FeatureCollection", Features: feats, NumberMatched: &matched, NumberReturned: &n,
		Links: page.Links(r.base, r.path, r.query, matched)}, geo.ContentType)
}

func allOneProvince(cs []*commune.Commune) bool {
	for _, c := range cs {
		if c.Province != cs[0].Province {
			return false
		}
	}
	return true
}

func (a *App) ogcSites(ctx context.Context, r request, fid string) (response, error) {
	q := r.query
	var f analytics.SiteFilter
	var err error
	if f.Province, err = a.ogcProvince(q); err != nil {
		return response{}, err
	}
	if f.Window, err = parseDatetime(q, a.cfg.Now()); err != nil {
		return response{}, err
	}
	var key string
	if fid != "" {
		c, k, ok := strings.Cut(fid, "_")
		cm, found := a.deps.Geo.Commune(analytics.CommuneCode(c))
		if !ok || !found {
			return response{}, ogc.FeatureNotFound(fid)
		}
		f.Province, f.Commune, key = cm.Province, cm.Code, k
	}
	sites, err := a.deps.Reader.Sites(ctx, f)
	if err != nil {
		return response{}, err
	}
	if fid != "" {
		for _, sp := range sites {
			if sp.Key == key {
				ft := siteFeature(sp)
				ft.Links = ogc.ItemLinks(r.base, "sites", fid)
				return jsonResponse(ft, geo.ContentType)
			}
		}
		return response{}, ogc.FeatureNotFound(fid)
	}
	page, err := ogc.ParsePage(q)
	if err != nil {
		return response{}, err
	}
	bb, hasBBox, err := ogc.ParseBBox(q)
	if err != nil {
		return response{}, err
	}
	if hasBBox {
		sites = ogc.SitesIn(sites, bb)
	}
	matched := len(sites)
	lo, hi := page.Bounds(len(sites))
	feats := make([]geo.Feature, 0, hi-lo)
	for _, sp := range sites[lo:hi] {
		feats = append(feats, siteFeature(sp))
	}
	n := len(feats)
	return jsonResponse(geo.FeatureCollection{Type: "FeatureCollection", Features: feats, NumberMatched: &matched, NumberReturned: &n,
		Links: page.Links(r.base, r.path, r.query, matched)}, geo.ContentType)
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
