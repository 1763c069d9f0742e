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
		&founded, &retired, &adv, &exem, &province, &commune, &m.SourcePlace, &rule, &conf, &split, &lon, &lat,
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

// DailyTotals sums one province's pre-aggregated incidents.
type DailyTotals struct {
	Incidents, Closed, DaysSum uint64
}

// DailyTotals reads the incidents_daily totals of a province.
func (s *Store) DailyTotals(ctx context.Context, p analytics.ProvinceCode) (DailyTotals, error) {
	qctx, cancel := s.qctx(withParams(ctx, "province", string(p)))
	defer cancel()
	var t DailyTotals
	if err := s.conn.QueryRow(qctx, sqlText("daily_totals")).Scan(&t.Incidents, &t.Closed, &t.DaysSum); err != nil {
		return t, classify(fmt.Errorf("daily totals: %w", err))
	}
	return t, nil
}

// RawExec runs one statement. For administration and tests only: request
// text never reaches it.
func (s *Store) RawExec(ctx context.Context, sql string) error {
	return s.exec(ctx, sql)
}
