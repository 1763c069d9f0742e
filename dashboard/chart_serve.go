package dashboard

import (
	"context"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/dashboard/chart"
	"github.com/antq-atlas/antq/dashboard/charts"
	"github.com/antq-atlas/antq/dashboard/params"
)

// Serving a chart: the endpoint, its size parameters, and the .json and
// .csv answers (svg and png are rendered by render.Renderer).

// chartEndpoint answers /charts/{name}.{ext}; the response cache adds the
// ETag, gzip and 304s, and the renderer caches the drawing itself.
func (a *App) chartEndpoint(ctx context.Context, r request) (response, error) {
	name, ext := r.params["name"], r.params["ext"]
	if !charts.IsName(name) {
		return response{}, charts.ErrUnknown(name)
	}
	switch ext {
	case "json", "svg", "png", "csv":
	default:
		return response{}, analytics.Errorf(analytics.CodeNotFound, "định dạng %q không có; dùng json, svg, png, csv / no format %q: use json, svg, png, csv", ext, ext)
	}
	w, h, scale, err := params.Canvas(r.query)
	if err != nil {
		return response{}, err
	}
	if ext == "png" && float64(w)*scale*float64(h)*scale > chart.MaxPixels {
		return response{}, analytics.Errorf(analytics.CodeInvalid, "ảnh %d×%d ở tỉ lệ %g vượt quá 16 triệu điểm ảnh / chart %d×%d at scale %g exceeds %d pixels (16 Mpx)",
			w, h, scale, w, h, scale, chart.MaxPixels)
	}
	bc, err := a.charts.FromQuery(ctx, name, r.query)
	if err != nil {
		return response{}, err
	}
	file := charts.Filename(name, r.query, ext)
	switch ext {
	case "json":
		b, err := charts.JSON(bc)
		if err != nil {
			return response{}, err
		}
		return response{body: b, contentType: ctJSON}, nil
	case "csv":
		st, err := params.CSVStyle(r.query)
		if err != nil {
			return response{}, err
		}
		b, err := charts.TableCSV(bc.Table, bc.CodeCols, bc.Spec.Slide, st)
		if err != nil {
			return response{}, err
		}
		return response{body: b, contentType: ctCSV, disposition: `attachment; filename="` + file + `"`}, nil
	}
	spec := bc.Spec
	spec.Width, spec.Height, spec.Scale = w, h, scale
	rd, err := a.pages().renderer()
	if err != nil {
		return response{}, err
	}
	// A national map (3,321 communes) takes seconds in the renderer: it is
	// drawn in the background and cached, and the request is answered 503
	// with Retry-After meanwhile, so no request waits on it.
	format := chart.SVG
	if ext == "png" {
		format = chart.PNG
	}
	cached := rd.Cached(spec, format)
	if (name == "map" || name == "delta") && params.IsNational(r.query) && !cached {
		// Drawn in the background under an admission slot taken now (no
		// queue: the answer is 503 either way).
		release, err := a.admit.TryEnter(r.client, 1)
		if err != nil {
			return response{}, err
		}
		go func() {
			defer release()
			if format == chart.PNG {
				_, _ = rd.PNG(context.WithoutCancel(ctx), spec)
			} else {
				_, _ = rd.SVG(context.WithoutCancel(ctx), spec)
			}
		}()
		return response{}, analytics.NewError(analytics.CodeUnavailable,
			"bản đồ toàn quốc đang được dựng, thử lại sau ít giây / the national map is being drawn in the background: retry in a few seconds", nil)
	}
	if !cached { // drawing costs: wait for an admission slot (admission.go)
		release, err := a.admit.Enter(ctx, r.client, 1)
		if err != nil {
			return response{}, err
		}
		defer release()
	}
	if ext == "svg" {
		b, err := rd.SVG(ctx, spec)
		if err != nil {
			return response{}, err
		}
		return response{body: b, contentType: "image/svg+xml; charset=utf-8", disposition: `inline; filename="` + file + `"`}, nil
	}
	b, err := rd.PNG(ctx, spec)
	if err != nil {
		return response{}, err
	}
	return response{body: b, contentType: "image/png", disposition: `inline; filename="` + file + `"`}, nil
}
