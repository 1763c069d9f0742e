// Package cache is the dashboard's response cache: responses as served
// (internal/gzbody: compressed once, with their ETag) kept by full URL
// (path and sorted query) in an LRU bounded by compressed bytes
// (internal/lru), computed once however many requests ask at the same
// time, and emptied when the store commits. A response spliced from
// pieces compressed at different times (the map) is recompressed whole in
// the background and replaces its entry.
//
// It knows nothing of HTTP beyond the URL: the shell keys it (with the
// principal's scope) and sends what it holds. It must not import Fiber,
// the store or the ingest.
package cache

import (
	"context"
	"net/url"
	"sync"

	"github.com/antq-atlas/antq/internal/gzbody"
	"github.com/antq-atlas/antq/internal/lru"
)

// Responses keeps responses by full URL (path and sorted query) in an
// LRU bounded by compressed bytes (internal/lru). Invalidate empties it and
// bumps a generation so a response computed across an invalidation is not
// kept. Concurrent misses of one key compute once.
type Responses struct {
	lru *lru.Cache[*gzbody.Body]

	// Spliced responses are recompressed whole in the background, one at
	// a time, and replace their entry when it is still there.
	recompress chan struct{}
	background sync.WaitGroup
}

// New is an empty cache of at most maxBytes compressed bytes (negative:
// off, every request is computed).
func New(maxBytes int64) *Responses {
	return &Responses{
		lru: lru.New(lru.Config[*gzbody.Body]{
			MaxBytes: maxBytes,
			Size:     func(key string, v *gzbody.Body) int64 { return int64(len(v.GZ) + len(v.Kept) + len(key) + 128) },
			MaxShare: 4, // one response may not take more than a quarter
		}),
		recompress: make(chan struct{}, 1),
	}
}

// Key is the full URL with the query sorted by key (values keep their
// order: it may matter) so "?b=1&a=2" and "?a=2&b=1" share one entry.
func Key(base, path string, q url.Values) string {
	return base + path + "?" + q.Encode()
}

// Keeps says whether the cache keeps responses (false when it is off).
func (c *Responses) Keeps() bool { return c.lru.Keeps() }

func (c *Responses) get(key string) (*gzbody.Body, bool) { return c.lru.Get(key) }

// Do returns the cached response for key, or computes it with fn once
// however many requests ask at the same time.
func (c *Responses) Do(ctx context.Context, key string, fn func() (*gzbody.Body, error)) (*gzbody.Body, error) {
	v, kept, err := c.lru.Do(ctx, key, fn)
	if kept && v.Spliced {
		c.recompressLater(key, v)
	}
	return v, err
}

// recompressLater compresses a spliced response whole in the background
// (≈ 35 ms for a national map, a third smaller) and puts it in place of
// old if old is still the entry; one runs at a time (on one core).
func (c *Responses) recompressLater(key string, old *gzbody.Body) {
	c.background.Add(1)
	go func() {
		defer c.background.Done()
		c.recompress <- struct{}{}
		defer func() { <-c.recompress }()
		body, err := old.Plain()
		if err != nil {
			return
		}
		v, err := gzbody.Compress(body, old.ContentType, old.Disposition)
		if err != nil || v.Size != old.Size {
			return
		}
		// The same body: its ETag stays (a spliced body's is taken over
		// its pieces' sums, not Compress's over its bytes).
		v.ETag = old.ETag
		c.lru.Replace(key, func(cur *gzbody.Body) (*gzbody.Body, bool) {
			if !cur.Spliced || cur.ETag != old.ETag {
				return nil, false // another response, or already recompressed
			}
			return v.WithPlain(cur.Kept), true // the plain body kept meanwhile stays
		})
	}()
}

// KeepPlain keeps the uncompressed body beside the response v cached
// under key, once a client without gzip has asked for it: the next such
// client gets it as it is instead of decompressed (a national map: ≈ 20
// ms decompressed, ≈ 1 ms sent as kept; 6 MB more held, counted against
// the cache's bound). Nothing is kept when the entry is gone or is
// another response, or when the entry would outgrow an entry's share.
func (c *Responses) KeepPlain(key string, v *gzbody.Body, plain []byte) {
	c.lru.Replace(key, func(cur *gzbody.Body) (*gzbody.Body, bool) {
		if cur.Kept != nil || cur.ETag != v.ETag || cur.Size != len(plain) {
			return nil, false
		}
		return cur.WithPlain(plain), true
	})
}

// wait waits for the background recompressions (tests).
func (c *Responses) wait() { c.background.Wait() }

// Invalidate drops every entry; a response computed across it is not
// kept.
func (c *Responses) Invalidate() { c.lru.Invalidate() }

// Stats reports the entries and compressed bytes held.
func (c *Responses) Stats() (int, int64) { return c.lru.Stats() }

// Hits counts responses served from the cache (a shared computation counts
// as a hit).
func (c *Responses) Hits() uint64 { return c.lru.Hits() }

// Misses counts responses computed.
func (c *Responses) Misses() uint64 { return c.lru.Misses() }
