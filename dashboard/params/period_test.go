package params

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/antq-atlas/antq/analytics"
)

const day = "2006-01-02"

func TestPeriod(t *testing.T) {
	tests := []struct {
		name, raw  string
		from, last string
		partial    bool
		bad        string
	}{
		{"default: the current police year, to today", "", "2024-12-15", "2025-12-01", true, ""},
		{"a police year", "period=2024", "2023-12-15", "2024-12-14", false, ""},
		{"a range", "from=2025-01-01&to=2025-03-31", "2025-01-01", "2025-03-31", false, ""},
		{"both forms", "period=2024&from=2025-01-01&to=2025-03-31", "", "", false, "not both"},
		{"from alone", "from=2025-01-01", "", "", false, "go together"},
		{"a bad period", "period=2025Q9", "", "", false, `period="2025Q9"`},
		{"a bad range", "from=2025-02-30&to=2025-03-01", "", "", false, "from/to="},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := Period(query(t, tt.raw), now)
			if tt.bad != "" {
				wantInvalid(t, err, tt.bad)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if w.From.Format(day) != tt.from || w.Last().Format(day) != tt.last || w.Partial != tt.partial {
				t.Errorf("%s..%s partial %v; want %s..%s partial %v", w.From.Format(day), w.Last().Format(day), w.Partial, tt.from, tt.last, tt.partial)
			}
		})
	}
	t.Run("default given", func(t *testing.T) {
		def, err := analytics.ParsePeriod("2024", now)
		if err != nil {
			t.Fatal(err)
		}
		w, err := PeriodOr(url.Values{}, now, &def)
		if err != nil || w.Spec != "2024" {
			t.Errorf("got %q, %v; want the default 2024", w.Spec, err)
		}
		if w, _ := PeriodOr(query(t, "period=2023"), now, &def); w.Spec != "2023" {
			t.Errorf("period= did not win over the default: %q", w.Spec)
		}
	})
}

func TestCompare(t *testing.T) {
	cur, err := Period(url.Values{}, now) // partial: to 1 December 2025
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, raw  string
		none       bool
		from, last string
		bad        bool
	}{
		{"none", "", true, "", "", false},
		{"the same period last year", "compare=prev", false, "2023-12-15", "2024-12-01", false},
		{"a year cut to the same span", "compare=2022", false, "2021-12-15", "2022-12-01", false},
		{"bad", "compare=last", false, "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Compare(query(t, tt.raw), cur, now)
			if tt.bad {
				wantInvalid(t, err, "compare=")
				return
			}
			if err != nil || (c == nil) != tt.none {
				t.Fatalf("got %v, %v", c, err)
			}
			if c != nil && (c.From.Format(day) != tt.from || c.Last().Format(day) != tt.last) {
				t.Errorf("%s..%s, want %s..%s", c.From.Format(day), c.Last().Format(day), tt.from, tt.last)
			}
		})
	}
}

func TestDatetime(t *testing.T) {
	tests := []struct{ in, from, last string }{
		{"2025-03-01", "2025-03-01", "2025-03-01"},
		{"2025-01-01T00:00:00Z/2025-06-30T23:59:59Z", "2025-01-01", "2025-06-30"},
		{"../2025-06-30", "2000-01-01", "2025-06-30"},
		{"2025-07-01/..", "2025-07-01", "2025-12-01"},
		{"", "2024-12-15", "2025-12-01"}, // the current police year, cut to today (partial)
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			w, err := Datetime(url.Values{"datetime": {tt.in}}, now)
			if err != nil {
				t.Fatal(err)
			}
			if w.From.Format(day) != tt.from || w.Last().Format(day) != tt.last {
				t.Errorf("%s..%s, want %s..%s", w.From.Format(day), w.Last().Format(day), tt.from, tt.last)
			}
		})
	}
	for _, bad := range []string{"2025", "yesterday", "2025-13-01", "2025-06-30/2025-01-01"} {
		t.Run("bad "+bad, func(t *testing.T) {
			_, err := Datetime(url.Values{"datetime": {bad}}, now)
			wantInvalid(t, err, "datetime=")
		})
	}
}

func TestSeriesBound(t *testing.T) {
	tests := []struct {
		v        string
		from, to string // to is exclusive
		bad      bool
	}{
		{"2022", "2021-12-15", "2022-12-15", false},
		{"2025-03-01", "2025-03-01", "2025-03-02", false},
		{"1999-12-31", "", "", true},
		{"2025-02-30", "", "", true},
		{"22", "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.v, func(t *testing.T) {
			f, to, err := seriesBound("from", tt.v, time.Date(2026, 12, 5, 0, 0, 0, 0, time.UTC))
			if tt.bad {
				wantInvalid(t, err, "from=")
				return
			}
			if err != nil || f.Format(day) != tt.from || to.Format(day) != tt.to {
				t.Errorf("got %s..%s, %v; want %s..%s", f.Format(day), to.Format(day), err, tt.from, tt.to)
			}
		})
	}
}

// FuzzPeriod: whatever the query, a window is either non-empty or a
// bilingual invalid-parameter error, and so is the comparison.
// `go test -fuzz FuzzPeriod ./dashboard/params/` runs it.
func FuzzPeriod(f *testing.F) {
	for _, s := range []string{"period=2025", "period=cal2024", "period=2025H1", "period=2025Q3", "period=2025-08", "period=post-merger",
		"period=ytd", "from=2025-01-01&to=2025-03-31", "period=2024&compare=prev", "period=2025&compare=2024Q9", "from=2025-02-30&to=x",
		"period=%zz", "period=99999999999", "compare=prev", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		w, err := Period(q, now)
		if err != nil {
			if analytics.ErrorCode(err) != analytics.CodeInvalid || !strings.Contains(analytics.ErrorMessage(err), " / ") {
				t.Fatalf("%q: error %v is not a bilingual invalid-parameter error", raw, err)
			}
			return
		}
		if !w.From.Before(w.To) {
			t.Fatalf("%q: empty window %v", raw, w)
		}
		c, err := Compare(q, w, now)
		if err == nil && c != nil && !c.From.Before(c.To) {
			t.Fatalf("%q: empty comparison window %v", raw, c)
		}
	})
}
