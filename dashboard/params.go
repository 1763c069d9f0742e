package dashboard

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/commune"
)

// Query parameters are parsed here, from url.Values, by plain functions: a
// bad value is an analytics.CodeInvalid error whose message names the
// parameter and its allowed values, in Vietnamese first and then English.

// invalidParam is the 400 of every parameter: "tham số province="99" không
// hợp lệ; cho phép: ... / invalid parameter province="99"; allowed: ...".
func invalidParam(name, value, allowedVI, allowedEN string) error {
	return analytics.Errorf(analytics.CodeInvalid, "tham số %s=%q không hợp lệ; giá trị cho phép: %s / invalid parameter %s=%q; allowed: %s",
		name, value, allowedVI, name, value, allowedEN)
}

// missingParam is the 400 of a required parameter left out.
func missingParam(name, allowedVI, allowedEN string) error {
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

// parseProvince reads province=: a two-digit 2025 province code, or "all"
// (returned as "") where allowAll. It is required.
func parseProvince(geo *commune.Set, q url.Values, allowAll bool) (analytics.ProvinceCode, error) {
	v := q.Get("province")
	choices := provinceChoices(geo, allowAll)
	if v == "" {
		return "", missingParam("province", "mã tỉnh hai chữ số: "+choices, "a two-digit province code: "+choices)
	}
	if allowAll && v == analytics.ProvinceAll {
		return "", nil
	}
	if _, ok := geo.Province(analytics.ProvinceCode(v)); !ok || len(v) != 2 {
		return "", invalidParam("province", v, "mã tỉnh hai chữ số: "+choices, "a two-digit province code: "+choices)
	}
	return analytics.ProvinceCode(v), nil
}

// parseMetric reads a metric id (def when absent; required when def is "").
func parseMetric(q url.Values, key string, def analytics.MetricID) (analytics.Metric, error) {
	v := q.Get(key)
	ids := strings.Join(analytics.MetricIDs(), ", ")
	if v == "" {
		if def == "" {
			return analytics.Metric{}, missingParam(key, ids, ids)
		}
		v = string(def)
	}
	m, ok := analytics.MetricByID(analytics.MetricID(v))
	if !ok {
		return analytics.Metric{}, invalidParam(key, v, ids, ids)
	}
	return m, nil
}

// currentPoliceYear is the police year today is in.
func currentPoliceYear(now time.Time) string { return strconv.Itoa(analytics.PoliceYearOf(now)) }

// parseWindow reads period= or from=&to= with the current police year as
// the default (parseWindowOr).
func parseWindow(q url.Values, now time.Time) (analytics.Window, error) {
	return parseWindowOr(q, now, nil)
}

// parseWindowOr reads period= (analytics.ParsePeriod; default def, else
// the current police year) or from=&to= (analytics.ParseRange, both
// inclusive). Both at once is an error. A period not over is cut to today
// and marked partial (analytics.Window.AsOf).
func parseWindowOr(q url.Values, now time.Time, def *analytics.Window) (analytics.Window, error) {
	w, err := readWindow(q, now, def)
	if err != nil {
		return w, err
	}
	return w.AsOf(now), nil
}

func readWindow(q url.Values, now time.Time, def *analytics.Window) (analytics.Window, error) {
	period, from, to := q.Get("period"), q.Get("from"), q.Get("to")
	if from != "" || to != "" {
		if period != "" {
			return analytics.Window{}, analytics.Errorf(analytics.CodeInvalid,
				"chỉ dùng period= hoặc from=&to=, không dùng cả hai / use either period= or from=&to=, not both")
		}
		if from == "" || to == "" {
			return analytics.Window{}, analytics.Errorf(analytics.CodeInvalid,
				"cần cả from= và to= (YYYY-MM-DD, tính cả hai ngày) / from= and to= go together (YYYY-MM-DD, both inclusive)")
		}
		w, err := analytics.ParseRange(from, to)
		if err != nil {
			return w, periodError("from/to", from+".."+to, err)
		}
		return w, nil
	}
	if period == "" && def != nil {
		return *def, nil
	}
	if period == "" {
		period = currentPoliceYear(now)
	}
	w, err := analytics.ParsePeriod(period, now)
	if err != nil {
		return w, periodError("period", period, err)
	}
	return w, nil
}

// periodError puts the Vietnamese text before the domain's English one.
func periodError(name, value string, err error) error {
	return analytics.Errorf(analytics.CodeInvalid, "tham số %s=%q không hợp lệ; dạng cho phép: 2024 (năm công an 15/12/2023–14/12/2024), cal2024 (năm dương lịch), 2025H1, 2025Q3, 2025-08, post-merger, ytd, hoặc from=YYYY-MM-DD&to=YYYY-MM-DD / %s",
		name, value, analytics.ErrorMessage(err))
}

// parseCompare reads compare=: "" (none), "prev" (the same period a year
// earlier, "so với cùng kỳ") or any other period spec (compare=2022). When
// w is partial the comparison is cut to the same elapsed span.
func parseCompare(q url.Values, w analytics.Window, now time.Time) (*analytics.Window, error) {
	v := q.Get("compare")
	switch v {
	case "":
		return nil, nil
	case "prev":
		c := w.SamePeriodLastYear()
		return &c, nil
	}
	c, err := analytics.ParsePeriod(v, now)
	if err != nil {
		return nil, periodError("compare", v, err)
	}
	c = w.SameSpan(c).AsOf(now)
	return &c, nil
}

// parseLevel reads simplify=: full, medium or low; the default is medium
// for a province and low for the whole country.
func parseLevel(q url.Values, national bool) (commune.Level, error) {
	v := q.Get("simplify")
	if v == "" {
		if national {
			return commune.LevelLow, nil
		}
		return commune.LevelMedium, nil
	}
	l, err := commune.ParseLevel(v)
	if err != nil {
		return "", invalidParam("simplify", v, "full (đầy đủ), medium (vừa), low (thấp)", "full, medium, low")
	}
	// Full resolution for all 3,321 communes is ≈ 160 MB and half a minute
	// of work: one request could tie the server up. Whole provinces only.
	if national && l == commune.LevelFull {
		return "", invalidParam("simplify", v, "medium (vừa) hoặc low (thấp) cho toàn quốc", "medium or low for the whole country")
	}
	return l, nil
}

// parseInt reads a non-negative integer parameter within [lo, hi].
func parseInt(q url.Values, key string, def, lo, hi int) (int, error) {
	v := q.Get(key)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		r := strconv.Itoa(lo) + "–" + strconv.Itoa(hi)
		return 0, invalidParam(key, v, "số nguyên "+r, "an integer "+r)
	}
	return n, nil
}

// parseEnum reads a parameter that takes one of allowed (def when absent;
// required when def is "").
func parseEnum(q url.Values, key string, allowed []string, def string) (string, error) {
	v := q.Get(key)
	list := strings.Join(allowed, ", ")
	if v == "" {
		if def == "" {
			return "", missingParam(key, list, list)
		}
		return def, nil
	}
	for _, a := range allowed {
		if v == a {
			return v, nil
		}
	}
	return "", invalidParam(key, v, list, list)
}

// parseCommune reads an optional commune= (a 2025 code, in province p when
// p is set). An unknown code is invalid here (a filter), unlike the
// /communes/{code} route where it is 404.
func parseCommune(geo *commune.Set, q url.Values, p analytics.ProvinceCode) (analytics.CommuneCode, error) {
	v := q.Get("commune")
	if v == "" {
		return "", nil
	}
	c, ok := geo.Commune(analytics.CommuneCode(v))
	if !ok || (p != "" && c.Province != p) {
		return "", invalidParam("commune", v, "mã xã 2025 (5 chữ số) thuộc tỉnh đã chọn", "a 2025 commune code (5 digits) of the chosen province")
	}
	return c.Code, nil
}

// parseText reads a free-text filter (model_type, sector) with a length
// bound; it only ever reaches SQL as a parameter.
func parseText(q url.Values, key string, allowed []string) (string, error) {
	v := q.Get(key)
	if v == "" {
		return "", nil
	}
	if allowed != nil {
		return parseEnum(q, key, allowed, "")
	}
	if len(v) > 200 || strings.ContainsAny(v, "\x00\r\n") {
		return "", invalidParam(key, v, "văn bản tối đa 200 byte", "text of at most 200 bytes")
	}
	return v, nil
}
