package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// freePort returns a loopback port nobody listens on now.
func freePort(tb testing.TB) int {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// TestGracefulShutdown runs the binary, starts slow requests (national
// maps, each computed afresh), waits until the server
// is working on all of them (antq_http_in_flight on --metrics-addr), sends
// SIGTERM, and checks that every request is answered in full, the process
// exits 0, and the port is closed.
func TestGracefulShutdown(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "antq")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	port, mport := freePort(t), freePort(t)
	cmd := exec.Command(bin, "serve", "--public", "--rate-limit", "0", "--data", filepath.Join(dir, "data"),
		"--addr", fmt.Sprintf("127.0.0.1:%d", port), "--metrics-addr", fmt.Sprintf("127.0.0.1:%d", mport))
	cmd.Env = os.Environ() // the reference data built into the binary, or ANTQ_REFDATA's
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var logMu sync.Mutex
	var logBuf strings.Builder
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			logMu.Lock()
			logBuf.WriteString(sc.Text() + "\n")
			logMu.Unlock()
		}
	}()
	serverLog := func() string { logMu.Lock(); defer logMu.Unlock(); return logBuf.String() }
	defer cmd.Process.Kill()

	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	deadline := time.Now().Add(2 * time.Minute)
	for {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("not ready: %v\n%s", err, serverLog())
		}
		time.Sleep(200 * time.Millisecond)
	}
	if !strings.Contains(serverLog(), "one-time password") {
		t.Errorf("no users: the first admin's one-time password was not logged:\n%s", serverLog())
	}

	periods := []string{"2022", "2023", "2024", "2025"}
	type answer struct {
		status int
		n      int
		err    error
	}
	answers := make(chan answer, len(periods))
	for _, p := range periods {
		go func() {
			resp, err := http.Get(base + "/api/v1/map.geojson?province=all&simplify=low&period=" + p)
			if err != nil {
				answers <- answer{err: err}
				return
			}
			defer resp.Body.Close()
			b, err := io.ReadAll(resp.Body)
			answers <- answer{status: resp.StatusCode, n: len(b), err: err}
		}()
	}
	// Wait until the server holds every request.
	metrics := fmt.Sprintf("http://127.0.0.1:%d/metrics", mport)
	for start := time.Now(); ; {
		if n := inFlight(metrics); n >= len(periods) {
			break
		}
		if time.Since(start) > 30*time.Second {
			t.Fatalf("the requests never were in flight together (too fast?)")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	for range periods {
		a := <-answers
		if a.err != nil || a.status != 200 || a.n < 100_000 {
			t.Errorf("request in flight at SIGTERM: status %d, %d bytes, %v", a.status, a.n, a.err)
		}
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("exit: %v\n%s", err, serverLog())
		}
	case <-time.After(90 * time.Second): // the server stops within 30 s; this only guards a hang
		t.Fatalf("still running 90 s after SIGTERM")
	}
	if c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), time.Second); err == nil {
		c.Close()
		t.Error("the port still accepts connections after exit")
	}
	if !strings.Contains(serverLog(), "shutting down") {
		t.Errorf("no shutdown line in the log:\n%s", serverLog())
	}
}

func inFlight(url string) int {
	resp, err := http.Get(url)
	if err != nil {
		return -1
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "antq_http_in_flight "); ok {
			n, _ := strconv.Atoi(v)
			return n
		}
	}
	return -1
}
