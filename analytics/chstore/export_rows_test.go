package chstore_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/chstore"
	"github.com/antq-atlas/antq/analytics/chstore/chstoretest"
)

// exported collects ExportRows' rows as "a|b|c" lines, sorted.
func exported(t *testing.T, s *chstore.Store, kind analytics.Kind, p analytics.ProvinceCode) []string {
	t.Helper()
	var got []string
	if err := s.ExportRows(ctx, kind, p, func(row []string) error {
		if len(row) != len(chstore.ExportColumns(kind)) {
			t.Fatalf("row %q has %d columns, want %d", row, len(row), len(chstore.ExportColumns(kind)))
		}
		got = append(got, strings.Join(row, "|"))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	return got
}

// TestExportRows: the rows as the figures read them: a correction replaces
// the row it corrects (one row per key), dates as text and "" for none,
// restated communes, one province or all.
func TestExportRows(t *testing.T) {
	s := chstoretest.Open(t)
	tip := incident("25:t", 4, "05128", "2025-03-02", "")
	tip.Province, tip.Tip, tip.TipUseful, tip.Outcome = "25", true, true, analytics.OutcomePending
	site := analytics.Site{Key: "08:s1", Hash: 1, Name: "Tổ tự quản", Opened: day("2021-06-01"), Retired: day("2024-12-31"),
		Located: analytics.Located{Province: "08", Commune: "02512", Rule: analytics.RuleExactName, Confidence: 1}}
	open := analytics.Site{Key: "08:s2", Hash: 2, Name: "Tổ an ninh",
		Located: analytics.Located{Province: "08", Commune: "02515", Rule: analytics.RuleExactName, Confidence: 1}}
	if err := s.Write(ctx, analytics.Batch{Token: "f1/0", Sites: []analytics.Site{site, open}, Incidents: []analytics.Incident{
		incident("08:a", 1, "02512", "2024-01-10", "2024-01-12"),
		incident("08:b", 2, "02512", "2024-02-10", ""),
		tip,
	}}); err != nil {
		t.Fatal(err)
	}
	// A correction moves 08:a to another commune and closes it later.
	if err := s.Write(ctx, analytics.Batch{Token: "f2/0", Incidents: []analytics.Incident{incident("08:a", 9, "02515", "2024-01-10", "2024-01-15")}}); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		kind analytics.Kind
		p    analytics.ProvinceCode
		want []string
	}{
		{analytics.KindIncidents, "", []string{
			"08|02512|2024-02-10||hòa giải thành|0|0",
			"08|02515|2024-01-10|2024-01-15|hòa giải thành|0|0",
			"25|05128|2025-03-02||đang giải quyết|1|1",
		}},
		{analytics.KindIncidents, "25", []string{"25|05128|2025-03-02||đang giải quyết|1|1"}},
		{analytics.KindSites, "", []string{"08|02512|2021-06-01|2024-12-31", "08|02515||"}},
		{analytics.KindSites, "25", nil},
	} {
		if got := exported(t, s, tc.kind, tc.p); !slices.Equal(got, tc.want) {
			t.Errorf("%s in %q:\n got %q\nwant %q", tc.kind, tc.p, got, tc.want)
		}
	}
	if err := s.ExportRows(ctx, analytics.KindModels, "", func([]string) error { return nil }); analytics.ErrorCode(err) != analytics.CodeInvalid {
		t.Errorf("models: err = %v, want an invalid-kind error", err)
	}
	stop := errors.New("stop")
	if err := s.ExportRows(ctx, analytics.KindIncidents, "", func([]string) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("callback error: got %v, want it returned", err)
	}
}
