package lru

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

func bytesCache(max, share int64, detached bool) *Cache[[]byte] {
	return New(Config[[]byte]{MaxBytes: max, Size: func(k string, v []byte) int64 { return int64(len(k) + len(v)) }, MaxShare: share, Detached: detached})
}

func TestBound(t *testing.T) {
	c := bytesCache(1000, 4, false)
	for i := range 50 {
		if !c.Add(fmt.Sprintf("%02d", i), make([]byte, 98)) { // 100 bytes each
			t.Fatalf("entry %d not kept", i)
		}
	}
	if n, b := c.Stats(); n != 10 || b != 1000 {
		t.Errorf("%d entries, %d bytes; want 10, 1000", n, b)
	}
	if _, ok := c.Get("40"); !ok {
		t.Error("a recent entry was evicted")
	}
	if _, ok := c.Get("39"); ok {
		t.Error("an old entry was kept")
	}
	// Reading "40" made it recent: the next add evicts "41".
	c.Add("xx", make([]byte, 98))
	if _, ok := c.Get("40"); !ok {
		t.Error("the entry read last was evicted")
	}
	if _, ok := c.Get("41"); ok {
		t.Error("the least recently used entry was kept")
	}
	if c.Add("big", make([]byte, 300)) {
		t.Error("an entry over a quarter of the bound was kept")
	}
	c.Invalidate()
	if n, b := c.Stats(); n != 0 || b != 0 {
		t.Errorf("after Invalidate: %d entries, %d bytes", n, b)
	}
	if zero := bytesCache(0, 1, false); zero.Add("k", []byte("v")) {
		t.Error("a cache of 0 bytes kept an entry")
	}
}

func TestReplace(t *testing.T) {
	c := bytesCache(1000, 1, false)
	c.Add("k", []byte("long value"))
	if c.Replace("k", func(cur []byte) ([]byte, bool) { return []byte("v"), string(cur) == "other" }) {
		t.Error("replaced an entry that was not the one named")
	}
	if !c.Replace("k", func(cur []byte) ([]byte, bool) { return []byte("v"), string(cur) == "long value" }) {
		t.Fatal("did not replace")
	}
	if v, _ := c.Get("k"); string(v) != "v" {
		t.Errorf("got %q", v)
	}
	if _, b := c.Stats(); b != 2 {
		t.Errorf("%d bytes, want 2", b)
	}
	if c.Replace("gone", func([]byte) ([]byte, bool) { return []byte("v"), true }) {
		t.Error("replaced a missing entry")
	}
	// A value grown beyond an entry's share is not put in; one that grows
	// within it evicts the least recently used others.
	c = bytesCache(200, 2, false) // an entry: at most 100 bytes
	c.Add("a", make([]byte, 79))
	c.Add("b", make([]byte, 79))
	if c.Replace("b", func([]byte) ([]byte, bool) { return make([]byte, 100), true }) {
		t.Error("replaced with a value over MaxBytes/MaxShare")
	}
	c = bytesCache(200, 1, false)
	c.Add("a", make([]byte, 79))
	c.Add("b", make([]byte, 79))
	c.Get("a") // b is the least recently used
	if !c.Replace("b", func([]byte) ([]byte, bool) { return make([]byte, 149), true }) {
		t.Fatal("did not replace within the share")
	}
	if _, ok := c.Get("a"); ok { // the replaced entry is the most recent
		t.Error("the least recently used entry was kept over the bound")
	}
	if n, b := c.Stats(); n != 1 || b != 150 {
		t.Errorf("%d entries, %d bytes; want 1, 150", n, b)
	}
}

// waitFor polls cond; the deadline only guards against a hang.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// Concurrent misses of one key compute once: the computation is held
// until every other caller has joined it (seen in Hits), then released.
func TestSingleFlight(t *testing.T) {
	for _, detached := range []bool{false, true} {
		t.Run(fmt.Sprint("detached=", detached), func(t *testing.T) {
			c := bytesCache(1000, 1, detached)
			release := make(chan struct{})
			var calls sync.WaitGroup
			var computed, kept int
			var mu sync.Mutex
			const n = 8
			started := make(chan struct{})
			for i := range n {
				calls.Add(1)
				go func() {
					defer calls.Done()
					if i > 0 {
						<-started
					}
					v, k, err := c.Do(context.Background(), "k", func() ([]byte, error) {
						mu.Lock()
						computed++
						mu.Unlock()
						close(started)
						<-release
						return []byte("v"), nil
					})
					if err != nil || string(v) != "v" {
						t.Errorf("Do: %q, %v", v, err)
					}
					if k {
						mu.Lock()
						kept++
						mu.Unlock()
					}
				}()
			}
			waitFor(t, "the other callers to join", func() bool { return c.Hits() == n-1 })
			close(release)
			calls.Wait()
			if computed != 1 || kept != 1 || c.Misses() != 1 {
				t.Errorf("computed %d times, kept %d, misses %d; want 1, 1, 1", computed, kept, c.Misses())
			}
			if v, ok := c.Get("k"); !ok || string(v) != "v" {
				t.Error("the value was not kept")
			}
		})
	}
}

// A value computed across an Invalidate is returned but not kept.
func TestInvalidateDuringComputation(t *testing.T) {
	c := bytesCache(1000, 1, false)
	v, kept, err := c.Do(context.Background(), "k", func() ([]byte, error) {
		c.Invalidate()
		return []byte("stale"), nil
	})
	if err != nil || string(v) != "stale" || kept {
		t.Errorf("Do: %q kept %v, %v", v, kept, err)
	}
	if _, ok := c.Get("k"); ok {
		t.Error("a value computed across Invalidate was kept")
	}
	boom := errors.New("boom")
	if _, kept, err := c.Do(context.Background(), "e", func() ([]byte, error) { return nil, boom }); !errors.Is(err, boom) || kept {
		t.Errorf("error: kept %v, %v", kept, err)
	}
	if n, _ := c.Stats(); n != 0 {
		t.Errorf("%d entries: an error was kept", n)
	}
}

// A detached computation goes on when its caller gives up, and fills the
// cache; a caller waiting for another's computation leaves when its context
// ends.
func TestDetachedOutlivesCaller(t *testing.T) {
	c := bytesCache(1000, 1, true)
	release := make(chan struct{})
	done := make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err := c.Do(ctx, "k", func() ([]byte, error) {
		defer close(done)
		<-release
		return []byte("v"), nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled caller: %v", err)
	}
	// A second cancelled caller joins the running computation and leaves.
	if _, _, err := c.Do(ctx, "k", func() ([]byte, error) { t.Error("computed twice"); return nil, nil }); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled waiter: %v", err)
	}
	close(release)
	<-done
	waitFor(t, "the value to be kept", func() bool { _, ok := c.Get("k"); return ok })
}

func TestOff(t *testing.T) {
	c := bytesCache(-1, 1, false)
	for range 2 {
		if _, kept, err := c.Do(context.Background(), "k", func() ([]byte, error) { return []byte("v"), nil }); err != nil || kept {
			t.Fatalf("kept %v, %v", kept, err)
		}
	}
	if c.Misses() != 2 || c.Hits() != 0 {
		t.Errorf("hits %d misses %d: an off cache must compute every time", c.Hits(), c.Misses())
	}
}
