package chstore

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/antq-atlas/antq/analytics"
)

var _ analytics.Reader = (*Store)(nil)

func windowParams(w analytics.Window) []string {
	aligned := "0"
	if w.HalfMonthAligned() {
		aligned = "1"
	}
	return []string{
		"from", w.From.Format("2006-01-02"),
		"to", w.To.Format("2006-01-02"),
		"aligned", aligned,
		"grade_year", strconv.Itoa(analytics.PoliceYearOf(w.Last())),
	}
}

// Breakdown shares active sites by model type or sector, grades by grade,
// or incidents by category or outcome.
func (s *Store) Breakdown(ctx context.Context, by string, p analytics.ProvinceCode, c analytics.CommuneCode, w analytics.Window) ([]analytics.Share, error) {
	var q string
	switch by {
	case analytics.ByModelType, analytics.BySector:
		q = sqlText("breakdown_sites")
	case analytics.ByGrade:
		q = sqlText("breakdown_grades")
	case analytics.ByCategory, analytics.ByOutcome:
		q = sqlText("breakdown_incidents")
	default:
		return nil, analytics.Errorf(analytics.CodeInvalid, "breakdown by %q: use model_type, sector, grade, category or outcome", by)
	}
	kv := append([]string{"by", by, "province", string(p), "commune", string(c)}, windowParams(w)...)
	qctx, cancel := s.qctx(withParams(ctx, kv...))
	defer cancel()
	rows, err := s.conn.Query(qctx, q)
	if err != nil {
		return nil, classify(fmt.Errorf("breakdown by %s: %w", by, err))
	}
	defer rows.Close()
	var out []analytics.Share
	for rows.Next() {
		var sh analytics.Share
		if err := rows.Scan(&sh.Label, &sh.N); err != nil {
			return nil, classify(err)
		}
		out = append(out, sh)
	}
	return out, classify(rows.Err())
}

// Sites lists sites active at the end of the filter's window.
func (s *Store) Sites(ctx context.Context, f analytics.SiteFilter) ([]analytics.SitePoint, error) {
	if f.Limit <= 0 {
		f.Limit = 100000
	}
	kv := append([]string{"province", string(f.Province), "commune", string(f.Commune), "model_type", f.ModelType,
		"sector", f.Sector, "limit", strconv.Itoa(f.Limit)}, windowParams(f.Window)...)
	qctx, cancel := s.qctx(withParams(ctx, kv...))
	defer cancel()
	rows, err := s.conn.Query(qctx, sqlText("sites_active"))
	if err != nil {
		return nil, classify(fmt.Errorf("sites: %w", err))
	}
	defer rows.Close()
	var out []analytics.SitePoint
	for rows.Next() {
		var sp analytics.SitePoint
		var commune, province, rule string
		var opened *time.Time
		var lon, lat *float64
		var split uint8
		if err := rows.Scan(&sp.Key, &sp.Name, &sp.ModelName, &sp.ModelType, &sp.Sector, &commune, &province,
			&opened, &lon, &lat, &sp.SourcePlace, &rule, &split); err != nil {
			return nil, classify(err)
		}
		sp.Commune, sp.Province, sp.Rule, sp.Split = analytics.CommuneCode(commune), analytics.ProvinceCode(province), analytics.ResolveRule(rule), split == 1
		if opened != nil {
			sp.Opened = *opened
		}
		if lon != nil && lat != nil {
			sp.Lon, sp.Lat, sp.HasPoint = *lon, *lat, true
		}
		out = append(out, sp)
	}
	return out, classify(rows.Err())
}

// Models lists models active at the end of the window.
func (s *Store) Models(ctx context.Context, p analytics.ProvinceCode, c analytics.CommuneCode, w analytics.Window, limit int) ([]analytics.ModelRow, error) {
	if limit <= 0 {
		limit = 1000
	}
	kv := append([]string{"province", string(p), "commune", string(c), "limit", strconv.Itoa(limit)}, windowParams(w)...)
	qctx, cancel := s.qctx(withParams(ctx, kv...))
	defer cancel()
	rows, err := s.conn.Query(qctx, sqlText("models_active"))
	if err != nil {
		return nil, classify(fmt.Errorf("models: %w", err))
	}
	defer rows.Close()
	var out []analytics.ModelRow
	for rows.Next() {
		var m analytics.ModelRow
		var commune, rule string
		var founded *time.Time
		var adv, ex uint8
		if err := rows.Scan(&m.Key, &m.Name, &m.Type, &m.Sector, &m.Level, &m.HostUnit, &commune, &founded, &adv, &ex, &m.SourcePlace, &rule); err != nil {
			return nil, classify(err)
		}
		m.Commune, m.Rule, m.Advanced, m.Exemplary = analytics.CommuneCode(commune), analytics.ResolveRule(rule), adv == 1, ex == 1
		if founded != nil {
			m.Founded = *founded
		}
		out = append(out, m)
	}
	return out, classify(rows.Err())
}

// Restated lists how a commune's records were restated on it.
func (s *Store) Restated(ctx context.Context, c analytics.CommuneCode) ([]analytics.Restated, error) {
	qctx, cancel := s.qctx(withParams(ctx, "commune", string(c)))
	defer cancel()
	rows, err := s.conn.Query(qctx, sqlText("restated_rules"))
	if err != nil {
		return nil, classify(fmt.Errorf("restated: %w", err))
	}
	defer rows.Close()
	var out []analytics.Restated
	for rows.Next() {
		var r analytics.Restated
		var kind, rule string
		var split uint8
		if err := rows.Scan(&kind, &rule, &r.SourcePlace, &r.OldCode, &split, &r.N); err != nil {
			return nil, classify(err)
		}
		r.Kind, r.Rule, r.Split = analytics.Kind(kind), analytics.ResolveRule(rule), split == 1
		out = append(out, r)
	}
	return out, classify(rows.Err())
}

// ProvinceFacts reads the figures of a province that do not add up over
// communes.
func (s *Store) ProvinceFacts(ctx context.Context, p analytics.ProvinceCode, w analytics.Window) (analytics.ProvinceFacts, error) {
	kv := append([]string{"province", string(p)}, windowParams(w)...)
	qctx, cancel := s.qctx(withParams(ctx, kv...))
	defer cancel()
	var f analytics.ProvinceFacts
	if err := s.conn.QueryRow(qctx, sqlText("province_distinct")).Scan(&f.ModelTypes, &f.Exemplary); err != nil {
		return f, classify(fmt.Errorf("province facts: %w", err))
	}
	return f, nil
}

// Reporting counts, per province holding any record ("" = every province),
// the records of each kind that bear on a window (analytics.Reporting).
func (s *Store) Reporting(ctx context.Context, p analytics.ProvinceCode, w analytics.Window) ([]analytics.Reporting, error) {
	kv := append([]string{"province", string(p), "agg", aggTable(p)}, windowParams(w)...)
	qctx, cancel := s.qctx(withParams(ctx, kv...))
	defer cancel()
	rows, err := s.conn.Query(qctx, sqlText("reporting"))
	if err != nil {
		return nil, classify(fmt.Errorf("reporting: %w", err))
	}
	defer rows.Close()
	byProvince := map[analytics.ProvinceCode]*analytics.Reporting{}
	var order []analytics.ProvinceCode
	for rows.Next() {
		var code, kind string
		var in, before uint64
		if err := rows.Scan(&code, &kind, &in, &before); err != nil {
			return nil, classify(fmt.Errorf("reporting: %w", err))
		}
		pc := analytics.ProvinceCode(code)
		r, ok := byProvince[pc]
		if !ok {
			r = &analytics.Reporting{Province: pc, InWindow: map[analytics.Kind]uint64{}, Before: map[analytics.Kind]uint64{}}
			byProvince[pc] = r
			order = append(order, pc)
		}
		r.InWindow[analytics.Kind(kind)] += in
		r.Before[analytics.Kind(kind)] += before
	}
	if err := rows.Err(); err != nil {
		return nil, classify(fmt.Errorf("reporting: %w", err))
	}
	sort.Slice(order, func(i, j int) bool { return order[i] < order[j] })
	out := make([]analytics.Reporting, len(order))
	for i, pc := range order {
		out[i] = *byProvince[pc]
	}
	return out, nil
}

// DataHalfMonths lists, by kind, the half-months holding records of a
// province ("" = all), in order, for the default period and trends.
func (s *Store) DataHalfMonths(ctx context.Context, p analytics.ProvinceCode) (map[analytics.Kind][]time.Time, error) {
	qctx, cancel := s.qctx(withParams(ctx, "province", string(p), "agg", aggTable(p)))
	defer cancel()
	rows, err := s.conn.Query(qctx, sqlText("data_half_months"))
	if err != nil {
		return nil, classify(fmt.Errorf("data half-months: %w", err))
	}
	defer rows.Close()
	out := map[analytics.Kind][]time.Time{}
	for rows.Next() {
		var kind string
		var d time.Time
		if err := rows.Scan(&kind, &d); err != nil {
			return nil, classify(fmt.Errorf("data half-months: %w", err))
		}
		k := analytics.Kind(kind)
		out[k] = append(out[k], time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC))
	}
	return out, classify(rows.Err())
}
