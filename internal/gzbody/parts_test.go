package gzbody

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"testing"
)

// chunkWriter records the size of every write; it fails once it has
// taken failAfter bytes (when > 0).
type chunkWriter struct {
	bytes.Buffer
	writes    []int
	failAfter int
}

var errWrite = errors.New("connection reset")

func (w *chunkWriter) Write(p []byte) (int, error) {
	w.writes = append(w.writes, len(p))
	if w.failAfter > 0 && w.Len()+len(p) > w.failAfter {
		n := w.failAfter - w.Len()
		w.Buffer.Write(p[:n])
		return n, errWrite
	}
	return w.Buffer.Write(p)
}

func TestPartsWrite(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	sizes := []int{0, 1, 100, writeChunk/2 - 1, writeChunk / 2, writeChunk - 1, writeChunk, writeChunk + 1, 3 * writeChunk}
	for i := range 60 {
		var p Parts
		for range rng.IntN(40) {
			n := sizes[rng.IntN(len(sizes))]
			if rng.IntN(2) == 0 {
				n = rng.IntN(3000)
			}
			s := make([]byte, n)
			for j := range s {
				s[j] = byte(rng.Uint32())
			}
			p.segs = append(p.segs, s)
			p.size += n
		}
		want := p.Bytes()
		if len(want) != p.Len() {
			t.Fatalf("case %d: Bytes %d, Len %d", i, len(want), p.Len())
		}
		var w chunkWriter
		n, err := io.Copy(&w, p.Reader()) // io.Copy takes WriteTo
		if err != nil || n != int64(len(want)) || !bytes.Equal(w.Bytes(), want) {
			t.Fatalf("case %d: %v, %d of %d bytes", i, err, n, len(want))
		}
		// Small parts gathered: a write shorter than half a chunk is the
		// last one or comes just before a large part written as it is, so a
		// 5.8 MB body of 1.7 KB parts is a few dozen writes.
		for k, s := range w.writes {
			if k < len(w.writes)-1 && s < writeChunk/2 && w.writes[k+1] < writeChunk/2 {
				t.Fatalf("case %d: write %d of %d bytes (%v)", i, k, s, w.writes)
			}
		}
		// Read in odd sizes: the same bytes, then EOF.
		r, got := p.Reader(), []byte{}
		buf := make([]byte, 1+rng.IntN(5000))
		for {
			k, err := r.Read(buf)
			got = append(got, buf[:k]...)
			if err == io.EOF {
				break
			}
			if err != nil || k == 0 {
				t.Fatalf("case %d: Read %d, %v", i, k, err)
			}
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("case %d: read %d bytes, want %d", i, len(got), len(want))
		}
		// A write that fails stops the copy with its error and the count
		// of bytes taken.
		if len(want) > 1 {
			fw := chunkWriter{failAfter: 1 + rng.IntN(len(want)-1)}
			n, err := io.Copy(&fw, p.Reader())
			if !errors.Is(err, errWrite) || n != int64(fw.failAfter) {
				t.Fatalf("case %d: failing writer: %d bytes, %v; want %d, %v", i, n, err, fw.failAfter, errWrite)
			}
		}
	}
}

// TestPartsConnWrite writes parts as fasthttp does, through a
// *bufio.Writer on a TCP connection holding the response's head: the head
// first, then the parts handed to the kernel in place, then what follows;
// the parts are unchanged after (several responses may share them).
func TestPartsConnWrite(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	rng := rand.New(rand.NewPCG(15, 16))
	var p Parts
	for range 3000 { // more than writev takes in one call (1,024)
		s := make([]byte, rng.IntN(2000))
		for j := range s {
			s[j] = byte(rng.Uint32())
		}
		p.segs = append(p.segs, s)
		p.size += len(s)
	}
	want := p.Bytes()
	for _, skip := range []int{0, 1, 100} { // a reader already part-way in
		got := make(chan []byte, 1)
		go func() {
			c, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				got <- nil
				return
			}
			defer c.Close()
			b, _ := io.ReadAll(c)
			got <- b
		}()
		c, err := ln.Accept()
		if err != nil {
			t.Fatal(err)
		}
		bw := bufio.NewWriterSize(c, 4096)
		bw.WriteString("HTTP/1.1 200 OK\r\n\r\n")
		r := p.ConnReader(c)
		if skip > 0 {
			if _, err := io.ReadFull(r, make([]byte, skip)); err != nil {
				t.Fatal(err)
			}
		}
		n, err := io.Copy(bw, r)
		if err != nil || n != int64(len(want)-skip) {
			t.Fatalf("skip %d: wrote %d of %d bytes: %v", skip, n, len(want)-skip, err)
		}
		bw.WriteString("\r\nend")
		if err := bw.Flush(); err != nil {
			t.Fatal(err)
		}
		c.Close()
		b := <-got
		exp := append(append([]byte("HTTP/1.1 200 OK\r\n\r\n"), want[skip:]...), "\r\nend"...)
		if !bytes.Equal(b, exp) {
			t.Fatalf("skip %d: the other end read %d bytes, want %d", skip, len(b), len(exp))
		}
		if !bytes.Equal(p.Bytes(), want) {
			t.Fatalf("skip %d: the parts changed as they were written", skip)
		}
	}
}
