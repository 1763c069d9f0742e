// Package dashboard is the HTTP face of ANTQ Atlas: a Fiber app with every
// route in routes.go, thin handlers, one error handler that maps domain error
// codes to statuses, and pure builders (rows -> GeoJSON, rows -> ECharts
// options) tested on their own.
//
// It depends on the analytics contracts only: it must not import
// analytics/chstore or ingest, and *fiber.Ctx never leaves this package.
package dashboard
