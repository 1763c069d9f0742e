package charts

import (
	"context"
	"net/url"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/dashboard/params"
)

// Each chart's parameters, read from the request's query.

// FromQuery builds chart name from a request's query: the API's
// parameters (dashboard/params) plus lang=en, show=, side=, limit=, by=,
// top=, labels=.
func (b *Builder) FromQuery(ctx context.Context, name string, q url.Values) (Built, error) {
	t := Text{EN: q.Get("lang") == "en"}
	switch name {
	case "map", "delta":
		return b.mapFromQuery(ctx, q, t, name == "delta")
	case "trend":
		sp, err := b.params.Series(ctx, q)
		if err != nil {
			return Built{}, err
		}
		return b.Trend(ctx, t, sp)
	case "breakdown":
		return b.breakdownFromQuery(ctx, q, t)
	case "ranking":
		mp, err := b.params.Map(ctx, q)
		if err != nil {
			return Built{}, err
		}
		n, err := params.Int(q, "limit", 10, 1, 50)
		if err != nil {
			return Built{}, err
		}
		side, err := params.Enum(q, "side", []string{"top", "bottom"}, "top")
		if err != nil {
			return Built{}, err
		}
		return b.Ranking(ctx, t, mp, side, n)
	}
	return Built{}, ErrUnknown(name)
}

// mapFromQuery reads a map chart's parameters: the map's, show= and labels=.
func (b *Builder) mapFromQuery(ctx context.Context, q url.Values, t Text, delta bool) (Built, error) {
	// The GeoJSON URL carries the request's own parameters: those of a
	// signed embed (exp=, sig=) then admit it as they admit the chart.
	o := MapOptions{Delta: delta, MapURL: "/api/v1/map.geojson?" + q.Encode()}
	q = params.Clone(q)
	if delta && q.Get("compare") == "" {
		q.Set("compare", "prev")
	}
	o.Show = q.Get("show")
	if o.Show != "" && o.Show != "compare" {
		return Built{}, params.Invalid("show", o.Show, "compare (bản đồ kỳ so sánh)", "compare (the comparison period's map)")
	}
	if o.Show == "compare" && q.Get("compare") == "" {
		return Built{}, analytics.Errorf(analytics.CodeInvalid, "show=compare cần compare= / show=compare needs compare=")
	}
	mp, err := b.params.Map(ctx, q)
	if err != nil {
		return Built{}, err
	}
	if o.Labels, err = params.Enum(q, "labels", []string{"none", "top", "all"}, "none"); err != nil {
		return Built{}, err
	}
	return b.Map(ctx, t, mp, o)
}

// breakdownFromQuery reads a breakdown's parameters: province, by=, the
// window, commune= and top=.
func (b *Builder) breakdownFromQuery(ctx context.Context, q url.Values, t Text) (Built, error) {
	p, err := params.Province(b.set, q, true)
	if err != nil {
		return Built{}, err
	}
	by, err := params.Enum(q, "by", analytics.BreakdownDims, analytics.ByModelType)
	if err != nil {
		return Built{}, err
	}
	w, err := b.params.Window(ctx, q, p)
	if err != nil {
		return Built{}, err
	}
	c, err := params.Commune(b.set, q, p)
	if err != nil {
		return Built{}, err
	}
	top, err := params.Int(q, "top", DefaultTop, 1, 500)
	if err != nil {
		return Built{}, err
	}
	return b.Breakdown(ctx, t, by, p, c, w, top)
}
