package sheet

import (
	"bytes"
	"errors"
	"io"
	"math/rand/v2"
	"testing"
)

type failingReader struct {
	r      io.Reader
	closed bool
}

func (f *failingReader) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err == io.EOF {
		return n, errors.New("disk on fire")
	}
	return n, err
}

func (f *failingReader) Close() error { f.closed = true; return nil }

func TestReadAhead(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, size := range []int{0, 1, 7, 4096, 100_000} {
		data := make([]byte, size)
		for i := range data {
			data[i] = byte(rng.Uint32())
		}
		for _, chunk := range []int{1, 3, 1000, 1 << 16} {
			ra := newReadAhead(io.NopCloser(bytes.NewReader(data)), chunk, 2)
			got, err := io.ReadAll(ra)
			if err != nil || !bytes.Equal(got, data) {
				t.Fatalf("size %d chunk %d: %d bytes, %v", size, chunk, len(got), err)
			}
			if err := ra.Close(); err != nil {
				t.Fatal(err)
			}
		}
	}
	// A failing reader's error reaches the reader after the bytes before it.
	src := &failingReader{r: bytes.NewReader([]byte("abcdef"))}
	ra := newReadAhead(src, 4, 2)
	got, err := io.ReadAll(ra)
	if string(got) != "abcdef" || err == nil || err.Error() != "disk on fire" {
		t.Fatalf("got %q, %v", got, err)
	}
	ra.Close()
	if !src.closed {
		t.Error("underlying reader not closed")
	}
	// Closing early stops the goroutine (the test would hang otherwise).
	big := &failingReader{r: bytes.NewReader(make([]byte, 1<<20))}
	ra = newReadAhead(big, 1024, 2)
	buf := make([]byte, 10)
	if _, err := ra.Read(buf); err != nil {
		t.Fatal(err)
	}
	if err := ra.Close(); err != nil || !big.closed {
		t.Fatalf("close: %v, closed %v", err, big.closed)
	}
}
