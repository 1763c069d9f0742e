// Package render draws chart.Specs on the server, as SVG and PNG for
// slides, without a browser.
//
// It runs ECharts' own server-side renderer (echarts.min.js from package web,
// pinned in dashboard/web/package.json) in goja, the pure-Go JavaScript engine:
// init(null, null, {renderer: 'svg', ssr: true}), setOption with animation off,
// renderToSVGString. A runtime takes ≈ 0.2 s to load ECharts and is used by one
// goroutine at a time, so Renderer keeps a small bounded pool and loads runtimes
// lazily. PNG comes from the SVG through rsvg-convert (Debian librsvg2-bin) with
// fonts that carry Vietnamese diacritics (fonts-dejavu-core).
//
// Rendered bytes are cached in an LRU bounded in bytes and keyed by a hash of
// everything that changes the output; concurrent requests for the same cold
// chart render once. Choropleths register our own GeoJSON (WGS84 lon/lat) once
// per runtime and map version, after thinning it to well below a pixel
// (geo.go).
//
// Imports: analytics (error codes), dashboard/chart (the specs),
// dashboard/web (assets) and internal/lru; never the store, ingest or Fiber.
package render
