// Package figures computes what the dashboard shows, without HTTP: the
// metric tables of the catalogue (analytics.Metrics) over the 2025 communes
// of a province and a window, with the province figure rolled up as the
// catalogue says (analytics.RollUp, analytics.CompositeFigure) and the
// reason a figure has no value; the national table by province; the rows
// of a map, a ranking or an export with ranks and choropleth classes
// (analytics.ClassBreaks, analytics.DivergingBreaks) as the API sends them.
//
// A figure (số liệu) belongs to a commune (xã/phường/đặc khu) or a
// province; "no data" is never zero: a Figure without a value says why
// (analytics.Reason). Plain functions and a Service over an
// analytics.Reader; the dashboard's thin handlers call them and write the
// answer. It imports analytics, analytics/commune and dashboard/chart (for
// the class colours and labels), and never Fiber.
package figures
