// Package figures computes what the dashboard shows, without HTTP: the
// metric tables of the catalogue (analytics.Metrics) over the 2025 communes
// of a province and a window, with the province figure rolled up as the
// catalogue says (analytics.RollUp, analytics.CompositeFigure) and the
// reason a figure has no value; the national table by province; the rows
// of a map, a ranking or an export with ranks and choropleth classes
// (analytics.ClassBreaks, analytics.DivergingBreaks) as the API sends them;
// and the typed bodies the API answers with: the summary, a commune's
// figures and detail, breakdowns, rankings, series, and the CSV and XLSX
// export of a map's table.
//
// A figure (số liệu) belongs to a commune (xã/phường/đặc khu) or a
// province; "no data" is never zero: a Figure without a value says why
// (analytics.Reason), and every body states its window. A Service reads an
// analytics.Reader and the reference communes (analytics/commune); the
// dashboard's thin handlers parse the request into a MapQuery or a
// SeriesQuery, call it and write the answer. It imports analytics,
// analytics/commune, dashboard/chart (number formats, class colours and
// labels) and excelize, and never Fiber.
package figures
