package admission

import (
	"context"
	"errors"
	"testing"
	"time"
)

// waitFor polls cond until it holds; the deadline only guards against a
// hang.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute) // a hang guard, not a speed check
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (ad *Admission) waiting() int {
	ad.mu.Lock()
	defer ad.mu.Unlock()
	return ad.queued
}

func TestAdmission(t *testing.T) {
	ctx := context.Background()
	ad := New(4, 1, time.Hour) // 4 slots, a client's share 2, one may wait
	a1, err := ad.Enter(ctx, "a", 1)
	if err != nil {
		t.Fatal(err)
	}
	a2, err := ad.Enter(ctx, "a", 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ad.Enter(ctx, "a", 1); !errors.Is(err, ErrBusy) {
		t.Fatalf("a third slot for one client: %v, want busy (its share is 2 of 4)", err)
	}
	if _, err := ad.TryEnter("a", 1); !errors.Is(err, ErrBusy) {
		t.Fatalf("tryEnter over the share: %v, want busy", err)
	}
	b, err := ad.Enter(ctx, "b", 2) // another client still gets the other two
	if err != nil {
		t.Fatalf("another client: %v", err)
	}
	// All four slots are held: c waits in the queue...
	type result struct {
		release func()
		err     error
	}
	got := make(chan result, 1)
	go func() {
		r, err := ad.Enter(ctx, "c", 1)
		got <- result{r, err}
	}()
	waitFor(t, "c to queue", func() bool { return ad.waiting() == 1 })
	// ...the queue is full: d is refused at once, and so is a background start.
	if _, err := ad.Enter(ctx, "d", 1); !errors.Is(err, ErrBusy) {
		t.Fatalf("full queue: %v, want busy", err)
	}
	if _, err := ad.TryEnter("d", 1); !errors.Is(err, ErrBusy) {
		t.Fatalf("tryEnter with no slot free: %v, want busy", err)
	}
	a1() // a slot frees: c runs
	r := <-got
	if r.err != nil {
		t.Fatalf("queued c: %v", r.err)
	}
	a1() // release is idempotent
	for _, rel := range []func(){a2, b, r.release} {
		rel()
	}
	ad.mu.Lock()
	left := len(ad.clients)
	ad.mu.Unlock()
	if left != 0 {
		t.Errorf("accounts left after every release: %d", left)
	}
	// A deck costs a client's share; more is clamped to it.
	rel, err := ad.Enter(ctx, "e", 10)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ad.Enter(ctx, "e", 1); !errors.Is(err, ErrBusy) {
		t.Errorf("a client holding its share got more: %v", err)
	}
	rel()
}

// TestAdmissionDeadline: a request that waits past the queue's deadline is
// answered busy and leaves the queue.
func TestAdmissionDeadline(t *testing.T) {
	ad := New(2, 4, time.Millisecond)
	r1, _ := ad.Enter(context.Background(), "a", 1)
	r2, _ := ad.Enter(context.Background(), "b", 1)
	if _, err := ad.Enter(context.Background(), "c", 1); !errors.Is(err, ErrBusy) {
		t.Fatalf("wait past the deadline: %v, want busy", err)
	}
	if ad.waiting() != 0 {
		t.Error("the expired request is still queued")
	}
	r1()
	r2()
}
