package dashboard

import (
	"bytes"
	"container/list"
	"context"
	"github.com/cespare/xxhash/v2"
	"github.com/klauspost/compress/gzip"
	"io"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
)

// cached is one response as served: compressed once with gzip, with its
// strong ETag (a hash of the uncompressed body).
type cached struct {
	gz          []byte
	size        int // uncompressed length
	etag        string
	contentType string
	disposition string // Content-Disposition of exports, else ""
	spliced     bool   // assembled from pieces compressed apart (larger): recompress whole
}

// responseCache keeps responses by full URL (path and sorted query) in an
// LRU bounded by compressed bytes. Invalidate empties it and bumps a
// generation so a response computed across an invalidation is not kept.
// Concurrent misses of one key compute once.
type responseCache struct {
	max int64

	mu      sync.Mutex
	gen     uint64
	bytes   int64
	order   *list.List // front = most recent; values are *cacheEntry
	entries map[string]*list.Element
	flights map[string]*cacheFlight

	hits, misses atomic.Uint64 // for /metrics: a shared computation counts as a hit

	// Spliced responses are recompressed whole in the background, one at
	// a time, and replace their entry when it is still there.
	recompress chan struct{}
	background sync.WaitGroup
}

type cacheEntry struct {
	key string
	val *cached
}

type cacheFlight struct {
	done chan struct{}
	val  *cached
	err  error
}

func newResponseCache(maxBytes int64) *responseCache {
	return &responseCache{max: maxBytes, order: list.New(), entries: map[string]*list.Element{}, flights: map[string]*cacheFlight{},
		recompress: make(chan struct{}, 1)}
}

// cacheKey is the full URL with the query sorted by key (values keep their
// order: it may matter) so "?b=1&a=2" and "?a=2&b=1" share one entry.
func cacheKey(base, path string, q url.Values) string {
	return base + path + "?" + q.Encode()
}

func (c *responseCache) get(key string) (*cached, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.entries[key]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*cacheEntry).val, true
}

// do returns the cached response for key, or computes it with fn once
// however many requests ask at the same time.
func (c *responseCache) do(ctx context.Context, key string, fn func() (*cached, error)) (*cached, error) {
	if c.max < 0 {
		c.misses.Add(1)
		return fn()
	}
	if v, ok := c.get(key); ok {
		c.hits.Add(1)
		return v, nil
	}
	c.mu.Lock()
	if f, ok := c.flights[key]; ok {
		c.mu.Unlock()
		c.hits.Add(1)
		select {
		case <-f.done:
			return f.val, f.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	f := &cacheFlight{done: make(chan struct{})}
	c.flights[key] = f
	gen := c.gen
	c.mu.Unlock()
	c.misses.Add(1)

	f.val, f.err = fn()

	c.mu.Lock()
	delete(c.flights, key)
	kept := f.err == nil && gen == c.gen && c.addLocked(key, f.val)
	c.mu.Unlock()
	close(f.done)
	if kept && f.val.spliced {
		c.recompressLater(key, f.val)
	}
	return f.val, f.err
}

// recompressLater compresses a spliced response whole in the background
// (≈ 35 ms for a national map, a third smaller) and puts it in place of
// old if old is still the entry; one runs at a time (on one core).
func (c *responseCache) recompressLater(key string, old *cached) {
	c.background.Add(1)
	go func() {
		defer c.background.Done()
		c.recompress <- struct{}{}
		defer func() { <-c.recompress }()
		body, err := old.plain()
		if err != nil {
			return
		}
		v, err := compress(body, old.contentType, old.disposition)
		if err != nil || v.etag != old.etag {
			return
		}
		c.mu.Lock()
		defer c.mu.Unlock()
		if el, ok := c.entries[key]; ok && el.Value.(*cacheEntry).val == old {
			c.bytes -= entrySize(el.Value.(*cacheEntry))
			el.Value.(*cacheEntry).val = v
			c.bytes += entrySize(el.Value.(*cacheEntry))
		}
	}()
}

// wait waits for the background recompressions (tests).
func (c *responseCache) wait() { c.background.Wait() }

// addLocked keeps v under key, unless it is too large; it tells whether
// it kept it.
func (c *responseCache) addLocked(key string, v *cached) bool {
	n := int64(len(v.gz) + len(key) + 128)
	if n > c.max/4 { // one response may not take more than a quarter
		return false
	}
	if el, ok := c.entries[key]; ok {
		c.bytes -= entrySize(el.Value.(*cacheEntry))
		c.order.Remove(el)
	}
	c.entries[key] = c.order.PushFront(&cacheEntry{key: key, val: v})
	c.bytes += n
	for c.bytes > c.max {
		el := c.order.Back()
		e := el.Value.(*cacheEntry)
		c.order.Remove(el)
		delete(c.entries, e.key)
		c.bytes -= entrySize(e)
	}
	return true
}

func entrySize(e *cacheEntry) int64 { return int64(len(e.val.gz) + len(e.key) + 128) }

func (c *responseCache) invalidate() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.entries = map[string]*list.Element{}
	c.order.Init()
	c.bytes = 0
}

// stats reports the entries and compressed bytes held.
func (c *responseCache) stats() (int, int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries), c.bytes
}

// compress makes the cached form of a body.
func compress(body []byte, contentType, disposition string) (*cached, error) {
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
	return &cached{gz: buf.Bytes(), size: len(body), etag: etagOf(xxhash.Sum64(body), len(body)), contentType: contentType, disposition: disposition}, nil
}

// etagOf is the strong ETag of a body from its xxhash and length. The ETag
// only tells versions of one URL apart: a 64-bit content hash (xxhash,
// ≈ 10 GB/s) is plenty and keeps hashing off the cold path.
func etagOf(sum uint64, size int) string {
	return `"` + strconv.FormatUint(sum, 16) + "-" + strconv.Itoa(size) + `"`
}

// plain returns the uncompressed body, for clients that do not accept gzip.
func (c *cached) plain() ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(c.gz))
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, c.size)
	buf := bytes.NewBuffer(out)
	if _, err := io.Copy(buf, zr); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
