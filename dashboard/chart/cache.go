package chart

import (
	"container/list"
	"context"
	"sync"
)

// lru is a byte-bounded least-recently-used cache of rendered charts.
type lru struct {
	mu    sync.Mutex
	max   int64
	size  int64
	order *list.List // front = most recent; values are *entry
	items map[string]*list.Element
}

type entry struct {
	key string
	val []byte
}

func newLRU(maxBytes int64) *lru {
	return &lru{max: maxBytes, order: list.New(), items: map[string]*list.Element{}}
}

func (c *lru) get(key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		c.order.MoveToFront(el)
		return el.Value.(*entry).val, true
	}
	return nil, false
}

// add stores val unless it alone is more than an eighth of the bound, so one
// huge render cannot flush everything else.
func (c *lru) add(key string, val []byte) {
	n := int64(len(val) + len(key))
	if c.max <= 0 || n > c.max/8 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		c.size -= int64(len(el.Value.(*entry).val) + len(key))
		el.Value.(*entry).val = val
		c.order.MoveToFront(el)
	} else {
		c.items[key] = c.order.PushFront(&entry{key: key, val: val})
	}
	c.size += n
	for c.size > c.max {
		el := c.order.Back()
		e := el.Value.(*entry)
		c.order.Remove(el)
		delete(c.items, e.key)
		c.size -= int64(len(e.val) + len(e.key))
	}
}

func (c *lru) stats() (entries int, bytes int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.items), c.size
}

// flights lets concurrent callers for one key share a single render.
type flights struct {
	mu sync.Mutex
	m  map[string]*flight
}

type flight struct {
	done chan struct{}
	val  []byte
	err  error
}

// do runs fn once per key at a time. fn runs on its own goroutine with a
// context detached from any caller's cancellation, so a caller that gives up
// only stops waiting; the render still completes and fills the cache.
func (f *flights) do(ctx context.Context, key string, fn func() ([]byte, error)) ([]byte, error) {
	f.mu.Lock()
	if f.m == nil {
		f.m = map[string]*flight{}
	}
	fl, ok := f.m[key]
	if !ok {
		fl = &flight{done: make(chan struct{})}
		f.m[key] = fl
		go func() {
			fl.val, fl.err = fn()
			f.mu.Lock()
			delete(f.m, key)
			f.mu.Unlock()
			close(fl.done)
		}()
	}
	f.mu.Unlock()
	select {
	case <-fl.done:
		return fl.val, fl.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
