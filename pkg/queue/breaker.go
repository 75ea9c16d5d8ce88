package queue

import (
	"context"
	"errors"
	"sync/atomic"
)

// ErrRequestQueueFull is the answer (503) to a request that finds both the
// user container's capacity and the pending queue full; the text is
// Knative's.
var ErrRequestQueueFull = errors.New("pending request queue full")

// QueueDepthFactor sizes the pending queue: Knative queues up to 10 ×
// containerConcurrency requests, giving the autoscaler time to react.
const QueueDepthFactor = 10

// Breaker lets at most capacity requests run at once and up to queueDepth
// more wait, in arrival order; beyond that it refuses at once.
type Breaker struct {
	// admitted counts requests running or waiting, at most capacity +
	// queueDepth.
	admitted atomic.Int64
	limit    int64
	// slots is a counting semaphore: a request runs while it holds one.
	// Senders block in FIFO order, so waiting requests run in arrival
	// order.
	slots chan struct{}
}

// NewBreaker returns a breaker for containerConcurrency capacity (> 0) with
// Knative's queue of QueueDepthFactor × capacity.
func NewBreaker(capacity int) *Breaker {
	return NewBreakerWithQueue(capacity, QueueDepthFactor*capacity)
}

// NewBreakerWithQueue returns a breaker with capacity slots and queueDepth
// waiting places.
func NewBreakerWithQueue(capacity, queueDepth int) *Breaker {
	if capacity < 1 {
		panic("queue: breaker capacity must be positive")
	}
	return &Breaker{
		limit: int64(capacity + max(queueDepth, 0)),
		slots: make(chan struct{}, capacity),
	}
}

// Acquire admits a request: it returns at once with ErrRequestQueueFull
// when the queue is full, waits for a slot otherwise (ctx's error if ctx
// ends first), and on success the caller must call Release once done.
func (b *Breaker) Acquire(ctx context.Context) error {
	acquired, err := b.tryAcquire()
	if err != nil || acquired {
		return err
	}
	return b.wait(ctx)
}

// tryAcquire admits a request and takes a slot if one is free. When it
// reports neither a slot nor an error the request is queued, and the
// caller must wait.
func (b *Breaker) tryAcquire() (acquired bool, err error) {
	for {
		n := b.admitted.Load()
		if n >= b.limit {
			return false, ErrRequestQueueFull
		}
		if b.admitted.CompareAndSwap(n, n+1) {
			break
		}
	}
	select {
	case b.slots <- struct{}{}:
		return true, nil
	default:
		return false, nil
	}
}

// wait waits for a slot for a request tryAcquire queued; it returns ctx's
// error (and leaves the queue) if ctx ends first.
func (b *Breaker) wait(ctx context.Context) error {
	select {
	case b.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		b.admitted.Add(-1)
		return ctx.Err()
	}
}

// Release frees the slot an Acquire took.
func (b *Breaker) Release() {
	<-b.slots
	b.admitted.Add(-1)
}

// Capacity is the number of requests that run at once.
func (b *Breaker) Capacity() int { return cap(b.slots) }

// InFlight is the number of requests running or waiting.
func (b *Breaker) InFlight() int { return int(b.admitted.Load()) }

// Running is the number of requests holding a slot.
func (b *Breaker) Running() int { return len(b.slots) }

// Waiting is the number of requests queued for a slot.
func (b *Breaker) Waiting() int { return max(b.InFlight()-b.Running(), 0) }
