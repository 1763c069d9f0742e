package gzbody

import (
	"bufio"
	"io"
	"net"
	"slices"
	"sync"
)

// Parts is a body held as the slices it is made of, in order: a map's
// feature openings stay where the geometry cache keeps them, and the body
// is written to the connection from them once, never assembled into one
// buffer (for a national map that is 5.8 MB allocated, cleared and copied
// less per request). Parts is never changed after Finish, so one may be
// read by several responses at once, each through its own Reader.
type Parts struct {
	segs [][]byte
	size int
}

// Len is the body's length.
func (p *Parts) Len() int { return p.size }

// Bytes is the body assembled (tests, and a cached copy).
func (p *Parts) Bytes() []byte {
	out := make([]byte, 0, p.size)
	for _, s := range p.segs {
		out = append(out, s...)
	}
	return out
}

// Reader reads the body from the start. Its WriteTo, which io.Copy and
// fasthttp's body stream use, gathers the small parts into writes of
// about writeChunk bytes, so that a buffered connection passes each
// straight to the socket: a few dozen system calls for a national map
// instead of one per 4 KiB.
func (p *Parts) Reader() io.Reader { return &partsReader{segs: p.segs} }

// ConnReader is Reader for a response written on conn through a
// *bufio.Writer (fasthttp's response writer): when conn is a TCP
// connection, WriteTo flushes that writer, then hands the parts to the
// kernel in place (writev, net.Buffers) instead of copying them through a
// buffer: for a national map that is 5.8 MB not read and written once
// more in user space (≈ 1.3 ms of 7 on a busy machine, CPU profile of
// `antq serve --cache-mb 0`). Any other conn or writer (TLS, tests)
// takes Reader's way.
func (p *Parts) ConnReader(conn net.Conn) io.Reader {
	r := &partsReader{segs: p.segs}
	if tc, ok := conn.(*net.TCPConn); ok {
		r.conn = tc
	}
	return r
}

type partsReader struct {
	segs [][]byte // what is left; segs[0][off:] first
	off  int
	conn *net.TCPConn // WriteTo's writer writes to it (ConnReader)
}

func (r *partsReader) Read(b []byte) (int, error) {
	n := 0
	for n < len(b) && len(r.segs) > 0 {
		c := copy(b[n:], r.segs[0][r.off:])
		n += c
		r.off += c
		if r.off == len(r.segs[0]) {
			r.segs, r.off = r.segs[1:], 0
		}
	}
	if n == 0 && len(r.segs) == 0 && len(b) > 0 {
		return 0, io.EOF
	}
	return n, nil
}

// writeChunk is the size of the writes WriteTo makes of small parts.
const writeChunk = 128 << 10

var chunkBuffers = sync.Pool{New: func() any { b := make([]byte, 0, writeChunk); return &b }}

func (r *partsReader) WriteTo(w io.Writer) (int64, error) {
	if bw, ok := w.(*bufio.Writer); ok && r.conn != nil {
		if err := bw.Flush(); err != nil {
			return 0, err
		}
		// net.Buffers consumes the slice it writes (it clears the slice
		// headers it has written): a copy, the shared parts untouched.
		bufs := net.Buffers(slices.Clone(r.segs))
		if len(bufs) > 0 {
			bufs[0] = bufs[0][r.off:]
		}
		r.segs, r.off = nil, 0
		return bufs.WriteTo(r.conn)
	}
	bp := chunkBuffers.Get().(*[]byte)
	buf := (*bp)[:0]
	defer func() { *bp = buf[:0]; chunkBuffers.Put(bp) }()
	var total int64
	flush := func() error {
		if len(buf) == 0 {
			return nil
		}
		n, err := w.Write(buf)
		total += int64(n)
		buf = buf[:0]
		return err
	}
	for len(r.segs) > 0 {
		s := r.segs[0][r.off:]
		r.segs, r.off = r.segs[1:], 0
		if len(s) >= writeChunk/2 { // large: written as it is
			if err := flush(); err != nil {
				return total, err
			}
			n, err := w.Write(s)
			total += int64(n)
			if err != nil {
				return total, err
			}
			continue
		}
		if len(buf)+len(s) > cap(buf) {
			if err := flush(); err != nil {
				return total, err
			}
		}
		buf = append(buf, s...)
	}
	return total, flush()
}
