package dashboard

import (
	"context"
	"net/url"

	"github.com/antq-atlas/antq/dashboard/geo"
)

// MapReference is the map as encoding/json writes buildMap's
// FeatureCollection (the form the charts read): the bytes
// /api/v1/map.geojson must serve for query.
func MapReference(ctx context.Context, a *App, query url.Values) ([]byte, error) {
	mp, err := a.svc.params.Map(ctx, query)
	if err != nil {
		return nil, err
	}
	fc, err := a.svc.maps.GeoJSON(ctx, mp, a.sourceOf(mp.Province))
	if err != nil {
		return nil, err
	}
	r, err := jsonResponse(fc, geo.ContentType)
	return r.body, err
}

// CacheStats reports the response cache's entries and bytes held.
func CacheStats(a *App) (int, int64) { return a.cache.Stats() }
