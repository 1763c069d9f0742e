// Package libchdb binds the C ABI of libchdb.so (chDB: the ClickHouse engine
// as a shared library, from the npm package @chdb/lib-linux-x64-gnu) without
// cgo, through github.com/ebitengine/purego.
//
// Three properties of the library shape this package:
//   - chdb_connect installs its own handlers for SIGSEGV, SIGBUS, SIGFPE,
//     SIGILL and SIGABRT. The Go runtime needs its own there (a nil
//     dereference becomes a panic only through them; with chDB's the process
//     hangs). Load disables chDB's handlers and restores Go's, and Connect
//     saves and restores them around chdb_connect.
//   - a connection runs one statement at a time; several connections on the
//     same data path run in parallel. A second path in the same process, or a
//     second process on the same path, fails (NULL from chdb_connect).
//   - inline INSERT data ends silently at the first blank line, so row data
//     is never sent inline: StreamInsert (chDB >= 26.7) is binary-safe.
//
// Only analytics/chstore and its internal packages may import this package.
package libchdb

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"unsafe"

	"github.com/ebitengine/purego"
)

// C functions (signatures from chdb.h of chDB 26.7).
var (
	cConnect                  func(argc int32, argv **byte) unsafe.Pointer
	cCloseConn                func(connPtr unsafe.Pointer)
	cQueryN                   func(conn unsafe.Pointer, q *byte, qlen uintptr, f *byte, flen uintptr) unsafe.Pointer
	cQueryWithParamsN         func(conn unsafe.Pointer, q *byte, qlen uintptr, f *byte, flen uintptr, names **byte, nameLens *uintptr, values **byte, valueLens *uintptr, n uintptr) unsafe.Pointer
	cDestroyResult            func(res unsafe.Pointer)
	cResultBuffer             func(res unsafe.Pointer) *byte
	cResultLength             func(res unsafe.Pointer) uintptr
	cResultElapsed            func(res unsafe.Pointer) float64
	cResultRowsRead           func(res unsafe.Pointer) uint64
	cResultRowsWritten        func(res unsafe.Pointer) uint64
	cResultError              func(res unsafe.Pointer) *byte
	cSetSignalHandlersEnabled func(enabled int32)

	cStreamInsertN       func(conn unsafe.Pointer, q *byte, qlen uintptr, f *byte, flen uintptr) unsafe.Pointer
	cStreamAppend        func(stream unsafe.Pointer, data *byte, n uintptr) int32
	cStreamDone          func(stream unsafe.Pointer) unsafe.Pointer
	cStreamInsertError   func(stream unsafe.Pointer) *byte
	cDestroyInsertStream func(stream unsafe.Pointer)
	cVersion             func() *byte

	cSigaction func(sig int32, act, oact unsafe.Pointer) int32
)

var (
	loadOnce sync.Once
	loadErr  error
	loaded   string
)

// goSignals are the signals whose handlers the Go runtime must keep.
var goSignals = []syscall.Signal{syscall.SIGSEGV, syscall.SIGBUS, syscall.SIGFPE,
	syscall.SIGILL, syscall.SIGABRT, syscall.SIGURG, syscall.SIGPIPE, syscall.SIGTRAP,
	syscall.SIGPROF, syscall.SIGCHLD}

// sigactionBuf holds a kernel-independent copy of glibc's struct sigaction
// (152 bytes on x86_64; the buffer is larger on purpose).
type sigactionBuf [256]byte

func saveSignals() []sigactionBuf {
	s := make([]sigactionBuf, len(goSignals))
	for i, sg := range goSignals {
		cSigaction(int32(sg), nil, unsafe.Pointer(&s[i][0]))
	}
	return s
}

func restoreSignals(s []sigactionBuf) {
	for i, sg := range goSignals {
		cSigaction(int32(sg), unsafe.Pointer(&s[i][0]), nil)
	}
}

// SignalHandler returns the address of the handler installed for sig, for
// tests that check Go's handlers survive the engine.
func SignalHandler(sig syscall.Signal) uintptr {
	var b sigactionBuf
	cSigaction(int32(sig), nil, unsafe.Pointer(&b[0]))
	return *(*uintptr)(unsafe.Pointer(&b[0]))
}

// Load opens libchdb.so at path and binds its functions. Only the first
// call's path is used; later calls return the first result. Errors name the
// file and say what is wrong with it.
func Load(path string) error {
	loadOnce.Do(func() { loadErr = load(path) })
	if loadErr == nil && path != "" && path != loaded {
		return fmt.Errorf("libchdb: %s is already loaded; cannot load %s too", loaded, path)
	}
	return loadErr
}

func load(path string) error {
	st, err := os.Stat(path)
	switch {
	case err != nil:
		return fmt.Errorf("embedded ClickHouse engine not found at %s (run `antq setup`, or set --libchdb / ANTQ_LIBCHDB): %w", path, err)
	case st.IsDir():
		return fmt.Errorf("embedded ClickHouse engine path %s is a directory, not libchdb.so", path)
	case st.Size() < 1<<20:
		return fmt.Errorf("embedded ClickHouse engine %s is only %d bytes: the file is truncated or corrupt (delete it and run `antq setup`)", path, st.Size())
	}
	h, err := purego.Dlopen(path, purego.RTLD_NOW|purego.RTLD_GLOBAL)
	if err != nil {
		return fmt.Errorf("embedded ClickHouse engine %s cannot be loaded (corrupt or wrong platform? delete it and run `antq setup`): %w", path, err)
	}
	var missing []string
	bind := func(fptr any, name string, required bool) {
		if _, err := purego.Dlsym(h, name); err != nil {
			if required {
				missing = append(missing, name)
			}
			return
		}
		purego.RegisterLibFunc(fptr, h, name)
	}
	bind(&cConnect, "chdb_connect", true)
	bind(&cCloseConn, "chdb_close_conn", true)
	bind(&cQueryN, "chdb_query_n", true)
	bind(&cQueryWithParamsN, "chdb_query_with_params_n", true)
	bind(&cDestroyResult, "chdb_destroy_query_result", true)
	bind(&cResultBuffer, "chdb_result_buffer", true)
	bind(&cResultLength, "chdb_result_length", true)
	bind(&cResultElapsed, "chdb_result_elapsed", true)
	bind(&cResultRowsRead, "chdb_result_rows_read", true)
	bind(&cResultRowsWritten, "chdb_result_rows_written", true)
	bind(&cResultError, "chdb_result_error", true)
	bind(&cSetSignalHandlersEnabled, "chdb_set_signal_handlers_enabled", true)
	bind(&cStreamInsertN, "chdb_stream_insert_n", false)
	bind(&cStreamAppend, "chdb_stream_append", false)
	bind(&cStreamDone, "chdb_stream_done", false)
	bind(&cStreamInsertError, "chdb_stream_insert_error", false)
	bind(&cDestroyInsertStream, "chdb_destroy_insert_stream", false)
	bind(&cVersion, "chdb_version", false)
	if len(missing) > 0 {
		return fmt.Errorf("%s is not a usable libchdb (missing %s); the project pins chDB 26.7.3", path, strings.Join(missing, ", "))
	}
	libc, err := purego.Dlopen("libc.so.6", purego.RTLD_NOW)
	if err != nil {
		return fmt.Errorf("libchdb: open libc for sigaction: %w", err)
	}
	purego.RegisterLibFunc(&cSigaction, libc, "sigaction")
	// Disabling chDB's handlers may itself reset the signals; keep Go's.
	saved := saveSignals()
	cSetSignalHandlersEnabled(0)
	restoreSignals(saved)
	loaded = path
	return nil
}

// HasStreamInsert reports whether the loaded library has chdb_stream_insert
// (chDB >= 26.7), the binary-safe insert path.
func HasStreamInsert() bool { return cStreamInsertN != nil }

// LibVersion is chdb_version() when the library has it.
func LibVersion() string {
	if cVersion == nil {
		return ""
	}
	return goString(cVersion())
}

// Conn is one chDB connection: a session (SET, USE and temporary tables live
// on it) that runs one statement at a time. Its methods are safe for
// concurrent use; callers queue.
type Conn struct {
	mu     sync.Mutex
	connPP unsafe.Pointer // chdb_connection*, as chdb_connect returns it
	conn   unsafe.Pointer // chdb_connection (*connPP), as the query functions take it
}

// ErrConnect is returned when chdb_connect fails: most often another process
// owns the data path, or another path is already open in this process.
var ErrConnect = errors.New("chdb_connect failed")

// Connect opens a connection on the data directory path.
func Connect(path string, extraArgs ...string) (*Conn, error) {
	if cConnect == nil {
		return nil, errors.New("libchdb: Load was not called")
	}
	args := append([]string{"clickhouse", "--path=" + path}, extraArgs...)
	keep := make([][]byte, len(args))
	argv := make([]*byte, len(args)+1)
	for i, a := range args {
		keep[i] = append([]byte(a), 0)
		argv[i] = &keep[i][0]
	}
	saved := saveSignals()
	pp := cConnect(int32(len(args)), &argv[0])
	restoreSignals(saved)
	runtime.KeepAlive(keep)
	runtime.KeepAlive(argv)
	if pp == nil {
		return nil, fmt.Errorf("%w on %s (is another process using this data directory?)", ErrConnect, path)
	}
	c := *(*unsafe.Pointer)(pp)
	if c == nil {
		return nil, fmt.Errorf("%w on %s: empty connection", ErrConnect, path)
	}
	return &Conn{connPP: pp, conn: c}, nil
}

// Close closes the connection; the last one closed shuts the engine down.
func (c *Conn) Close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.connPP != nil {
		cCloseConn(c.connPP)
		c.connPP, c.conn = nil, nil
	}
}

// Result is a query's output, copied into Go memory.
type Result struct {
	Data        []byte
	Elapsed     float64 // seconds
	RowsRead    uint64
	RowsWritten uint64
}

// Error is an error reported by the engine ("Code: 60. DB::Exception: ...").
type Error struct{ Text string }

func (e *Error) Error() string { return e.Text }

var errClosed = errors.New("libchdb: connection closed")

// Query runs one statement with the output in format (e.g. "Native").
func (c *Conn) Query(query []byte, format string) (*Result, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conn == nil {
		return nil, errClosed
	}
	f := []byte(format)
	r := cQueryN(c.conn, bptr(query), uintptr(len(query)), bptr(f), uintptr(len(f)))
	runtime.KeepAlive(query)
	runtime.KeepAlive(f)
	return take(r)
}

// QueryParams runs one statement with server-side {name:Type} parameters.
// Values are passed with their lengths, so they may hold any bytes.
func (c *Conn) QueryParams(query []byte, format string, names []string, values []string) (*Result, error) {
	if len(names) != len(values) {
		return nil, errors.New("libchdb: names and values differ in length")
	}
	if len(names) == 0 {
		return c.Query(query, format)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conn == nil {
		return nil, errClosed
	}
	n := len(names)
	keep := make([][]byte, 0, 2*n)
	np, vp := make([]*byte, n+1), make([]*byte, n+1)
	nl, vl := make([]uintptr, n+1), make([]uintptr, n+1)
	for i := range names {
		// Terminated copies: never an empty slice, whose pointer would be nil.
		nb, vb := append([]byte(names[i]), 0), append([]byte(values[i]), 0)
		keep = append(keep, nb, vb)
		np[i], nl[i] = &nb[0], uintptr(len(nb)-1)
		vp[i], vl[i] = &vb[0], uintptr(len(vb)-1)
	}
	f := []byte(format)
	r := cQueryWithParamsN(c.conn, bptr(query), uintptr(len(query)), bptr(f), uintptr(len(f)),
		&np[0], &nl[0], &vp[0], &vl[0], uintptr(n))
	runtime.KeepAlive(query)
	runtime.KeepAlive(f)
	runtime.KeepAlive(keep)
	runtime.KeepAlive(np)
	runtime.KeepAlive(vp)
	runtime.KeepAlive(nl)
	runtime.KeepAlive(vl)
	return take(r)
}

// StreamInsert runs insert (an INSERT with no FORMAT clause and no data) and
// appends data, encoded in format, through chdb_stream_append. Binary-safe.
func (c *Conn) StreamInsert(insert []byte, format string, data []byte) (*Result, error) {
	if cStreamInsertN == nil {
		return nil, errors.New("libchdb: this library has no chdb_stream_insert (chDB >= 26.7 needed)")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conn == nil {
		return nil, errClosed
	}
	f := []byte(format)
	s := cStreamInsertN(c.conn, bptr(insert), uintptr(len(insert)), bptr(f), uintptr(len(f)))
	runtime.KeepAlive(insert)
	runtime.KeepAlive(f)
	if s == nil {
		return nil, errors.New("libchdb: chdb_stream_insert returned NULL")
	}
	defer cDestroyInsertStream(s)
	if e := goString(cStreamInsertError(s)); e != "" {
		return nil, &Error{Text: e}
	}
	const chunk = 8 << 20
	for off := 0; off < len(data); off += chunk {
		end := min(off+chunk, len(data))
		part := data[off:end]
		rc := cStreamAppend(s, bptr(part), uintptr(len(part)))
		runtime.KeepAlive(data)
		if rc != 0 {
			msg := goString(cStreamInsertError(s))
			if msg == "" {
				msg = fmt.Sprintf("chdb_stream_append failed (state %d)", rc)
			}
			return nil, &Error{Text: msg}
		}
	}
	r := cStreamDone(s)
	if e := goString(cStreamInsertError(s)); e != "" {
		if r != nil {
			cDestroyResult(r)
		}
		return nil, &Error{Text: e}
	}
	return take(r)
}

func take(r unsafe.Pointer) (*Result, error) {
	if r == nil {
		return &Result{}, nil
	}
	defer cDestroyResult(r)
	if e := cResultError(r); e != nil {
		if msg := goString(e); msg != "" {
			return nil, &Error{Text: msg}
		}
	}
	res := &Result{
		Elapsed:     cResultElapsed(r),
		RowsRead:    cResultRowsRead(r),
		RowsWritten: cResultRowsWritten(r),
	}
	if n := cResultLength(r); n > 0 {
		res.Data = make([]byte, n)
		copy(res.Data, unsafe.Slice(cResultBuffer(r), n))
	}
	return res, nil
}

func goString(p *byte) string {
	if p == nil {
		return ""
	}
	n := 0
	for *(*byte)(unsafe.Add(unsafe.Pointer(p), n)) != 0 {
		n++
	}
	return string(unsafe.Slice(p, n))
}

func bptr(b []byte) *byte {
	if len(b) == 0 {
		return nil
	}
	return &b[0]
}

// Version is the chDB release the project pins (fetched by chstore/enginelib).
const Version = "26.7.3-stable.1"

// DefaultPath is where `antq setup` puts the library when no
// cache root is given: ~/.cache/antq/chdb/<Version>/libchdb.so.
func DefaultPath() string {
	home, err := os.UserHomeDir()
	if err != nil {
		home = "."
	}
	return home + "/.cache/antq/chdb/" + Version + "/libchdb.so"
}
