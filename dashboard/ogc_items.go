package dashboard

import (
	"context"

	"github.com/antq-atlas/antq/dashboard/geo"
	"github.com/antq-atlas/antq/dashboard/ogc"
	"github.com/antq-atlas/antq/dashboard/params"
)

// The items of the OGC API collections: the shell reads the parameters
// every route shares, package dashboard/ogc builds the features.

func (a *App) ogcItems(ctx context.Context, r request) (response, error) {
	return a.ogcFeatures(ctx, r, "")
}

func (a *App) ogcItem(ctx context.Context, r request) (response, error) {
	return a.ogcFeatures(ctx, r, r.params["featureId"])
}

func (a *App) ogcFeatures(ctx context.Context, r request, fid string) (response, error) {
	if err := ogc.ParseFormat(r.query); err != nil {
		return response{}, err
	}
	src := ogc.Source{Geo: a.deps.Geo, Figures: a.svc.fig, Maps: a.svc.maps, Store: a.deps.Reader.Sites}
	id := r.params["collectionId"]
	var answer func(context.Context, ogc.Query, string) (any, error)
	switch id {
	case "communes":
		answer = src.Communes
	case "sites":
		answer = src.Sites
	default:
		return response{}, ogc.UnknownCollection(id)
	}
	q := ogc.Query{Values: r.query, Base: r.base, Path: r.path}
	var err error
	if q.Province, err = params.OptionalProvince(a.deps.Geo, r.query); err != nil {
		return response{}, err
	}
	if q.Window, err = params.Datetime(r.query, a.cfg.Now()); err != nil {
		return response{}, err
	}
	if id == "communes" {
		if q.Metrics, err = ogc.ParseMetrics(r.query); err != nil {
			return response{}, err
		}
		if q.Level, err = params.Level(r.query, false); err != nil {
			return response{}, err
		}
	}
	v, err := answer(ctx, q, fid)
	if err != nil {
		return response{}, err
	}
	return jsonResponse(v, geo.ContentType)
}
