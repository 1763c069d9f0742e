package chstore

import (
	"context"
	"fmt"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/chstore/metricsql"
)

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
// province ("" = all) over a window, as num/den pairs; its SQL is made from
// the catalogue entry (package metricsql).
func (s *Store) MetricByCommune(ctx context.Context, id analytics.MetricID, p analytics.ProvinceCode, w analytics.Window) ([]analytics.CommuneFigure, error) {
	m, ok := analytics.MetricByID(id)
	if !ok || m.Composite() {
		return nil, analytics.Errorf(analytics.CodeInvalid, "metric %q has no SQL", id)
	}
	q, err := metricsql.Build(m)
	if err != nil {
		return nil, fmt.Errorf("metric %s: %w", id, err)
	}
	kv := append([]string{"province", string(p), "agg", aggTable(p)}, windowParams(w)...)
	qctx, cancel := s.qctx(withParams(ctx, append(kv, q.Params...)...))
	defer cancel()
	rows, err := s.conn.Query(qctx, q.SQL)
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

// MetricGroup computes the group figure of a metric whose figures do not
// add up over communes (analytics.RollDistinct: a distinct count) for a
// province ("" = the country) over a window; its SQL is made from the
// catalogue entry.
func (s *Store) MetricGroup(ctx context.Context, id analytics.MetricID, p analytics.ProvinceCode, w analytics.Window) (float64, error) {
	m, ok := analytics.MetricByID(id)
	if !ok || m.Roll != analytics.RollDistinct {
		return 0, analytics.Errorf(analytics.CodeInvalid, "metric %q has no group figure of its own", id)
	}
	q, err := metricsql.BuildGroup(m)
	if err != nil {
		return 0, fmt.Errorf("metric %s: %w", id, err)
	}
	kv := append([]string{"province", string(p)}, windowParams(w)...)
	qctx, cancel := s.qctx(withParams(ctx, append(kv, q.Params...)...))
	defer cancel()
	var v float64
	if err := s.conn.QueryRow(qctx, q.SQL).Scan(&v); err != nil {
		return 0, classify(fmt.Errorf("metric %s group: %w", id, err))
	}
	return v, nil
}
