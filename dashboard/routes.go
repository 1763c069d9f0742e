package dashboard

import (
	"net/url"
	"path"
	"strings"
)

// routes lists every route of the app in one place, and the middleware
// every request passes first. Every /api and /ogc GET route is described in
// dashboard/openapi (a test holds the two together); the data routes answer GET
// (and HEAD) from the response cache. Who may call each route is
// routeAccess below.
func (a *App) routes() {
	f := a.fiber
	// Outermost first: metrics, logs and errors; panics; security headers;
	// no state change from another site; who is asking; per-client rate
	// limits (the OGC API has its own, larger budget); route access and
	// province guard.
	f.Use(a.observe, a.recoverPanic, a.bodyGuard, a.secureHeaders, a.sameOrigin, a.authenticate, a.rateLimit, a.ogcRateLimit, a.authorize)

	f.Get("/healthz", a.healthz)
	f.Get("/readyz", a.readyz)
	f.Get("/metrics", a.metricsHandler)

	f.Post("/api/v1/login", a.loginLimit, a.login)
	f.Post("/api/v1/logout", a.logout)
	f.Get("/api/v1/session", a.sessionInfo)
	f.Get("/api/v1/admin/users", a.adminUsers)

	c := a.cachedEndpoint
	f.Get("/openapi.json", c(a.openAPI))

	f.Get("/api/v1/provinces", c(a.apiProvinces))
	f.Get("/api/v1/communes", c(a.apiCommunes))
	f.Get("/api/v1/communes/:code", c(a.apiCommune, "code"))
	f.Get("/api/v1/figures", c(a.apiFigures))
	f.Get("/api/v1/metrics", c(a.apiMetrics))
	f.Get("/api/v1/map.geojson", c(a.apiMap))
	f.Get("/api/v1/sites.geojson", c(a.apiSites))
	f.Get("/api/v1/series", c(a.apiSeries))
	f.Get("/api/v1/breakdown", c(a.apiBreakdown))
	f.Get("/api/v1/ranking", c(a.apiRanking))
	f.Get("/api/v1/summary", c(a.apiSummary))
	f.Get("/api/v1/findings", c(a.apiFindings))
	f.Get("/api/v1/export.csv", c(a.apiExportCSV))
	f.Get("/api/v1/export.xlsx", c(a.apiExportXLSX))

	f.Get("/ogc", c(a.ogcLanding))
	f.Get("/ogc/conformance", c(a.ogcConformance))
	f.Get("/ogc/collections", c(a.ogcCollections))
	f.Get("/ogc/collections/:collectionId", c(a.ogcCollection, "collectionId"))
	f.Get("/ogc/collections/:collectionId/schema", c(a.ogcSchema, "collectionId"))
	f.Get("/ogc/collections/:collectionId/queryables", c(a.ogcQueryables, "collectionId"))
	f.Get("/ogc/collections/:collectionId/items", c(a.ogcItems, "collectionId"))
	f.Get("/ogc/collections/:collectionId/items/:featureId", c(a.ogcItem, "collectionId", "featureId"))

	// Not cached, not in the public API document: `antq ingest` hands files
	// to the server that owns the data directory.
	f.Post("/api/v1/admin/ingest-local", a.localIngest)

	// The data desk: uploads, batches, undo (deskapi.go).
	a.deskRoutes()

	// The page, its assets, charts as a service, embeds, the briefing deck
	// (page.go lists them).
	a.pageRoutes()
}

// Access levels of routes: public, or the least role.
const (
	accessPublic  = "public"
	accessViewer  = "viewer"
	accessAnalyst = "analyst"
	accessEditor  = "editor" // the data desk (deskapi.go)
	accessAdmin   = "admin"
)

// routeAccess says who may call what, by path (exact, or a prefix ending
// in "/"), first match wins; every other path needs a viewer. Province
// grants apply on top (dashboard/access, scope.go). Paths are compared as Fiber routes them
// (case-insensitive, trailing slashes ignored) and also percent-decoded and
// cleaned; the strictest reading wins, so no spelling of a path reaches a
// handler with a weaker check.
var routeAccess = []struct{ path, level string }{
	{"/healthz", accessPublic},
	{"/readyz", accessPublic},
	{"/", accessPublic}, // the page shell: it signs in and then calls the API
	{"/index.html", accessPublic},
	{"/assets/", accessPublic},
	{"/favicon.ico", accessPublic},
	{"/embed/", accessPublic}, // the handler checks the link's signature
	{"/api/v1/login", accessPublic},
	{"/api/v1/logout", accessPublic},
	{"/api/v1/session", accessPublic},
	{"/api/v1/admin/ingest-local", accessPublic}, // checks the data directory owner's local token
	deskAccess[0], deskAccess[1], deskAccess[2], deskAccess[3],
	{"/api/v1/admin/", accessAdmin},
	{"/metrics", accessAdmin},
	{"/api/v1/communes/", accessAnalyst}, // a commune's detail: models, sites, restatement
	{"/api/v1/sites.geojson", accessAnalyst},
	{"/ogc/collections/sites", accessAnalyst}, // the collection, its schema, queryables and items
	{"/ogc/collections/sites/", accessAnalyst},
}

var accessRank = map[string]int{accessPublic: 0, accessViewer: 1, accessAnalyst: 2, accessEditor: 3, accessAdmin: 4}

// normPath is a path as Fiber matches routes: lower case, without
// trailing slashes.
func normPath(p string) string {
	p = strings.ToLower(p)
	if len(p) > 1 {
		p = strings.TrimRight(p, "/")
		if p == "" {
			p = "/"
		}
	}
	return p
}

// accessFor returns the access level of a request path.
func accessFor(raw string) string {
	forms := []string{normPath(raw)}
	if dec, err := url.PathUnescape(raw); err == nil && dec != raw {
		forms = append(forms, normPath(dec))
	}
	forms = append(forms, normPath(path.Clean("/"+forms[len(forms)-1])))
	level := accessPublic
	for _, p := range forms {
		if l := accessOfPath(p); accessRank[l] > accessRank[level] {
			level = l
		}
	}
	return level
}

func accessOfPath(p string) string {
	for _, r := range routeAccess {
		if p == r.path || (strings.HasSuffix(r.path, "/") && r.path != "/" && strings.HasPrefix(p, r.path)) {
			return r.level
		}
	}
	return accessViewer
}
