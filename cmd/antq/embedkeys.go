package main

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// embedKeys reads the embed-link signing keys: one hex key a line, the
// newest first (it signs; all verify), # comments allowed. With no file
// named, <data>/embed.keys is used and made with one random key on first
// start, so links survive restarts. To rotate: put a new key on top,
// restart, drop the old line once its links have expired.
func embedKeys(c *config) ([][]byte, string, error) {
	path := c.EmbedKeys
	if path == "" {
		path = filepath.Join(c.Data, "embed.keys")
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			k := make([]byte, 32)
			if _, err := rand.Read(k); err != nil {
				return nil, "", err
			}
			body := "# embed-link signing keys, newest first (hex); see README \"Embed keys\"\n" + hex.EncodeToString(k) + "\n"
			if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
				return nil, "", fmt.Errorf("create %s: %w", path, err)
			}
		}
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, "", fmt.Errorf("embed keys: %w", err)
	}
	defer f.Close()
	var keys [][]byte
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, err := hex.DecodeString(line)
		if err != nil || len(k) < 16 {
			return nil, "", fmt.Errorf("embed keys %s line %d: want a hex key of at least 16 bytes", path, n)
		}
		keys = append(keys, k)
	}
	if err := sc.Err(); err != nil {
		return nil, "", err
	}
	if len(keys) == 0 {
		return nil, "", fmt.Errorf("embed keys %s: no key", path)
	}
	return keys, path, nil
}
