package gzbody

import "hash/crc32"

// The CRC-32 of a concatenation from the CRC-32s of its parts. A gzip
// member's trailer holds the CRC-32 of the whole uncompressed body; the
// pieces spliced into it never change, so each piece keeps its own
// contribution and a response combines them (one multiplication modulo
// the polynomial per piece) instead of reading the piece's bytes again.
// Hand-written because hash/crc32 has no combine (zlib's crc32_combine):
// taking the CRC of a national map's 5.8 MB of openings cost ≈ 1.8 ms of
// its 6 ms on every request (CPU profile of `antq serve --cache-mb 0`);
// BenchmarkCRCCombine here measures both ways.
//
// The arithmetic: the CRC register after bytes p, started from r, is
// r·x^(8·len(p)) ⊕ c(p) modulo P, where c(p) is the register after p
// started from zero. Values are in the reflected form hash/crc32's IEEE
// table uses: bit 31 is the coefficient of x⁰, bit 0 that of x³¹.

// crcPoly is the IEEE polynomial P without its x³² term, reflected.
const crcPoly = crc32.IEEE

// mulMod is a·b modulo P, both reflected.
func mulMod(a, b uint32) uint32 {
	var p uint32
	for m := uint32(1) << 31; m != 0 && a != 0; m >>= 1 {
		if a&m != 0 {
			p ^= b
			a ^= m
		}
		// b·x: one place towards x³¹; x³² reduces to the polynomial.
		if b&1 != 0 {
			b = b>>1 ^ crcPoly
		} else {
			b >>= 1
		}
	}
	return p
}

// x2n[k] is x^(2^k) modulo P, reflected.
var x2n = func() (t [64]uint32) {
	t[0] = 1 << 30 // x¹
	for k := 1; k < len(t); k++ {
		t[k] = mulMod(t[k-1], t[k-1])
	}
	return t
}()

// xPow8 is x^(8n) modulo P, reflected: what a register is multiplied by
// as n bytes pass through it.
func xPow8(n int) uint32 {
	p := uint32(1) << 31 // x⁰
	for k, e := 3, uint64(n); e != 0; k, e = k+1, e>>1 {
		if e&1 != 0 {
			p = mulMod(p, x2n[k])
		}
	}
	return p
}

// crcPart is what a part contributes to a CRC-32: its length, the
// register after it started from zero, and x^(8·length).
type crcPart struct {
	n    int
	zero uint32
	xpow uint32
}

// newCRCPart reads the bytes of a part (the concatenation of parts).
func newCRCPart(parts ...[]byte) crcPart {
	c, n := ^uint32(0), 0
	for _, p := range parts {
		c = crc32.Update(c, crc32.IEEETable, p)
		n += len(p)
	}
	// crc32.Update inverts the register before and after: from the
	// inverted 0xffffffff it starts at zero, and ^c undoes the final xor.
	return crcPart{n: n, zero: ^c, xpow: xPow8(n)}
}

// crcAppend is crc32.Update(crc, crc32.IEEETable, the part's bytes)
// without the bytes.
func crcAppend(crc uint32, p crcPart) uint32 {
	return ^(mulMod(^crc, p.xpow) ^ p.zero)
}
