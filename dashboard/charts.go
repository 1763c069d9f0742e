package dashboard

import (
	"context"
	"net/url"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/dashboard/charts"
	"github.com/antq-atlas/antq/dashboard/params"
)

// Charts as a service: /charts/{name}.{json,svg,png,csv}. The charts are
// built by dashboard/charts from the same figures the /api/v1 routes
// answer from; this file reads each chart's parameters.

// buildChart builds chart name from the query (the API's parameters plus
// lang=en, show=, side=, limit=, by=, top=, labels=).
func (a *App) buildChart(ctx context.Context, name string, q url.Values) (charts.Built, error) {
	t := charts.Text{EN: q.Get("lang") == "en"}
	switch name {
	case "map", "delta":
		return a.mapChart(ctx, q, t, name == "delta")
	case "trend":
		sp, err := a.svc.params.Series(ctx, q)
		if err != nil {
			return charts.Built{}, err
		}
		return a.charts.Trend(ctx, t, sp)
	case "breakdown":
		return a.breakdownChart(ctx, q, t)
	case "ranking":
		mp, err := a.svc.params.Map(ctx, q)
		if err != nil {
			return charts.Built{}, err
		}
		n, err := params.Int(q, "limit", 10, 1, 50)
		if err != nil {
			return charts.Built{}, err
		}
		side, err := params.Enum(q, "side", []string{"top", "bottom"}, "top")
		if err != nil {
			return charts.Built{}, err
		}
		return a.charts.Ranking(ctx, t, mp, side, n)
	}
	return charts.Built{}, charts.ErrUnknown(name)
}

// mapChart reads a map chart's parameters: the map's, show= and labels=.
func (a *App) mapChart(ctx context.Context, q url.Values, t charts.Text, delta bool) (charts.Built, error) {
	// The GeoJSON URL carries the request's own parameters: those of a
	// signed embed (exp=, sig=) then admit it as they admit the chart.
	o := charts.MapOptions{Delta: delta, MapURL: "/api/v1/map.geojson?" + q.Encode()}
	q = params.Clone(q)
	if delta && q.Get("compare") == "" {
		q.Set("compare", "prev")
	}
	o.Show = q.Get("show")
	if o.Show != "" && o.Show != "compare" {
		return charts.Built{}, params.Invalid("show", o.Show, "compare (bản đồ kỳ so sánh)", "compare (the comparison period's map)")
	}
	if o.Show == "compare" && q.Get("compare") == "" {
		return charts.Built{}, analytics.Errorf(analytics.CodeInvalid, "show=compare cần compare= / show=compare needs compare=")
	}
	mp, err := a.svc.params.Map(ctx, q)
	if err != nil {
		return charts.Built{}, err
	}
	if o.Labels, err = params.Enum(q, "labels", []string{"none", "top", "all"}, "none"); err != nil {
		return charts.Built{}, err
	}
	return a.charts.Map(ctx, t, mp, o)
}

// breakdownChart reads a breakdown's parameters: province, by=, the
// window, commune= and top=.
func (a *App) breakdownChart(ctx context.Context, q url.Values, t charts.Text) (charts.Built, error) {
	p, err := params.Province(a.deps.Geo, q, true)
	if err != nil {
		return charts.Built{}, err
	}
	by, err := params.Enum(q, "by", analytics.BreakdownDims, analytics.ByModelType)
	if err != nil {
		return charts.Built{}, err
	}
	w, err := a.svc.params.Window(ctx, q, p)
	if err != nil {
		return charts.Built{}, err
	}
	c, err := params.Commune(a.deps.Geo, q, p)
	if err != nil {
		return charts.Built{}, err
	}
	top, err := params.Int(q, "top", charts.DefaultTop, 1, 500)
	if err != nil {
		return charts.Built{}, err
	}
	return a.charts.Breakdown(ctx, t, by, p, c, w, top)
}
