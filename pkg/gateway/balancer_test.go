package gateway

import (
	"context"
	"errors"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	clocktesting "k8s.io/utils/clock/testing"
)

type acquired struct {
	ep  *endpoint
	err error
}

// acquireAsync starts an acquire and waits until it is queued (or done).
func acquireAsync(t *testing.T, b *balancer, ctx context.Context, timeout time.Duration) <-chan acquired {
	t.Helper()
	before := b.state().waiting
	ch := make(chan acquired, 1)
	go func() {
		ep, err := b.acquire(ctx, timeout)
		ch <- acquired{ep, err}
	}()
	waitFor(t, "the request to queue", func() bool { return b.state().waiting == before+1 || len(ch) == 1 })
	return ch
}

func receive(t *testing.T, ch <-chan acquired) acquired {
	t.Helper()
	select {
	case a := <-ch:
		return a
	case <-time.After(ceiling):
		t.Fatal("acquire did not return")
		return acquired{}
	}
}

func newTestBalancer(queueDepth int) (*balancer, *clocktesting.FakeClock, *atomic.Int32) {
	clk := clocktesting.NewFakeClock(time.Unix(0, 0))
	var activations atomic.Int32
	return newBalancer(clk, queueDepth, func() { activations.Add(1) }), clk, &activations
}

func TestBalancerConcurrencyLimitAndFIFO(t *testing.T) {
	b, _, _ := newTestBalancer(10)
	b.setConcurrency(1)
	b.setEndpoints([]string{"a:1", "b:1"})
	ctx := context.Background()
	first, _ := b.acquire(ctx, 0)
	second, _ := b.acquire(ctx, 0)
	if first == nil || second == nil || first.addr == second.addr {
		t.Fatalf("two pods with room: got %v and %v, want one each", first, second)
	}
	// Both full: the next three wait, in order.
	waiting := []<-chan acquired{acquireAsync(t, b, ctx, 0), acquireAsync(t, b, ctx, 0), acquireAsync(t, b, ctx, 0)}
	if st := b.state(); st.waiting != 3 || st.inFlight != 2 {
		t.Fatalf("state = %+v, want 3 waiting and 2 in flight", st)
	}
	b.release(second)
	if got := receive(t, waiting[0]); got.ep != second {
		t.Fatalf("the oldest waiter got %v, want the released pod %s", got.ep, second.addr)
	}
	select {
	case got := <-waiting[1]:
		t.Fatalf("a second waiter got %v with no room left", got.ep)
	default:
	}
	b.release(first)
	if got := receive(t, waiting[1]); got.ep != first {
		t.Fatalf("the second waiter got %v, want %s", got.ep, first.addr)
	}
	// Raising the limit makes room for the last one at once.
	b.setConcurrency(2)
	if got := receive(t, waiting[2]); got.err != nil {
		t.Fatalf("the third waiter: %v", got.err)
	}
}

func TestBalancerRoundRobinsWithALimit(t *testing.T) {
	b, _, _ := newTestBalancer(0)
	b.setConcurrency(10)
	b.setEndpoints([]string{"a:1", "b:1", "c:1"})
	var got []string
	for range 6 {
		ep, err := b.acquire(context.Background(), 0)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, ep.addr)
	}
	if want := []string{"a:1", "b:1", "c:1", "a:1", "b:1", "c:1"}; !slices.Equal(got, want) {
		t.Errorf("picks = %v, want %v", got, want)
	}
}

func TestBalancerUnlimitedPrefersTheLessLoaded(t *testing.T) {
	b, _, _ := newTestBalancer(0)
	b.setEndpoints([]string{"a:1", "b:1"})
	busy, _ := b.acquire(context.Background(), 0)
	// With two pods both are the candidates: the idle one must win.
	for range 20 {
		ep, _ := b.acquire(context.Background(), 0)
		if ep == busy {
			t.Fatalf("picked the busier pod %s", ep.addr)
		}
		b.release(ep)
	}
}

func TestBalancerQueueFull(t *testing.T) {
	b, _, _ := newTestBalancer(1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	held := acquireAsync(t, b, ctx, 0)
	if _, err := b.acquire(ctx, 0); !errors.Is(err, errQueueFull) {
		t.Fatalf("acquire with a full queue: %v, want errQueueFull", err)
	}
	cancel()
	if got := receive(t, held); !errors.Is(got.err, context.Canceled) {
		t.Fatalf("cancelled waiter: %v, want context.Canceled", got.err)
	}
	if st := b.state(); st.waiting != 0 {
		t.Fatalf("a cancelled waiter stays queued: %+v", st)
	}
}

func TestBalancerTimeout(t *testing.T) {
	b, clk, _ := newTestBalancer(10)
	ch := acquireAsync(t, b, context.Background(), 10*time.Second)
	waitFor(t, "the wait's timer", clk.HasWaiters)
	clk.Step(10*time.Second - time.Nanosecond)
	if !clk.HasWaiters() {
		t.Fatal("the wait expired before its timeout")
	}
	clk.Step(time.Nanosecond)
	if got := receive(t, ch); !errors.Is(got.err, errWaitTimeout) {
		t.Fatalf("expired wait: %v, want errWaitTimeout", got.err)
	}
	if st := b.state(); st.waiting != 0 {
		t.Fatalf("an expired waiter stays queued: %+v", st)
	}
}

func TestBalancerScaleFromZero(t *testing.T) {
	b, _, activations := newTestBalancer(10)
	ctx := context.Background()
	waiting := []<-chan acquired{acquireAsync(t, b, ctx, 0), acquireAsync(t, b, ctx, 0)}
	if n := activations.Load(); n != 2 {
		t.Errorf("activations = %d, want one per request waiting with no pods", n)
	}
	b.setEndpoints([]string{"a:1"})
	for i, ch := range waiting {
		if got := receive(t, ch); got.err != nil || got.ep.addr != "a:1" {
			t.Errorf("waiter %d: %v %v, want a:1", i, got.ep, got.err)
		}
	}
	// Busy pods, not zero pods: no activation.
	b.setConcurrency(1)
	ch := acquireAsync(t, b, ctx, 0)
	if n := activations.Load(); n != 2 {
		t.Errorf("activations = %d after waiting on busy pods, want still 2", n)
	}
	b.setEndpoints([]string{"a:1", "b:1"})
	if got := receive(t, ch); got.ep == nil || got.ep.addr != "b:1" {
		t.Errorf("waiter on a new pod got %v %v", got.ep, got.err)
	}
}

func TestBalancerEndpointChangesKeepCounts(t *testing.T) {
	b, _, _ := newTestBalancer(10)
	b.setConcurrency(1)
	b.setEndpoints([]string{"a:1"})
	a, _ := b.acquire(context.Background(), 0)
	b.setEndpoints([]string{"a:1", "b:1"})
	ep, _ := b.acquire(context.Background(), 0)
	if ep == nil || ep.addr != "b:1" {
		t.Fatalf("got %v, want b:1 (a:1 is still busy)", ep)
	}
	b.setEndpoints([]string{"b:1"})
	b.release(a) // finishes on a pod that left
	if st := b.state(); st.inFlight != 1 || st.endpoints != 1 {
		t.Fatalf("state = %+v, want 1 in flight on 1 pod", st)
	}
}

func TestBalancerSwitchEndpoint(t *testing.T) {
	b, _, _ := newTestBalancer(10)
	b.setConcurrency(1)
	b.setEndpoints([]string{"a:1", "b:1", "c:1"})
	busy, _ := b.acquire(context.Background(), 0) // a
	failed, _ := b.acquire(context.Background(), 0)
	next := b.switchEndpoint(failed, []string{failed.addr})
	if next == nil || next == busy || next == failed {
		t.Fatalf("switch from %s got %v, want the free pod", failed.addr, next)
	}
	if again := b.switchEndpoint(next, []string{failed.addr, next.addr}); again != nil {
		t.Fatalf("switch with every free pod tried got %s, want none", again.addr)
	}
	if st := b.state(); st.inFlight != 2 {
		t.Fatalf("in flight = %d, want 2 (the failed pod released)", st.inFlight)
	}
}

func TestBalancerDrop(t *testing.T) {
	b, _, _ := newTestBalancer(10)
	b.setEndpoints([]string{"a:1"})
	ep, _ := b.acquire(context.Background(), 0)
	if b.drop() {
		t.Fatal("dropped a balancer with a request in flight")
	}
	b.release(ep)
	if !b.drop() {
		t.Fatal("an idle balancer was not dropped")
	}
	if b.drop() {
		t.Fatal("dropped a balancer twice")
	}
	if _, err := b.acquire(context.Background(), 0); !errors.Is(err, errDropped) {
		t.Fatalf("acquire on a dropped balancer: %v, want errDropped", err)
	}
}
