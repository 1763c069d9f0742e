package dashboard

// routes lists every route of the app in one place. Every /api and /ogc
// route is described in openapi.go (a test holds the two together); all
// answer GET (and HEAD) from the response cache.
func (a *App) routes() {
	f := a.fiber
	f.Get("/healthz", a.healthz)
	f.Get("/readyz", a.readyz)

	c := a.cachedEndpoint
	f.Get("/openapi.json", c(a.openAPI))

	f.Get("/api/v1/provinces", c(a.apiProvinces))
	f.Get("/api/v1/communes", c(a.apiCommunes))
	f.Get("/api/v1/communes/:code", c(a.apiCommune, "code"))
	f.Get("/api/v1/metrics", c(a.apiMetrics))
	f.Get("/api/v1/map.geojson", c(a.apiMap))
	f.Get("/api/v1/sites.geojson", c(a.apiSites))
	f.Get("/api/v1/series", c(a.apiSeries))
	f.Get("/api/v1/breakdown", c(a.apiBreakdown))
	f.Get("/api/v1/ranking", c(a.apiRanking))
	f.Get("/api/v1/summary", c(a.apiSummary))
	f.Get("/api/v1/export.csv", c(a.apiExportCSV))
	f.Get("/api/v1/export.xlsx", c(a.apiExportXLSX))

	f.Get("/ogc", c(a.ogcLanding))
	f.Get("/ogc/conformance", c(a.ogcConformance))
	f.Get("/ogc/collections", c(a.ogcCollections))
	f.Get("/ogc/collections/:collectionId", c(a.ogcCollection, "collectionId"))
	f.Get("/ogc/collections/:collectionId/items", c(a.ogcItems, "collectionId"))
	f.Get("/ogc/collections/:collectionId/items/:featureId", c(a.ogcItem, "collectionId", "featureId"))

	// Not cached, not in the public API document: `antq ingest` hands files
	// to the server that owns the data directory.
	f.Post("/api/v1/admin/ingest-local", a.localIngest)
}
