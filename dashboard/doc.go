// Package dashboard is the HTTP face of ANTQ Atlas: a Fiber app with every
// route in routes.go, thin handlers that read the parameters
// (dashboard/params), call the Fiber-free packages below and write the
// answer, one error handler (errors.go; the status of each domain error
// code and the error body are dashboard/apierr's), the response cache's
// front (serve.go over dashboard/cache), and the middleware.
//
// The API (/api/v1, described by /openapi.json, which dashboard/openapi
// writes) serves reference lists, the metric catalogue, choropleth GeoJSON
// with quantile classes and province totals, site points, police-calendar
// series, breakdowns, rankings, a commune's detail with the crosswalk
// behind its restated figures, headline figures in Vietnamese, findings,
// and CSV/XLSX exports. /ogc is OGC API – Features Part 1 (Core, GeoJSON,
// OAS 3.0) for GIS tools. Every response is cached by full URL,
// gzip-compressed once, with an ETag; (*App).Invalidate empties the cache
// when the store commits.
//
// Access control (auth.go, routes.go's routeAccess) signs people in, gives
// each route its least role and scopes every figure to the provinces
// granted, through one wrapper around the Reader (dashboard/access, which
// also turns a request's credentials into its principal); secure.go sets
// the security headers and the per-client rate limit; metrics.go feeds the
// Prometheus metrics (dashboard/telemetry) and writes the request log;
// deskapi.go is the data desk's HTTP side (dashboard/desk does the work).
//
// The work is done by Fiber-free packages: dashboard/figures (metric
// tables, rows, ranks and classes, summary, detail, series, ranking,
// exports, the metric catalogue), dashboard/geo (the maps' GeoJSON and
// boundaries, the reference lists), dashboard/findings, dashboard/charts
// (each chart from the figures and its parameters) over dashboard/chart
// (ECharts options), dashboard/render (drawing them as SVG and PNG, under
// dashboard/admission's slots), dashboard/briefing (the deck's slides),
// dashboard/ogc (the OGC API and its items), dashboard/access and
// dashboard/web (the page, its assets and the embed error page).
//
// It depends on the analytics contracts, the reference geography
// (analytics/commune) and its own subpackages only: it must not import
// analytics/chstore or ingest, and *fiber.Ctx never leaves this package.
package dashboard
