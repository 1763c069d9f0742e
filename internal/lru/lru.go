// Package lru is the one least-recently-used cache of the project: bounded by
// bytes, with per-key single flight (concurrent misses of one key compute
// once) and an invalidation that a computation running across it cannot
// undo. The response cache (dashboard) and the chart renderer
// (dashboard/chart) both use it.
//
// The single flight is written here rather than taken from
// golang.org/x/sync/singleflight: a waiter must be able to stop waiting when
// its own context ends while the computation goes on for the others, and the
// response cache runs the computation on the first caller's goroutine, which
// singleflight's Do (waiters cannot leave) and DoChan (always a new
// goroutine) do not offer together.
//
// It imports the standard library only.
package lru

import (
	"container/list"
	"context"
	"sync"
	"sync/atomic"
)

// Config configures a Cache.
type Config[V any] struct {
	// MaxBytes bounds the bytes held, as Size counts them. 0 keeps nothing
	// but still shares concurrent computations; negative turns the cache
	// off: Do computes every time, alone.
	MaxBytes int64
	// Size is the bytes an entry takes (key and value, with any overhead).
	Size func(key string, v V) int64
	// MaxShare: one entry may take at most MaxBytes/MaxShare, so one huge
	// value cannot flush everything else; default 1.
	MaxShare int64
	// Detached runs each computation on its own goroutine: a caller that
	// gives up only stops waiting, and the computation still fills the
	// cache. Otherwise the first caller computes on its own goroutine.
	Detached bool
}

// Cache is a byte-bounded LRU with single flight. It is safe for concurrent
// use.
type Cache[V any] struct {
	cfg Config[V]

	mu      sync.Mutex
	gen     uint64 // bumped by Invalidate
	bytes   int64
	order   *list.List // front = most recent; values are *entry[V]
	entries map[string]*list.Element
	flights map[string]*flight[V]

	hits, misses atomic.Uint64 // Do only: a shared computation counts as a hit
}

type entry[V any] struct {
	key  string
	val  V
	size int64
}

type flight[V any] struct {
	done chan struct{}
	val  V
	err  error
	kept bool
}

// New returns an empty cache.
func New[V any](cfg Config[V]) *Cache[V] {
	if cfg.MaxShare <= 0 {
		cfg.MaxShare = 1
	}
	return &Cache[V]{cfg: cfg, order: list.New(), entries: map[string]*list.Element{}, flights: map[string]*flight[V]{}}
}

// Get returns the value kept under key and marks it recently used.
func (c *Cache[V]) Get(key string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.entries[key]
	if !ok {
		var zero V
		return zero, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*entry[V]).val, true
}

// Add keeps v under key unless it is too large; it tells whether it kept it.
func (c *Cache[V]) Add(key string, v V) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.addLocked(key, v)
}

func (c *Cache[V]) addLocked(key string, v V) bool {
	n := c.cfg.Size(key, v)
	if c.cfg.MaxBytes <= 0 || n > c.cfg.MaxBytes/c.cfg.MaxShare {
		return false
	}
	if el, ok := c.entries[key]; ok {
		c.bytes -= el.Value.(*entry[V]).size
		c.order.Remove(el)
	}
	c.entries[key] = c.order.PushFront(&entry[V]{key: key, val: v, size: n})
	c.bytes += n
	c.evictLocked()
	return true
}

func (c *Cache[V]) evictLocked() {
	for c.bytes > c.cfg.MaxBytes {
		el := c.order.Back()
		e := el.Value.(*entry[V])
		c.order.Remove(el)
		delete(c.entries, e.key)
		c.bytes -= e.size
	}
}

// Replace puts update's value in place of the entry under key when the
// entry is still there and update, given it, says to (e.g. a smaller
// encoding of the same value, or the value with more kept beside it); the
// new value must not take more than an entry may (MaxShare). It tells
// whether it replaced. update runs under the cache's lock: it must be
// quick and must not call the cache.
func (c *Cache[V]) Replace(key string, update func(cur V) (V, bool)) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.entries[key]
	if !ok {
		return false
	}
	e := el.Value.(*entry[V])
	v, ok := update(e.val)
	if !ok {
		return false
	}
	n := c.cfg.Size(key, v)
	if n > c.cfg.MaxBytes/c.cfg.MaxShare {
		return false
	}
	c.bytes -= e.size
	e.val, e.size = v, n
	c.bytes += e.size
	c.order.MoveToFront(el)
	c.evictLocked()
	return true
}

// Do returns the value kept under key, or computes it with fn once however
// many callers ask at the same time, and keeps it when fn succeeds and no
// Invalidate ran meanwhile. kept tells whether this call's computation was
// kept (false for a hit or a shared computation). A caller whose ctx ends
// stops waiting for another's computation.
func (c *Cache[V]) Do(ctx context.Context, key string, fn func() (V, error)) (v V, kept bool, err error) {
	if c.cfg.MaxBytes < 0 {
		c.misses.Add(1)
		v, err = fn()
		return v, false, err
	}
	c.mu.Lock()
	if el, ok := c.entries[key]; ok {
		c.order.MoveToFront(el)
		c.mu.Unlock()
		c.hits.Add(1)
		return el.Value.(*entry[V]).val, false, nil
	}
	if f, ok := c.flights[key]; ok {
		c.mu.Unlock()
		c.hits.Add(1)
		return c.wait(ctx, f, false)
	}
	f := &flight[V]{done: make(chan struct{})}
	c.flights[key] = f
	gen := c.gen
	c.mu.Unlock()
	c.misses.Add(1)

	run := func() {
		f.val, f.err = fn()
		c.mu.Lock()
		delete(c.flights, key)
		f.kept = f.err == nil && gen == c.gen && c.addLocked(key, f.val)
		c.mu.Unlock()
		close(f.done)
	}
	if c.cfg.Detached {
		go run()
		return c.wait(ctx, f, true)
	}
	run()
	return f.val, f.kept, f.err
}

func (c *Cache[V]) wait(ctx context.Context, f *flight[V], own bool) (V, bool, error) {
	select {
	case <-f.done:
		return f.val, own && f.kept, f.err
	case <-ctx.Done():
		var zero V
		return zero, false, ctx.Err()
	}
}

// Invalidate empties the cache; values being computed meanwhile are not
// kept.
func (c *Cache[V]) Invalidate() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.entries = map[string]*list.Element{}
	c.order.Init()
	c.bytes = 0
}

// Keeps says whether the cache keeps values (MaxBytes > 0).
func (c *Cache[V]) Keeps() bool { return c.cfg.MaxBytes > 0 }

// Stats reports the entries and bytes held.
func (c *Cache[V]) Stats() (entries int, bytes int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries), c.bytes
}

// Hits counts Do calls answered from the cache or by another caller's
// computation; Misses those that computed.
func (c *Cache[V]) Hits() uint64   { return c.hits.Load() }
func (c *Cache[V]) Misses() uint64 { return c.misses.Load() }
