package chstore

import (
	"context"
	"fmt"
	"time"

	"github.com/antq-atlas/antq/analytics"
)

// The reads below feed the in-memory aggregates (analytics/memagg): the
// same FINAL rows the metric SQL reads, at the finest grain its windows
// need (a day), so that memagg's sums equal the SQL's.

// CommuneRefs lists every 2025 commune of the reference, ordered by code.
func (s *Store) CommuneRefs(ctx context.Context) ([]analytics.CommuneRef, error) {
	qctx, cancel := s.qctx(ctx)
	defer cancel()
	rows, err := s.conn.Query(qctx, sqlText("mem_communes"))
	if err != nil {
		return nil, classify(fmt.Errorf("commune references: %w", err))
	}
	defer rows.Close()
	var out []analytics.CommuneRef
	for rows.Next() {
		var c analytics.CommuneRef
		var code, prov string
		if err := rows.Scan(&code, &prov, &c.AreaKm2, &c.Population); err != nil {
			return nil, classify(fmt.Errorf("commune references: %w", err))
		}
		c.Code, c.Province = analytics.CommuneCode(code), analytics.ProvinceCode(prov)
		out = append(out, c)
	}
	return out, classify(rows.Err())
}

// IncidentDays counts the incidents and tips of province p ("" = all) per
// commune and day received, ordered by province, commune and day.
func (s *Store) IncidentDays(ctx context.Context, p analytics.ProvinceCode) ([]analytics.IncidentDay, error) {
	qctx, cancel := s.qctx(withParams(ctx, append([]string{"province", string(p)}, outcomeParams...)...))
	defer cancel()
	rows, err := s.conn.Query(qctx, sqlText("mem_incident_days"))
	if err != nil {
		return nil, classify(fmt.Errorf("incident days of %q: %w", p, err))
	}
	defer rows.Close()
	var out []analytics.IncidentDay
	for rows.Next() {
		var d analytics.IncidentDay
		var prov, code string
		if err := rows.Scan(&prov, &code, &d.Day, &d.Rows, &d.Incidents, &d.Closed, &d.ResolvedLocal,
			&d.Mediated, &d.MediationConcluded, &d.Tips, &d.TipsUseful); err != nil {
			return nil, classify(fmt.Errorf("incident days of %q: %w", p, err))
		}
		d.Province, d.Commune, d.Day = analytics.ProvinceCode(prov), analytics.CommuneCode(code), utcDay(d.Day)
		out = append(out, d)
	}
	return out, classify(rows.Err())
}

// Spans counts the sites and models of province p ("" = all) per commune,
// start date, retirement date and advanced flag.
func (s *Store) Spans(ctx context.Context, p analytics.ProvinceCode) ([]analytics.SpanCount, error) {
	qctx, cancel := s.qctx(withParams(ctx, "province", string(p)))
	defer cancel()
	rows, err := s.conn.Query(qctx, sqlText("mem_spans"))
	if err != nil {
		return nil, classify(fmt.Errorf("spans of %q: %w", p, err))
	}
	defer rows.Close()
	var out []analytics.SpanCount
	for rows.Next() {
		var sc analytics.SpanCount
		var kind, prov, code string
		var start, end *time.Time
		var adv uint8
		if err := rows.Scan(&kind, &prov, &code, &start, &end, &adv, &sc.N); err != nil {
			return nil, classify(fmt.Errorf("spans of %q: %w", p, err))
		}
		sc.Kind, sc.Province, sc.Commune, sc.Advanced = analytics.Kind(kind), analytics.ProvinceCode(prov), analytics.CommuneCode(code), adv == 1
		if start != nil {
			sc.Start = utcDay(*start)
		}
		if end != nil {
			sc.End = utcDay(*end)
		}
		out = append(out, sc)
	}
	return out, classify(rows.Err())
}

// utcDay is the calendar day of a Date column as UTC midnight, whatever
// zone the driver gave it in.
func utcDay(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// GradeCounts counts the grades of province p ("" = all) per commune,
// police year and grade.
func (s *Store) GradeCounts(ctx context.Context, p analytics.ProvinceCode) ([]analytics.GradeCount, error) {
	qctx, cancel := s.qctx(withParams(ctx, "province", string(p)))
	defer cancel()
	rows, err := s.conn.Query(qctx, sqlText("mem_grades"))
	if err != nil {
		return nil, classify(fmt.Errorf("grade counts of %q: %w", p, err))
	}
	defer rows.Close()
	var out []analytics.GradeCount
	for rows.Next() {
		var g analytics.GradeCount
		var prov, code string
		if err := rows.Scan(&prov, &code, &g.Year, &g.Grade, &g.N); err != nil {
			return nil, classify(fmt.Errorf("grade counts of %q: %w", p, err))
		}
		g.Province, g.Commune = analytics.ProvinceCode(prov), analytics.CommuneCode(code)
		out = append(out, g)
	}
	return out, classify(rows.Err())
}
