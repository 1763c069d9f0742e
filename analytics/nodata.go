package analytics

import "time"

// Reason says why a figure has no value. A figure without a value is null
// in every response, never 0, and it is left out of class breaks, ranks and
// totals.
type Reason string

// The reasons a figure has no value.
const (
	// ReasonNoReports: the province holds no records of the metric's
	// source kind that bear on the window (see Metric.NoData).
	ReasonNoReports Reason = "no_reports"
	// ReasonPeriodNotStarted: the window begins after today.
	ReasonPeriodNotStarted Reason = "period_not_started"
	// ReasonPartialPeriod: the window has not ended and the province has
	// not yet reported on it, though it reported on earlier periods (grades
	// come at the end of the police year, for instance).
	ReasonPartialPeriod Reason = "partial_period"
	// ReasonNotApplicable: the province reports, but the figure has no
	// denominator here (a rate over no incidents, a density over a flagged
	// population, a commune without former units).
	ReasonNotApplicable Reason = "not_applicable"
	// ReasonInsufficientComponents: the composite index has data for
	// components carrying less than CompositeMinWeight of the weight.
	ReasonInsufficientComponents Reason = "insufficient_components"
)

// NoDataVI and NoDataEN are the legend entry of figures without a value.
const (
	NoDataVI = "Không có số liệu"
	NoDataEN = "No data"
	// ProvinceNoDataVI replaces a map, a headline or a slide of a province
	// that reported nothing of the kind for the window.
	ProvinceNoDataVI = "Chưa có số liệu của tỉnh này"
	ProvinceNoDataEN = "No data for this province yet"
)

// LabelVI says the reason in Vietnamese.
func (r Reason) LabelVI() string {
	switch r {
	case ReasonNoReports:
		return "không có báo cáo"
	case ReasonPeriodNotStarted:
		return "kỳ chưa bắt đầu"
	case ReasonPartialPeriod:
		return "kỳ chưa kết thúc, chưa có báo cáo"
	case ReasonNotApplicable:
		return "không áp dụng"
	case ReasonInsufficientComponents:
		return "không đủ chỉ tiêu thành phần"
	}
	return string(r)
}

// LabelEN says the reason in English.
func (r Reason) LabelEN() string {
	switch r {
	case ReasonNoReports:
		return "no reports"
	case ReasonPeriodNotStarted:
		return "period not started"
	case ReasonPartialPeriod:
		return "period not over, not reported yet"
	case ReasonNotApplicable:
		return "not applicable"
	case ReasonInsufficientComponents:
		return "insufficient components"
	}
	return string(r)
}

// Reporting counts one province's records of each kind that bear on a
// window, and those of the same kind dated before it.
type Reporting struct {
	Province ProvinceCode
	// InWindow: models and sites founded or opened before the window's end
	// (or undated), grades of the police year the window ends in, incidents
	// and tips received within the window.
	InWindow map[Kind]uint64
	// Before: models and sites the same; grades of earlier police years;
	// incidents and tips received before the window began.
	Before map[Kind]uint64
}

// NoDataReason says why metric m has no value for a commune of a province
// whose reporting for window w is rep, today being now; den is the
// commune's denominator (0: none). ok is false when the figure has a
// value. The composite index is judged by Composite, not here.
func (m Metric) NoDataReason(w Window, now time.Time, rep Reporting, den float64) (Reason, bool) {
	if !w.Started(now) {
		return ReasonPeriodNotStarted, true
	}
	for _, k := range m.Sources() {
		if rep.InWindow[k] > 0 {
			continue
		}
		if w.Partial && rep.Before[k] > 0 {
			return ReasonPartialPeriod, true
		}
		return ReasonNoReports, true
	}
	if den == 0 {
		return ReasonNotApplicable, true
	}
	return "", false
}
