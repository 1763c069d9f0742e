package analytics

import (
	"slices"
	"testing"
	"time"
)

func TestPoliceBuckets(t *testing.T) {
	d := func(s string) time.Time { v, _ := time.Parse("2006-01-02", s); return v }
	tests := []struct {
		name, by, from, to string // to exclusive
		want               []string
		partial            []bool
	}{
		{"whole police years", "year", "2021-12-15", "2025-12-15", []string{"2022", "2023", "2024", "2025"}, []bool{false, false, false, false}},
		{"halves", "half", "2024-12-15", "2025-12-15", []string{"2025H1", "2025H2"}, []bool{false, false}},
		{"quarters cut at both ends", "quarter", "2025-01-01", "2025-07-01", []string{"2025Q1 (2025-01-01..2025-03-14)", "2025Q2", "2025Q3 (2025-06-15..2025-06-30)"}, []bool{true, false, true}},
		{"months", "month", "2024-12-15", "2025-03-15", []string{"2025-01", "2025-02", "2025-03"}, []bool{false, false, false}},
		{"one month cut at both ends", "month", "2024-12-20", "2025-01-10", []string{"2025-01 (2024-12-20..2025-01-09)"}, []bool{true}},
		{"the 14th ends a police month", "month", "2025-07-15", "2025-08-15", []string{"2025-08"}, []bool{false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bs, err := PoliceBuckets(tt.by, d(tt.from), d(tt.to))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			var partial []bool
			for _, b := range bs {
				got = append(got, b.Window.Spec)
				partial = append(partial, b.Partial)
			}
			if !slices.Equal(got, tt.want) || !slices.Equal(partial, tt.partial) {
				t.Errorf("got %q %v, want %q %v", got, partial, tt.want, tt.partial)
			}
		})
	}
}

func TestPoliceBucketsErrors(t *testing.T) {
	d := func(s string) time.Time { v, _ := time.Parse("2006-01-02", s); return v }
	tests := []struct{ name, by, from, to string }{
		{"unknown size", "week", "2024-12-15", "2025-12-15"},
		{"too many buckets", "month", "2000-01-01", "2030-01-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := PoliceBuckets(tt.by, d(tt.from), d(tt.to)); ErrorCode(err) != CodeInvalid {
				t.Errorf("error %v, want an invalid-input error", err)
			}
		})
	}
}
