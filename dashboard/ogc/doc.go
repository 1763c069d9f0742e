// Package ogc is OGC API – Features – Part 1: Core, with GeoJSON and
// OpenAPI 3.0 (https://docs.ogc.org/is/17-069r4/17-069r4.html), without
// HTTP: the landing page, conformance classes, collections, the typed JSON
// Schema and queryables of a collection's features, and the paging rules
// of an items request. Plain functions over typed inputs returning typed
// values; the dashboard's thin handlers (dashboard/ogc.go,
// dashboard/ogc_items.go) read the request, call them and write the
// answer, and Source assembles the items from the figures, the store and
// the geometry caches.
//
// Two collections: communes (2025 communes with metric values as
// properties) and sites (active sites as points). Coordinates are CRS84
// (WGS84 lon/lat). It imports analytics, analytics/commune,
// dashboard/figures, dashboard/geo and dashboard/params (the 400 of a bad
// parameter), and never Fiber.
package ogc
