package dashboard

import (
	"bytes"
	"context"
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/dashboard/chart"
	"github.com/antq-atlas/antq/dashboard/figures"
)

// Serving a chart: the endpoint, its size parameters, and the .json and
// .csv answers (svg and png are rendered by chart.Renderer).

// csvNumber writes a number for CSV with a dot decimal point (machines read
// CSV; the page writes Vietnamese numbers); nil is empty.
func csvNumber(v any) string {
	switch x := v.(type) {
	case *float64:
		if x == nil {
			return ""
		}
		return strconv.FormatFloat(*x, 'f', -1, 64)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return ""
}

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
	if !isChartName(name) {
		return response{}, analytics.Errorf(analytics.CodeNotFound, "không có biểu đồ %q; có: %s / no chart %q; charts: %s",
			name, strings.Join(chartNames, ", "), name, strings.Join(chartNames, ", "))
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
	file := chartFilename(name, r.query, ext)
	switch ext {
	case "json":
		return chartJSON(bc)
	case "csv":
		st, err := parseCSVStyle(r.query)
		if err != nil {
			return response{}, err
		}
		b, err := tableCSV(bc.Table, bc.CodeCols, bc.Spec.Slide, st)
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
		release, err := a.admit.tryEnter(r.client, 1)
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
		release, err := a.admit.enter(ctx, r.client, 1)
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

// chartJSON writes the option with its "antq" member.
func chartJSON(bc builtChart) (response, error) {
	var opt map[string]json.RawMessage
	if err := json.Unmarshal(bc.Spec.Option, &opt); err != nil {
		return response{}, analytics.Errorf(analytics.CodeInternal, "chart option: %w", err)
	}
	meta := chartMeta{Name: bc.Name, Synthetic: bc.Synthetic}
	if bc.Spec.Slide != nil {
		meta.Slide = *bc.Spec.Slide
	}
	for name := range bc.Spec.Maps {
		meta.Map = &mapRef{Name: name, URL: bc.MapURL}
	}
	mb, err := json.Marshal(meta)
	if err != nil {
		return response{}, analytics.Errorf(analytics.CodeInternal, "chart option: %w", err)
	}
	opt["antq"] = mb
	return jsonResponse(opt, ctJSON)
}

// chartFilename is "antq-map-08-2025.png": the chart, province and period.
func chartFilename(name string, q url.Values, ext string) string {
	parts := []string{"antq", name}
	for _, k := range []string{"province", "commune", "metric", "period", "from", "to", "side", "by"} {
		if v := q.Get(k); v != "" {
			parts = append(parts, v)
		}
	}
	s := strings.Join(parts, "-")
	s = strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '_'
	}, s)
	return s + "." + ext
}

// tableCSV writes a chart's table in style st (figures.CSVStyle: separator,
// decimal mark, byte-order mark), the columns codeCols as text codes, then a
// blank line and the footnote. Cells that are machine numbers get the
// style's decimal mark; text cells are neutralised (analytics.SafeCell).
func tableCSV(table [][]string, codeCols []int, slide *chart.Slide, st figures.CSVStyle) ([]byte, error) {
	var buf bytes.Buffer
	w := st.Writer(&buf)
	for i, row := range table {
		out := analytics.SafeRow(slices.Clone(row))
		if i > 0 {
			for j := range out {
				if slices.Contains(codeCols, j) {
					out[j] = st.Code(out[j])
				} else {
					out[j] = st.Number(out[j])
				}
			}
		}
		if err := w.Write(out); err != nil {
			return nil, analytics.Errorf(analytics.CodeInternal, "write csv: %w", err)
		}
	}
	if slide != nil {
		foot := [][]string{{}, {slide.Title}, {slide.Subtitle}, {slide.Footnote}}
		for _, row := range foot {
			analytics.SafeRow(row)
		}
		if err := w.WriteAll(foot); err != nil {
			return nil, analytics.Errorf(analytics.CodeInternal, "write csv: %w", err)
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

// isNational reports whether the request asks for the whole country.
func isNational(q url.Values) bool { return q.Get("province") == analytics.ProvinceAll }
