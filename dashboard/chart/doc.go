// Package chart builds the dashboard's charts and maps as ECharts options:
// pure functions from plain inputs to option JSON, which the page draws in
// the browser and package render draws on the server for slides.
//
// The option builders (Bar, Line, Pie, Map) write typed values: go-echarts'
// types, and small structs of ours where it lacks a member (echarts.go);
// maps join regions on the commune code, never the name. A Spec is one
// chart to draw (option, canvas, maps, slide texts); Spec.Normalized checks
// it. On a slide, Decorate adds a title, a subtitle and a footnote sized to
// the canvas, and a map is laid out by LayoutMap: its extent (Bounds)
// fitted at full height beside a column of text.
//
// Numbers on screen are Vietnamese ("2.025", "75,6"): FormatNumber in Go and
// the same rule in dashboard/web/src/antq.js, whose antq.revive turns sentinel
// formatter strings ("antq:number:1") in option JSON into functions, in the
// browser and in the renderer alike (ECharts itself always writes "2,025").
//
// Imports: analytics (error codes) only; never the store, ingest or Fiber.
package chart
