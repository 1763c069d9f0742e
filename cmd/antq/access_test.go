package main

import (
	"bytes"
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
