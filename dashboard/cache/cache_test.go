package cache

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/antq-atlas/antq/internal/gzbody"
)

func TestResponseCacheBound(t *testing.T) {
	c := New(4000)
	for i := range 50 {
		body := make([]byte, 200)
		for j := range body {
			body[j] = byte(i*7 + j*13) // incompressible enough
		}
		v, _ := gzbody.Compress(body, "application/json; charset=utf-8", "")
		if _, err := c.Do(context.Background(), fmt.Sprint(i), func() (*gzbody.Body, error) { return v, nil }); err != nil {
			t.Fatal(err)
		}
	}
	n, bytes := c.Stats()
	if bytes > 4000 || n == 0 || n == 50 {
		t.Errorf("%d entries, %d bytes: not bounded to 4000", n, bytes)
	}
	if _, ok := c.get("49"); !ok {
		t.Error("the newest entry was evicted")
	}
	if _, ok := c.get("0"); ok {
		t.Error("the oldest entry was kept")
	}
	c.Invalidate()
	if n, _ := c.Stats(); n != 0 {
		t.Errorf("%d entries after invalidate", n)
	}
}

// A spliced response is cached as computed, then recompressed whole in the
// background: the same body and ETag, fewer bytes.
func TestResponseCacheRecompressesSpliced(t *testing.T) {
	var body []byte
	sp := gzbody.NewSplicer(0)
	for i := range 200 {
		text := fmt.Sprintf(`{"id":%d,"name":"Xã số %d"},`, i, i)
		piece := strings.Repeat(fmt.Sprintf("[105.%06d,22.%06d],", i*37, i*91), 20)
		z, err := gzbody.DeflatePiece([]byte(piece))
		if err != nil {
			t.Fatal(err)
		}
		sp.Text = append(sp.Text, text...)
		sp.Piece(z, []byte(piece))
		body = append(append(body, text...), piece...)
	}
	v, err := sp.Finish("application/geo+json; charset=utf-8")
	if err != nil || !v.Spliced {
		t.Fatalf("%v, spliced %v", err, v != nil && v.Spliced)
	}
	c := New(64 << 20)
	got, err := c.Do(context.Background(), "k", func() (*gzbody.Body, error) { return v, nil })
	if err != nil || got != v {
		t.Fatalf("first request: %v", err)
	}
	c.wait()
	now, ok := c.get("k")
	if !ok || now.Spliced || now.ETag != v.ETag || len(now.GZ) >= len(v.GZ) {
		t.Fatalf("after recompressing: kept %v, spliced %v, etag %q (was %q), %d bytes (was %d)", ok, now.Spliced, now.ETag, v.ETag, len(now.GZ), len(v.GZ))
	}
	plain, err := now.Plain()
	if err != nil || !bytes.Equal(plain, body) {
		t.Fatalf("recompressed body differs: %v", err)
	}
	// An entry invalidated meanwhile is not brought back.
	c.Invalidate()
	c.recompressLater("k", v)
	c.wait()
	if _, ok := c.get("k"); ok {
		t.Error("an invalidated entry came back")
	}
}

// TestResponseCacheKeepsPlain: the plain body is kept beside a cached
// response (counted in its bytes) and Plain returns it; not for another
// response under the key, nor past an entry's share; a spliced response
// recompressed afterwards keeps it.
func TestResponseCacheKeepsPlain(t *testing.T) {
	body := []byte(strings.Repeat(`{"type":"Feature","properties":{"name":"Xã Hùng Lợi"}},`, 400))
	v, err := gzbody.Compress(body, "application/geo+json; charset=utf-8", "")
	if err != nil {
		t.Fatal(err)
	}
	c := New(1 << 20)
	if _, err := c.Do(context.Background(), "k", func() (*gzbody.Body, error) { return v, nil }); err != nil {
		t.Fatal(err)
	}
	_, before := c.Stats()
	other := *v
	other.ETag = `"other"`
	c.KeepPlain("k", &other, body) // another response: not kept
	if now, _ := c.get("k"); now.Kept != nil {
		t.Fatal("kept the plain body of another response")
	}
	c.KeepPlain("k", v, body)
	now, _ := c.get("k")
	if _, after := c.Stats(); now.Kept == nil || after != before+int64(len(body)) {
		t.Fatalf("kept %v, %d bytes held (before %d, body %d)", now.Kept != nil, after, before, len(body))
	}
	if p, err := now.Plain(); err != nil || !bytes.Equal(p, body) || now.ETag != v.ETag {
		t.Fatalf("plain kept: %v, ETag %s", err, now.ETag)
	}
	// Past an entry's share (a quarter of the cache): not kept.
	small := New(int64(len(v.GZ)) * 4 * 2)
	if _, err := small.Do(context.Background(), "k", func() (*gzbody.Body, error) { return v, nil }); err != nil {
		t.Fatal(err)
	}
	small.KeepPlain("k", v, body)
	if now, ok := small.get("k"); !ok || now.Kept != nil {
		t.Errorf("entry %v, plain kept %v past the share", ok, ok && now.Kept != nil)
	}

	// A spliced response: kept, then recompressed whole with it.
	sp := gzbody.NewSplicer(0)
	sp.Text = append(sp.Text, body[:100]...)
	z, err := gzbody.DeflatePiece(body[100:])
	if err != nil {
		t.Fatal(err)
	}
	sp.Piece(z, body[100:])
	spliced, err := sp.Finish("application/geo+json; charset=utf-8")
	if err != nil {
		t.Fatal(err)
	}
	c2 := New(1 << 20)
	c2.recompress <- struct{}{} // hold the recompression until the plain body is kept
	if _, err := c2.Do(context.Background(), "s", func() (*gzbody.Body, error) { return spliced, nil }); err != nil {
		t.Fatal(err)
	}
	c2.KeepPlain("s", spliced, body)
	<-c2.recompress
	c2.wait()
	now, _ = c2.get("s")
	if now.Spliced || now.Kept == nil || now.ETag != spliced.ETag {
		t.Errorf("after recompressing: spliced %v, plain kept %v, ETag %s (was %s)", now.Spliced, now.Kept != nil, now.ETag, spliced.ETag)
	}
}
