package chstore_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/chstore"
	"github.com/antq-atlas/antq/analytics/chstore/chstoretest"
)

func TestMain(m *testing.M) {
	if mode := os.Getenv("CHSTORE_CHILD"); mode != "" {
		os.Exit(child(mode))
	}
	os.Exit(chstoretest.Main(m))
}

var ctx = context.Background()

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func incident(key string, hash uint64, commune string, received, closed string) analytics.Incident {
	in := analytics.Incident{
		Key: key, Hash: hash, Category: "mâu thuẫn/tranh chấp", Received: day(received), Outcome: analytics.OutcomeMediated,
		Located: analytics.Located{Province: "08", Commune: analytics.CommuneCode(commune), SourcePlace: "Xã Trung Minh, Huyện Yên Sơn",
			Rule: analytics.RuleNormalisedName, Confidence: 0.9},
		Source: analytics.Source{File: "vu_viec.csv", Row: 2},
	}
	if closed != "" {
		in.Closed = day(closed)
	}
	return in
}

func mustCount(t *testing.T, s *chstore.Store, kind analytics.Kind, p analytics.ProvinceCode) uint64 {
	t.Helper()
	n, err := s.Count(ctx, kind, p)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestMigrateTwiceIsNoop(t *testing.T) {
	s := chstoretest.Open(t) // migrated once already
	applied, err := s.Migrate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(applied) != 0 {
		t.Fatalf("second migrate applied %v, want nothing", applied)
	}
	v, err := s.SchemaVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if v < 3 {
		t.Fatalf("schema version %d, want >= 3", v)
	}
}

func TestWriteReadBack(t *testing.T) {
	s := chstoretest.Open(t)
	m := analytics.Model{
		Key: "08:TQ-001", Hash: 42, SourceID: "TQ-001", Name: "Tự phòng, tự quản, tự bảo vệ", Type: "Tự phòng, tự quản, tự bảo vệ",
		Sector: analytics.SectorResidential, Founded: day("2019-03-15"), Exemplary: true,
		Located: analytics.Located{Province: "08", Commune: "02584", SourcePlace: "xã Trường Sinh", Rule: analytics.RuleExactName, OldCode: "02587",
			Confidence: 1, Lon: 105.3, Lat: 21.9, HasPoint: true},
		Source: analytics.Source{File: "mo_hinh.xlsx", Sheet: "2025", Row: 7, Extra: `{"Ghi chú":"a'b\n\nc"}`},
	}
	if err := s.Write(ctx, analytics.Batch{Token: "t1", Models: []analytics.Model{m}}); err != nil {
		t.Fatal(err)
	}
	got, err := s.ModelByKey(ctx, m.Key)
	if err != nil {
		t.Fatal(err)
	}
	// Fields the store sets or normalises.
	if !got.Founded.Equal(m.Founded) {
		t.Errorf("founded = %v, want %v", got.Founded, m.Founded)
	}
	got.Founded = m.Founded
	if fmt.Sprintf("%+v", got) != fmt.Sprintf("%+v", m) {
		t.Errorf("read back\n got %+v\nwant %+v", got, m)
	}
}

func TestKnownAndIdempotentReinsert(t *testing.T) {
	s := chstoretest.Open(t)
	batch := analytics.Batch{Token: "file1/0", Incidents: []analytics.Incident{
		incident("08:a", 1, "02512", "2024-01-10", "2024-01-12"),
		incident("08:b'; DROP TABLE incidents; --", 2, "02512", "2024-02-10", ""),
		incident("08:c", 3, "02515", "2025-08-01", "2025-08-11"),
	}}
	if err := s.Write(ctx, batch); err != nil {
		t.Fatal(err)
	}
	// A batch retried with the same token stores nothing new.
	if err := s.Write(ctx, batch); err != nil {
		t.Fatal(err)
	}
	if n := mustCount(t, s, analytics.KindIncidents, ""); n != 3 {
		t.Fatalf("count = %d, want 3", n)
	}
	known, err := s.Known(ctx, analytics.KindIncidents, []string{"08:a", "08:b'; DROP TABLE incidents; --", "08:zzz"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]uint64{"08:a": 1, "08:b'; DROP TABLE incidents; --": 2}
	if fmt.Sprint(known) != fmt.Sprint(want) {
		t.Fatalf("known = %v, want %v", known, want)
	}
	// A correction (same key, new hash, new token) replaces the record.
	fix := incident("08:a", 9, "02515", "2024-01-10", "2024-01-15")
	if err := s.Write(ctx, analytics.Batch{Token: "file2/0", Incidents: []analytics.Incident{fix}}); err != nil {
		t.Fatal(err)
	}
	if n := mustCount(t, s, analytics.KindIncidents, "08"); n != 3 {
		t.Fatalf("after correction count = %d, want 3", n)
	}
	known, err = s.Known(ctx, analytics.KindIncidents, []string{"08:a"})
	if err != nil {
		t.Fatal(err)
	}
	if known["08:a"] != 9 {
		t.Fatalf("hash after correction = %d, want 9", known["08:a"])
	}
}

func TestProvincesHoldingRecords(t *testing.T) {
	s := chstoretest.Open(t)
	got, err := s.Provinces(ctx, analytics.KindIncidents)
	if err != nil || len(got) != 0 {
		t.Fatalf("empty store: %v, %v", got, err)
	}
	in := incident("25:x", 1, "02512", "2024-01-10", "")
	in.Province = "25"
	if err := s.Write(ctx, analytics.Batch{Token: "p/0", Incidents: []analytics.Incident{incident("08:a", 1, "02512", "2024-01-10", ""), in}}); err != nil {
		t.Fatal(err)
	}
	got, err = s.Provinces(ctx, analytics.KindIncidents)
	if err != nil || fmt.Sprint(got) != "map[08:true 25:true]" {
		t.Fatalf("incidents in %v, %v; want 08 and 25", got, err)
	}
	if got, err = s.Provinces(ctx, analytics.KindSites); err != nil || len(got) != 0 {
		t.Fatalf("sites in %v, %v; want none", got, err)
	}
	if _, err := s.Provinces(ctx, "people"); err == nil {
		t.Fatal("unknown kind accepted")
	}
}

func TestCommitRebuildsAggregates(t *testing.T) {
	s := chstoretest.Open(t)
	var calls [][]analytics.ProvinceCode
	s.OnCommit(func(p []analytics.ProvinceCode) { calls = append(calls, p) })
	write := func(token string, ins ...analytics.Incident) {
		t.Helper()
		if err := s.Write(ctx, analytics.Batch{Token: token, Incidents: ins}); err != nil {
			t.Fatal(err)
		}
		if err := s.Commit(ctx, []analytics.ProvinceCode{"08"}); err != nil {
			t.Fatal(err)
		}
	}
	write("a", incident("08:1", 1, "02512", "2024-01-10", "2024-01-12"), incident("08:2", 2, "02512", "2024-01-10", ""))
	write("b", incident("08:1", 3, "02512", "2024-01-10", "2024-01-20")) // a correction: still 2 incidents
	got, err := s.AggTotals(ctx, "08")
	if err != nil {
		t.Fatal(err)
	}
	if got.Incidents != 2 || got.Closed != 1 || got.DaysSum != 10 {
		t.Fatalf("aggregate totals = %+v, want 2 incidents, 1 closed, 10 days", got)
	}
	if len(calls) != 2 {
		t.Fatalf("OnCommit called %d times, want 2", len(calls))
	}
	// A province without incidents (a sites-only load) commits too.
	if err := s.Commit(ctx, []analytics.ProvinceCode{"25"}); err != nil {
		t.Fatalf("commit of a province without incidents: %v", err)
	}
	if err := s.Commit(ctx, []analytics.ProvinceCode{"08' OR 1"}); analytics.ErrorCode(err) != analytics.CodeInvalid {
		t.Fatalf("bad province code: err = %v, want invalid", err)
	}
}

// The national table (one part, read by national maps) holds every
// province's aggregates, also after a commit of one province only.
func TestCommitRebuildsNationalAggregates(t *testing.T) {
	s := chstoretest.Open(t)
	in25 := incident("25:1", 1, "07100", "2024-01-10", "")
	in25.Province = "25"
	if err := s.Write(ctx, analytics.Batch{Token: "a", Incidents: []analytics.Incident{incident("08:1", 1, "02512", "2024-01-10", ""), in25}}); err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(ctx, []analytics.ProvinceCode{"08", "25"}); err != nil {
		t.Fatal(err)
	}
	// The two provinces were rebuilt side by side, each in its own
	// partition of the staging tables: each has its own figures.
	for _, p := range []analytics.ProvinceCode{"08", "25"} {
		if got, err := s.AggTotals(ctx, p); err != nil || got.Incidents != 1 {
			t.Fatalf("province %s: %+v %v, want 1 incident", p, got, err)
		}
	}
	if err := s.Write(ctx, analytics.Batch{Token: "b", Incidents: []analytics.Incident{incident("08:2", 2, "02515", "2024-02-10", "")}}); err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(ctx, []analytics.ProvinceCode{"08"}); err != nil {
		t.Fatal(err)
	}
	rows, err := s.IncidentsByCommune(ctx, "", day("2023-12-15"), day("2024-12-15"))
	if err != nil {
		t.Fatal(err)
	}
	got := map[analytics.CommuneCode]uint64{}
	for _, r := range rows {
		got[r.Commune] = r.Incidents
	}
	if want := map[analytics.CommuneCode]uint64{"02512": 1, "02515": 1, "07100": 1}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("national aggregates %v, want %v", got, want)
	}
	// The staging tables are emptied once swapped in.
	for _, table := range []string{"incidents_agg_stage", "incidents_mix_stage", "incidents_agg_all_stage"} {
		if n, err := s.QueryUint64(ctx, "SELECT count() FROM "+table); err != nil || n != 0 {
			t.Errorf("%s holds %d rows after the commit (%v)", table, n, err)
		}
	}
}

func TestMalformedQueryIsAnError(t *testing.T) {
	s := chstoretest.Open(t)
	err := s.RawExec(ctx, "SELEC nonsense FROM")
	if err == nil {
		t.Fatal("malformed query gave no error")
	}
	if analytics.ErrorCode(err) != analytics.CodeInternal || !strings.Contains(err.Error(), "Syntax error") {
		t.Fatalf("err = %v (code %s), want an internal error naming the syntax error", err, analytics.ErrorCode(err))
	}
	if msg := analytics.ErrorMessage(err); strings.Contains(msg, "SELEC") {
		t.Fatalf("user-facing message leaks SQL: %q", msg)
	}
	// The store still works.
	if err := s.Ping(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestEngineVersion(t *testing.T) {
	s := chstoretest.Open(t)
	if v := s.EngineVersion(); !strings.HasPrefix(v, "2") || strings.Count(v, ".") < 2 {
		t.Fatalf("engine version %q", v)
	}
}

func embeddedOnly(t *testing.T) {
	if os.Getenv("CLICKHOUSE_DSN") != "" {
		t.Skip("embedded engine only")
	}
}

// TestDataDirOwnedByOneProcess: a second process on the same data directory
// gets a clear error naming the owner, and the first keeps working.
func TestDataDirOwnedByOneProcess(t *testing.T) {
	embeddedOnly(t)
	dir := t.TempDir()
	holder := startChild(t, "hold", dir)
	defer holder.Process.Kill()
	out, err := runChild(t, "open", dir)
	if err == nil {
		t.Fatalf("second process opened a held data directory:\n%s", out)
	}
	if !strings.Contains(out, "in use by `antq test-holder`") || !strings.Contains(out, "pid "+strconv.Itoa(holder.Process.Pid)) {
		t.Fatalf("error does not name the owner:\n%s", out)
	}
}

// TestSIGKILLKeepsData: a process that wrote is killed with SIGKILL; the
// next process on the directory sees every row.
func TestSIGKILLKeepsData(t *testing.T) {
	embeddedOnly(t)
	dir := t.TempDir()
	w := startChild(t, "write-then-wait", dir)
	if err := w.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	w.Wait()
	out, err := runChild(t, "count", dir)
	if err != nil {
		t.Fatalf("reopen after SIGKILL: %v\n%s", err, out)
	}
	if strings.TrimSpace(lastLine(out)) != "count=1000" {
		t.Fatalf("after SIGKILL: %s, want count=1000", out)
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// startChild runs this test binary in a child mode and waits until it says
// "ready".
func startChild(t *testing.T, mode, dir string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "CHSTORE_CHILD="+mode, "CHSTORE_DIR="+dir)
	ready := filepath.Join(dir, "ready")
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { cmd.Process.Wait(); close(exited) }()
	deadline := time.After(3 * time.Minute) // a hang guard
	for {
		if _, err := os.Stat(ready); err == nil {
			return cmd
		}
		select {
		case <-exited:
			t.Fatalf("child %s exited before it was ready:\n%s", mode, out.String())
		case <-deadline:
			cmd.Process.Kill()
			t.Fatalf("child %s did not get ready:\n%s", mode, out.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func runChild(t *testing.T, mode, dir string) (string, error) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "CHSTORE_CHILD="+mode, "CHSTORE_DIR="+dir)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func child(mode string) int {
	dir := os.Getenv("CHSTORE_DIR")
	s, err := chstore.Open(ctx, chstoretest.Config(filepath.Join(dir, "data")))
	if err != nil {
		fmt.Println(err)
		return 1
	}
	if _, err := s.Migrate(ctx); err != nil {
		fmt.Println(err)
		return 1
	}
	ready := func() { os.WriteFile(filepath.Join(dir, "ready"), nil, 0o600) }
	switch mode {
	case "hold":
		s.SetOwner(chstore.Owner{Command: "test-holder"})
		ready()
		time.Sleep(5 * time.Minute)
	case "open":
		fmt.Println("opened")
	case "write-then-wait":
		var ins []analytics.Incident
		for i := 0; i < 1000; i++ {
			ins = append(ins, incident(fmt.Sprintf("08:%d", i), uint64(i), "02512", "2024-05-01", ""))
		}
		if err := s.Write(ctx, analytics.Batch{Token: "k", Incidents: ins}); err != nil {
			fmt.Println(err)
			return 1
		}
		ready()
		time.Sleep(5 * time.Minute) // killed here, without Close
	case "count":
		n, err := s.Count(ctx, analytics.KindIncidents, "")
		if err != nil {
			fmt.Println(err)
			return 1
		}
		fmt.Printf("count=%d\n", n)
	}
	s.Close()
	return 0
}

var _ = errors.New

// TestParallelStatements: a connection runs one statement at a time, so the
// store keeps several on the same data path; two slow statements are seen
// running at the same moment in the engine's process list. Run one after the
// other, they could never both be listed (each would run a minute), so the
// test observes overlap instead of timing it.
func TestParallelStatements(t *testing.T) {
	s := chstoretest.Open(t)
	const marker = "antq-overlap-observed"
	q := "SELECT sleepEachRow(0.1) FROM numbers(600) SETTINGS max_block_size = 1, max_execution_time = 120 FORMAT Null /* " + marker + " */"
	errs := make(chan error, 2)
	for i := 0; i < 2; i++ {
		go func() { errs <- s.RawExec(ctx, q) }()
	}
	count := func() uint64 {
		n, err := s.QueryUint64(ctx, "SELECT count() FROM system.processes WHERE query LIKE '%"+marker+"%' AND query NOT LIKE '%system.processes%' AND query NOT LIKE '%KILL QUERY%'")
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	guard := time.Now().Add(90 * time.Second) // a hang guard, far below the 2 × 60 s a serial run takes
	for n := count(); n < 2; n = count() {
		if time.Now().After(guard) {
			t.Fatalf("never saw both statements running at once (last count %d): they ran one after the other", n)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := s.RawExec(ctx, "KILL QUERY WHERE query LIKE '%"+marker+"%' AND query NOT LIKE '%KILL QUERY%' SYNC"); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 2; i++ {
		if err := <-errs; err == nil {
			t.Fatal("a killed statement reported success")
		}
	}
}
