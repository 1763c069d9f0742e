package render

import "github.com/antq-atlas/antq/internal/lru"

// newCache returns the cache of rendered charts (internal/lru): bounded by
// bytes, one render at most an eighth of the bound so one huge render cannot
// flush everything else; renders run detached from the callers, so a caller
// that gives up only stops waiting and the render still completes and fills
// the cache. Negative maxBytes keeps nothing (renders are still shared).
func newCache(maxBytes int64) *lru.Cache[[]byte] {
	return lru.New(lru.Config[[]byte]{
		MaxBytes: max(maxBytes, 0),
		Size:     func(key string, v []byte) int64 { return int64(len(v) + len(key)) },
		MaxShare: 8,
		Detached: true,
	})
}
