package queue

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"
)

// Handler is the queue's main handler on QUEUE_SERVING_PORT: it answers
// probes itself and sends every other request through the breaker to the
// user container, with the revision's timeouts, counting it for the
// autoscaler and the queue's metrics.
type Handler struct {
	proxy     http.Handler
	breaker   *Breaker // nil: unlimited
	timeouts  Timeouts
	stats     *Stats
	metrics   *requestMetrics
	readiness *Readiness
	drainer   *Drainer
}

// isKubeletProbe reports whether the kubelet sent r (Knative's
// header.IsKubeletProbe).
func isKubeletProbe(r *http.Request) bool {
	return strings.HasPrefix(r.Header.Get("User-Agent"), "kube-probe/") || r.Header.Get(KubeletProbeHeader) != ""
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if v := r.Header.Get(ProbeHeader); v != "" || isKubeletProbe(r) {
		h.serveProbe(w, r, v)
		return
	}

	proxied := r.Header.Get(ProxyHeader) != ""
	start := h.begin(proxied)
	ctx, cancel := context.WithCancelCause(r.Context())
	tw := newTimeoutWriter(w, h.timeouts, start, cancel)
	app := time.Duration(-1)
	defer func() {
		// Runs on panics too (http.ErrAbortHandler when a response is
		// cut), so the books stay balanced.
		tw.stop()
		cancel(nil)
		h.end(start, proxied, tw.Status(), app)
	}()
	r = r.WithContext(ctx)

	appStart := start
	if h.breaker != nil {
		if err := h.breaker.Acquire(ctx); err != nil {
			if tw.stop() {
				tw.writeTimeout()
				return
			}
			if errors.Is(err, ErrRequestQueueFull) {
				http.Error(tw, err.Error(), http.StatusServiceUnavailable)
			} else {
				http.Error(tw, "request cancelled while queued: "+err.Error(), http.StatusServiceUnavailable)
			}
			return
		}
		defer h.breaker.Release()
		appStart = time.Now()
	}
	func() {
		defer func() { app = time.Since(appStart) }()
		h.proxy.ServeHTTP(tw, r)
	}()
	if tw.stop() {
		tw.writeTimeout()
	}
}

// begin counts a request (not a probe) arriving, on either path: for the
// drain, the autoscaler's stats and the metrics, which end completes.
func (h *Handler) begin(proxied bool) time.Time {
	start := time.Now()
	h.drainer.requestStarted(start)
	h.stats.In(start, proxied)
	return start
}

// end counts a request begin counted leaving with status (0: none was
// written, counted as 200); app is the time past the breaker, negative
// when the breaker refused it.
func (h *Handler) end(start time.Time, proxied bool, status int, app time.Duration) {
	end := time.Now()
	if status == 0 {
		status = http.StatusOK
	}
	h.stats.Out(end, proxied)
	h.metrics.observe(status, end.Sub(start), app)
	h.drainer.requestDone()
}

// serveProbe answers a probe: 200 "queue" when the user container is ready
// and the queue is not draining, 503 otherwise; 400 for a K-Network-Probe
// naming another component. A kubelet probe of a queue still waiting for
// its user container is held up to kubeletProbeHold for it, so the pod
// turns Ready without waiting a probe period.
func (h *Handler) serveProbe(w http.ResponseWriter, r *http.Request, value string) {
	if value != "" && value != ProbeValue {
		http.Error(w, "unexpected probe header value: "+value, http.StatusBadRequest)
		return
	}
	if h.drainer.Draining() {
		http.Error(w, "shutting down", http.StatusServiceUnavailable)
		return
	}
	ready := h.readiness.Ready()
	if !ready && isKubeletProbe(r) {
		ctx, cancel := context.WithTimeout(r.Context(), kubeletProbeHold)
		ready = h.readiness.WaitReady(ctx)
		cancel()
		ready = ready && !h.drainer.Draining()
	}
	if !ready {
		http.Error(w, "user container not ready", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte(ProbeValue))
}
