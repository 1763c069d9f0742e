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
	"sync/atomic"
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
	cmd := exec.Command(bin, "serve", "--public", "--rate-limit", "0", "--cache-mb", "0", "--data", filepath.Join(dir, "data"),
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

	// Rounds of eight national maps, computed afresh (--cache-mb 0), so the
	// server is busy for a while. A round is sent, then the test waits until
	// every request of it has reached the server (answered already, or in
	// flight now) with at least one in flight, and sends SIGTERM. The answered
	// count is read before the gauge, so no request is counted twice: the sum
	// can only fall short, and then the loop looks again. No speed is assumed:
	// a server so fast that a whole round is answered before one request is
	// seen in flight gets another round.
	var targets []string
	for _, p := range []string{"2022", "2023", "2024", "2025"} {
		for _, s := range []string{"low", "medium"} {
			targets = append(targets, "/api/v1/map.geojson?province=all&simplify="+s+"&period="+p)
		}
	}
	type answer struct {
		status int
		n      int
		err    error
	}
	metrics := fmt.Sprintf("http://127.0.0.1:%d/metrics", mport)
	hang := time.Now().Add(5 * time.Minute) // a hang guard, not a speed check
	var answers chan answer
	for round := 1; ; round++ {
		answers = make(chan answer, len(targets))
		var answered atomic.Int64
		for _, u := range targets {
			go func() {
				defer answered.Add(1)
				resp, err := http.Get(base + u)
				if err != nil {
					answers <- answer{err: err}
					return
				}
				defer resp.Body.Close()
				b, err := io.ReadAll(resp.Body)
				answers <- answer{status: resp.StatusCode, n: len(b), err: err}
			}()
		}
		seen := false
		for {
			a := int(answered.Load())
			n := inFlight(metrics)
			if n >= 1 && a+n >= len(targets) {
				seen = true
				break
			}
			if a == len(targets) {
				break // all answered before one was seen in flight: another round
			}
			if time.Now().After(hang) {
				t.Fatalf("round %d: the requests never reached the server:\n%s", round, serverLog())
			}
			time.Sleep(2 * time.Millisecond)
		}
		if seen {
			break
		}
		for range targets {
			if a := <-answers; a.err != nil || a.status != 200 {
				t.Fatalf("round %d: status %d, %v", round, a.status, a.err)
			}
		}
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	for range targets {
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
