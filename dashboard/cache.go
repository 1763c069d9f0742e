package dashboard

import (
	"bytes"
	"context"
	"io"
	"net/url"
	"strconv"
	"sync"

	"github.com/antq-atlas/antq/internal/lru"

	"github.com/cespare/xxhash/v2"
	"github.com/klauspost/compress/gzip"
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
// LRU bounded by compressed bytes (internal/lru). Invalidate empties it and
// bumps a generation so a response computed across an invalidation is not
// kept. Concurrent misses of one key compute once.
type responseCache struct {
	lru *lru.Cache[*cached]

	// Spliced responses are recompressed whole in the background, one at
	// a time, and replace their entry when it is still there.
	recompress chan struct{}
	background sync.WaitGroup
}

func newResponseCache(maxBytes int64) *responseCache {
	return &responseCache{
		lru: lru.New(lru.Config[*cached]{
			MaxBytes: maxBytes,
			Size:     func(key string, v *cached) int64 { return int64(len(v.gz) + len(key) + 128) },
			MaxShare: 4, // one response may not take more than a quarter
		}),
		recompress: make(chan struct{}, 1),
	}
}

// cacheKey is the full URL with the query sorted by key (values keep their
// order: it may matter) so "?b=1&a=2" and "?a=2&b=1" share one entry.
func cacheKey(base, path string, q url.Values) string {
	return base + path + "?" + q.Encode()
}

func (c *responseCache) get(key string) (*cached, bool) { return c.lru.Get(key) }

// do returns the cached response for key, or computes it with fn once
// however many requests ask at the same time.
func (c *responseCache) do(ctx context.Context, key string, fn func() (*cached, error)) (*cached, error) {
	v, kept, err := c.lru.Do(ctx, key, fn)
	if kept && v.spliced {
		c.recompressLater(key, v)
	}
	return v, err
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
		c.lru.Replace(key, func(cur *cached) bool { return cur == old }, v)
	}()
}

// wait waits for the background recompressions (tests).
func (c *responseCache) wait() { c.background.Wait() }

func (c *responseCache) invalidate() { c.lru.Invalidate() }

// stats reports the entries and compressed bytes held.
func (c *responseCache) stats() (int, int64) { return c.lru.Stats() }

// hits counts responses served from the cache (a shared computation counts
// as a hit), misses those computed.
func (c *responseCache) hits() uint64   { return c.lru.Hits() }
func (c *responseCache) misses() uint64 { return c.lru.Misses() }

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
