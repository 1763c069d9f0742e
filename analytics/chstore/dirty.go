package chstore

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/antq-atlas/antq/analytics"
)

// Incident aggregates are rebuilt at Commit. A load killed after writing
// incidents and before its Commit would leave them stale: the figures of a
// province would miss rows that are stored. So the store marks a province
// dirty in aggregates_dirty before it first writes incidents of it, and
// clean after Commit rebuilt it; Migrate (run at every start and by every
// ingest) rebuilds the provinces left dirty by another process.

// markDirty records the provinces of incidents as stale before they are
// written, once per province until its Commit.
func (s *Store) markDirty(ctx context.Context, incidents []analytics.Incident) error {
	var fresh []analytics.ProvinceCode
	s.dirtyMu.Lock()
	for i := range incidents {
		p := incidents[i].Province
		if s.dirty[p] || !provinceCodeRe.MatchString(string(p)) || slices.Contains(fresh, p) {
			continue
		}
		fresh = append(fresh, p)
	}
	s.dirtyMu.Unlock()
	if len(fresh) == 0 {
		return nil
	}
	if err := s.setDirty(ctx, fresh, true); err != nil {
		return err
	}
	s.dirtyMu.Lock()
	if s.dirty == nil {
		s.dirty = map[analytics.ProvinceCode]bool{}
	}
	for _, p := range fresh {
		s.dirty[p] = true
	}
	s.dirtyMu.Unlock()
	return nil
}

// setDirty writes the provinces' marker.
func (s *Store) setDirty(ctx context.Context, provinces []analytics.ProvinceCode, dirty bool) error {
	list := make([]string, len(provinces))
	for i, p := range provinces {
		list[i] = "'" + string(p) + "'" // two digits, checked by the callers
	}
	d := "0"
	if dirty {
		d = "1"
	}
	qctx, cancel := s.qctx(withParams(ctx, "provinces", "["+strings.Join(list, ",")+"]", "dirty", d))
	defer cancel()
	if err := s.conn.Exec(qctx, sqlText("aggregates_dirty_mark")); err != nil {
		return classify(fmt.Errorf("mark aggregates of %v: %w", provinces, err))
	}
	return nil
}

// cleared records the provinces Commit rebuilt as clean.
func (s *Store) cleared(ctx context.Context, provinces []analytics.ProvinceCode) error {
	if len(provinces) == 0 {
		return nil
	}
	if err := s.setDirty(ctx, provinces, false); err != nil {
		return err
	}
	s.dirtyMu.Lock()
	for _, p := range provinces {
		delete(s.dirty, p)
	}
	s.dirtyMu.Unlock()
	return nil
}

// StaleAggregates lists the provinces whose incident aggregates may miss
// stored rows: incidents were written and no Commit rebuilt them since (a
// load running now, or one killed before its Commit). Their figures are
// being rebuilt, not zero.
func (s *Store) StaleAggregates(ctx context.Context) ([]analytics.ProvinceCode, error) {
	qctx, cancel := s.qctx(ctx)
	defer cancel()
	rows, err := s.conn.Query(qctx, sqlText("aggregates_dirty"))
	if err != nil {
		return nil, classify(fmt.Errorf("stale aggregates: %w", err))
	}
	defer rows.Close()
	var out []analytics.ProvinceCode
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return nil, classify(fmt.Errorf("stale aggregates: %w", err))
		}
		out = append(out, analytics.ProvinceCode(p))
	}
	return out, classify(rows.Err())
}

// RecoverAggregates rebuilds the aggregates of the provinces a killed load
// left stale (not those this store is writing now) and returns them.
func (s *Store) RecoverAggregates(ctx context.Context) ([]analytics.ProvinceCode, error) {
	stale, err := s.StaleAggregates(ctx)
	if err != nil {
		return nil, err
	}
	s.dirtyMu.Lock()
	stale = slices.DeleteFunc(stale, func(p analytics.ProvinceCode) bool {
		return s.dirty[p] || !provinceCodeRe.MatchString(string(p))
	})
	s.dirtyMu.Unlock()
	if len(stale) == 0 {
		return nil, nil
	}
	if err := s.Commit(ctx, stale); err != nil {
		return nil, fmt.Errorf("rebuild stale aggregates of %v: %w", stale, err)
	}
	return stale, nil
}
