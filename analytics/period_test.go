package analytics

import (
	"testing"
	"time"
)

func TestParsePeriod(t *testing.T) {
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	tests := []struct {
		spec, from, last string
	}{
		{"2024", "2023-12-15", "2024-12-14"},
		{"2022", "2021-12-15", "2022-12-14"},
		{"cal2024", "2024-01-01", "2024-12-31"},
		{"2025H1", "2024-12-15", "2025-06-14"},
		{"2025H2", "2025-06-15", "2025-12-14"},
		{"cal2025H2", "2025-07-01", "2025-12-31"},
		{"2025Q1", "2024-12-15", "2025-03-14"},
		{"2025Q3", "2025-06-15", "2025-09-14"},
		{"cal2025Q3", "2025-07-01", "2025-09-30"},
		{"2025-08", "2025-07-15", "2025-08-14"},
		{"2025-01", "2024-12-15", "2025-01-14"},
		{"cal2024-02", "2024-02-01", "2024-02-29"},
		{"post-merger", "2025-07-01", "2026-11-23"},
		{"ytd", "2025-12-15", "2026-11-23"},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			w, err := ParsePeriod(tt.spec, now)
			if err != nil {
				t.Fatal(err)
			}
			if got := w.From.Format("2006-01-02"); got != tt.from {
				t.Errorf("from = %s, want %s", got, tt.from)
			}
			if got := w.Last().Format("2006-01-02"); got != tt.last {
				t.Errorf("last = %s, want %s", got, tt.last)
			}
			if tt.spec != "post-merger" && tt.spec != "ytd" && !w.HalfMonthAligned() {
				t.Errorf("%s not half-month aligned", tt.spec)
			}
		})
	}
}

func TestParsePeriodErrors(t *testing.T) {
	for _, spec := range []string{"", "24", "2024H3", "2024Q5", "2024-13", "cal", "1999", "2024; DROP", "２０２４"} {
		_, err := ParsePeriod(spec, time.Now())
		if ErrorCode(err) != CodeInvalid {
			t.Errorf("%q: err = %v, want invalid", spec, err)
		}
	}
}

func TestWindowLabels(t *testing.T) {
	w, _ := ParsePeriod("2025", time.Now())
	if got := w.LabelVI(); got != "Số liệu từ 15/12/2024 đến 14/12/2025" {
		t.Errorf("LabelVI = %q", got)
	}
	prev := w.SamePeriodLastYear()
	if prev.From.Format("2006-01-02") != "2023-12-15" || prev.Last().Format("2006-01-02") != "2024-12-14" {
		t.Errorf("same period last year = %v..%v", prev.From, prev.Last())
	}
}

func TestParseRange(t *testing.T) {
	w, err := ParseRange("2025-07-01", "2025-07-31")
	if err != nil || w.Days() != 31 {
		t.Fatalf("w = %+v, err = %v", w, err)
	}
	for _, c := range [][2]string{{"2025-07-31", "2025-07-01"}, {"x", "2025-01-01"}, {"2025-01-01", "2025-02-30"}} {
		if _, err := ParseRange(c[0], c[1]); ErrorCode(err) != CodeInvalid {
			t.Errorf("%v: err = %v", c, err)
		}
	}
}

func TestPartialAndSameSpan(t *testing.T) {
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	w, _ := ParsePeriod("2026", now)
	w = w.AsOf(now)
	if !w.Partial || w.LabelVI() != "Số liệu từ 15/12/2025 đến 04/12/2026 (kỳ chưa kết thúc)" || !w.PeriodTo.Equal(time.Date(2026, 12, 15, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("partial window: %+v %s", w, w.LabelVI())
	}
	prev := w.SamePeriodLastYear()
	if prev.SpanVI() != "15/12–04/12" || !prev.Cut {
		t.Fatalf("same period last year: %s %+v", prev.SpanVI(), prev)
	}
	y22, _ := ParsePeriod("2022", now)
	c := w.SameSpan(y22)
	if c.From.Format("2006-01-02") != "2021-12-15" || c.Last().Format("2006-01-02") != "2022-12-04" || !c.Cut {
		t.Fatalf("2022 cut to the same span: %s..%s", c.From, c.Last())
	}
	whole, _ := ParsePeriod("2025", now)
	if whole.AsOf(now).Partial || w.SameSpan(whole).To.After(whole.To) {
		t.Fatalf("a whole period is not partial")
	}
	if fut, _ := ParsePeriod("2027", now); fut.Started(now) || fut.AsOf(now).Partial {
		t.Fatalf("2027 has not started")
	}
}

func TestDefaultPeriod(t *testing.T) {
	d := func(s string) time.Time { x, _ := time.Parse("2006-01-02", s); return x }
	tests := []struct {
		name string
		now  string
		data []string
		want string
	}{
		{"last complete police year with data", "2026-12-04", []string{"2021-12-15", "2025-12-01"}, "2025"},
		{"current year running: the one before", "2025-12-01", []string{"2022-01-01", "2024-06-01", "2025-11-15"}, "2024"},
		{"no complete year: a half", "2025-07-01", []string{"2024-12-15", "2025-03-01"}, "2025H1"},
		{"no complete half: a quarter", "2025-04-01", []string{"2024-12-15", "2025-03-01"}, "2025Q1"},
		{"no data: the current year", "2025-04-01", nil, "2025"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var hs []time.Time
			for _, s := range tt.data {
				hs = append(hs, d(s))
			}
			if got := DefaultPeriod(d(tt.now), hs); got.Spec != tt.want {
				t.Fatalf("got %s, want %s", got.Spec, tt.want)
			}
		})
	}
}
