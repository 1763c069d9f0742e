package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/antq-atlas/antq/analytics"
	"github.com/antq-atlas/antq/analytics/chstore"
)

// crashCommunes are real 2025 communes of Tuyên Quang, as the police
// write them.
var crashCommunes = []string{
	"Xã Hùng Lợi", "Xã Yên Sơn", "Xã Thái Bình", "Phường Mỹ Lâm", "Phường An Tường", "Phường Bình Thuận", "Xã Nhữ Khê",
	"Xã Sơn Dương", "Xã Tân Trào", "Xã Hàm Yên", "Xã Yên Phú", "Phường Hà Giang 1", "Phường Hà Giang 2", "Xã Lâm Bình",
	"Xã Nà Hang", "Xã Chiêm Hoá", "Xã Đồng Văn", "Xã Mèo Vạc", "Xã Bắc Quang", "Xã Vị Xuyên", "Phường Nông Tiến",
	"Phường Minh Xuân", "Xã Kiến Thiết", "Xã Trung Sơn", "Xã Tân Long", "Xã Xuân Vân", "Xã Lực Hành", "Xã Minh Thanh",
}

// crashFile is the incidents file the crash test loads and what a correct
// load of it gives.
type crashFile struct {
	path       string
	read       int // data rows
	valid      int // distinct valid incidents: what the store must hold
	rejected   int // rows naming a commune that does not exist
	duplicates int // rows repeated word for word in the file
}

// writeCrashFile writes n incident rows of Tuyên Quang received since the
// merger (1 July 2025) and up to today: one row in 1,000 names no real
// commune (rejected), one in 500 is written twice (an in-file duplicate).
func writeCrashFile(tb testing.TB, dir string, n int, now time.Time) crashFile {
	tb.Helper()
	cf := crashFile{path: filepath.Join(dir, "vu_viec_tuyen_quang.csv")}
	f, err := os.Create(cf.path)
	if err != nil {
		tb.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString("Mã vụ việc,Lĩnh vực vụ việc,Ngày tiếp nhận,Ngày kết thúc,Kết quả,Xã/Phường,Tỉnh\n")
	span := int(now.Sub(analytics.MergerDate).Hours()/24) - 1
	cats := []string{"Mâu thuẫn, tranh chấp", "Tệ nạn xã hội", "Trật tự công cộng", "Giao thông", "Cháy nổ", "Tội phạm tố giác"}
	day := func(t time.Time) string { return t.Format("02/01/2006") }
	for i := range n {
		received := analytics.MergerDate.AddDate(0, 0, (i*7919)%span)
		closed, outcome := "", "Đang giải quyết"
		if i%3 != 0 {
			if c := received.AddDate(0, 0, i%30); c.Before(now) {
				closed, outcome = day(c), []string{"Hòa giải thành", "Giải quyết tại cơ sở", "Chuyển cơ quan chức năng"}[i%3]
			}
		}
		commune := crashCommunes[i%len(crashCommunes)]
		if i%1000 == 999 {
			commune = "Xã Không Có Thật"
			cf.rejected++
		} else {
			cf.valid++
		}
		line := fmt.Sprintf("VV-TQ-%07d,%q,%s,%s,%s,%s,Tỉnh Tuyên Quang\n", i, cats[i%len(cats)], day(received), closed, outcome, commune)
		w.WriteString(line)
		cf.read++
		if i%500 == 0 { // never a rejected row
			w.WriteString(line)
			cf.read++
			cf.duplicates++
		}
	}
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
	if err := f.Close(); err != nil {
		tb.Fatal(err)
	}
	return cf
}

// ingestCounts are the totals line of an ingest summary.
type ingestCounts struct{ read, loaded, rejected, duplicates int }

// The crash file is a plain export: none of its rows is skipped.
var totalsRe = regexp.MustCompile(`(?m)^tổng\s+đọc ([\d.]+), nạp ([\d.]+), loại ([\d.]+), trùng ([\d.]+), bỏ qua 0$`)

func parseTotals(tb testing.TB, out string) ingestCounts {
	tb.Helper()
	m := totalsRe.FindStringSubmatch(out)
	if m == nil {
		tb.Fatalf("no totals line in the ingest summary:\n%s", out)
	}
	n := func(s string) int {
		v, err := strconv.Atoi(strings.ReplaceAll(s, ".", ""))
		if err != nil {
			tb.Fatal(err)
		}
		return v
	}
	return ingestCounts{n(m[1]), n(m[2]), n(m[3]), n(m[4])}
}

// runIngestTo runs `antq ingest --data dir file` to its end. Exit code 2
// (some rows rejected) is the expected outcome of the crash file.
func runIngestTo(tb testing.TB, bin, dir, file string, env []string) (ingestCounts, time.Duration) {
	tb.Helper()
	cmd := exec.Command(bin, "ingest", "--data", dir, file)
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	t0 := time.Now()
	err := cmd.Run()
	took := time.Since(t0)
	var ee *exec.ExitError
	if err != nil && !(errors.As(err, &ee) && ee.ExitCode() == 2) {
		tb.Fatalf("antq ingest: %v\nstdout:\n%s\nstderr:\n%s", err, &stdout, &stderr)
	}
	return parseTotals(tb, stdout.String()), took
}

// killIngest starts `antq ingest --data dir file`, SIGKILLs it after d and
// waits for it, so the data directory's lock is free for the next run. It
// reports whether the run ended by itself first.
func killIngest(tb testing.TB, bin, dir, file string, env []string, d time.Duration) (finished bool) {
	tb.Helper()
	cmd := exec.Command(bin, "ingest", "--data", dir, file)
	cmd.Env = env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		var ee *exec.ExitError
		if err != nil && !(errors.As(err, &ee) && ee.ExitCode() == 2) {
			tb.Fatalf("antq ingest failed before it was killed: %v\n%s", err, &out)
		}
		return true
	case <-time.After(d):
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil && !errors.Is(err, os.ErrProcessDone) {
		tb.Fatal(err)
	}
	err := <-done
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL {
			return false
		}
	}
	if err != nil && !(errors.As(err, &ee) && ee.ExitCode() == 2) {
		tb.Fatalf("antq ingest: %v\n%s", err, &out)
	}
	return true // it ended just before the signal
}

// TestIngestSurvivesKill is the ingest's crash-safety requirement: an
// `antq ingest` killed (SIGKILL) at random moments and run again, and at
// last run to its end, leaves the store with every valid row exactly once,
// and a further run loads nothing.
//
// A first, clean run on a data directory of its own checks the counts the
// killed loads must end with; with a warm start-up (a one-row file) and a
// warm run of the file on that directory it also gives the times the kills
// are drawn from. Then N runs on another directory are each killed
// (SIGKILL) at a random moment: one in four during the start-up (engine,
// migration, reference tables), the others while rows are read, batches
// written and aggregates rebuilt. Each is waited for before the next
// starts, as one process owns a data directory. Later runs find more of
// the file loaded and may end before their kill: that is logged. Last, the
// store is opened in this process, after every antq process has ended
// (this test binary opens no other engine), and counted with and without
// FINAL, and its aggregates.
//
// ANTQ_CRASH_KILLS (default 4) sets N (20 for the full run),
// ANTQ_CRASH_ROWS the rows (default 300,000) and ANTQ_CRASH_SEED the
// random moments (default: the clock; logged, to replay a failure).
func TestIngestSurvivesKill(t *testing.T) {
	if testing.Short() {
		t.Skip("builds antq and loads 300,000 rows several times")
	}
	kills := envInt(t, "ANTQ_CRASH_KILLS", 4)
	rows := envInt(t, "ANTQ_CRASH_ROWS", 300_000)
	seed := uint64(envInt(t, "ANTQ_CRASH_SEED", int(time.Now().UnixNano()%1e9)))
	t.Logf("ANTQ_CRASH_KILLS=%d ANTQ_CRASH_ROWS=%d ANTQ_CRASH_SEED=%d", kills, rows, seed)
	env := childEnv(t)
	lib := testLibCHDB(t)

	t0 := time.Now()
	bin := buildAntq(t)
	t.Logf("build: %v", time.Since(t0).Round(time.Millisecond))

	t0 = time.Now()
	work := t.TempDir()
	cf := writeCrashFile(t, work, rows, time.Now().UTC())
	t.Logf("wrote %d rows (%d valid incidents, %d rejected, %d in-file duplicates) in %v",
		cf.read, cf.valid, cf.rejected, cf.duplicates, time.Since(t0).Round(time.Millisecond))

	// The clean run: its counts are what a load of the file gives.
	want := ingestCounts{read: cf.read, loaded: cf.valid, rejected: cf.rejected, duplicates: cf.duplicates}
	cleanDir := filepath.Join(work, "clean")
	clean, cold := runIngestTo(t, bin, cleanDir, cf.path, env)
	t.Logf("clean run: %+v in %v", clean, cold.Round(time.Millisecond))
	if clean != want {
		t.Fatalf("clean run: %+v, want %+v (a generated row did not resolve or parse as intended)", clean, want)
	}
	// The times to draw the kills from: a warm start-up (a one-row file)
	// and a warm run of the whole file.
	one := filepath.Join(work, "one.csv")
	if err := os.WriteFile(one, []byte("Mã vụ việc,Ngày tiếp nhận,Xã/Phường\nVV-TQ-0000001,01/08/2025,Xã Hùng Lợi\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, startup := runIngestTo(t, bin, cleanDir, one, env)
	_, warm := runIngestTo(t, bin, cleanDir, cf.path, env)
	t.Logf("warm start-up %v, warm run %v", startup.Round(time.Millisecond), warm.Round(time.Millisecond))

	// One kill in four falls anywhere in the start-up (opening the engine,
	// migrating, loading the reference tables: the first run is cold);
	// the others from the start-up's end to a whole run's, where batches
	// are written and the aggregates rebuilt.
	data := filepath.Join(work, "data")
	rng := rand.New(rand.NewPCG(seed, 0x616e7471))
	uniform := func(from, to time.Duration) time.Duration {
		return from + time.Duration(rng.Int64N(int64(max(to-from, 1))))
	}
	killed := 0
	t0 = time.Now()
	for i := range kills {
		d := uniform(startup*8/10, max(cold, warm))
		if i%4 == 0 {
			d = uniform(0, startup)
		}
		if killIngest(t, bin, data, cf.path, env, d) {
			t.Logf("run %d ended by itself before its kill at %v", i+1, d.Round(time.Millisecond))
		} else {
			killed++
			t.Logf("run %d killed at %v", i+1, d.Round(time.Millisecond))
		}
	}
	t.Logf("%d runs, %d killed, in %v", kills, killed, time.Since(t0).Round(time.Millisecond))

	last, took := runIngestTo(t, bin, data, cf.path, env)
	t.Logf("run to the end: %+v in %v (the killed runs had loaded %d)", last, took.Round(time.Millisecond), cf.valid-last.loaded)
	if last.read != cf.read || last.rejected != cf.rejected || last.loaded+last.duplicates != cf.valid+cf.duplicates {
		t.Errorf("run to the end: %+v; want %d read, %d rejected, %d loaded or duplicate", last, cf.read, cf.rejected, cf.valid+cf.duplicates)
	}
	again, took := runIngestTo(t, bin, data, cf.path, env)
	t.Logf("run again: %+v in %v", again, took.Round(time.Millisecond))
	if again.loaded != 0 || again.duplicates != cf.valid+cf.duplicates || again.rejected != cf.rejected {
		t.Errorf("run again: %+v; want 0 loaded, %d duplicates, %d rejected", again, cf.valid+cf.duplicates, cf.rejected)
	}

	// Every antq process has ended: open the store here and count.
	ctx := context.Background()
	store, err := chstore.Open(ctx, chstore.Config{DataDir: data, LibPath: lib, QueryTimeout: 5 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	n, err := store.Count(ctx, analytics.KindIncidents, "")
	if err != nil {
		t.Fatal(err)
	}
	if n != uint64(cf.valid) {
		t.Errorf("the store holds %d incidents, want %d: %+d", n, cf.valid, int64(n)-int64(cf.valid))
	}
	// Count() reads FINAL; the stored rows themselves must not repeat a
	// key either (a retried batch adds nothing). throwIf fails the
	// statement, which is how RawExec can assert.
	check := fmt.Sprintf("SELECT throwIf(count() != %d OR uniqExact(record_key) != %d, 'stored rows or keys are not the valid incidents') FROM incidents", cf.valid, cf.valid)
	if err := store.RawExec(ctx, check); err != nil {
		t.Errorf("stored rows (without FINAL): %v", err)
	}
	// The commit after the kills refreshed the aggregates.
	agg, err := store.AggTotals(ctx, "08")
	if err != nil {
		t.Fatal(err)
	}
	if agg.Incidents != uint64(cf.valid) {
		t.Errorf("incidents_agg of Tuyên Quang holds %d incidents, want %d", agg.Incidents, cf.valid)
	}
}
