package analytics

import (
	"fmt"
	"regexp"
	"strconv"
	"time"
)

// Window is a period of days [From, To): To is the first day after it. Every
// response states it.
type Window struct {
	Spec string    // the period as asked, normalised: "2024", "cal2024", "2025H1", ...
	From time.Time // first day, UTC midnight
	To   time.Time // first day after the window
	// Partial: the period has not ended; the window is cut to today
	// (AsOf) and PeriodTo is the first day after the whole period.
	Partial  bool
	PeriodTo time.Time
	// Cut: a comparison cut to the elapsed span of a partial period
	// (SameSpan), from the same day to the same day.
	Cut bool
}

// Last is the window's last day.
func (w Window) Last() time.Time { return w.To.AddDate(0, 0, -1) }

// Days is the window's length in days.
func (w Window) Days() int { return int(w.To.Sub(w.From).Hours() / 24) }

// LabelVI says the window as Vietnamese reports do:
// "Số liệu từ 15/12/2023 đến 14/12/2024".
func (w Window) LabelVI() string {
	s := "Số liệu từ " + w.From.Format("02/01/2006") + " đến " + w.Last().Format("02/01/2006")
	if w.Partial {
		s += " (kỳ chưa kết thúc)"
	}
	return s
}

// LabelEN says the window in English: "Data from 15/12/2023 to 14/12/2024".
func (w Window) LabelEN() string {
	s := "Data from " + w.From.Format("02/01/2006") + " to " + w.Last().Format("02/01/2006")
	if w.Partial {
		s += " (period not over)"
	}
	return s
}

// SamePeriodLastYear is the window a year earlier ("so với cùng kỳ"); of a
// partial window, the same elapsed span a year earlier.
func (w Window) SamePeriodLastYear() Window {
	return Window{Spec: w.Spec + "-1y", From: w.From.AddDate(-1, 0, 0), To: w.To.AddDate(-1, 0, 0), Cut: w.Partial}
}

// today is now's date at UTC midnight.
func today(now time.Time) time.Time { return date(now.Year(), now.Month(), now.Day()) }

// Started reports whether the window has begun by now.
func (w Window) Started(now time.Time) bool { return !w.From.After(today(now)) }

// Complete reports whether the window has ended before today.
func (w Window) Complete(now time.Time) bool { return !w.To.After(today(now)) }

// AsOf cuts a window that has not ended to today (inclusive) and marks it
// Partial: a period is never read as if whole before it is over. A window
// not yet begun or already over is returned as it is.
func (w Window) AsOf(now time.Time) Window {
	end := today(now).AddDate(0, 0, 1)
	if !w.Started(now) || !w.To.After(end) {
		return w
	}
	w.Partial, w.PeriodTo, w.To = true, w.To, end
	return w
}

// SameSpan cuts the comparison window c to the span of w elapsed so far
// when w is partial: the same days of the month from c's start ("so với
// cùng kỳ 15/12–04/12"), or as many days when the starts differ in month
// or day. A whole w leaves c as it is.
func (w Window) SameSpan(c Window) Window {
	if !w.Partial {
		return c
	}
	dy := c.From.Year() - w.From.Year()
	to := w.To.AddDate(dy, 0, 0)
	if !w.From.AddDate(dy, 0, 0).Equal(c.From) {
		to = c.From.AddDate(0, 0, w.Days())
	}
	if to.Before(c.To) {
		c.To, c.Cut = to, true
	}
	return c
}

// SpanVI says a comparison's span the short Vietnamese way: "15/12–04/12"
// when within a year, else the full dates.
func (w Window) SpanVI() string {
	if w.Last().Sub(w.From) < 366*24*time.Hour {
		return w.From.Format("02/01") + "–" + w.Last().Format("02/01")
	}
	return w.From.Format("02/01/2006") + "–" + w.Last().Format("02/01/2006")
}

// DefaultPeriod is the latest complete period with data: the latest police
// year over before today holding a half-month with data, else such a police
// half, else a police quarter; when none has data, the current police year
// (cut to today). halfMonths are the starts (1st or 15th) of the
// half-months holding records, in any order.
func DefaultPeriod(now time.Time, halfMonths []time.Time) Window {
	has := func(w Window) bool {
		for _, h := range halfMonths {
			if !h.Before(w.From) && h.Before(w.To) {
				return true
			}
		}
		return false
	}
	cur := PoliceYearOf(today(now))
	for _, form := range []string{"%d", "%dH%d", "%dQ%d"} {
		for y := cur; y >= cur-20; y-- {
			parts := []int{1}
			switch form {
			case "%dH%d":
				parts = []int{2, 1}
			case "%dQ%d":
				parts = []int{4, 3, 2, 1}
			}
			for _, part := range parts {
				spec := strconv.Itoa(y)
				if form != "%d" {
					spec = fmt.Sprintf(form, y, part)
				}
				w, err := ParsePeriod(spec, now)
				if err == nil && w.Complete(now) && has(w) {
					return w
				}
			}
		}
	}
	w, _ := ParsePeriod(strconv.Itoa(cur), now)
	return w.AsOf(now)
}

// HalfMonthAligned reports whether both ends fall on the 1st or the 15th, so
// the per-half-month aggregates answer the window exactly.
func (w Window) HalfMonthAligned() bool {
	ok := func(t time.Time) bool { return t.Day() == 1 || t.Day() == 15 }
	return ok(w.From) && ok(w.To)
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// policeYear is the police statistical year y: 15/12 of y-1 to 14/12 of y.
func policeYear(y int) (time.Time, time.Time) { return date(y-1, 12, 15), date(y, 12, 15) }

var (
	rePoliceYear = regexp.MustCompile(`^(\d{4})$`)
	reCalYear    = regexp.MustCompile(`^cal(\d{4})$`)
	reHalf       = regexp.MustCompile(`^(cal)?(\d{4})H([12])$`)
	reQuarter    = regexp.MustCompile(`^(cal)?(\d{4})Q([1-4])$`)
	reMonth      = regexp.MustCompile(`^(cal)?(\d{4})-(\d{2})$`)
)

// PeriodForms lists the accepted forms, for error messages and the API docs.
const PeriodForms = "2024 (police year 15/12/2023–14/12/2024), cal2024, 2025H1, 2025Q3, 2025-08 (police; prefix cal for calendar), post-merger, ytd, or from=YYYY-MM-DD&to=YYYY-MM-DD"

// ParsePeriod turns a period spec into a window. Police periods (the
// default) run from the 15th to the 14th: year 2024 = 15/12/2023–14/12/2024,
// 2025H1 = 15/12/2024–14/06/2025, 2025Q3 = 15/06–14/09/2025, month 2025-08 =
// 15/07–14/08/2025. The prefix "cal" asks for calendar periods. "post-merger"
// runs from 1 July 2025 to today; "ytd" from the start of the current police
// year to today. now is today's date (passed in, so results are testable).
func ParsePeriod(spec string, now time.Time) (Window, error) {
	today := today(now)
	bad := func(why string) (Window, error) {
		return Window{}, Errorf(CodeInvalid, "period %q: %s; use %s", spec, why, PeriodForms)
	}
	year := func(s string) (int, bool) {
		y, err := strconv.Atoi(s)
		return y, err == nil && y >= 2000 && y <= 2100
	}
	w := Window{Spec: spec}
	switch {
	case spec == "post-merger":
		w.From, w.To = MergerDate, today.AddDate(0, 0, 1)
	case spec == "ytd":
		y := today.Year()
		if today.Month() == 12 && today.Day() >= 15 {
			y++
		}
		w.From, _ = policeYear(y)
		w.To = today.AddDate(0, 0, 1)
	case rePoliceYear.MatchString(spec):
		y, ok := year(spec)
		if !ok {
			return bad("year out of range")
		}
		w.From, w.To = policeYear(y)
	case reCalYear.MatchString(spec):
		y, ok := year(spec[3:])
		if !ok {
			return bad("year out of range")
		}
		w.From, w.To = date(y, 1, 1), date(y+1, 1, 1)
	case reHalf.MatchString(spec):
		m := reHalf.FindStringSubmatch(spec)
		y, ok := year(m[2])
		if !ok {
			return bad("year out of range")
		}
		h := int(m[3][0] - '0')
		if m[1] == "cal" {
			w.From = date(y, time.Month(6*(h-1)+1), 1)
			w.To = w.From.AddDate(0, 6, 0)
		} else {
			w.From = date(y-1, 12, 15).AddDate(0, 6*(h-1), 0)
			w.To = w.From.AddDate(0, 6, 0)
		}
	case reQuarter.MatchString(spec):
		m := reQuarter.FindStringSubmatch(spec)
		y, ok := year(m[2])
		if !ok {
			return bad("year out of range")
		}
		q := int(m[3][0] - '0')
		if m[1] == "cal" {
			w.From = date(y, time.Month(3*(q-1)+1), 1)
		} else {
			w.From = date(y-1, 12, 15).AddDate(0, 3*(q-1), 0)
		}
		w.To = w.From.AddDate(0, 3, 0)
	case reMonth.MatchString(spec):
		m := reMonth.FindStringSubmatch(spec)
		y, ok := year(m[2])
		mon, _ := strconv.Atoi(m[3])
		if !ok || mon < 1 || mon > 12 {
			return bad("month out of range")
		}
		if m[1] == "cal" {
			w.From = date(y, time.Month(mon), 1)
		} else {
			w.From = date(y, time.Month(mon), 15).AddDate(0, -1, 0)
		}
		w.To = w.From.AddDate(0, 1, 0)
	default:
		return bad("unknown form")
	}
	return w, nil
}

// ParseRange turns explicit from/to dates (both inclusive, YYYY-MM-DD) into a
// window.
func ParseRange(from, to string) (Window, error) {
	f, err1 := time.Parse("2006-01-02", from)
	t, err2 := time.Parse("2006-01-02", to)
	switch {
	case err1 != nil:
		return Window{}, Errorf(CodeInvalid, "from=%q: want a date YYYY-MM-DD", from)
	case err2 != nil:
		return Window{}, Errorf(CodeInvalid, "to=%q: want a date YYYY-MM-DD", to)
	case t.Before(f):
		return Window{}, Errorf(CodeInvalid, "to=%s is before from=%s", to, from)
	case f.Year() < 2000 || t.Year() > 2100:
		return Window{}, Errorf(CodeInvalid, "from/to out of range 2000–2100")
	}
	return Window{Spec: fmt.Sprintf("%s..%s", from, to), From: f, To: t.AddDate(0, 0, 1)}, nil
}

// PoliceYearOf is the police year a day falls in: from 15 December a day
// belongs to the next year's statistics.
func PoliceYearOf(d time.Time) int {
	if d.Month() == 12 && d.Day() >= 15 {
		return d.Year() + 1
	}
	return d.Year()
}
