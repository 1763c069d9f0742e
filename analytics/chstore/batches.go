package chstore

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/antq-atlas/antq/analytics"
)

var _ analytics.BatchLog = (*Store)(nil)

// RecordBatch appends a batch's 'load' event to the batch log.
func (s *Store) RecordBatch(ctx context.Context, b analytics.IngestBatch) error {
	if b.ID == "" {
		return analytics.Errorf(analytics.CodeInvalid, "batch without an id")
	}
	files, err := json.Marshal(b.Files)
	if err != nil {
		return fmt.Errorf("record batch %s: %w", b.ID, err)
	}
	counts, _ := json.Marshal(b.Counts)
	kinds := make([]string, len(b.Kinds))
	for i, k := range b.Kinds {
		kinds[i] = string(k)
	}
	provinces := make([]string, len(b.Provinces))
	for i, p := range b.Provinces {
		provinces[i] = string(p)
	}
	ctxJSON := b.Context
	if ctxJSON == "" {
		ctxJSON = "{}"
	}
	return s.batchEvent(ctx, b.ID, "load", b.At, b.Actor, string(files), kinds, string(counts), provinces, ctxJSON)
}

func (s *Store) batchEvent(ctx context.Context, id, event string, at time.Time, actor, files string, kinds []string, counts string, provinces []string, context string) error {
	p := clickhouse.Parameters{
		"id": escapeParam(id), "event": escapeParam(event), "at_ms": fmt.Sprint(at.UnixMilli()), "actor": escapeParam(actor),
		"files": escapeParam(files), "kinds": arrayLiteral(kinds), "counts": escapeParam(counts),
		"provinces": arrayLiteral(provinces), "context": escapeParam(context),
	}
	qctx, cancel := s.qctx(clickhouse.Context(ctx, clickhouse.WithParameters(p)))
	defer cancel()
	if err := s.conn.Exec(qctx, sqlText("batch_record")); err != nil {
		return classify(fmt.Errorf("record batch %s %s: %w", id, event, err))
	}
	return nil
}

// Batches returns the batch log, oldest first, each batch with its undo.
func (s *Store) Batches(ctx context.Context) ([]analytics.IngestBatch, error) {
	qctx, cancel := s.qctx(ctx)
	defer cancel()
	rows, err := s.conn.Query(qctx, sqlText("batch_list"))
	if err != nil {
		return nil, classify(fmt.Errorf("list batches: %w", err))
	}
	defer rows.Close()
	var out []analytics.IngestBatch
	idx := map[string]int{}
	for rows.Next() {
		var (
			id, event, actor, files, counts, context string
			ms                                       int64
			kinds, provinces                         []string
		)
		if err := rows.Scan(&id, &event, &ms, &actor, &files, &kinds, &counts, &provinces, &context); err != nil {
			return nil, classify(fmt.Errorf("list batches: %w", err))
		}
		at := time.UnixMilli(ms).UTC()
		if event == "undo" {
			if i, ok := idx[id]; ok {
				out[i].Undone, out[i].UndoneBy = at, actor
			}
			continue
		}
		b := analytics.IngestBatch{ID: id, At: at, Actor: actor, Context: context}
		if err := json.Unmarshal([]byte(files), &b.Files); err != nil {
			return nil, fmt.Errorf("batch %s files: %w", id, err)
		}
		if err := json.Unmarshal([]byte(counts), &b.Counts); err != nil {
			return nil, fmt.Errorf("batch %s counts: %w", id, err)
		}
		for _, k := range kinds {
			b.Kinds = append(b.Kinds, analytics.Kind(k))
		}
		for _, p := range provinces {
			b.Provinces = append(b.Provinces, analytics.ProvinceCode(p))
		}
		idx[id] = len(out)
		out = append(out, b)
	}
	if err := rows.Err(); err != nil {
		return nil, classify(fmt.Errorf("list batches: %w", err))
	}
	return out, nil
}

// UndoBatch removes the rows batch id wrote, rebuilds the figures of the
// provinces they were in (Commit, which also tells the response caches),
// and records the undo. A batch is undone once; an unknown id is not found.
func (s *Store) UndoBatch(ctx context.Context, id, actor string) (analytics.UndoResult, error) {
	res := analytics.UndoResult{Batch: id, Removed: map[analytics.Kind]uint64{}}
	all, err := s.Batches(ctx)
	if err != nil {
		return res, err
	}
	i := slices.IndexFunc(all, func(b analytics.IngestBatch) bool { return b.ID == id })
	switch {
	case i < 0:
		return res, analytics.Errorf(analytics.CodeNotFound, "no batch %q (antq batches lists them)", id)
	case !all[i].Undone.IsZero():
		return res, analytics.Errorf(analytics.CodeConflict, "batch %s was undone on %s by %s", id, all[i].Undone.Format(time.RFC3339), all[i].UndoneBy)
	}
	touched := map[analytics.ProvinceCode]bool{}
	for _, kind := range analytics.Kinds {
		table := tables[string(kind)]
		byProv, err := s.batchRows(ctx, table, id)
		if err != nil {
			return res, err
		}
		if len(byProv) == 0 {
			continue
		}
		for p, n := range byProv {
			touched[p] = true
			res.Removed[kind] += n
		}
		target := table
		if s.cfg.Cluster != "" {
			target += "_local"
		}
		qctx, cancel := s.qctx(withParams(ctx, "table", target, "batch", id))
		err = s.conn.Exec(qctx, sqlText("batch_delete"))
		cancel()
		if err != nil {
			return res, classify(fmt.Errorf("undo batch %s: remove its %s: %w", id, kind, err))
		}
	}
	for p := range touched {
		res.Provinces = append(res.Provinces, p)
	}
	slices.Sort(res.Provinces)
	// Commit rebuilds the aggregates and empties the response caches even
	// when nothing was removed (a batch whose rows were all duplicates).
	if err := s.Commit(ctx, res.Provinces); err != nil {
		return res, fmt.Errorf("undo batch %s: %w", id, err)
	}
	removed, _ := json.Marshal(res.Removed)
	provs := make([]string, len(res.Provinces))
	for i, p := range res.Provinces {
		provs[i] = string(p)
	}
	if err := s.batchEvent(ctx, id, "undo", time.Now(), actor, "[]", nil, string(removed), provs, "{}"); err != nil {
		return res, err
	}
	return res, nil
}

// batchRows counts a batch's rows in one fact table, by province.
func (s *Store) batchRows(ctx context.Context, table, id string) (map[analytics.ProvinceCode]uint64, error) {
	qctx, cancel := s.qctx(withParams(ctx, "table", table, "batch", id))
	defer cancel()
	rows, err := s.conn.Query(qctx, sqlText("batch_rows"))
	if err != nil {
		return nil, classify(fmt.Errorf("rows of batch %s in %s: %w", id, table, err))
	}
	defer rows.Close()
	out := map[analytics.ProvinceCode]uint64{}
	for rows.Next() {
		var p string
		var n uint64
		if err := rows.Scan(&p, &n); err != nil {
			return nil, classify(fmt.Errorf("rows of batch %s in %s: %w", id, table, err))
		}
		out[analytics.ProvinceCode(p)] = n
	}
	return out, classify(rows.Err())
}
