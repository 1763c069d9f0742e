// Package geo holds the Fiber-free geometry work of the dashboard's maps:
// for now the dissolve of commune boundaries into province outlines (the
// national map by province). The GeoJSON types, map assembly and splice
// are to follow it here from the dashboard package.
//
// It imports orb and the standard library only; it must not import the
// dashboard shell, Fiber, analytics/chstore or ingest.
package geo
