package gzbody

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"sync"

	"github.com/cespare/xxhash/v2"
	"github.com/klauspost/compress/flate"
)

// A gzip member (RFC 1952) holds one DEFLATE stream (RFC 1951), and a
// DEFLATE stream is a run of blocks: only the last has BFINAL set, and a
// block may refer back to any of the 32 KiB of output before it. So a
// response can be assembled from pieces compressed at different times, as
// long as each piece ends on a byte boundary (a sync flush: an empty stored
// block), is not final, and refers to nothing before itself. The map's
// feature openings (geometry included: 95% of a national map) are
// compressed once that way; a response writes its dynamic bytes (about 100
// per feature) in stored blocks around them and adds the CRC-32 and length
// of the whole. Compressing those bytes is not worth it: without the
// history before them, 100 bytes deflate to about 100 bytes (klauspost's
// stateless or reset writers: 10–15 ms for a national map, for nothing).
//
// The cost is size: a piece cannot refer to its neighbours (communes side
// by side share their border's vertices), so a national map is about 60%
// larger than compressed whole (2.3 MB instead of 1.45 MB) and a province
// map about 30%, for a response built in about 3 ms instead of 50. The
// response cache then recompresses a spliced response whole in the
// background and serves that form (same body, same ETag) from then on.

// pieceLevel is the DEFLATE level of the pieces compressed once. Level 9
// makes a national map 2% smaller than level 6 and a province at full
// resolution 8%, but its first request costs 330 ms instead of 210 (1.2 s
// instead of 0.45 at full resolution); the cache recompresses a spliced
// response whole anyway, so the faster level wins.
const pieceLevel = 6

// maxStored is the most a stored block holds (its length is 16 bits).
const maxStored = 1<<16 - 1

var pieceWriters = sync.Pool{New: func() any {
	w, err := flate.NewWriter(nil, pieceLevel)
	if err != nil {
		panic(err) // pieceLevel is a valid level
	}
	return w
}}

var pieceBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// DeflatePiece compresses the concatenation of parts into a piece that can
// be spliced into any DEFLATE stream: non-final blocks that refer to
// nothing before them, ending byte-aligned.
func DeflatePiece(parts ...[]byte) ([]byte, error) {
	buf := pieceBuffers.Get().(*bytes.Buffer)
	defer pieceBuffers.Put(buf)
	buf.Reset()
	w := pieceWriters.Get().(*flate.Writer)
	defer pieceWriters.Put(w)
	w.Reset(buf) // a fresh stream: no history from the writer's last piece
	for _, p := range parts {
		if _, err := w.Write(p); err != nil {
			return nil, fmt.Errorf("compress piece: %w", err)
		}
	}
	if err := w.Flush(); err != nil { // sync flush: byte-aligned, not final
		return nil, fmt.Errorf("compress piece: %w", err)
	}
	return bytes.Clone(buf.Bytes()), nil
}

// gzipHeader is a gzip member header: deflate, no flags, no time, unknown
// OS (the header klauspost's and Go's writers write).
var gzipHeader = []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255}

// Splicer assembles a gzip member from plain bytes, appended to text and
// written as stored blocks, and pieces from DeflatePiece. It hashes the
// uncompressed body as it goes: CRC-32 for the gzip trailer, xxhash for
// the ETag (the same as Compress makes of the whole body).
type Splicer struct {
	Whole bool // pieces go in as plain bytes; Finish compresses the whole body
	// NoMember makes only the plain body (set Plain too), for a client
	// without gzip when the response is not cached: the pieces' compressed
	// forms are skipped and Finish returns a Body with GZ nil and the body
	// in Identity (its size and ETag as with a member).
	NoMember bool
	out      []byte // the member so far
	Text     []byte // plain bytes not yet written: callers append to it
	Plain    []byte // non-nil: the uncompressed body is kept here as it goes (Body)
	crc      uint32
	size     int
	hash     *xxhash.Digest
}

// NewSplicer starts a member; capHint is the expected size.
func NewSplicer(capHint int) *Splicer {
	s := &Splicer{out: make([]byte, 0, capHint+64), Text: make([]byte, 0, 4096), hash: xxhash.New()}
	s.out = append(s.out, gzipHeader...)
	return s
}

// Piece writes the pending text, then a piece from DeflatePiece whose
// uncompressed bytes are the concatenation of plain.
func (s *Splicer) Piece(z []byte, plain ...[]byte) {
	if s.NoMember {
		s.sum(s.Text)
		s.Text = s.Text[:0]
		for _, p := range plain {
			s.sum(p)
		}
		return
	}
	if s.Whole {
		for _, p := range plain {
			s.Text = append(s.Text, p...)
		}
		return
	}
	s.flushText(false)
	s.out = append(s.out, z...)
	for _, p := range plain {
		s.sum(p)
	}
}

// Body is the uncompressed body, after Finish: the text of a whole member,
// else what was kept in plain (nil unless the caller set plain).
func (s *Splicer) Body() []byte {
	if s.Whole {
		return s.Text
	}
	return s.Plain
}

// flushText writes the pending text as stored blocks, the last one final
// if final (an empty final block when there is no text).
func (s *Splicer) flushText(final bool) {
	t := s.Text
	s.sum(t)
	for len(t) > 0 || final {
		n := min(len(t), maxStored)
		var bfinal byte // BFINAL, then BTYPE 00 (stored), padded to the byte
		if final && n == len(t) {
			bfinal = 1
		}
		s.out = append(s.out, bfinal, byte(n), byte(n>>8), ^byte(n), ^byte(n>>8))
		s.out = append(s.out, t[:n]...)
		t = t[n:]
		if bfinal == 1 {
			break
		}
	}
	s.Text = s.Text[:0]
}

func (s *Splicer) sum(p []byte) {
	if s.Plain != nil {
		s.Plain = append(s.Plain, p...)
	}
	if !s.NoMember {
		s.crc = crc32.Update(s.crc, crc32.IEEETable, p)
	}
	s.size += len(p)
	_, _ = s.hash.Write(p) // never fails
}

// Finish ends the member and returns it as a Body. A spliced
// one is marked for recompressing whole (dashboard/cache does it in the
// background, then serves the smaller form under the same ETag).
func (s *Splicer) Finish(contentType string) (*Body, error) {
	if s.NoMember {
		s.sum(s.Text)
		s.Text = s.Text[:0]
		if s.Plain == nil {
			return nil, errors.New("gzbody: NoMember without Plain")
		}
		return &Body{Size: s.size, ETag: ETagOf(s.hash.Sum64(), s.size), ContentType: contentType, Identity: s.Plain}, nil
	}
	if s.Whole {
		return Compress(s.Text, contentType, "")
	}
	s.flushText(true)
	s.out = binary.LittleEndian.AppendUint32(s.out, s.crc)
	s.out = binary.LittleEndian.AppendUint32(s.out, uint32(s.size)) // ISIZE: the length modulo 2^32
	return &Body{GZ: s.out, Size: s.size, ETag: ETagOf(s.hash.Sum64(), s.size), ContentType: contentType, Spliced: true}, nil
}
