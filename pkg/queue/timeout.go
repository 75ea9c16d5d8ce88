package queue

import (
	"bufio"
	"context"
	"errors"
	"net"
	"net/http"
	"sync"
	"time"
)

// Timeouts are a revision's request timeouts (timeoutSeconds,
// responseStartTimeoutSeconds, idleTimeoutSeconds); zero disables one.
type Timeouts struct {
	// Total bounds a request from arrival (queueing included) to its last
	// byte. It also bounds an upgraded (WebSocket) connection, as in
	// Knative.
	Total time.Duration
	// ResponseStart bounds the wait for the response to start.
	ResponseStart time.Duration
	// Idle cuts a response that writes nothing for that long.
	Idle time.Duration
}

// errTimeout is the cause a timed-out request's context is cancelled with.
var errTimeout = errors.New("request timeout")

// timeoutBody is the 504's body (Knative's).
const timeoutBody = "request timeout"

// timeoutWriter enforces Timeouts on a response. One timer watches the
// nearest deadline; writes only note their time. When a deadline passes it
// cancels the request's context, which stops the breaker wait or the
// proxied exchange at once; the handler then answers 504 if nothing was
// written yet, and otherwise the response is cut (writes fail, the reverse
// proxy aborts the connection). The timer never writes to the response
// itself, so the handler's goroutine stays its only writer.
type timeoutWriter struct {
	w      http.ResponseWriter
	cancel context.CancelCauseFunc
	t      Timeouts
	start  time.Time
	timer  *time.Timer

	mu        sync.Mutex
	status    int       // the status written, 0 until then
	lastWrite time.Time // only kept with an idle timeout
	timedOut  bool
	hijacked  bool
	stopped   bool
}

// newTimeoutWriter arms t for a request that arrived at start; cancel
// cancels its context.
func newTimeoutWriter(w http.ResponseWriter, t Timeouts, start time.Time, cancel context.CancelCauseFunc) *timeoutWriter {
	tw := &timeoutWriter{w: w, cancel: cancel, t: t, start: start}
	if d, ok := tw.nextDeadline(); ok {
		tw.timer = time.AfterFunc(time.Until(d), tw.check)
	}
	return tw
}

// nextDeadline is the nearest armed deadline; called with mu held or
// before the timer exists.
func (tw *timeoutWriter) nextDeadline() (time.Time, bool) {
	var next time.Time
	consider := func(d time.Time) {
		if next.IsZero() || d.Before(next) {
			next = d
		}
	}
	if tw.t.Total > 0 {
		consider(tw.start.Add(tw.t.Total))
	}
	if !tw.hijacked {
		if tw.t.ResponseStart > 0 && tw.status == 0 {
			consider(tw.start.Add(tw.t.ResponseStart))
		}
		if tw.t.Idle > 0 {
			last := tw.lastWrite
			if last.IsZero() {
				last = tw.start
			}
			consider(last.Add(tw.t.Idle))
		}
	}
	return next, !next.IsZero()
}

// check runs on the timer: it times the request out when a deadline has
// passed and re-arms for the next one otherwise.
func (tw *timeoutWriter) check() {
	tw.mu.Lock()
	if tw.stopped || tw.timedOut {
		tw.mu.Unlock()
		return
	}
	now := time.Now()
	next, ok := tw.nextDeadline()
	if !ok {
		tw.mu.Unlock()
		return
	}
	if now.Before(next) {
		tw.timer.Reset(next.Sub(now))
		tw.mu.Unlock()
		return
	}
	tw.timedOut = true
	tw.mu.Unlock()
	tw.cancel(errTimeout)
}

// stop disarms the timer; it reports whether the request timed out before
// anything was written, in which case the caller answers 504.
func (tw *timeoutWriter) stop() (timedOutUnwritten bool) {
	if tw.timer != nil {
		tw.timer.Stop()
	}
	tw.mu.Lock()
	defer tw.mu.Unlock()
	tw.stopped = true
	return tw.timedOut && tw.status == 0
}

// writeTimeout answers 504 on the underlying writer; the handler calls it
// after stop reported true, on its own goroutine.
func (tw *timeoutWriter) writeTimeout() {
	h := tw.w.Header()
	for k := range h {
		delete(h, k)
	}
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	tw.w.WriteHeader(http.StatusGatewayTimeout)
	_, _ = tw.w.Write([]byte(timeoutBody))
	tw.mu.Lock()
	tw.status = http.StatusGatewayTimeout
	tw.mu.Unlock()
}

// Status is the status written (200 for a body without WriteHeader), 0 if
// none.
func (tw *timeoutWriter) Status() int {
	tw.mu.Lock()
	defer tw.mu.Unlock()
	return tw.status
}

func (tw *timeoutWriter) Header() http.Header { return tw.w.Header() }

func (tw *timeoutWriter) WriteHeader(code int) {
	tw.mu.Lock()
	if tw.timedOut {
		tw.mu.Unlock()
		return
	}
	if code >= 200 || code == http.StatusSwitchingProtocols {
		// Informational answers (100, 103) do not start the response.
		if tw.status == 0 {
			tw.status = code
		}
		if tw.t.Idle > 0 {
			tw.lastWrite = time.Now()
		}
	}
	tw.mu.Unlock()
	tw.w.WriteHeader(code)
}

func (tw *timeoutWriter) Write(p []byte) (int, error) {
	tw.mu.Lock()
	if tw.timedOut {
		tw.mu.Unlock()
		return 0, http.ErrHandlerTimeout
	}
	if tw.status == 0 {
		tw.status = http.StatusOK
	}
	if tw.t.Idle > 0 {
		tw.lastWrite = time.Now()
	}
	tw.mu.Unlock()
	return tw.w.Write(p)
}

// FlushError flushes unless the request timed out; the reverse proxy
// flushes streaming responses, possibly from its own timer goroutine.
func (tw *timeoutWriter) FlushError() error {
	tw.mu.Lock()
	if tw.timedOut {
		tw.mu.Unlock()
		return http.ErrHandlerTimeout
	}
	if tw.status == 0 {
		tw.status = http.StatusOK // flushing sends the headers
	}
	tw.mu.Unlock()
	return http.NewResponseController(tw.w).Flush()
}

// Hijack hands the connection over for an upgrade (WebSocket): from then
// on only the total timeout applies, which closes the upgraded connection
// by cancelling the request's context.
func (tw *timeoutWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	tw.mu.Lock()
	if tw.timedOut {
		tw.mu.Unlock()
		return nil, nil, http.ErrHandlerTimeout
	}
	tw.hijacked = true
	if tw.status == 0 {
		tw.status = http.StatusSwitchingProtocols
	}
	tw.mu.Unlock()
	return http.NewResponseController(tw.w).Hijack()
}

// Unwrap lets http.ResponseController reach the connection's other
// controls (deadlines, full duplex).
func (tw *timeoutWriter) Unwrap() http.ResponseWriter { return tw.w }
