package charts

import (
	"fmt"
	"testing"

	"github.com/antq-atlas/antq/dashboard/figures"
)

func TestTopShares(t *testing.T) {
	many := func(n int) []figures.Share {
		out := make([]figures.Share, n)
		for i := range out { // ascending, so the fold must sort
			out[i] = figures.Share{Label: fmt.Sprintf("Loại %02d", i), N: uint64(i + 1), SharePct: float64(i+1) * 100 / float64(n*(n+1)/2)}
		}
		return out
	}
	tests := []struct {
		name      string
		shares    []figures.Share
		top       int
		en        bool
		wantLen   int
		wantFirst string
		wantLast  string
	}{
		{"none", nil, 11, false, 0, "", ""},
		{"12 kept", many(12), 11, false, 12, "Loại 00", "Loại 11"},
		{"13 folded", many(13), 11, false, 12, "Loại 12", "Khác (2 nhóm)"},
		{"38 model types", many(38), 11, false, 12, "Loại 37", "Khác (27 nhóm)"},
		{"top 3", many(7), 3, true, 4, "Loại 06", "Other (4 groups)"},
		{"top 5 of 6 kept", many(6), 5, false, 6, "Loại 00", "Loại 05"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := fmt.Sprint(tt.shares)
			got := topShares(tt.shares, tt.top, Text{EN: tt.en})
			if fmt.Sprint(tt.shares) != before {
				t.Error("topShares changed its input")
			}
			if len(got) != tt.wantLen {
				t.Fatalf("%d groups, want %d: %v", len(got), tt.wantLen, got)
			}
			if len(got) == 0 {
				return
			}
			if got[0].Label != tt.wantFirst || got[len(got)-1].Label != tt.wantLast {
				t.Errorf("first %q last %q, want %q … %q", got[0].Label, got[len(got)-1].Label, tt.wantFirst, tt.wantLast)
			}
			var n, wantN uint64
			var pct, wantPct float64
			for i, sh := range got {
				n, pct = n+sh.N, pct+sh.SharePct
				if i > 0 && i < len(got)-1 && sh.N > got[i-1].N && len(got) < len(tt.shares) {
					t.Errorf("kept groups not largest first: %v", got)
				}
			}
			for _, sh := range tt.shares {
				wantN, wantPct = wantN+sh.N, wantPct+sh.SharePct
			}
			if n != wantN || pct-wantPct > 1e-4 || wantPct-pct > 1e-4 {
				t.Errorf("counts %d (%.4f%%) after folding, %d (%.4f%%) before", n, pct, wantN, wantPct)
			}
		})
	}
}
