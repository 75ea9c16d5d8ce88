package queue

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"k8s.io/klog/v2"
)

// WaitForDrainPath is the admin endpoint the user container's preStop hook
// calls (Knative's queue.RequestQueueDrainPath): it returns once the queue
// has drained, so the user container is only stopped after the requests
// it is serving completed.
const WaitForDrainPath = "/wait-for-drain"

// preStopGrace is how long /wait-for-drain waits for the queue's own
// SIGTERM: when none comes, the user container is restarting on its own
// (a failed liveness probe) and must not be held (Knative waits 1s too).
const preStopGrace = time.Second

// Drainer is the queue's graceful shutdown: once Start is called probes
// answer 503 while requests are still served; WaitQuiet returns when no
// request has arrived for the quiet period, WaitIdle when none is in
// flight, and Finish releases /wait-for-drain.
type Drainer struct {
	quiet time.Duration

	draining    atomic.Bool
	lastRequest atomic.Int64 // unix nanos of the last arrival while draining
	inFlight    atomic.Int64

	startOnce, finishOnce sync.Once
	started, finished     chan struct{}
}

// NewDrainer returns a Drainer with the given quiet period (DRAIN_SLEEP).
func NewDrainer(quiet time.Duration) *Drainer {
	return &Drainer{quiet: quiet, started: make(chan struct{}), finished: make(chan struct{})}
}

// Start begins draining: from now on probes fail.
func (d *Drainer) Start() {
	d.startOnce.Do(func() {
		d.lastRequest.Store(time.Now().UnixNano())
		d.draining.Store(true)
		close(d.started)
	})
}

// Draining reports whether Start was called.
func (d *Drainer) Draining() bool { return d.draining.Load() }

// requestStarted notes an arriving request (not a probe).
func (d *Drainer) requestStarted(now time.Time) {
	d.inFlight.Add(1)
	if d.draining.Load() {
		d.lastRequest.Store(now.UnixNano())
	}
}

// requestDone notes a request leaving.
func (d *Drainer) requestDone() { d.inFlight.Add(-1) }

// InFlight is the number of requests being served, including upgraded
// connections, which http.Server.Shutdown does not wait for.
func (d *Drainer) InFlight() int64 { return d.inFlight.Load() }

// WaitQuiet blocks, after Start, until no request has arrived for the quiet
// period, giving the gateway and kube-proxy time to stop sending here
// (Knative's queue-proxy waits the same way). It returns early when ctx
// ends.
func (d *Drainer) WaitQuiet(ctx context.Context) {
	select {
	case <-d.started:
	case <-ctx.Done():
		return
	}
	for {
		wait := time.Until(time.Unix(0, d.lastRequest.Load()).Add(d.quiet))
		if wait <= 0 {
			return
		}
		if !sleep(ctx, wait) {
			return
		}
	}
}

// WaitIdle blocks until no request is in flight or ctx ends; it reports
// whether the queue went idle.
func (d *Drainer) WaitIdle(ctx context.Context) bool {
	t := time.NewTicker(10 * time.Millisecond)
	defer t.Stop()
	for d.inFlight.Load() > 0 {
		select {
		case <-t.C:
		case <-ctx.Done():
			return d.inFlight.Load() == 0
		}
	}
	return true
}

// Finish marks the drain complete, releasing /wait-for-drain.
func (d *Drainer) Finish() { d.finishOnce.Do(func() { close(d.finished) }) }

// WaitForDrain serves WaitForDrainPath: it waits up to a second for the
// queue to start draining (it gets SIGTERM when the user container's
// preStop hook runs), then until the drain finished.
func (d *Drainer) WaitForDrain(w http.ResponseWriter, r *http.Request) {
	t := time.NewTimer(preStopGrace)
	defer t.Stop()
	select {
	case <-d.started:
	case <-t.C:
		// No SIGTERM for the queue: the user container alone restarts.
		klog.InfoS("preStop of the user container without the queue draining: not holding it")
		w.WriteHeader(http.StatusOK)
		return
	case <-r.Context().Done():
		return
	}
	select {
	case <-d.finished:
		w.WriteHeader(http.StatusOK)
	case <-r.Context().Done():
	}
}
