// Package params reads the query parameters of the dashboard's routes
// from url.Values into the typed queries of the packages below (a province,
// a metric, a window, figures.MapQuery, figures.SeriesQuery, a CSV style, a
// chart's canvas). A bad value is an analytics.CodeInvalid error whose
// message names the parameter and its allowed values, in Vietnamese first
// and then English.
//
// The functions are plain: what a parameter's default depends on (the
// reference geography, today, which half-months hold data) is passed in,
// through Parser for the defaults that read the data. The package must not
// import Fiber, the store or the ingest; the shell (package dashboard)
// hands it the request's query.
package params

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune"
	"github.com/antq-atlas/antq/dashboard/chart"
	"github.com/antq-atlas/antq/dashboard/figures"
)

// Invalid is the 400 of every parameter: "tham số province="99" không
// hợp lệ; cho phép: ... / invalid parameter province="99"; allowed: ...".
func Invalid(name, value, allowedVI, allowedEN string) error {
	return analytics.Errorf(analytics.CodeInvalid, "tham số %s=%q không hợp lệ; giá trị cho phép: %s / invalid parameter %s=%q; allowed: %s",
		name, value, allowedVI, name, value, allowedEN)
}

// Missing is the 400 of a required parameter left out.
func Missing(name, allowedVI, allowedEN string) error {
	return analytics.Errorf(analytics.CodeInvalid, "thiếu tham số %s; giá trị cho phép: %s / missing parameter %s; allowed: %s",
		name, allowedVI, name, allowedEN)
}

// provinceChoices lists the province codes for messages: "08 (Tuyên
// Quang), 25 (Phú Thọ), ...".
func provinceChoices(geo *commune.Set, all bool) string {
	var b strings.Builder
	for i, p := range geo.Provinces {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(string(p.Code))
		name := analytics.ShortName(p.ShortName)
		if name == "" {
			name = p.Name
		}
		b.WriteString(" (" + name + ")")
	}
	if all {
		b.WriteString(", " + analytics.ProvinceAll)
	}
	return b.String()
}

// Province reads province=: a two-digit 2025 province code, or "all"
// (returned as "") where allowAll. It is required.
func Province(geo *commune.Set, q url.Values, allowAll bool) (analytics.ProvinceCode, error) {
	v := q.Get("province")
	choices := provinceChoices(geo, allowAll)
	if v == "" {
		return "", Missing("province", "mã tỉnh hai chữ số: "+choices, "a two-digit province code: "+choices)
	}
	if allowAll && v == analytics.ProvinceAll {
		return "", nil
	}
	if _, ok := geo.Province(analytics.ProvinceCode(v)); !ok || len(v) != 2 {
		return "", Invalid("province", v, "mã tỉnh hai chữ số: "+choices, "a two-digit province code: "+choices)
	}
	return analytics.ProvinceCode(v), nil
}

// OptionalProvince reads an optional province= ("" = all), as the OGC
// API's items take it.
func OptionalProvince(geo *commune.Set, q url.Values) (analytics.ProvinceCode, error) {
	if q.Get("province") == "" {
		return "", nil
	}
	return Province(geo, q, true)
}

// Metric reads a metric id (def when absent; required when def is "").
func Metric(q url.Values, key string, def analytics.MetricID) (analytics.Metric, error) {
	v := q.Get(key)
	ids := strings.Join(analytics.MetricIDs(), ", ")
	if v == "" {
		if def == "" {
			return analytics.Metric{}, Missing(key, ids, ids)
		}
		v = string(def)
	}
	m, ok := analytics.MetricByID(analytics.MetricID(v))
	if !ok {
		return analytics.Metric{}, Invalid(key, v, ids, ids)
	}
	return m, nil
}

// Level reads simplify=: full, medium or low; the default is medium
// for a province and low for the whole country.
func Level(q url.Values, national bool) (commune.Level, error) {
	v := q.Get("simplify")
	if v == "" {
		if national {
			return commune.LevelLow, nil
		}
		return commune.LevelMedium, nil
	}
	l, err := commune.ParseLevel(v)
	if err != nil {
		return "", Invalid("simplify", v, "full (đầy đủ), medium (vừa), low (thấp)", "full, medium, low")
	}
	// Full resolution for all 3,321 communes is ≈ 160 MB and half a minute
	// of work: one request could tie the server up. Whole provinces only.
	if national && l == commune.LevelFull {
		return "", Invalid("simplify", v, "medium (vừa) hoặc low (thấp) cho toàn quốc", "medium or low for the whole country")
	}
	return l, nil
}

// Int reads a non-negative integer parameter within [lo, hi].
func Int(q url.Values, key string, def, lo, hi int) (int, error) {
	v := q.Get(key)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		r := strconv.Itoa(lo) + "–" + strconv.Itoa(hi)
		return 0, Invalid(key, v, "số nguyên "+r, "an integer "+r)
	}
	return n, nil
}

// Enum reads a parameter that takes one of allowed (def when absent;
// required when def is "").
func Enum(q url.Values, key string, allowed []string, def string) (string, error) {
	v := q.Get(key)
	list := strings.Join(allowed, ", ")
	if v == "" {
		if def == "" {
			return "", Missing(key, list, list)
		}
		return def, nil
	}
	for _, a := range allowed {
		if v == a {
			return v, nil
		}
	}
	return "", Invalid(key, v, list, list)
}

// Commune reads an optional commune= (a 2025 code, in province p when
// p is set). An unknown code is invalid here (a filter), unlike the
// /communes/{code} route where it is 404.
func Commune(geo *commune.Set, q url.Values, p analytics.ProvinceCode) (analytics.CommuneCode, error) {
	v := q.Get("commune")
	if v == "" {
		return "", nil
	}
	c, ok := geo.Commune(analytics.CommuneCode(v))
	if !ok || (p != "" && c.Province != p) {
		return "", Invalid("commune", v, "mã xã 2025 (5 chữ số) thuộc tỉnh đã chọn", "a 2025 commune code (5 digits) of the chosen province")
	}
	return c.Code, nil
}

// Text reads a free-text filter (model_type, sector) with a length
// bound; it only ever reaches SQL as a parameter. With allowed it is an
// Enum without default.
func Text(q url.Values, key string, allowed []string) (string, error) {
	v := q.Get(key)
	if v == "" {
		return "", nil
	}
	if allowed != nil {
		return Enum(q, key, allowed, "")
	}
	if len(v) > 200 || strings.ContainsAny(v, "\x00\r\n") {
		return "", Invalid(key, v, "văn bản tối đa 200 byte", "text of at most 200 bytes")
	}
	return v, nil
}

// CSVStyle reads the CSV style (figures.CSVStyle) of a request: lang
// (vi, default, or en), sep (";", "," or "tab") and decimal ("," or ".").
func CSVStyle(q url.Values) (figures.CSVStyle, error) {
	lang, err := Enum(q, "lang", []string{"vi", "en"}, "vi")
	if err != nil {
		return figures.CSVStyle{}, err
	}
	s := figures.CSVVI
	if lang == "en" {
		s = figures.CSVEN
	}
	if q.Has("sep") {
		v, err := Enum(q, "sep", []string{";", ",", "tab"}, ";")
		if err != nil {
			return figures.CSVStyle{}, err
		}
		s.Sep = map[string]rune{";": ';', ",": ',', "tab": '\t'}[v]
	}
	if q.Has("decimal") {
		v, err := Enum(q, "decimal", []string{",", "."}, ",")
		if err != nil {
			return figures.CSVStyle{}, err
		}
		s.Decimal = v[0]
	}
	return s, nil
}

// Canvas reads a chart's render parameters: preset= (16:9, 16:9-small, hd,
// 4:3), then width=, height=, scale= over it. Default 1280×720 at scale 1.
func Canvas(q url.Values) (w, h int, scale float64, err error) {
	w, h, scale = chart.DefaultW, chart.DefaultH, 1
	if name := q.Get("preset"); name != "" {
		p, err := chart.PresetByName(name)
		if err != nil {
			return 0, 0, 0, err
		}
		w, h, scale = p.Width, p.Height, p.Scale
	}
	if w, err = Int(q, "width", w, chart.MinSide, chart.MaxSide); err != nil {
		return 0, 0, 0, err
	}
	if h, err = Int(q, "height", h, chart.MinSide, chart.MaxSide); err != nil {
		return 0, 0, 0, err
	}
	if v := q.Get("scale"); v != "" {
		s, perr := strconv.ParseFloat(v, 64)
		if perr != nil || s < chart.MinScale || s > chart.MaxScale {
			return 0, 0, 0, Invalid("scale", v, "số từ 0,5 đến 4", "a number from 0.5 to 4")
		}
		scale = s
	}
	// Served sizes are snapped (chart.Snap), so sizes a pixel apart share
	// one drawing in the renderer's cache.
	w, h, scale = chart.Snap(w, h, scale)
	return w, h, scale, nil
}

// Clone is a deep copy of q, for a caller that sets defaults in it.
func Clone(q url.Values) url.Values {
	out := make(url.Values, len(q))
	for k, v := range q {
		out[k] = append([]string(nil), v...)
	}
	return out
}

// IsNational reports whether the request asks for the whole country.
func IsNational(q url.Values) bool { return q.Get("province") == analytics.ProvinceAll }
