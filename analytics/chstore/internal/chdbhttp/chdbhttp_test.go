package chdbhttp

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/antq-atlas/antq/analytics/chstore/internal/libchdb"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

var tr *Transport

func TestMain(m *testing.M) {
	lib := os.Getenv("ANTQ_LIBCHDB")
	if lib == "" {
		lib = libchdb.DefaultPath()
	}
	if err := libchdb.Load(lib); err != nil {
		println(err.Error())
		os.Exit(1)
	}
	dir, err := os.MkdirTemp("", "chdbhttp-")
	if err != nil {
		panic(err)
	}
	tr, err = New(dir, 2, map[string]string{"max_execution_time": "30"})
	if err != nil {
		println(err.Error())
		os.Exit(1)
	}
	code := m.Run()
	tr.Close()
	os.RemoveAll(dir)
	os.Exit(code)
}

func open(t *testing.T, database string) driver.Conn {
	t.Helper()
	conn, err := clickhouse.Open(&clickhouse.Options{
		Protocol:      clickhouse.HTTP,
		Addr:          []string{"embedded.invalid:8123"},
		Auth:          clickhouse.Auth{Database: database},
		TransportFunc: func(*http.Transport) (http.RoundTripper, error) { return tr, nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

func setting(t *testing.T, conn driver.Conn, ctx context.Context, name string) string {
	t.Helper()
	var v string
	ctx = clickhouse.Context(ctx, clickhouse.WithParameters(clickhouse.Parameters{"n": name}))
	if err := conn.QueryRow(ctx, "SELECT toString(getSetting({n:String}))").Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// TestSettingsAppliedAndReset: a query's settings apply to that query only;
// the session is put back to the transport's defaults afterwards.
func TestSettingsAppliedAndReset(t *testing.T) {
	conn := open(t, "")
	ctx := context.Background()
	with := clickhouse.Context(ctx, clickhouse.WithSettings(clickhouse.Settings{"max_threads": 1, "max_execution_time": 7}))
	if got := setting(t, conn, with, "max_threads"); got != "1" {
		t.Fatalf("max_threads inside the query = %s, want 1", got)
	}
	if got := setting(t, conn, with, "max_execution_time"); got != "7" {
		t.Fatalf("max_execution_time inside the query = %s, want 7", got)
	}
	// Both connections of the pool must be back to the defaults.
	for i := 0; i < 4; i++ {
		if got := setting(t, conn, ctx, "max_threads"); got == "1" {
			t.Fatalf("max_threads leaked into a later query")
		}
		if got := setting(t, conn, ctx, "max_execution_time"); got != "30" {
			t.Fatalf("max_execution_time = %s after the query, want the default 30", got)
		}
	}
}

func TestDatabaseSwitch(t *testing.T) {
	if err := tr.Exec("CREATE DATABASE IF NOT EXISTS db_a"); err != nil {
		t.Fatal(err)
	}
	a := open(t, "db_a")
	d := open(t, "default")
	ctx := context.Background()
	for i := 0; i < 3; i++ { // interleaved on the shared sessions
		var got string
		if err := a.QueryRow(ctx, "SELECT currentDatabase()").Scan(&got); err != nil || got != "db_a" {
			t.Fatalf("a: %q %v", got, err)
		}
		if err := d.QueryRow(ctx, "SELECT currentDatabase()").Scan(&got); err != nil || got != "default" {
			t.Fatalf("default: %q %v", got, err)
		}
	}
}

// running counts the statements in the engine's process list whose text
// holds marker (the counting query itself excluded).
func running(t *testing.T, conn driver.Conn, marker string) uint64 {
	t.Helper()
	var n uint64
	ctx := clickhouse.Context(context.Background(), clickhouse.WithParameters(clickhouse.Parameters{"m": "%" + marker + "%"}))
	if err := conn.QueryRow(ctx, "SELECT count() FROM system.processes WHERE query LIKE {m:String} AND query NOT LIKE '%system.processes%'").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// waitFor polls cond until it holds; the deadline only guards against a
// hang (it is far beyond any expected wait, so it cannot fail by chance).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	guard := time.Now().Add(2 * time.Minute)
	for !cond() {
		if time.Now().After(guard) {
			t.Fatalf("%s: not seen within the hang guard", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestCancelReturnsWithoutWaitingForTheStatement: a request whose context is
// cancelled returns with the context's error while its statement is still
// running in the engine (observed in system.processes), i.e. it did not wait
// for the statement to end. No clock is asserted: the statement would run
// for a minute, and the observation is of state.
func TestCancelReturnsWithoutWaitingForTheStatement(t *testing.T) {
	conn := open(t, "")
	const marker = "antq-cancel-observed"
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- conn.Exec(clickhouse.Context(ctx, clickhouse.WithSettings(clickhouse.Settings{"max_execution_time": 120, "max_block_size": 1})),
			"SELECT sleepEachRow(0.1) FROM numbers(600) FORMAT Null /* "+marker+" */")
	}()
	waitFor(t, "the statement running", func() bool { return running(t, conn, marker) == 1 })
	cancel()
	err := <-done
	if err == nil {
		t.Fatal("a cancelled query returned no error")
	}
	if !errors.Is(err, context.Canceled) && !strings.Contains(err.Error(), "canceled") {
		t.Fatalf("err = %v, want the context's cancellation", err)
	}
	if n := running(t, conn, marker); n != 1 {
		t.Fatalf("after the cancelled call returned, %d statements still run, want 1: the call waited for the statement", n)
	}
	if err := conn.Exec(context.Background(), "KILL QUERY WHERE query LIKE '%"+marker+"%' AND query NOT LIKE '%KILL QUERY%' SYNC"); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the statement killed", func() bool { return running(t, conn, marker) == 0 })
}

func TestErrorsAreExceptions(t *testing.T) {
	conn := open(t, "")
	err := conn.Exec(context.Background(), "SELECT * FROM no_such_table")
	var ex *clickhouse.Exception
	if !errors.As(err, &ex) || ex.Code != 60 {
		t.Fatalf("err = %v, want *clickhouse.Exception code 60", err)
	}
}

func TestCompressedBodyRefused(t *testing.T) {
	req, _ := http.NewRequest(http.MethodPost, "http://embedded.invalid/?query=INSERT+INTO+x+FORMAT+Native", bytes.NewReader([]byte{1, 2, 3}))
	req.Header.Set("Content-Encoding", "gzip")
	resp, err := tr.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 500 || resp.Header.Get("X-ClickHouse-Exception-Code") == "" {
		t.Fatalf("status %d, want 500 with an exception code", resp.StatusCode)
	}
}

func TestBadSettingNameRefused(t *testing.T) {
	req, _ := http.NewRequest(http.MethodPost, "http://embedded.invalid/?max_threads%3D1%3B+DROP=1", strings.NewReader("SELECT 1"))
	resp, err := tr.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 500 {
		t.Fatalf("status %d for a setting name with SQL in it", resp.StatusCode)
	}
}
