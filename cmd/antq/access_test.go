package main

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
)

// TestUserCommandMessages checks the words `antq user` prints, Vietnamese
// first (they once read "disabld", "enabld", "removd", and only English).
func TestUserCommandMessages(t *testing.T) {
	data := t.TempDir()
	run := func(args ...string) (string, error) {
		t.Helper()
		var out, errb bytes.Buffer
		err := runUser(append(args, "--data", data), &out, &errb)
		return out.String(), err
	}
	tests := []struct {
		args []string
		want string // a prefix of what is printed, or a part of the error
		err  bool
	}{
		{[]string{"add", "lan", "--role", "editor", "--province", "08"}, "đã thêm lan (editor, tỉnh 08) / added lan (editor, provinces 08)\nmật khẩu (chỉ hiện một lần) / password (shown once): ", false},
		{[]string{"add", "lan", "--role", "viewer"}, "người dùng \"lan\" đã có / user \"lan\" exists", true},
		{[]string{"add", "minh", "--role", "boss"}, "không có quyền \"boss\": viewer, analyst, editor hoặc admin / unknown role", true},
		{[]string{"grant", "lan", "25"}, "đã cấp lan: 25 / grant lan: 25\n", false},
		{[]string{"revoke", "lan", "25"}, "đã thu hồi lan: 25 / revoke lan: 25\n", false},
		{[]string{"role", "lan", "analyst"}, "lan giờ có quyền analyst / lan is now analyst\n", false},
		{[]string{"token", "lan"}, "mã truy cập ", false},
		{[]string{"token-revoke", "lan", "nope"}, "người dùng \"lan\" không có mã truy cập \"nope\" / user \"lan\" has no token \"nope\"", true},
		{[]string{"disable", "lan"}, "đã khoá lan / lan disabled\n", false},
		{[]string{"enable", "lan"}, "đã mở khoá lan / lan enabled\n", false},
		{[]string{"remove", "lan"}, "đã xoá lan / lan removed\n", false},
		{[]string{"remove", "lan"}, "không có người dùng \"lan\" / no user \"lan\"", true},
		{[]string{"frobnicate", "lan"}, "không có lệnh user frobnicate / unknown user command frobnicate", true},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			out, err := run(tc.args...)
			got := out
			if tc.err {
				if err == nil {
					t.Fatalf("no error; printed %q", out)
				}
				got = err.Error()
			} else if err != nil {
				t.Fatal(err)
			}
			if tc.err && !strings.Contains(got, tc.want) || !tc.err && !strings.HasPrefix(got, tc.want) {
				t.Errorf("antq user %s: %q, want it to start with %q", strings.Join(tc.args, " "), got, tc.want)
			}
		})
	}
}

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
