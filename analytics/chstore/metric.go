package chstore

import (
	"context"
	"fmt"

	"github.com/antq-atlas/antq/analytics"
)

// metricQueries is the whitelist from metric id to its SQL.
var metricQueries = map[analytics.MetricID]string{
	"models":             sqlText("metric_models"),
	"model_types":        sqlText("metric_model_types"),
	"sites":              sqlText("metric_sites"),
	"sites_per_commune":  sqlText("metric_sites_per_commune"),
	"sites_per_10k":      sqlText("metric_sites_per_10k"),
	"sites_per_100km2":   sqlText("metric_sites_per_100km2"),
	"commune_coverage":   sqlText("metric_commune_coverage"),
	"former_coverage":    sqlText("metric_former_coverage"),
	"new_sites":          sqlText("metric_new_sites"),
	"retired_sites":      sqlText("metric_retired_sites"),
	"retirement_rate":    sqlText("metric_retirement_rate"),
	"share_good":         sqlText("metric_share_good"),
	"advanced":           sqlText("metric_advanced"),
	"incidents":          sqlText("metric_incidents"),
	"resolved_local":     sqlText("metric_resolved_local"),
	"resolution_rate":    sqlText("metric_resolution_rate"),
	"mediation_rate":     sqlText("metric_mediation_rate"),
	"tips":               sqlText("metric_tips"),
	"useful_tip_share":   sqlText("metric_useful_tip_share"),
	"median_days":        sqlText("metric_median_days"),
	"incidents_per_site": sqlText("metric_incidents_per_site"),
}

// aggTable is the incident aggregates a query reads: one province's
// partition of incidents_agg, or, for the whole country, incidents_agg_all
// (one part instead of one a province).
func aggTable(p analytics.ProvinceCode) string {
	if p == "" {
		return "incidents_agg_all"
	}
	return "incidents_agg"
}

// MetricByCommune computes a catalogue metric for every 2025 commune of a
// province ("" = all) over a window, as num/den pairs.
func (s *Store) MetricByCommune(ctx context.Context, id analytics.MetricID, p analytics.ProvinceCode, w analytics.Window) ([]analytics.CommuneFigure, error) {
	q, ok := metricQueries[id]
	if !ok {
		return nil, analytics.Errorf(analytics.CodeInvalid, "metric %q has no SQL", id)
	}
	qctx, cancel := s.qctx(withParams(ctx, append([]string{"province", string(p), "agg", aggTable(p)}, windowParams(w)...)...))
	defer cancel()
	rows, err := s.conn.Query(qctx, q)
	if err != nil {
		return nil, classify(fmt.Errorf("metric %s: %w", id, err))
	}
	defer rows.Close()
	var out []analytics.CommuneFigure
	for rows.Next() {
		var f analytics.CommuneFigure
		var code string
		if err := rows.Scan(&code, &f.Num, &f.Den); err != nil {
			return nil, classify(fmt.Errorf("metric %s: %w", id, err))
		}
		f.Commune = analytics.CommuneCode(code)
		out = append(out, f)
	}
	return out, classify(rows.Err())
}
