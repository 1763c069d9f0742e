package gzbody

import (
	"bytes"
	"encoding/binary"
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

// Piece is bytes compressed once (DeflatePiece), to be spliced into any
// number of members, with their CRC-32 contribution (crcPart), so that a
// member's trailer is taken without reading them again.
type Piece struct {
	Z   []byte // the compressed bytes
	crc crcPart
	sum uint64 // xxhash of the uncompressed bytes (Splicer's ETag)
}

// Len is the length of the piece's uncompressed bytes.
func (p Piece) Len() int { return p.crc.n }

// DeflatePiece compresses the concatenation of parts into a piece that can
// be spliced into any DEFLATE stream: non-final blocks that refer to
// nothing before them, ending byte-aligned.
func DeflatePiece(parts ...[]byte) (Piece, error) {
	buf := pieceBuffers.Get().(*bytes.Buffer)
	defer pieceBuffers.Put(buf)
	buf.Reset()
	w := pieceWriters.Get().(*flate.Writer)
	defer pieceWriters.Put(w)
	w.Reset(buf) // a fresh stream: no history from the writer's last piece
	for _, p := range parts {
		if _, err := w.Write(p); err != nil {
			return Piece{}, fmt.Errorf("compress piece: %w", err)
		}
	}
	if err := w.Flush(); err != nil { // sync flush: byte-aligned, not final
		return Piece{}, fmt.Errorf("compress piece: %w", err)
	}
	h := xxhash.New()
	for _, p := range parts {
		_, _ = h.Write(p) // never fails
	}
	return Piece{Z: bytes.Clone(buf.Bytes()), crc: newCRCPart(parts...), sum: h.Sum64()}, nil
}

// gzipHeader is a gzip member header: deflate, no flags, no time, unknown
// OS (the header klauspost's and Go's writers write).
var gzipHeader = []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255}

// Splicer assembles a gzip member from plain bytes, appended to text and
// written as stored blocks, and pieces from DeflatePiece. It hashes the
// uncompressed body as it goes, never reading a piece's bytes: the CRC-32
// of the gzip trailer from each piece's contribution, and for the ETag an
// xxhash of the text and each piece's own xxhash (pieceSum: so the ETag
// of a spliced body is not Compress's of the same bytes, but every form a
// splicer makes of it has the same one). A national map's pieces are
// 5.8 MB: one pass over them cost ≈ 1–2.5 ms of a 7 ms response.
//
// A streaming splicer (NewStreamSplicer) does not assemble the body: it
// keeps the bytes it writes itself and references the pieces (or, for a
// plain body, the large plain parts) as they are, and Finish returns them
// as Parts, to be written once and dropped (the response cache off).
type Splicer struct {
	Whole bool   // pieces go in as plain bytes; Finish compresses the whole body
	out   []byte // the member so far (streaming: the bytes written here)
	Text  []byte // plain bytes not yet written: callers append to it
	Plain []byte // non-nil: the uncompressed body is kept here as it goes (Body)
	crc   uint32
	size  int
	hash  *xxhash.Digest

	pieces bool    // a piece's sum is in hash (Body.pieces)
	sum8   [8]byte // pieceSum's buffer

	stream bool     // Finish returns Parts
	member bool     // streaming: a gzip member, else the plain body
	runs   [][]byte // streaming: the body's parts so far, in order
	mark   int      // streaming: out[mark:] is not yet in runs
}

// NewSplicer starts a member; capHint is the expected size.
func NewSplicer(capHint int) *Splicer {
	s := &Splicer{out: make([]byte, 0, capHint+64), Text: make([]byte, 0, 4096), hash: xxhash.New()}
	s.out = append(s.out, gzipHeader...)
	return s
}

// NewStreamSplicer starts a streamed body: a gzip member when member, else
// the plain body; ownHint is the expected size of the bytes it writes
// itself (text and block headers: not the pieces), and pieces the expected
// number of pieces. The bytes it writes may outgrow ownHint: a part of the
// body already cut stays in the buffer it was written to.
func NewStreamSplicer(member bool, ownHint, pieces int) *Splicer {
	s := &Splicer{out: make([]byte, 0, ownHint+64), Text: make([]byte, 0, 4096), hash: xxhash.New(), stream: true, member: member,
		runs: make([][]byte, 0, 2*pieces+2)}
	if member {
		s.out = append(s.out, gzipHeader...)
	}
	return s
}

// RefMin is the shortest plain part a streamed plain body references
// instead of copying (a feature's geometry; not its short opening): a
// part that long must not change until the body is written.
const RefMin = 256

// Piece writes the pending text, then a piece from DeflatePiece whose
// uncompressed bytes are the concatenation of plain. A streamed plain body
// takes a zero Piece too (a map not spliced): its plain bytes are then
// hashed as they are, as Compress hashes them.
func (s *Splicer) Piece(z Piece, plain ...[]byte) {
	switch {
	case s.Whole:
		for _, p := range plain {
			s.Text = append(s.Text, p...)
		}
	case s.stream && !s.member:
		s.copyText()
		if z.Z != nil { // a piece (the map spliced): its sum, as a member has it
			s.pieceSum(z)
		}
		for _, p := range plain {
			if z.Z == nil {
				s.sum(p)
			}
			if len(p) < RefMin {
				s.out = append(s.out, p...)
				continue
			}
			s.cut()
			s.runs = append(s.runs, p)
		}
	default:
		s.flushText(false)
		if s.stream {
			s.cut()
			s.runs = append(s.runs, z.Z)
		} else {
			s.out = append(s.out, z.Z...)
		}
		for _, p := range plain {
			if s.Plain != nil {
				s.Plain = append(s.Plain, p...)
			}
		}
		s.pieceSum(z)
		s.crc = crcAppend(s.crc, z.crc)
	}
}

// pieceSum counts a piece's plain bytes and hashes its xxhash for the
// ETag, in place of its bytes.
func (s *Splicer) pieceSum(z Piece) {
	s.size += z.crc.n
	s.pieces = true
	_, _ = s.hash.Write(binary.LittleEndian.AppendUint64(s.sum8[:0], z.sum))
}

// cut ends the run of bytes written here since the last part. The run is
// out's array as it is now: if out grows later, appends go to a new array
// and the run's bytes stay where they are.
func (s *Splicer) cut() {
	if n := len(s.out); n > s.mark {
		s.runs = append(s.runs, s.out[s.mark:n:n])
	}
	s.mark = len(s.out)
}

// Body is the uncompressed body, after Finish: the text of a whole member,
// else what was kept in plain (nil unless the caller set plain).
func (s *Splicer) Body() []byte {
	if s.Whole {
		return s.Text
	}
	return s.Plain
}

// copyText writes the pending text of a streamed plain body as it is.
func (s *Splicer) copyText() {
	s.sum(s.Text)
	s.out = append(s.out, s.Text...)
	s.Text = s.Text[:0]
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

// sum takes plain bytes into the CRC-32 too (a member's, not a plain
// stream's) and hashPlain.
func (s *Splicer) sum(p []byte) {
	if !s.stream || s.member {
		s.crc = crc32.Update(s.crc, crc32.IEEETable, p)
	}
	s.hashPlain(p)
}

// hashPlain counts plain bytes, hashes them for the ETag and keeps them
// in Plain when asked.
func (s *Splicer) hashPlain(p []byte) {
	if s.Plain != nil {
		s.Plain = append(s.Plain, p...)
	}
	s.size += len(p)
	_, _ = s.hash.Write(p) // never fails
}

// Finish ends the member and returns it as a Body. A spliced
// one is marked for recompressing whole (dashboard/cache does it in the
// background, then serves the smaller form under the same ETag). A
// streamed one is in Body.Stream.
func (s *Splicer) Finish(contentType string) (*Body, error) {
	switch {
	case s.Whole:
		return Compress(s.Text, contentType, "")
	case s.stream && !s.member:
		s.copyText()
		return s.streamed(contentType), nil
	}
	s.flushText(true)
	s.out = binary.LittleEndian.AppendUint32(s.out, s.crc)
	s.out = binary.LittleEndian.AppendUint32(s.out, uint32(s.size)) // ISIZE: the length modulo 2^32
	if s.stream {
		return s.streamed(contentType), nil
	}
	return &Body{GZ: s.out, Size: s.size, ETag: ETagOf(s.hash.Sum64(), s.size), ContentType: contentType, Spliced: true, pieces: s.pieces}, nil
}

// streamed is the Body of a streaming splicer.
func (s *Splicer) streamed(contentType string) *Body {
	s.cut()
	p := &Parts{segs: s.runs}
	for _, r := range s.runs {
		p.size += len(r)
	}
	return &Body{Stream: p, StreamGzip: s.member, Size: s.size, ETag: ETagOf(s.hash.Sum64(), s.size), ContentType: contentType, pieces: s.pieces}
}
