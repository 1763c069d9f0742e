package analytics

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// checkWindow asserts what every window a parser returns must hold.
func checkWindow(t *testing.T, what string, w Window) {
	t.Helper()
	midnight := func(d time.Time) bool {
		return d.Location() == time.UTC && d.Equal(time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC))
	}
	switch {
	case !w.From.Before(w.To):
		t.Fatalf("%s: window %s..%s is empty or reversed", what, w.From, w.To)
	case !midnight(w.From) || !midnight(w.To):
		t.Fatalf("%s: window %s..%s is not on UTC midnights", what, w.From, w.To)
	case w.Days() < 1:
		t.Fatalf("%s: %d days", what, w.Days())
	case w.Spec == "" || w.LabelVI() == "" || w.LabelEN() == "":
		t.Fatalf("%s: empty spec or label in %+v", what, w)
	case w.Last().Before(w.From):
		t.Fatalf("%s: last day %s before the first %s", what, w.Last(), w.From)
	}
	if ly := w.SamePeriodLastYear(); !ly.From.Before(ly.To) {
		t.Fatalf("%s: the same period last year %s..%s is empty", what, ly.From, ly.To)
	}
}

// checkInvalid asserts a parser's error is an invalid-input domain error.
func checkInvalid(t *testing.T, what string, err error) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeInvalid || e.Message == "" {
		t.Fatalf("%s: error %v is not an invalid-input *Error", what, err)
	}
}

// FuzzParsePeriod: no panic; a window is non-empty, on midnights, labelled;
// an error is an invalid-input domain error. Today is any day from the
// merger to 2100 (the product runs after 1 July 2025).
func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{"2024", "cal2024", "2025H1", "2025H2", "cal2025H2", "2025Q1", "2025Q3", "cal2025Q4", "2025-08",
		"cal2025-02", "2025-12", "2025-00", "2025-13", "post-merger", "ytd", "1999", "2101", "0000", "9999H1", "2025Q5", "2025-8",
		"", " 2024", "２０２４", "năm 2024", "cal", "2024\n"} {
		f.Add(s, int64(0))
		f.Add(s, int64(170)) // 15 December 2025: the first day of police year 2026
	}
	f.Fuzz(func(t *testing.T, spec string, days int64) {
		span := int64(time.Date(2100, 12, 31, 0, 0, 0, 0, time.UTC).Sub(MergerDate).Hours() / 24)
		if days < 0 {
			days = -(days + 1)
		}
		now := MergerDate.AddDate(0, 0, int(days%span)).Add(13*time.Hour + 7*time.Minute)
		w, err := ParsePeriod(spec, now)
		what := "ParsePeriod(" + strings.ReplaceAll(spec, "\n", `\n`) + ", " + now.Format(time.DateOnly) + ")"
		if err != nil {
			checkInvalid(t, what, err)
			return
		}
		checkWindow(t, what, w)
		if w.Spec != spec {
			t.Fatalf("%s: spec %q", what, w.Spec)
		}
		if (spec == "post-merger" || spec == "ytd") && !w.Last().Equal(time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)) {
			t.Fatalf("%s: last day %s is not today", what, w.Last())
		}
	})
}

// FuzzParseRange: no panic; a window runs from the first day to the day
// after the last; an error is an invalid-input domain error.
func FuzzParseRange(f *testing.F) {
	for _, p := range [][2]string{{"2025-07-01", "2025-07-31"}, {"2025-07-01", "2025-07-01"}, {"2025-08-01", "2025-07-01"},
		{"1999-12-31", "2025-01-01"}, {"2100-12-31", "2100-12-31"}, {"2024-02-29", "2024-03-01"}, {"2025-02-29", "2025-03-01"},
		{"01/07/2025", "31/07/2025"}, {"", ""}, {"2025-7-1", "2025-07-02"}} {
		f.Add(p[0], p[1])
	}
	f.Fuzz(func(t *testing.T, from, to string) {
		w, err := ParseRange(from, to)
		what := "ParseRange(" + from + ", " + to + ")"
		if err != nil {
			checkInvalid(t, what, err)
			return
		}
		checkWindow(t, what, w)
		if w.From.Format(time.DateOnly) != from || w.Last().Format(time.DateOnly) != to {
			t.Fatalf("%s: window %s..%s", what, w.From.Format(time.DateOnly), w.Last().Format(time.DateOnly))
		}
	})
}
