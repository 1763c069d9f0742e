package gzbody

import (
	"hash/crc32"
	"math/rand/v2"
	"testing"
)

// TestCRCAppend: the CRC-32 of random bytes cut into random parts, taken
// part by part from each part's contribution, equals hash/crc32's of the
// whole, for parts of every length from empty to several MB.
func TestCRCAppend(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	data := make([]byte, 3<<20)
	for i := range data {
		data[i] = byte(rng.Uint32())
	}
	for i := range 300 {
		n := rng.IntN(len(data))
		if i%3 == 0 {
			n = rng.IntN(300)
		}
		want := crc32.ChecksumIEEE(data[:n])
		var crc uint32
		for lo := 0; lo < n; {
			hi := min(n, lo+rng.IntN(max(1, n/(1+rng.IntN(8))))+rng.IntN(2))
			if rng.IntN(2) == 0 {
				crc = crcAppend(crc, newCRCPart(data[lo:hi]))
			} else {
				crc = crc32.Update(crc, crc32.IEEETable, data[lo:hi])
			}
			lo = hi
		}
		if crc != want {
			t.Fatalf("case %d, %d bytes: combined %08x, want %08x", i, n, crc, want)
		}
	}
	// An empty part changes nothing; a part given in several slices is the
	// same as one.
	if got := crcAppend(0x12345678, newCRCPart()); got != 0x12345678 {
		t.Errorf("empty part: %08x", got)
	}
	if a, b := newCRCPart(data[:10], data[10:1000]), newCRCPart(data[:1000]); a != b {
		t.Errorf("parts %+v, whole %+v", a, b)
	}
}

// BenchmarkCRCCombine: a national map's CRC-32 over its 3,321 openings of
// 1.7 KB, read byte by byte (hash/crc32) and combined from the openings'
// contributions, side by side.
func BenchmarkCRCCombine(b *testing.B) {
	rng := rand.New(rand.NewPCG(7, 8))
	parts := make([][]byte, 3321)
	cps := make([]crcPart, len(parts))
	for i := range parts {
		parts[i] = make([]byte, 1700)
		for j := range parts[i] {
			parts[i][j] = byte(rng.Uint32())
		}
		cps[i] = newCRCPart(parts[i])
	}
	b.Run("read", func(b *testing.B) {
		for b.Loop() {
			var crc uint32
			for _, p := range parts {
				crc = crc32.Update(crc, crc32.IEEETable, p)
			}
		}
	})
	b.Run("combined", func(b *testing.B) {
		for b.Loop() {
			var crc uint32
			for _, p := range cps {
				crc = crcAppend(crc, p)
			}
		}
	})
}
