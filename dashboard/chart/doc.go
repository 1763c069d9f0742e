// Package chart draws the dashboard's charts and maps on the server, as SVG
// and PNG for slides, without a browser.
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
// per runtime and map version, after thinning it to well below a pixel.
//
// Numbers on screen are Vietnamese ("2.025", "75,6"): FormatNumber in Go and
// the same rule in dashboard/web/src/antq.js, whose antq.revive turns sentinel
// formatter strings ("antq:number:1") in option JSON into functions, in the
// browser and here alike (ECharts itself always writes "2,025").
//
// The option builders (Bar, Line, Pie, Map) are pure functions from plain
// inputs to option JSON, written from typed values: go-echarts' types, and
// small structs of ours where it lacks a member (echarts.go); maps join
// regions on the commune code, never the name. On a slide a map is laid out
// by LayoutMap: its extent fitted at full height beside a column of text.
//
// Imports: analytics (error codes) and dashboard/web (assets) only; never the
// store, ingest or Fiber.
package chart
