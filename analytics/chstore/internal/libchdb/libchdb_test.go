package libchdb

import (
	"bytes"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func libPath() string {
	if p := os.Getenv("ANTQ_LIBCHDB"); p != "" {
		return p
	}
	return DefaultPath()
}

var testConn *Conn

func TestMain(m *testing.M) {
	if os.Getenv("LIBCHDB_CHILD") != "" {
		os.Exit(child())
	}
	// Handlers as the Go runtime installed them, before the engine loads.
	for _, s := range goSignalsChecked {
		before[s] = rawHandler(s)
	}
	if err := Load(libPath()); err != nil {
		println("libchdb: " + err.Error())
		os.Exit(1)
	}
	dir, err := os.MkdirTemp("", "libchdb-test-")
	if err != nil {
		panic(err)
	}
	testConn, err = Connect(dir)
	if err != nil {
		println(err.Error())
		os.Exit(1)
	}
	code := m.Run()
	testConn.Close()
	os.RemoveAll(dir)
	os.Exit(code)
}

var goSignalsChecked = []syscall.Signal{syscall.SIGSEGV, syscall.SIGBUS, syscall.SIGFPE, syscall.SIGILL, syscall.SIGABRT}
var before = map[syscall.Signal]uintptr{}

// rawHandler reads the handler through the kernel (rt_sigaction), so the
// test does not depend on the code under test.
func rawHandler(sig syscall.Signal) uintptr {
	var act [4]uintptr // handler, flags, restorer, mask
	_, _, e := syscall.RawSyscall6(syscall.SYS_RT_SIGACTION, uintptr(sig), 0, uintptrOf(&act), 8, 0, 0)
	if e != 0 {
		panic(e)
	}
	return act[0]
}

func TestQuery(t *testing.T) {
	r, err := testConn.Query([]byte("SELECT version()"), "TSV")
	if err != nil {
		t.Fatal(err)
	}
	if v := strings.TrimSpace(string(r.Data)); !strings.HasPrefix(v, "26.") {
		t.Fatalf("version() = %q, want 26.x", v)
	}
	if LibVersion() == "" {
		t.Error("chdb_version() empty in 26.7")
	}
}

func TestQueryError(t *testing.T) {
	_, err := testConn.Query([]byte("SELECT * FROM nosuch_table"), "TSV")
	if err == nil || !strings.Contains(err.Error(), "UNKNOWN_TABLE") {
		t.Fatalf("err = %v, want UNKNOWN_TABLE", err)
	}
	// The connection stays usable after an error.
	if _, err := testConn.Query([]byte("SELECT 1"), "TSV"); err != nil {
		t.Fatal(err)
	}
}

func TestParamsStayData(t *testing.T) {
	// Parameter values are in ClickHouse's escaped (TSV) form.
	evil := `x'; DROP TABLE t; --\n\n\0end`
	r, err := testConn.QueryParams([]byte("SELECT length({s:String})"), "TSV", []string{"s"}, []string{evil})
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(string(r.Data)); got != "26" {
		t.Fatalf("length = %s, want 26", got)
	}
}

// TestStreamInsertBlankLines is the inline-INSERT trap: data holding "\n\n"
// must arrive whole.
func TestStreamInsertBlankLines(t *testing.T) {
	mustQuery(t, "CREATE TABLE IF NOT EXISTS default.blanks (v UInt32) ENGINE = MergeTree ORDER BY v")
	var buf bytes.Buffer
	const n = 20000
	for i := 0; i < n; i++ {
		binary.Write(&buf, binary.LittleEndian, uint32(0x0A0A0A0A)) // "\n\n\n\n"
	}
	if _, err := testConn.StreamInsert([]byte("INSERT INTO default.blanks"), "RowBinary", buf.Bytes()); err != nil {
		t.Fatal(err)
	}
	r := mustQuery(t, "SELECT count() FROM default.blanks")
	if got := strings.TrimSpace(string(r.Data)); got != "20000" {
		t.Fatalf("rows = %s, want %d", got, n)
	}
}

func TestStreamInsertBadData(t *testing.T) {
	mustQuery(t, "CREATE TABLE IF NOT EXISTS default.bad (v UInt64, s String) ENGINE = MergeTree ORDER BY v")
	_, err := testConn.StreamInsert([]byte("INSERT INTO default.bad"), "RowBinary", []byte{1, 2, 3})
	if err == nil {
		t.Fatal("truncated RowBinary accepted")
	}
}

func TestSecondPathFails(t *testing.T) {
	if _, err := Connect(t.TempDir()); err == nil {
		t.Fatal("a second data path in one process connected")
	}
}

// TestSignalHandlersKept: after Load and Connect the Go runtime's handlers
// for the synchronous signals are still installed, so a nil dereference is
// a recoverable panic instead of a hang.
func TestSignalHandlersKept(t *testing.T) {
	for _, s := range goSignalsChecked {
		if got := rawHandler(s); got != before[s] {
			t.Errorf("%v handler = %#x after connect, want Go's %#x", s, got, before[s])
		}
	}
	recovered := func() (ok bool) {
		defer func() { ok = recover() != nil }()
		var p *int
		_ = *p
		return false
	}()
	if !recovered {
		t.Fatal("nil dereference did not panic")
	}
}

// TestNilDereferenceDoesNotHang runs a child process that connects and
// then dereferences nil without recovering: it must die with Go's panic
// message, quickly, rather than hang inside chDB's handler.
func TestNilDereferenceDoesNotHang(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "LIBCHDB_CHILD=1", "LIBCHDB_CHILD_DIR="+t.TempDir())
	out, err := runWithTimeout(cmd, 60)
	if err == nil {
		t.Fatalf("child exited 0; output:\n%s", out)
	}
	if !strings.Contains(out, "nil pointer dereference") {
		t.Fatalf("child did not report Go's panic; output:\n%s", out)
	}
}

func child() int {
	if err := Load(libPath()); err != nil {
		println(err.Error())
		return 3
	}
	c, err := Connect(filepath.Join(os.Getenv("LIBCHDB_CHILD_DIR"), "d"))
	if err != nil {
		println(err.Error())
		return 3
	}
	if _, err := c.Query([]byte("SELECT 1"), "TSV"); err != nil {
		println(err.Error())
		return 3
	}
	var p *struct{ x int }
	println(p.x) // must panic with Go's message
	return 0
}

func mustQuery(t *testing.T, q string) *Result {
	t.Helper()
	r, err := testConn.Query([]byte(q), "TSV")
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return r
}
