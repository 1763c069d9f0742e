package analytics

import (
	"context"
	"time"
)

// Breakdown dimensions.
const (
	ByModelType = "model_type"
	BySector    = "sector"
	ByGrade     = "grade"
	ByCategory  = "category"
	ByOutcome   = "outcome"
)

// BreakdownDims lists the accepted breakdown dimensions.
var BreakdownDims = []string{ByModelType, BySector, ByGrade, ByCategory, ByOutcome}

// Share is one slice of a breakdown.
type Share struct {
	Label string
	N     uint64
}

// SiteFilter selects active sites.
type SiteFilter struct {
	Province  ProvinceCode
	Commune   CommuneCode
	ModelType string
	Sector    string
	Window    Window // active at Window.To
	Limit     int    // default 100,000
}

// SitePoint is one active site, for maps and lists.
type SitePoint struct {
	Key, Name, ModelName, ModelType, Sector string
	Province                                ProvinceCode
	Commune                                 CommuneCode
	Opened                                  time.Time
	Lon, Lat                                float64
	HasPoint                                bool
	SourcePlace                             string
	Rule                                    ResolveRule
	Split                                   bool
}

// ModelRow is one active model, for lists.
type ModelRow struct {
	Key, Name, Type, Sector, Level, HostUnit string
	Commune                                  CommuneCode
	Founded                                  time.Time
	Advanced, Exemplary                      bool
	SourcePlace                              string
	Rule                                     ResolveRule
}

// Restated says how some of a commune's records were restated on it.
type Restated struct {
	Kind        Kind
	Rule        ResolveRule
	SourcePlace string
	OldCode     string
	Split       bool
	N           uint64
}

// ProvinceFacts are a province's figures that do not add up over communes.
type ProvinceFacts struct {
	ModelTypes uint64 // distinct model types among active sites
	Exemplary  uint64 // nationally exemplary models (tiêu biểu toàn quốc)
}

// Reader answers the questions of maps, charts and exports. The ClickHouse
// store implements it.
type Reader interface {
	MetricByCommune(ctx context.Context, id MetricID, p ProvinceCode, w Window) ([]CommuneFigure, error)
	// MetricGroup is the figure of province p ("" = the country) of a
	// metric whose figures do not add up over communes (RollDistinct).
	MetricGroup(ctx context.Context, id MetricID, p ProvinceCode, w Window) (float64, error)
	Breakdown(ctx context.Context, by string, p ProvinceCode, c CommuneCode, w Window) ([]Share, error)
	Sites(ctx context.Context, f SiteFilter) ([]SitePoint, error)
	Models(ctx context.Context, p ProvinceCode, c CommuneCode, w Window, limit int) ([]ModelRow, error)
	Restated(ctx context.Context, c CommuneCode) ([]Restated, error)
	ProvinceFacts(ctx context.Context, p ProvinceCode, w Window) (ProvinceFacts, error)
	// Reporting counts, per province holding any record ("" = every
	// province), the records of each kind bearing on w.
	Reporting(ctx context.Context, p ProvinceCode, w Window) ([]Reporting, error)
	// DataHalfMonths lists, by kind, the half-months (1st or 15th)
	// holding records.
	DataHalfMonths(ctx context.Context, p ProvinceCode) (map[Kind][]time.Time, error)
}
