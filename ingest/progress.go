package ingest

import (
	"fmt"
	"io"
	"os"
	"time"
)

// progress draws one line on a terminal, redrawn at most five times a
// second. Anything that is not a terminal (a pipe, a CI log, a file) gets
// nothing: a bar there is noise.
type progress struct {
	w          io.Writer
	name       string
	i, n       int
	rows       int
	start      time.Time
	last       time.Time
	fileStart  time.Time
	fileRows   int
	drawnWidth int
}

func newProgress(w io.Writer) *progress {
	if !isTerminal(w) {
		return nil
	}
	return &progress{w: w, start: time.Now()}
}

// isTerminal reports whether w is a character device, without a
// dependency on a terminal package.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok || f == nil {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

func (p *progress) file(i, n int, name string) {
	if p == nil {
		return
	}
	p.i, p.n, p.name = i, n, name
	p.fileStart, p.fileRows = time.Now(), 0
	p.draw()
}

func (p *progress) add(rows int) {
	if p == nil {
		return
	}
	p.rows += rows
	p.fileRows += rows
	if p.fileRows&1023 != 0 {
		return
	}
	if now := time.Now(); now.Sub(p.last) >= 200*time.Millisecond {
		p.last = now
		p.draw()
	}
}

func (p *progress) draw() {
	rate := 0.0
	if d := time.Since(p.fileStart).Seconds(); d > 0 {
		rate = float64(p.fileRows) / d
	}
	s := fmt.Sprintf("[%d/%d] %s  %s dòng  %s dòng/giây", p.i, p.n, p.name, vnInt(p.fileRows), vnInt(int(rate)))
	pad := p.drawnWidth - len(s)
	p.drawnWidth = len(s)
	if pad < 0 {
		pad = 0
	}
	fmt.Fprintf(p.w, "\r%s%*s", s, pad, "")
}

func (p *progress) done() {
	if p == nil {
		return
	}
	p.draw()
	fmt.Fprintln(p.w)
}
