package gateway

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"k8s.io/klog/v2"
	"k8s.io/utils/clock"

	"github.com/knap-dev/knap/pkg/autoscaler"
)

const (
	// ReportingPeriod is how often the gateway reports to the autoscaler.
	ReportingPeriod = time.Second
	// postTimeout bounds one POST: a report older than a period or two is
	// not worth waiting for.
	postTimeout = 2 * time.Second
	// errorLogPeriod spaces the logs of failed POSTs.
	errorLogPeriod = 30 * time.Second
	// activationBacklog is how many revisions' activations may wait to be
	// sent; one more is dropped (its requests still show in the next
	// periodic report).
	activationBacklog = 1024
)

// reporter pushes the gateway's view of each revision to the autoscaler:
// every ReportingPeriod the time-weighted concurrency and arrivals of the
// revisions that had traffic, and at once, from its own goroutine, an
// activation for a revision a request waits for without any pod.
type reporter struct {
	url   string // the autoscaler's StatsPath; "" reports nothing
	name  string // PodName in every Stat
	http  *http.Client
	clock clock.PassiveClock
	revs  *revisions

	activations chan *revision
	errors      logLimiter
}

func newReporter(baseURL, name string, clk clock.PassiveClock, revs *revisions) *reporter {
	r := &reporter{
		name:        name,
		http:        &http.Client{Timeout: postTimeout},
		clock:       clk,
		revs:        revs,
		activations: make(chan *revision, activationBacklog),
		errors:      logLimiter{every: errorLogPeriod},
	}
	if baseURL != "" {
		r.url = strings.TrimSuffix(baseURL, "/") + autoscaler.StatsPath
	}
	return r
}

// activate queues an activation push for rev unless one is queued
// already; it never blocks (the request path calls it).
func (r *reporter) activate(rev *revision) {
	if r.url == "" || !rev.activationPending.CompareAndSwap(false, true) {
		return
	}
	select {
	case r.activations <- rev:
	default:
		rev.activationPending.Store(false)
	}
}

// runActivations sends queued activations until ctx ends, all queued at
// the moment in one Report.
func (r *reporter) runActivations(ctx context.Context) {
	for {
		var revs []*revision
		select {
		case <-ctx.Done():
			return
		case rev := <-r.activations:
			revs = append(revs, rev)
		}
	more:
		for {
			select {
			case rev := <-r.activations:
				revs = append(revs, rev)
			default:
				break more
			}
		}
		stats := make([]autoscaler.Stat, 0, len(revs))
		for _, rev := range revs {
			// Cleared first: a request arriving from now on queues the
			// next push.
			rev.activationPending.Store(false)
			stats = append(stats, autoscaler.Stat{
				Revision: rev.key,
				PodName:  r.name,
				// What waits now; the arrivals are counted in the next
				// periodic report, not here, so none is counted twice.
				AverageConcurrentRequests: float64(max(rev.stats.Concurrency(), 1)),
				Activation:                true,
			})
		}
		klog.V(2).InfoS("Asking the autoscaler to activate", "revisions", len(stats))
		r.send(ctx, stats)
	}
}

// tick closes the period at now and reports it.
func (r *reporter) tick(ctx context.Context, now time.Time) {
	if r.url == "" {
		return
	}
	if stats := r.collect(now); len(stats) > 0 {
		r.send(ctx, stats)
	}
}

// collect closes every revision's window at now and returns the stats
// worth sending: revisions with traffic in the period, and once more,
// zero, the first period without.
func (r *reporter) collect(now time.Time) []autoscaler.Stat {
	var out []autoscaler.Stat
	r.revs.each(func(rev *revision) {
		w := rev.stats.Report(now)
		busy := w.RequestCount > 0 || w.AverageConcurrency > 0
		if !busy && rev.idleReported {
			return
		}
		rev.idleReported = !busy
		st := rev.balancer.state()
		out = append(out, autoscaler.Stat{
			Revision:                  rev.key,
			PodName:                   r.name,
			AverageConcurrentRequests: w.AverageConcurrency,
			RequestCount:              float64(w.RequestCount),
			// Still waiting for a first pod: say it again, in case the
			// first push was lost.
			Activation: st.endpoints == 0 && st.waiting > 0,
		})
	})
	return out
}

// send POSTs one Report, once; a failure is logged, rate-limited.
func (r *reporter) send(ctx context.Context, stats []autoscaler.Stat) {
	err := r.post(ctx, autoscaler.Report{Stats: stats})
	if err == nil || ctx.Err() != nil {
		return
	}
	if ok, suppressed := r.errors.allow(r.clock.Now()); ok {
		klog.ErrorS(err, "Reporting to the autoscaler failed", "url", r.url, "stats", len(stats), "suppressedSinceLastLog", suppressed)
	}
}

func (r *reporter) post(ctx context.Context, report autoscaler.Report) error {
	body, err := json.Marshal(report)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := r.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("autoscaler answered %s: %s", resp.Status, strings.TrimSpace(string(msg)))
	}
	return nil
}

// logLimiter lets one log through per period and counts the others.
type logLimiter struct {
	every time.Duration

	mu         sync.Mutex
	last       time.Time
	suppressed int
}

func (l *logLimiter) allow(now time.Time) (ok bool, suppressed int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.last.IsZero() && now.Sub(l.last) < l.every {
		l.suppressed++
		return false, 0
	}
	l.last, suppressed, l.suppressed = now, l.suppressed, 0
	return true, suppressed
}
