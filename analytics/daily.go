package analytics

import "time"

// The fine-grained counts below are what an in-memory copy of the metric
// figures (analytics/memagg) is built from: per 2025 commune and day, or per
// start and end date, so any window sums them exactly. The store reads them
// from the same FINAL rows its metric SQL reads.

// CommuneRef is a 2025 commune as the metric frame reads it: one row per
// commune, with the figures denominators use.
type CommuneRef struct {
	Code       CommuneCode
	Province   ProvinceCode
	AreaKm2    float64 // official area, km²
	Population float64 // residents; 0 where flagged (NULL in the store)
}

// IncidentDay is one commune's incidents and tips received on one day,
// counted as the half-month aggregates count them (the incident counters
// of the catalogue: IncidentsReceived, IncidentsResolved, ...).
type IncidentDay struct {
	Province           ProvinceCode // the record's province
	Commune            CommuneCode
	Day                time.Time // received, UTC midnight
	Rows               uint64    // incidents and tips
	Incidents          uint64    // incidents proper (not tips)
	Closed             uint64
	ResolvedLocal      uint64
	Mediated           uint64
	MediationConcluded uint64
	Tips               uint64
	TipsUseful         uint64
}

// SpanCount counts one commune's sites or models that share a start date
// (opened, founded), an end date (retired) and, for models, the advanced
// flag. A zero Start or End is a date the record does not have.
type SpanCount struct {
	Kind       Kind // KindSites or KindModels
	Province   ProvinceCode
	Commune    CommuneCode
	Start, End time.Time
	Advanced   bool
	N          uint64
}

// GradeCount counts one commune's grades of one police year with the same
// grade.
type GradeCount struct {
	Province ProvinceCode
	Commune  CommuneCode
	Year     uint16 // police year
	Grade    string
	N        uint64
}
