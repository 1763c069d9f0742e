package chstore

import (
	"context"
	"strings"
)

// QueryUint64 runs one statement that returns one UInt64, for tests.
func (s *Store) QueryUint64(ctx context.Context, sql string) (uint64, error) {
	qctx, cancel := s.qctx(ctx)
	defer cancel()
	var n uint64
	err := s.conn.QueryRow(qctx, sql).Scan(&n)
	return n, err
}

// Restarted forgets what this store wrote since its last Commit, as a new
// process on the same data would: tests use it to simulate a killed load.
func (s *Store) Restarted() {
	s.dirtyMu.Lock()
	s.dirty = nil
	s.dirtyMu.Unlock()
}

// UseDriverInserts makes the store's INSERTs go through the driver's batch
// on the embedded engine too, for tests that compare the two encodings.
func (s *Store) UseDriverInserts() { s.forceDriver = true }

// TableRows returns every row of table as text, sorted, without the
// columns named in except (e.g. version, which is the time of the write).
func (s *Store) TableRows(ctx context.Context, table string, except ...string) ([]string, error) {
	qctx, cancel := s.qctx(ctx)
	defer cancel()
	cols := "*"
	if len(except) > 0 {
		cols = "* EXCEPT (" + strings.Join(except, ", ") + ")"
	}
	rows, err := s.conn.Query(qctx, "SELECT toString(tuple("+cols+")) AS r FROM "+quoteIdent(table)+" ORDER BY r")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
