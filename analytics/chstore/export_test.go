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
