package sheet

import (
	"io"
	"sync"
)

// readAhead reads r on a goroutine of its own, up to depth chunks ahead of
// its reader: inflating a sheet's XML (a quarter of the reading) then runs
// beside scanning it. Close stops the goroutine and closes r; Read after
// Close, or after r failed, returns the error.
type readAhead struct {
	r    io.ReadCloser
	full chan []byte // chunks read, in order
	free chan []byte // chunks to fill again
	stop chan struct{}
	done chan struct{}
	err  error  // of r, once full is closed
	buf  []byte // the chunk being read from, whole
	cur  []byte // what is left of it

	closeOnce sync.Once
}

func newReadAhead(r io.ReadCloser, chunk, depth int) *readAhead {
	ra := &readAhead{r: r, full: make(chan []byte, depth), free: make(chan []byte, depth+1),
		stop: make(chan struct{}), done: make(chan struct{})}
	for range depth + 1 {
		ra.free <- make([]byte, chunk)
	}
	go ra.fill()
	return ra
}

func (ra *readAhead) fill() {
	defer close(ra.done)
	defer close(ra.full)
	for {
		var buf []byte
		select {
		case buf = <-ra.free:
		case <-ra.stop:
			return
		}
		n, err := io.ReadFull(ra.r, buf[:cap(buf)])
		if n > 0 {
			select {
			case ra.full <- buf[:n]:
			case <-ra.stop:
				return
			}
		}
		if err == io.ErrUnexpectedEOF {
			err = io.EOF
		}
		if err != nil {
			ra.err = err
			return
		}
	}
}

func (ra *readAhead) Read(p []byte) (int, error) {
	for len(ra.cur) == 0 {
		if ra.buf != nil {
			ra.free <- ra.buf[:cap(ra.buf)]
			ra.buf = nil
		}
		buf, ok := <-ra.full
		if !ok {
			return 0, ra.err // set before full was closed
		}
		ra.buf, ra.cur = buf, buf
	}
	n := copy(p, ra.cur)
	ra.cur = ra.cur[n:]
	return n, nil
}

// Close stops reading ahead and closes the underlying reader.
func (ra *readAhead) Close() error {
	ra.closeOnce.Do(func() { close(ra.stop) })
	<-ra.done
	return ra.r.Close()
}
