package main

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestBatchUndoThroughServer: with `antq serve` owning the data directory,
// `antq ingest` hands a report to it, `antq batches` lists the batch and
// `antq batches undo` undoes it; the API's figures — served from the
// response cache in between — return to their values before the load.
func TestBatchUndoThroughServer(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	dir := t.TempDir()
	bin := buildAntq(t)
	data := filepath.Join(dir, "data")
	env := childEnv(t)
	port := freePort(t)
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	// The reports sit in dir: the server may open files there only (--ingest-dirs).
	cmd := exec.Command(bin, "serve", "--public", "--rate-limit", "0", "--data", data, "--addr", addr, "--ingest-dirs", dir)
	cmd.Env = env
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
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
	base := "http://" + addr
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
	get := func(path string) string {
		t.Helper()
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %d %s", path, resp.StatusCode, b)
		}
		return string(b)
	}
	antq := func(args ...string) (string, error) {
		t.Helper()
		c := exec.Command(bin, append(args[:1:1], append([]string{"--data", data}, args[1:]...)...)...)
		c.Env = env
		out, err := c.CombinedOutput()
		return string(out), err
	}
	paths := []string{"/api/v1/summary?province=25&metric=sites&period=2024", "/api/v1/map.geojson?province=25&metric=sites&period=2024&simplify=low"}
	var before []string
	for _, p := range paths {
		before = append(before, get(p)) // now cached
	}
	report := filepath.Join(dir, "dh.xlsx")
	b, err := os.ReadFile(filepath.Join("..", "..", "ingest", "testdata", "reports", "diem_mo_hinh_huyen_doan_hung.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(report, b, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := antq("ingest", report)
	if err != nil || !strings.Contains(out, "handing") || !strings.Contains(out, "nạp 28") {
		t.Fatalf("ingest handed to the server: %v\n%s", err, out)
	}
	id := regexp.MustCompile(`lô nạp (\S+)`).FindStringSubmatch(out)
	if id == nil {
		t.Fatalf("no batch id in:\n%s", out)
	}
	if get(paths[0]) == before[0] {
		t.Fatal("the load changed no figure")
	}
	out, err = antq("batches")
	if err != nil || !strings.Contains(out, id[1]) || !strings.Contains(out, "Đã nạp") {
		t.Fatalf("batches: %v\n%s", err, out)
	}
	out, err = antq("batches", "undo", id[1])
	if err != nil || !strings.Contains(out, "xóa 28 bản ghi") {
		t.Fatalf("undo: %v\n%s", err, out)
	}
	for i, p := range paths {
		if got := get(p); got != before[i] {
			t.Errorf("GET %s after the undo differs from before the load:\n%.300s\nwant\n%.300s", p, got, before[i])
		}
	}
	out, err = antq("batches")
	if err != nil || !strings.Contains(out, "Đã hoàn tác") {
		t.Errorf("batches after the undo: %v\n%s", err, out)
	}
}
