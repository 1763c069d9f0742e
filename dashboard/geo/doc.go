// Package geo assembles the dashboard's maps without Fiber: the GeoJSON
// (RFC 7946) types the API writes, the commune and province boundaries
// prepared once per level (Maps: RFC 7946 rings, encoded once, the
// feature openings compressed once), the join of a metric table from
// dashboard/figures with them (BuildMap for the charts, EncodeMap for the
// API, byte for byte the same), the sites map, and the dissolve of commune
// boundaries into province outlines (the national map by province).
//
// Hand-written where a benchmark justifies it: EncodeMap writes the
// FeatureCollection without reflection (BenchmarkIdentityBody), spliced
// from pieces compressed once (internal/gzbody); Dissolve because orb has
// no union.
//
// It imports analytics, analytics/commune, dashboard/figures and
// internal/gzbody; never the dashboard shell, Fiber, analytics/chstore or
// ingest.
package geo
