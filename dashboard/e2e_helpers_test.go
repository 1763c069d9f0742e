package dashboard_test

import (
	"os"
	"os/exec"
	"testing"
)

// requireTool returns the path of the first of names on PATH. Without one
// the test fails under `make test` (ANTQ_REQUIRE_E2E=1: CI must not pass
// because a tool was missing) and skips elsewhere, saying what to install.
func requireTool(tb testing.TB, install string, names ...string) string {
	tb.Helper()
	for _, name := range names {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("ANTQ_REQUIRE_E2E") == "1" {
		tb.Fatalf("%s not found on PATH (ANTQ_REQUIRE_E2E=1): apt-get install %s", names[0], install)
	}
	tb.Skipf("%s not installed: apt-get install %s (under make test this fails)", names[0], install)
	return ""
}
