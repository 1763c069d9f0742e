// Package admission bounds expensive work per client: a fixed number of
// slots, a short queue with a deadline, and a per-client share.
package admission

import (
	"context"
	"runtime"
	"sync"
	"time"

	"github.com/antq-atlas/antq/analytics"

	"golang.org/x/sync/semaphore"
)

// Admission bounds the expensive work of charts as a service: drawing a
// chart that is not cached yet (goja, then rsvg-convert for a PNG) and
// building a briefing deck. There are a fixed number of slots
// (dashboard.Config.Renderers, default the CPU count; golang.org/x/sync/semaphore);
// a request waits for one at most Config.RenderWait in a queue of at most
// Config.RenderQueue requests, else it is answered 503 with Retry-After.
//
// Cost is counted per client (a signed-in user or token, else an address,
// as the rate limit counts): a chart costs one slot, a deck as many as its
// pictures are drawn at once, and a client's running and waiting work
// together may cost at most half the slots (at least one), so one client
// cannot occupy every renderer while others wait.
type Admission struct {
	slots     *semaphore.Weighted
	size      int64
	perClient int64
	maxQueue  int
	maxWait   time.Duration

	mu      sync.Mutex
	queued  int              // waiting for slots
	clients map[string]int64 // cost admitted or waiting, by client
}

// New makes an Admission of size slots (0: the CPU count) and a queue of at
// most queue requests (0: four per slot) that wait at most wait (0: 10 s).
func New(size, queue int, wait time.Duration) *Admission {
	if size <= 0 {
		size = runtime.NumCPU()
	}
	if queue <= 0 {
		queue = 4 * size
	}
	if wait <= 0 {
		wait = 10 * time.Second
	}
	return &Admission{slots: semaphore.NewWeighted(int64(size)), size: int64(size), perClient: max(1, int64(size)/2),
		maxQueue: queue, maxWait: wait, clients: map[string]int64{}}
}

// ErrBusy is the 503 of a full queue, a client over its share, or a wait
// past the deadline (the error handler adds Retry-After).
var ErrBusy = analytics.Errorf(analytics.CodeUnavailable,
	"máy dựng biểu đồ đang bận, thử lại sau ít giây / the chart renderers are busy: retry in a few seconds")

// Share is the most one client may hold, hence the most one piece of work
// costs.
func (ad *Admission) Share() int64 { return ad.perClient }

// Enter waits for cost slots for client, or fails with ErrBusy. The
// returned release must be called once the work is done.
func (ad *Admission) Enter(ctx context.Context, client string, cost int64) (release func(), err error) {
	cost = min(max(cost, 1), ad.perClient)
	ad.mu.Lock()
	if ad.clients[client]+cost > ad.perClient || ad.queued >= ad.maxQueue {
		ad.mu.Unlock()
		return nil, ErrBusy
	}
	ad.clients[client] += cost
	ad.queued++
	ad.mu.Unlock()

	wctx, cancel := context.WithTimeout(ctx, ad.maxWait)
	err = ad.slots.Acquire(wctx, cost)
	cancel()

	ad.mu.Lock()
	ad.queued--
	if err != nil {
		ad.leave(client, cost)
		ad.mu.Unlock()
		return nil, ErrBusy
	}
	ad.mu.Unlock()
	return ad.releaser(client, cost), nil
}

// TryEnter takes cost slots now or fails with ErrBusy (no queue): for work
// started in the background.
func (ad *Admission) TryEnter(client string, cost int64) (release func(), err error) {
	cost = min(max(cost, 1), ad.perClient)
	ad.mu.Lock()
	defer ad.mu.Unlock()
	if ad.clients[client]+cost > ad.perClient || !ad.slots.TryAcquire(cost) {
		return nil, ErrBusy
	}
	ad.clients[client] += cost
	return ad.releaser(client, cost), nil
}

// releaser is the release of cost slots held by client: it gives them back
// once, however many times it is called.
func (ad *Admission) releaser(client string, cost int64) func() {
	var once sync.Once
	return func() {
		once.Do(func() {
			ad.slots.Release(cost)
			ad.mu.Lock()
			ad.leave(client, cost)
			ad.mu.Unlock()
		})
	}
}

// leave drops cost from client's account; ad.mu is held.
func (ad *Admission) leave(client string, cost int64) {
	if ad.clients[client] -= cost; ad.clients[client] <= 0 {
		delete(ad.clients, client)
	}
}
