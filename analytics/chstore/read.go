package chstore

import (
	"context"
	"fmt"
	"time"

	"github.com/antq-atlas/antq/analytics"
)

// ModelByKey returns one model as stored.
func (s *Store) ModelByKey(ctx context.Context, key string) (analytics.Model, error) {
	qctx, cancel := s.qctx(withParams(ctx, "key", key))
	defer cancel()
	var (
		m                       analytics.Model
		founded, retired        *time.Time
		adv, exem, split        uint8
		province, commune, rule string
		conf                    float32
		lon, lat                *float64
		row                     uint32
	)
	err := s.conn.QueryRow(qctx, sqlText("model_by_key")).Scan(&m.Key, &m.Hash, &m.SourceID, &m.Name, &m.Type, &m.Sector, &m.Level, &m.HostUnit,
		&founded, &retired, &adv, &exem, &province, &commune, &m.SourcePlace, &rule, &conf, &split, &m.OldCode, &lon, &lat,
		&m.File, &m.Sheet, &row, &m.Extra)
	if err != nil {
		if isNoRows(err) {
			return m, analytics.Errorf(analytics.CodeNotFound, "no model %q", key)
		}
		return m, classify(fmt.Errorf("read model: %w", err))
	}
	if founded != nil {
		m.Founded = *founded
	}
	if retired != nil {
		m.Retired = *retired
	}
	m.Advanced, m.Exemplary, m.Split = adv == 1, exem == 1, split == 1
	m.Province, m.Commune, m.Rule = analytics.ProvinceCode(province), analytics.CommuneCode(commune), analytics.ResolveRule(rule)
	m.Confidence = float64(conf)
	if lon != nil && lat != nil {
		m.Lon, m.Lat, m.HasPoint = *lon, *lat, true
	}
	m.Row = int(row)
	return m, nil
}

// AggTotals sums one province's pre-aggregated incidents.
type AggTotals struct {
	Incidents, Closed, DaysSum uint64
}

// AggTotals reads the incidents_agg totals of a province.
func (s *Store) AggTotals(ctx context.Context, p analytics.ProvinceCode) (AggTotals, error) {
	qctx, cancel := s.qctx(withParams(ctx, "province", string(p)))
	defer cancel()
	var t AggTotals
	if err := s.conn.QueryRow(qctx, sqlText("agg_totals")).Scan(&t.Incidents, &t.Closed, &t.DaysSum); err != nil {
		return t, classify(fmt.Errorf("aggregate totals: %w", err))
	}
	return t, nil
}

// RawExec runs one statement. For administration and tests only: request
// text never reaches it.
func (s *Store) RawExec(ctx context.Context, sql string) error {
	return s.exec(ctx, sql)
}

// CommuneIncidents is one commune's incident figures in a window.
type CommuneIncidents struct {
	Commune   analytics.CommuneCode
	Incidents uint64
	Closed    uint64
	DaysSum   uint64 // days to close, summed over closed incidents
}

// IncidentsByCommune aggregates incidents per commune over the half-months
// in [from, to) (both on the 1st or the 15th), from the aggregates (province
// "" = all).
func (s *Store) IncidentsByCommune(ctx context.Context, p analytics.ProvinceCode, from, to time.Time) ([]CommuneIncidents, error) {
	qctx, cancel := s.qctx(withParams(ctx, "province", string(p), "agg", aggTable(p), "from", from.Format("2006-01-02"), "to", to.Format("2006-01-02")))
	defer cancel()
	rows, err := s.conn.Query(qctx, sqlText("incidents_by_commune"))
	if err != nil {
		return nil, classify(fmt.Errorf("incidents by commune: %w", err))
	}
	defer rows.Close()
	var out []CommuneIncidents
	for rows.Next() {
		var c CommuneIncidents
		var code string
		if err := rows.Scan(&code, &c.Incidents, &c.Closed, &c.DaysSum); err != nil {
			return nil, classify(fmt.Errorf("incidents by commune: %w", err))
		}
		c.Commune = analytics.CommuneCode(code)
		out = append(out, c)
	}
	return out, classify(rows.Err())
}

// HasSourcePrefix reports whether any loaded record came from a file whose
// name starts with prefix (the demo files start with "demo_").
func (s *Store) HasSourcePrefix(ctx context.Context, prefix string) (bool, error) {
	qctx, cancel := s.qctx(withParams(ctx, "prefix", prefix))
	defer cancel()
	var n uint64
	if err := s.conn.QueryRow(qctx, sqlText("has_source_prefix")).Scan(&n); err != nil {
		return false, classify(fmt.Errorf("source files: %w", err))
	}
	return n > 0, nil
}
