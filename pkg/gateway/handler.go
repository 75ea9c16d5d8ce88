package gateway

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"k8s.io/apimachinery/pkg/types"
	"k8s.io/utils/clock"
)

// handler is the data plane: route by host, pick a split, wait for a pod
// with room, proxy.
type handler struct {
	clock     clock.PassiveClock
	router    *router
	revisions *revisions
	proxy     http.Handler
	metrics   *metrics
	// ready is false until the routing table is loaded.
	ready func() bool
	// inFlight counts requests being served, upgraded ones included (the
	// server forgets those), for the drain.
	inFlight atomic.Int64
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !h.ready() {
		http.Error(w, "knap-gateway: starting, routes not loaded yet", http.StatusServiceUnavailable)
		return
	}
	h.inFlight.Add(1)
	defer h.inFlight.Add(-1)
	start := h.clock.Now()
	host := normalizeHost(r.Host)
	rule, known := h.router.table().route(host, r)
	if rule == nil {
		msg := fmt.Sprintf("knap-gateway: no Route serves host %q", host)
		if known {
			msg = fmt.Sprintf("knap-gateway: no rule of host %q matches path %q", host, r.URL.Path)
		}
		http.Error(w, msg, http.StatusNotFound)
		h.metrics.observe(types.NamespacedName{}, http.StatusNotFound, h.clock.Since(start))
		return
	}
	be := rule.pick()
	sw := &statusWriter{ResponseWriter: w}

	// Counted from arrival: the autoscaler must see requests waiting for
	// a revision at zero.
	rev := h.revisions.get(be.revision)
	rev.stats.In(start, false)
	ep, err := rev.balancer.acquire(r.Context(), time.Duration(rev.waitTimeout.Load()))
	for errors.Is(err, errDropped) {
		// Pruned between get and acquire: move to its successor.
		rev.stats.Out(h.clock.Now(), false)
		rev = h.revisions.get(be.revision)
		rev.stats.In(start, false)
		ep, err = rev.balancer.acquire(r.Context(), time.Duration(rev.waitTimeout.Load()))
	}
	defer func() {
		end := h.clock.Now()
		rev.stats.Out(end, false)
		h.metrics.observe(be.revision, sw.status(), end.Sub(start))
	}()
	switch {
	case err == nil:
	case errors.Is(err, errQueueFull):
		http.Error(sw, fmt.Sprintf("knap-gateway: too many requests waiting for revision %s", be.revision), http.StatusServiceUnavailable)
		return
	case errors.Is(err, errWaitTimeout):
		http.Error(sw, fmt.Sprintf("knap-gateway: no pod of revision %s had room within %s", be.revision,
			time.Duration(rev.waitTimeout.Load())), http.StatusGatewayTimeout)
		return
	default: // the client went away
		sw.WriteHeader(statusClientClosed)
		return
	}

	a := &attempt{rev: rev, backend: be, ep: ep, tried: []string{ep.addr}}
	// The pod may change on a retry: release whichever is held at the end.
	defer func() { rev.balancer.release(a.ep) }()
	h.proxy.ServeHTTP(sw, r.WithContext(withAttempt(r.Context(), a)))
}

// statusWriter remembers the status code; it passes flushes and hijacks
// (WebSockets) through, and an upgrade counts as 101.
type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.code < 200 { // the last 1xx until a final code
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return w.ResponseWriter.Write(p)
}

func (w *statusWriter) Flush() {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	_ = http.NewResponseController(w.ResponseWriter).Flush()
}

func (w *statusWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	c, rw, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err == nil && w.code == 0 {
		w.code = http.StatusSwitchingProtocols
	}
	return c, rw, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *statusWriter) status() int {
	if w.code == 0 {
		return http.StatusOK
	}
	return w.code
}
