package dashboard

import (
	"context"

	"github.com/antq-atlas/antq/dashboard/access"
	"github.com/antq-atlas/antq/dashboard/geo"
	"github.com/antq-atlas/antq/dashboard/ogc"
)

// OGC API – Features under /ogc: thin handlers over package
// dashboard/ogc (landing, conformance, collections, schema, queryables,
// paging rules, the items' parameters); ogc_items.go assembles the items
// from the store and the geometry caches.

const (
	ctJSONSchema = ogc.ContentSchema
	ctOGCJSON    = ogc.ContentJSON
)

// link is an OGC API link (also of a GeoJSON feature collection).
type link = ogc.Link

func (a *App) ogcLanding(ctx context.Context, r request) (response, error) {
	return jsonResponse(ogc.Landing(r.base), ctOGCJSON)
}

func (a *App) ogcConformance(ctx context.Context, r request) (response, error) {
	return jsonResponse(ogc.Conforms(), ctOGCJSON)
}

// mayRead reports whether the caller of ctx passes the route access of path
// (always, with access control off).
func (a *App) mayRead(ctx context.Context, path string) bool {
	if a.cfg.Auth == nil {
		return true
	}
	need := accessFor(path)
	if need == accessPublic {
		return true
	}
	pr, ok := access.PrincipalOf(ctx)
	return ok && pr.Role.Includes(access.Role(need))
}

// visibleCollection reports whether the caller may read collection id's
// features: a listed collection that then answers 403 makes GIS clients
// (ogr2ogr) abort the whole copy.
func (a *App) visibleCollection(ctx context.Context, id string) bool {
	return a.mayRead(ctx, "/ogc/collections/"+id+"/items")
}

func (a *App) ogcCollections(ctx context.Context, r request) (response, error) {
	return jsonResponse(ogc.List(r.base, geo.Extent(a.deps.Geo), func(id string) bool { return a.visibleCollection(ctx, id) }), ctOGCJSON)
}

// ogcSchema: GET /ogc/collections/{id}/schema (ogc.FeatureSchema).
func (a *App) ogcSchema(ctx context.Context, r request) (response, error) {
	s, err := ogc.FeatureSchema(r.base, r.params["collectionId"])
	if err != nil {
		return response{}, err
	}
	return jsonResponse(s, ctJSONSchema)
}

// ogcQueryables: GET /ogc/collections/{id}/queryables (ogc.Queryables).
func (a *App) ogcQueryables(ctx context.Context, r request) (response, error) {
	s, err := ogc.Queryables(r.base, r.params["collectionId"])
	if err != nil {
		return response{}, err
	}
	return jsonResponse(s, ctJSONSchema)
}

func (a *App) ogcCollection(ctx context.Context, r request) (response, error) {
	id := r.params["collectionId"]
	if !a.visibleCollection(ctx, id) {
		return response{}, ogc.UnknownCollection(id)
	}
	c, err := ogc.CollectionOf(r.base, id, geo.Extent(a.deps.Geo))
	if err != nil {
		return response{}, err
	}
	return jsonResponse(c, ctOGCJSON)
}
