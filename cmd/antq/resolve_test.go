package main

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
)

// TestResolveCommandMessages: antq resolve sums up in Vietnamese first and
// exits 2 when a row does not resolve; a missing file is named.
func TestResolveCommandMessages(t *testing.T) {
	dir := t.TempDir()
	in := dir + "/places.csv"
	if err := os.WriteFile(in, []byte("Xã/Phường;Huyện;Tỉnh\nXã Trung Minh;Huyện Yên Sơn;Tỉnh Tuyên Quang\nXã Không Hề Có;;Tỉnh Tuyên Quang\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	err := runResolve([]string{in}, &out, &errb)
	var ee *exitError
	if !errors.As(err, &ee) || ee.code != 2 {
		t.Fatalf("err = %v, want exit 2 (one row does not resolve)", err)
	}
	if want := "antq resolve: 2 dòng, 1 xác định được xã 2025 (0 từ xã cũ bị chia), 1 lỗi / 2 rows, 1 resolved (0 split), 1 errors\n"; errb.String() != want {
		t.Errorf("stderr %q, want %q", errb.String(), want)
	}
	if !strings.Contains(out.String(), "02455") {
		t.Errorf("stdout lacks the resolved code 02455:\n%s", out.String())
	}
	err = runResolve([]string{dir + "/missing.csv"}, &out, &errb)
	if err == nil || !strings.HasPrefix(err.Error(), "không mở được tệp "+dir+"/missing.csv / cannot open") {
		t.Errorf("missing file: %v", err)
	}
}
