package dashboard

import (
	"context"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/dashboard/charts"
	"github.com/antq-atlas/antq/dashboard/figures"
	"github.com/antq-atlas/antq/dashboard/findings"
	"github.com/antq-atlas/antq/dashboard/geo"
	"github.com/antq-atlas/antq/dashboard/params"
)

// The /api/v1 endpoints: each parses its parameters, asks the service and
// encodes the answer. Caching, compression and HTTP live in serve.go.

// sourceOf names the data's source for footnotes: "Công an tỉnh Tuyên
// Quang", "Công an thành phố Hà Nội" (analytics.Attribution, the kind from
// the reference data's full name). A Source configured other than the
// default is used as the prefix as it is.
func (a *App) sourceOf(p analytics.ProvinceCode) string {
	return a.sourceIn(analytics.LangVI, p)
}

// sourceIn is sourceOf in a language.
func (a *App) sourceIn(lang analytics.Lang, p analytics.ProvinceCode) string {
	custom := a.cfg.Source != analytics.PoliceVI
	if p == "" {
		if custom {
			return a.cfg.Source
		}
		return analytics.Attribution(lang, "", "")
	}
	pr, ok := a.deps.Geo.Province(p)
	if !ok {
		return a.cfg.Source
	}
	if custom {
		return a.cfg.Source + " " + analytics.ShortName(pr.ShortName)
	}
	return analytics.Attribution(lang, pr.Name, pr.ShortName)
}

func (a *App) apiProvinces(ctx context.Context, r request) (response, error) {
	return jsonResponse(geo.ProvinceList(a.deps.Geo), ctJSON)
}

func (a *App) apiCommunes(ctx context.Context, r request) (response, error) {
	p, err := params.Province(a.deps.Geo, r.query, true)
	if err != nil {
		return response{}, err
	}
	return jsonResponse(geo.CommuneList(p, a.svc.fig.Communes(p)), ctJSON)
}

func (a *App) apiMetrics(ctx context.Context, r request) (response, error) {
	return jsonResponse(a.svc.fig.Catalogue(), ctJSON)
}

func (a *App) apiMap(ctx context.Context, r request) (response, error) {
	mp, err := a.svc.params.Map(ctx, r.query)
	if err != nil {
		return response{}, err
	}
	form := geo.GzipOnly
	switch {
	case r.stream && r.identity:
		form = geo.StreamPlain
	case r.stream:
		form = geo.StreamGzip
	case r.identity:
		form = geo.GzipAndPlain
	}
	v, plain, err := a.svc.maps.Response(ctx, mp, a.sourceOf(mp.Province), form)
	if err != nil {
		return response{}, err
	}
	return response{ready: v, plain: plain}, nil
}

func (a *App) apiSites(ctx context.Context, r request) (response, error) {
	f, err := a.svc.params.Sites(ctx, r.query)
	if err != nil {
		return response{}, err
	}
	sites, err := a.deps.Reader.Sites(ctx, f)
	if err != nil {
		return response{}, err
	}
	return jsonResponse(geo.BuildSites(f.Province, f.Window, sites, a.deps.Synthetic), geo.ContentType)
}

func (a *App) apiSeries(ctx context.Context, r request) (response, error) {
	sp, err := a.svc.params.Series(ctx, r.query)
	if err != nil {
		return response{}, err
	}
	body, err := a.svc.fig.Series(ctx, sp)
	if err != nil {
		return response{}, err
	}
	return jsonResponse(body, ctJSON)
}

func (a *App) apiBreakdown(ctx context.Context, r request) (response, error) {
	p, err := params.Province(a.deps.Geo, r.query, true)
	if err != nil {
		return response{}, err
	}
	by, err := params.Enum(r.query, "by", analytics.BreakdownDims, "")
	if err != nil {
		return response{}, err
	}
	// metric= is accepted and checked for symmetry with the other routes;
	// what is counted depends on by= (see counted_vi).
	if r.query.Get("metric") != "" {
		if _, err := params.Metric(r.query, "metric", ""); err != nil {
			return response{}, err
		}
	}
	w, err := a.svc.params.Window(ctx, r.query, p)
	if err != nil {
		return response{}, err
	}
	c, err := params.Commune(a.deps.Geo, r.query, p)
	if err != nil {
		return response{}, err
	}
	body, err := a.svc.fig.Breakdown(ctx, by, p, c, w)
	if err != nil {
		return response{}, err
	}
	return jsonResponse(body, ctJSON)
}

func (a *App) apiRanking(ctx context.Context, r request) (response, error) {
	mp, err := a.svc.params.Map(ctx, r.query)
	if err != nil {
		return response{}, err
	}
	limit, err := params.Int(r.query, "limit", 10, 0, 5000)
	if err != nil {
		return response{}, err
	}
	body, err := a.svc.fig.Ranking(ctx, mp, limit)
	if err != nil {
		return response{}, err
	}
	return jsonResponse(body, ctJSON)
}

func (a *App) apiCommune(ctx context.Context, r request) (response, error) {
	code := r.params["code"]
	c, ok := a.deps.Geo.Commune(analytics.CommuneCode(code))
	if !ok {
		return response{}, analytics.Errorf(analytics.CodeNotFound, "không có xã, phường, đặc khu mã %q (mã 2025, 5 chữ số) / no 2025 commune with code %q", code, code)
	}
	w, err := a.svc.params.Window(ctx, r.query, c.Province)
	if err != nil {
		return response{}, err
	}
	body, err := a.svc.fig.Detail(ctx, c, w)
	if err != nil {
		return response{}, err
	}
	return jsonResponse(body, ctJSON)
}

// apiFigures: GET /api/v1/figures?commune= answers a commune's public
// figures (every metric, rank, province figure), which a viewer may read;
// the commune detail with models and sites needs an analyst.
func (a *App) apiFigures(ctx context.Context, r request) (response, error) {
	v := r.query.Get("commune")
	if v == "" {
		return response{}, params.Invalid("commune", v, "mã xã 2025 (5 chữ số)", "a 2025 commune code (5 digits)")
	}
	c, ok := a.deps.Geo.Commune(analytics.CommuneCode(v))
	if !ok {
		return response{}, analytics.Errorf(analytics.CodeNotFound, "không có xã, phường, đặc khu mã %q (mã 2025, 5 chữ số) / no 2025 commune with code %q", v, v)
	}
	w, err := a.svc.params.Window(ctx, r.query, c.Province)
	if err != nil {
		return response{}, err
	}
	body, err := a.svc.fig.CommuneFigures(ctx, c, w)
	if err != nil {
		return response{}, err
	}
	return jsonResponse(body, ctJSON)
}

func (a *App) apiSummary(ctx context.Context, r request) (response, error) {
	p, err := params.Province(a.deps.Geo, r.query, true)
	if err != nil {
		return response{}, err
	}
	now := a.cfg.Now()
	w, err := a.svc.params.Window(ctx, r.query, p)
	if err != nil {
		return response{}, err
	}
	cmp, err := params.Compare(r.query, w, now)
	if err != nil {
		return response{}, err
	}
	body, err := a.svc.fig.Summary(ctx, p, w, cmp, a.sourceOf(p))
	if err != nil {
		return response{}, err
	}
	body.FootnoteEN = charts.Text{EN: true}.Footnote(a.sourceIn(analytics.LangEN, p), w, "")
	return jsonResponse(body, ctJSON)
}

func (a *App) exportTable(ctx context.Context, r request) (figures.Export, error) {
	mp, err := a.svc.params.Map(ctx, r.query)
	if err != nil {
		return figures.Export{}, err
	}
	return a.svc.fig.Export(ctx, mp, a.sourceOf(mp.Province))
}

func (a *App) apiExportCSV(ctx context.Context, r request) (response, error) {
	t, err := a.exportTable(ctx, r)
	if err != nil {
		return response{}, err
	}
	st, err := params.CSVStyle(r.query)
	if err != nil {
		return response{}, err
	}
	b, err := t.CSV(st)
	if err != nil {
		return response{}, analytics.Errorf(analytics.CodeInternal, "write csv: %w", err)
	}
	return response{body: b, contentType: ctCSV, disposition: `attachment; filename="` + t.Filename("csv") + `"`}, nil
}

func (a *App) apiExportXLSX(ctx context.Context, r request) (response, error) {
	t, err := a.exportTable(ctx, r)
	if err != nil {
		return response{}, err
	}
	b, err := t.XLSX(a.deps.Synthetic)
	if err != nil {
		return response{}, err
	}
	if t.Query.Province != "" { // findings are per province (dashboard/findings)
		fb, err := a.svc.find.Answer(ctx, t.Query.Province, t.Query.Window, t.Query.Compare, "vi", a.sourceOf(t.Query.Province), a.svc.sourceEN(t.Query.Province))
		if err != nil {
			return response{}, err
		}
		if b, err = findings.WithSheet(b, fb); err != nil {
			return response{}, err
		}
	}
	return response{body: b, contentType: ctXLSX, disposition: `attachment; filename="` + t.Filename("xlsx") + `"`}, nil
}
