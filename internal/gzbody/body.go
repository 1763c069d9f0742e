// Package gzbody holds a response body as it is served, compressed once
// with gzip with its strong ETag, and the splicer that assembles a gzip
// member from pieces compressed at different times (a map's commune
// features compressed once each). The splicer is hand-written because no
// library splices DEFLATE streams; BenchmarkSplicer here and the
// dashboard's map benchmarks justify it. A body written once and not kept
// (the response cache off) can stay in its parts (Parts), written to the
// connection without being assembled; the CRC-32 of a spliced member is
// combined from its pieces' (crc.go: hash/crc32 has no combine;
// BenchmarkCRCCombine). ETagMatches and AcceptsGzip read the request
// headers that decide what of a body is sent.
package gzbody

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/cespare/xxhash/v2"
	"github.com/klauspost/compress/gzip"
)

// Body is one response as served: compressed once with gzip, with its
// strong ETag (a hash of the uncompressed body).
type Body struct {
	GZ          []byte
	Size        int // uncompressed length
	ETag        string
	ContentType string
	Disposition string // Content-Disposition of exports, else ""
	Spliced     bool   // assembled from pieces compressed apart (larger): recompress whole
	// Stream is the body as the slices it is made of, for a response
	// written once and not kept (the response cache off; NewStreamSplicer):
	// a gzip member when StreamGzip, else the plain body. GZ is then nil,
	// and the Body must not be cached, nor a plain one shared with a client
	// that takes gzip.
	Stream     *Parts
	StreamGzip bool
	// Kept is the uncompressed body kept beside GZ (the response cache
	// keeps it once a client without gzip has asked, WithPlain): a national
	// map decompresses in ≈ 20 ms, longer than computing it anew.
	Kept []byte
	// pieces: the ETag hashes pieces' sums (Splicer), not the body's bytes.
	pieces bool
}

// WithPlain is c with its uncompressed body kept beside it (Kept); c is
// not changed.
func (c *Body) WithPlain(plain []byte) *Body {
	v := *c
	v.Kept = plain
	return &v
}

// Compress makes the served form of a body.
func Compress(body []byte, contentType, disposition string) (*Body, error) {
	var buf bytes.Buffer
	// klauspost's gzip at level 3: about six times the standard library's
	// default speed for a few percent larger bodies; a national map (5.8 MB
	// of JSON) compresses in ≈ 30 ms instead of ≈ 200 ms.
	zw, err := gzip.NewWriterLevel(&buf, 3)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(body); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return &Body{GZ: buf.Bytes(), Size: len(body), ETag: ETagOf(xxhash.Sum64(body), len(body)), ContentType: contentType, Disposition: disposition}, nil
}

// ETagOf is the strong ETag of a body from its xxhash and length. The ETag
// only tells versions of one URL apart: a 64-bit content hash (xxhash,
// ≈ 10 GB/s) is plenty and keeps hashing off the cold path.
func ETagOf(sum uint64, size int) string {
	return `"` + strconv.FormatUint(sum, 16) + "-" + strconv.Itoa(size) + `"`
}

// Plain returns the uncompressed body, for clients that do not accept gzip.
func (c *Body) Plain() ([]byte, error) {
	if c.Kept != nil {
		return c.Kept, nil
	}
	gz := c.GZ
	if c.Stream != nil {
		if !c.StreamGzip {
			return c.Stream.Bytes(), nil
		}
		gz = c.Stream.Bytes()
	}
	if gz == nil {
		return nil, errors.New("gzbody: a body with neither a gzip member nor a stream")
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, c.Size)
	buf := bytes.NewBuffer(out)
	if _, err := io.Copy(buf, zr); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Verify checks that v is exactly one gzip member (or a plain stream)
// whose content is body (the reader checks the CRC-32 and the length),
// with the size, ETag and content type Compress would give body (of an
// ETag taken over pieces' sums, the length), and that Plain returns body.
// The tests of everything that assembles a Body use it.
func Verify(v *Body, body []byte, contentType string) error {
	gz := v.GZ
	if v.Stream != nil {
		if v.GZ != nil {
			return errors.New("a body with both a gzip member and a stream")
		}
		if v.Stream.Len() != len(v.Stream.Bytes()) {
			return fmt.Errorf("stream of %d bytes says %d", len(v.Stream.Bytes()), v.Stream.Len())
		}
		if got, err := io.ReadAll(v.Stream.Reader()); err != nil || !bytes.Equal(got, v.Stream.Bytes()) {
			return fmt.Errorf("stream read: %v, %d bytes", err, len(got))
		}
		var w bytes.Buffer
		if n, err := v.Stream.Reader().(io.WriterTo).WriteTo(&w); err != nil || n != int64(w.Len()) || !bytes.Equal(w.Bytes(), v.Stream.Bytes()) {
			return fmt.Errorf("stream written: %v, %d bytes, said %d", err, w.Len(), n)
		}
		if !v.StreamGzip {
			return verifyPlain(v, body, contentType)
		}
		gz = v.Stream.Bytes()
	}
	r := bytes.NewReader(gz)
	zr, err := gzip.NewReader(r)
	if err != nil {
		return fmt.Errorf("gzip header: %w", err)
	}
	zr.Multistream(false)
	got, err := io.ReadAll(zr)
	if err != nil {
		return fmt.Errorf("gunzip: %w", err)
	}
	if r.Len() != 0 {
		return fmt.Errorf("%d bytes after the member", r.Len())
	}
	if !bytes.Equal(got, body) {
		return fmt.Errorf("body differs: got %d bytes %.80q, want %d bytes %.80q", len(got), got, len(body), body)
	}
	return verifyPlain(v, body, contentType)
}

// verifyPlain checks v's size, ETag and content type against body, and
// that Plain returns body.
func verifyPlain(v *Body, body []byte, contentType string) error {
	want := ETagOf(xxhash.Sum64(body), len(body))
	if v.pieces { // only its length can be checked here (TestSplicerETag)
		want = v.ETag[:strings.LastIndexByte(v.ETag, '-')+1] + strconv.Itoa(len(body)) + `"`
	}
	if v.Size != len(body) || v.ETag != want || v.ContentType != contentType {
		return fmt.Errorf("size %d etag %s type %q, want %d %s %q", v.Size, v.ETag, v.ContentType, len(body), want, contentType)
	}
	plain, err := v.Plain()
	if err != nil || !bytes.Equal(plain, body) {
		return fmt.Errorf("Plain(): %v, %d bytes, want %d", err, len(plain), len(body))
	}
	return nil
}
