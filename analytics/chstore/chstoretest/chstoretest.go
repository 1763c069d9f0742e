// Package chstoretest gives tests a real ClickHouse store: the embedded
// engine by default (one per test binary, on a temporary data directory), or
// the server named by CLICKHOUSE_DSN. Each call to Open returns a fresh,
// migrated database that is dropped when the test ends. Never a mock.
package chstoretest

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/antq-atlas/antq/analytics/chstore"
)

var (
	once    sync.Once
	base    *chstore.Store
	baseErr error
	dataDir string
	seq     atomic.Int64
)

// Config returns the store config tests use: CLICKHOUSE_DSN (and
// CLICKHOUSE_CLUSTER) select a server, else the embedded engine from
// ANTQ_LIBCHDB or the set-up's cache.
func Config(dir string) chstore.Config {
	if dsn := os.Getenv("CLICKHOUSE_DSN"); dsn != "" {
		return chstore.Config{Engine: chstore.EngineServer, DSN: dsn, Cluster: os.Getenv("CLICKHOUSE_CLUSTER"), QueryTimeout: 2 * time.Minute}
	}
	return chstore.Config{Engine: chstore.EngineEmbedded, DataDir: dir, LibPath: os.Getenv("ANTQ_LIBCHDB"), QueryTimeout: 2 * time.Minute}
}

func open() (*chstore.Store, error) {
	once.Do(func() {
		dataDir, baseErr = os.MkdirTemp("", "antq-test-")
		if baseErr != nil {
			return
		}
		base, baseErr = chstore.Open(context.Background(), Config(dataDir))
	})
	return base, baseErr
}

// Open returns a fresh migrated database on the shared test engine.
func Open(tb testing.TB) *chstore.Store {
	tb.Helper()
	b, err := open()
	if err != nil {
		tb.Fatalf("open test engine (run `make engine` first if libchdb.so is missing): %v", err)
	}
	name := fmt.Sprintf("t%d_%d_%s", os.Getpid(), seq.Add(1), sanitize(tb.Name()))
	ctx := context.Background()
	s, err := b.Sibling(ctx, name)
	if err != nil {
		tb.Fatalf("create test database: %v", err)
	}
	if _, err := s.Migrate(ctx); err != nil {
		tb.Fatalf("migrate test database: %v", err)
	}
	tb.Cleanup(func() {
		if err := s.DropDatabase(context.Background()); err != nil {
			tb.Errorf("drop test database: %v", err)
		}
		s.Close()
	})
	return s
}

// Main runs the tests and removes the shared engine's data afterwards. Use
// it from TestMain: os.Exit(chstoretest.Main(m)).
func Main(m *testing.M) int {
	code := m.Run()
	if base != nil {
		base.Close()
	}
	if dataDir != "" {
		os.RemoveAll(dataDir)
	}
	return code
}

func sanitize(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
		if b.Len() >= 40 {
			break
		}
	}
	return b.String()
}
