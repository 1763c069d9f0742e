package params

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/dashboard/figures"
)

// Windows of time: period=, from=&to=, compare=, the OGC API's datetime=
// and the bounds of a series. now is today (the server's clock, which tests
// fix).

// currentPoliceYear is the police year today is in.
func currentPoliceYear(now time.Time) string { return strconv.Itoa(analytics.PoliceYearOf(now)) }

// Period reads period= or from=&to= with the current police year as the
// default (PeriodOr).
func Period(q url.Values, now time.Time) (analytics.Window, error) {
	return PeriodOr(q, now, nil)
}

// PeriodOr reads period= (analytics.ParsePeriod; default def, else the
// current police year) or from=&to= (analytics.ParseRange, both
// inclusive). Both at once is an error. A period not over is cut to today
// and marked partial (analytics.Window.AsOf).
func PeriodOr(q url.Values, now time.Time, def *analytics.Window) (analytics.Window, error) {
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

// Compare reads compare=: "" (none), "prev" (the same period a year
// earlier, "so với cùng kỳ") or any other period spec (compare=2022). When
// w is partial the comparison is cut to the same elapsed span.
func Compare(q url.Values, w analytics.Window, now time.Time) (*analytics.Window, error) {
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

// Datetime turns the OGC API's datetime= (an RFC 3339 date or date-time,
// or an interval "a/b" with ".." or "" for an open end) into a window;
// open starts begin on 1 January 2000 and open ends end today. Without it
// the window comes from period= or from=&to= (default: the current police
// year).
func Datetime(q url.Values, now time.Time) (analytics.Window, error) {
	v := q.Get("datetime")
	if v == "" {
		return Period(q, now)
	}
	bad := Invalid("datetime", v, "ngày RFC 3339 hoặc khoảng a/b (.. = để mở)", "an RFC 3339 date or an interval a/b (.. = open)")
	day := func(s string, open string) (string, bool) {
		if s == "" || s == ".." {
			return open, true
		}
		if len(s) < 10 {
			return "", false
		}
		if _, err := time.Parse("2006-01-02", s[:10]); err != nil {
			return "", false
		}
		return s[:10], true
	}
	a, b, interval := strings.Cut(v, "/")
	if !interval {
		b = a
	}
	from, ok1 := day(a, "2000-01-01")
	to, ok2 := day(b, now.Format("2006-01-02"))
	if !ok1 || !ok2 {
		return analytics.Window{}, bad
	}
	w, err := analytics.ParseRange(from, to)
	if err != nil {
		return w, periodError("datetime", v, err)
	}
	return w, nil
}

// seriesBound reads a series' from= or to=: a year (the police year's
// window as of now) or a day (that day).
func seriesBound(name, v string, now time.Time) (from, to time.Time, err error) {
	bad := Invalid(name, v, "năm công an (2022) hoặc ngày YYYY-MM-DD", "a police year (2022) or a day YYYY-MM-DD")
	if figures.IsYear(v) {
		w, err := analytics.ParsePeriod(v, now)
		if err != nil {
			return from, to, bad
		}
		return w.From, w.To, nil
	}
	d, err := time.Parse("2006-01-02", v)
	if err != nil || d.Year() < 2000 || d.Year() > 2100 {
		return from, to, bad
	}
	return d, d.AddDate(0, 0, 1), nil
}
