package gateway

import (
	"container/list"
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"k8s.io/utils/clock"
)

var (
	// errQueueFull refuses a request (503) when the revision's wait queue
	// is full.
	errQueueFull = errors.New("too many requests waiting for the revision")
	// errWaitTimeout ends a wait (504) that outlived the revision's
	// timeout.
	errWaitTimeout = errors.New("no pod of the revision had room in time")
	// errDropped tells a request that raced with the balancer's removal
	// to get the revision's new one.
	errDropped = errors.New("balancer dropped")
)

// endpoint is one ready pod of a revision (its queue sidecar).
type endpoint struct {
	addr string
	// inFlight counts the requests proxied to it; guarded by the
	// balancer's mutex.
	inFlight int
}

// balancer spreads one revision's requests over its ready pods, at most
// containerConcurrency at a time on each (when set), and holds the rest
// in arrival order until a pod has room: this is the activator. Its lock
// is the revision's own; requests to other revisions never meet it.
type balancer struct {
	clock      clock.Clock
	queueDepth int
	// activate is called, outside the lock, when a request starts
	// waiting while the revision has no pods at all (scale from zero).
	activate func()

	mu        sync.Mutex
	endpoints []*endpoint
	// concurrency is containerConcurrency: 0 is unlimited.
	concurrency int
	// cursor is where the next round-robin scan starts.
	cursor  int
	waiters list.List // of *waiter, oldest first
	leases  int       // endpoints handed out and not yet released
	dropped bool
}

// waiter is a request waiting for a pod.
type waiter struct {
	// granted is set, under the lock, with done closed.
	granted *endpoint
	done    chan struct{}
}

func newBalancer(clk clock.Clock, queueDepth int, activate func()) *balancer {
	return &balancer{clock: clk, queueDepth: queueDepth, activate: activate}
}

// acquire returns a pod with room for one more request, waiting behind
// earlier requests up to timeout (none when timeout <= 0). Errors:
// errQueueFull at once when queueDepth requests already wait,
// errWaitTimeout, ctx's error when the client goes away (its place in the
// queue is given up), errDropped. The caller must release what it got.
func (b *balancer) acquire(ctx context.Context, timeout time.Duration) (*endpoint, error) {
	b.mu.Lock()
	if b.dropped {
		b.mu.Unlock()
		return nil, errDropped
	}
	// Nobody waits while a pod has room (every release and endpoint
	// change hands room to waiters first), so a new request may only take
	// a pod directly when the queue is empty.
	if b.waiters.Len() == 0 {
		if ep := b.pickLocked(); ep != nil {
			b.grantLocked(ep)
			b.mu.Unlock()
			return ep, nil
		}
	}
	if b.waiters.Len() >= b.queueDepth {
		b.mu.Unlock()
		return nil, errQueueFull
	}
	w := &waiter{done: make(chan struct{})}
	elem := b.waiters.PushBack(w)
	cold := len(b.endpoints) == 0
	b.mu.Unlock()
	if cold && b.activate != nil {
		b.activate()
	}

	var expired <-chan time.Time
	if timeout > 0 {
		t := b.clock.NewTimer(timeout)
		defer t.Stop()
		expired = t.C()
	}
	var err error
	select {
	case <-w.done:
		return w.granted, nil
	case <-ctx.Done():
		err = ctx.Err()
	case <-expired:
		err = errWaitTimeout
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if w.granted != nil {
		// Granted while giving up: pass the room on.
		b.releaseLocked(w.granted)
	} else {
		b.waiters.Remove(elem)
	}
	return nil, err
}

// release returns a pod acquire or switchEndpoint gave.
func (b *balancer) release(ep *endpoint) {
	b.mu.Lock()
	b.releaseLocked(ep)
	b.mu.Unlock()
}

// switchEndpoint trades failed (which refused the connection) for
// another pod with room that is not in tried, without waiting; nil (and
// failed kept) when there is none.
func (b *balancer) switchEndpoint(failed *endpoint, tried []string) *endpoint {
	b.mu.Lock()
	defer b.mu.Unlock()
	var best *endpoint
	for _, ep := range b.endpoints {
		if slices.Contains(tried, ep.addr) || !b.hasRoomLocked(ep) {
			continue
		}
		if best == nil || ep.inFlight < best.inFlight {
			best = ep
		}
	}
	if best == nil {
		return nil
	}
	b.grantLocked(best)
	b.releaseLocked(failed)
	return best
}

// setEndpoints replaces the pods by addrs; pods still there keep their
// counts. Requests on a removed pod finish there.
func (b *balancer) setEndpoints(addrs []string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	old := make(map[string]*endpoint, len(b.endpoints))
	for _, ep := range b.endpoints {
		old[ep.addr] = ep
	}
	eps := make([]*endpoint, 0, len(addrs))
	for _, a := range addrs {
		ep := old[a]
		if ep == nil {
			ep = &endpoint{addr: a}
		}
		eps = append(eps, ep)
	}
	b.endpoints = eps
	if len(eps) > 0 {
		b.cursor %= len(eps)
	}
	b.dispatchLocked()
}

// setConcurrency sets containerConcurrency (0: unlimited).
func (b *balancer) setConcurrency(cc int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.concurrency = max(cc, 0)
	b.dispatchLocked()
}

// drop retires an idle balancer (nothing in flight or waiting) so that no
// request uses it any more; false when it is busy or retired already.
func (b *balancer) drop() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.dropped || b.leases > 0 || b.waiters.Len() > 0 {
		return false
	}
	b.dropped = true
	return true
}

// state is a snapshot for metrics and reports.
type balancerState struct {
	endpoints, waiting, inFlight int
}

func (b *balancer) state() balancerState {
	b.mu.Lock()
	defer b.mu.Unlock()
	return balancerState{endpoints: len(b.endpoints), waiting: b.waiters.Len(), inFlight: b.leases}
}

func (b *balancer) hasRoomLocked(ep *endpoint) bool {
	return b.concurrency == 0 || ep.inFlight < b.concurrency
}

// pickLocked chooses a pod with room, nil when none has. With a limit,
// round-robin over those with room (so load spreads even when they all
// have some); without one, the less loaded of two random pods, which
// keeps pods evenly loaded without scanning them all.
func (b *balancer) pickLocked() *endpoint {
	n := len(b.endpoints)
	switch {
	case n == 0:
		return nil
	case b.concurrency > 0:
		for k := range n {
			i := (b.cursor + k) % n
			if ep := b.endpoints[i]; b.hasRoomLocked(ep) {
				b.cursor = (i + 1) % n
				return ep
			}
		}
		return nil
	case n == 1:
		return b.endpoints[0]
	default:
		i, j := rand.IntN(n), rand.IntN(n-1)
		if j >= i {
			j++
		}
		if a, c := b.endpoints[i], b.endpoints[j]; c.inFlight < a.inFlight {
			return c
		} else {
			return a
		}
	}
}

func (b *balancer) grantLocked(ep *endpoint) {
	ep.inFlight++
	b.leases++
}

func (b *balancer) releaseLocked(ep *endpoint) {
	ep.inFlight--
	b.leases--
	b.dispatchLocked()
}

// dispatchLocked hands room to waiters, oldest first, while there is
// some.
func (b *balancer) dispatchLocked() {
	for b.waiters.Len() > 0 {
		ep := b.pickLocked()
		if ep == nil {
			return
		}
		w := b.waiters.Remove(b.waiters.Front()).(*waiter)
		b.grantLocked(ep)
		w.granted = ep
		close(w.done)
	}
}
