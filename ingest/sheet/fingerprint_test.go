package sheet

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestFingerprintAcrossReads puts a multi-byte rune, an invalid byte or a
// cut rune at each offset around the 1 MiB read boundary: the encoding and
// the hash are those of the whole content.
func TestFingerprintAcrossReads(t *testing.T) {
	const block = 1 << 20
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		tail []byte // written so that it starts at block-off
		want Encoding
	}{
		{"ợ (3 bytes)", []byte("ợ, xã"), EncodingUTF8},
		{"ã (2 bytes)", []byte("ã\n"), EncodingUTF8},
		{"invalid byte", []byte("\xe1x\n"), EncodingWindows1258},
		{"cut rune at the end", []byte("a\xe1\xbb"), EncodingWindows1258},
	} {
		for off := range 5 {
			data := append(bytes.Repeat([]byte("a"), block-off), tc.tail...)
			data = append(data, bytes.Repeat([]byte("b"), 2*block-len(data)+off)...)
			if tc.name == "cut rune at the end" {
				data = append(bytes.Repeat([]byte("a"), block-off), tc.tail...)
			}
			path := filepath.Join(dir, "f.csv")
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			sha, enc, err := Fingerprint(path, true)
			sum := sha256.Sum256(data)
			if err != nil || enc != tc.want || sha != hex.EncodeToString(sum[:]) {
				t.Errorf("%s at %d: %q %v %v, want %q", tc.name, off, enc, err, sha == hex.EncodeToString(sum[:]), tc.want)
			}
			// Without detection the hash is the same and the encoding UTF-8.
			if sha, enc, err := Fingerprint(path, false); err != nil || enc != EncodingUTF8 || sha != hex.EncodeToString(sum[:]) {
				t.Errorf("%s at %d, no detection: %q %v %v", tc.name, off, enc, err, sha == hex.EncodeToString(sum[:]))
			}
		}
	}
}

// BenchmarkFingerprint: hash and UTF-8 check of a 64 MB CSV of Vietnamese
// text (the file is in the page cache after the first round), with and
// without the check.
func BenchmarkFingerprint(b *testing.B) {
	row := []byte("VV-01-2022-000001,D-01-00001,tệ nạn xã hội,16/10/2022,16/10/2022,hòa giải thành,không,,Phường Thổ Quan,Quận Đống Đa,Thành phố Hà Nội\n")
	path := filepath.Join(b.TempDir(), "f.csv")
	data := bytes.Repeat(row, 64<<20/len(row))
	if err := os.WriteFile(path, data, 0o644); err != nil {
		b.Fatal(err)
	}
	for _, detect := range []bool{true, false} {
		b.Run(fmt.Sprintf("detect=%v", detect), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, _, err := Fingerprint(path, detect); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
