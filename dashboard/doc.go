// Package dashboard is the HTTP face of ANTQ Atlas: a Fiber app with every
// route in routes.go, thin handlers, one error handler that maps domain error
// codes to statuses, and pure builders (rows -> GeoJSON, rows -> ECharts
// options) tested on their own.
//
// The API (/api/v1, described by /openapi.json) serves reference lists, the
// metric catalogue, choropleth GeoJSON with quantile classes and province
// totals, site points, police-calendar series, breakdowns, rankings, a
// commune's detail with the crosswalk behind its restated figures, headline
// figures in Vietnamese, and CSV/XLSX exports. /ogc is OGC API – Features
// Part 1 (Core, GeoJSON, OAS 3.0) for GIS tools. Every response is cached by
// full URL, gzip-compressed once, with an ETag; (*App).Invalidate empties the
// cache when the store commits.
//
// Access control (auth.go, scope.go, routes.go's routeAccess) signs people
// in, gives each route its least role and scopes every figure to the
// provinces granted, through one wrapper around the Reader; secure.go sets
// the security headers and the per-client rate limit; metrics.go writes the
// Prometheus metrics and the request log.
//
// The figures and the typed bodies come from dashboard/figures (Fiber-free:
// metric tables, rows, ranks and classes, summary, detail, series, ranking,
// exports); the handlers here parse the request, call it and write the
// answer. The charts' options and rendering are dashboard/chart's.
//
// It depends on the analytics contracts, the access package, the reference
// geography (analytics/commune) and its own subpackages only: it must not
// import analytics/chstore or ingest, and *fiber.Ctx never leaves this
// package.
package dashboard
