package libchdb

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLoadErrors: a missing, truncated or corrupt library gives an error
// naming the file and the problem, never a crash.
func TestLoadErrors(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small.so")
	os.WriteFile(small, []byte("not a library"), 0o644)
	corrupt := filepath.Join(dir, "corrupt.so")
	os.WriteFile(corrupt, make([]byte, 2<<20), 0o644)
	tests := []struct {
		name, path, want string
	}{
		{"missing", filepath.Join(dir, "nope", "libchdb.so"), "not found at"},
		{"directory", dir, "is a directory"},
		{"truncated", small, "truncated or corrupt"},
		{"corrupt", corrupt, "cannot be loaded"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := load(tt.path)
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), tt.path) {
				t.Fatalf("error %q does not name the file and %q", err, tt.want)
			}
		})
	}
}
