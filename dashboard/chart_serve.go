package dashboard

import (
	"context"
	"net/url"
	"strconv"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/dashboard/chart"
	"github.com/antq-atlas/antq/dashboard/charts"
)

// Serving a chart: the endpoint, its size parameters, and the .json and
// .csv answers (svg and png are rendered by render.Renderer).

func cloneValues(q url.Values) url.Values {
	out := make(url.Values, len(q))
	for k, v := range q {
		out[k] = append([]string(nil), v...)
	}
	return out
}

// canvas reads the render parameters: preset= (16:9, 16:9-small, hd, 4:3),
// then width=, height=, scale= over it. Default 1280×720 at scale 1.
func canvas(q url.Values) (w, h int, scale float64, err error) {
	w, h, scale = chart.DefaultW, chart.DefaultH, 1
	if name := q.Get("preset"); name != "" {
		p, err := chart.PresetByName(name)
		if err != nil {
			return 0, 0, 0, err
		}
		w, h, scale = p.Width, p.Height, p.Scale
	}
	if w, err = parseInt(q, "width", w, chart.MinSide, chart.MaxSide); err != nil {
		return 0, 0, 0, err
	}
	if h, err = parseInt(q, "height", h, chart.MinSide, chart.MaxSide); err != nil {
		return 0, 0, 0, err
	}
	if v := q.Get("scale"); v != "" {
		s, perr := strconv.ParseFloat(v, 64)
		if perr != nil || s < chart.MinScale || s > chart.MaxScale {
			return 0, 0, 0, invalidParam("scale", v, "số từ 0,5 đến 4", "a number from 0.5 to 4")
		}
		scale = s
	}
	// Served sizes are snapped (chart.Snap), so sizes a pixel apart share
	// one drawing in the renderer's cache.
	w, h, scale = chart.Snap(w, h, scale)
	return w, h, scale, nil
}

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
	w, h, scale, err := canvas(r.query)
	if err != nil {
		return response{}, err
	}
	if ext == "png" && float64(w)*scale*float64(h)*scale > chart.MaxPixels {
		return response{}, analytics.Errorf(analytics.CodeInvalid, "ảnh %d×%d ở tỉ lệ %g vượt quá 16 triệu điểm ảnh / chart %d×%d at scale %g exceeds %d pixels (16 Mpx)",
			w, h, scale, w, h, scale, chart.MaxPixels)
	}
	bc, err := a.buildChart(ctx, name, r.query)
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
		st, err := parseCSVStyle(r.query)
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
	if (name == "map" || name == "delta") && isNational(r.query) && !cached {
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

// isNational reports whether the request asks for the whole country.
func isNational(q url.Values) bool { return q.Get("province") == analytics.ProvinceAll }
