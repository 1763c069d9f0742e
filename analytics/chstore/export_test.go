package chstore

import "context"

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
