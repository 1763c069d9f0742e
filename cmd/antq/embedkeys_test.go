package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestEmbedKeys(t *testing.T) {
	dir := t.TempDir()
	c := &config{Data: dir}
	k1, path, err := embedKeys(c)
	if err != nil || len(k1) != 1 || len(k1[0]) != 32 {
		t.Fatalf("first start: %v %v", k1, err)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("%s mode %v, want 0600", path, st.Mode().Perm())
	}
	k2, _, err := embedKeys(c)
	if err != nil || string(k2[0]) != string(k1[0]) {
		t.Fatal("the key changed on restart: links would die")
	}
	// Rotation: a new key on top signs, the old one still verifies.
	rot := filepath.Join(dir, "rot.keys")
	os.WriteFile(rot, []byte("# newest first\n"+strings.Repeat("ab", 32)+"\n"+strings.Repeat("cd", 16)+"\n"), 0o600)
	keys, _, err := embedKeys(&config{Data: dir, EmbedKeys: rot})
	if err != nil || len(keys) != 2 || keys[0][0] != 0xab {
		t.Fatalf("rotation file: %v %v", keys, err)
	}
	for _, bad := range []string{"", "zz\n", "abcd\n"} {
		os.WriteFile(rot, []byte(bad), 0o600)
		if _, _, err := embedKeys(&config{Data: dir, EmbedKeys: rot}); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
