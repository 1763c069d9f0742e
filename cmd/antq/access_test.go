package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestUserCommandMessages checks the words `antq user` prints (they once
// read "disabld", "enabld", "removd").
func TestUserCommandMessages(t *testing.T) {
	data := t.TempDir()
	run := func(args ...string) string {
		t.Helper()
		var out, errb bytes.Buffer
		if err := runUser(append(args, "--data", data), &out, &errb); err != nil {
			t.Fatalf("antq user %s: %v\n%s", strings.Join(args, " "), err, errb.String())
		}
		return out.String()
	}
	run("add", "lan", "--role", "viewer", "--province", "08")
	for _, tc := range []struct{ sub, want string }{
		{"disable", "lan disabled\n"},
		{"enable", "lan enabled\n"},
		{"remove", "lan removed\n"},
	} {
		t.Run(tc.sub, func(t *testing.T) {
			if got := run(tc.sub, "lan"); got != tc.want {
				t.Errorf("antq user %s lan printed %q, want %q", tc.sub, got, tc.want)
			}
		})
	}
}
